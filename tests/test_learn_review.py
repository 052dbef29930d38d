"""A person's review of learned files survives relearning; a page counts once; nothing from a corpus writes a rule."""
from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.learning.forms import form
from cleaner.learning.review import GONE, REJECTED
from cleaner.rulebook.load import load_ruleset

from .conftest import DATA, tree_bytes

SLICE = DATA / "devsites"
PAGES = [json.loads(line) for line in (SLICE / "pages.jsonl").read_text("utf-8").split("\n") if line]
URL = {p["id"]: p["url"] or f"http://www.{p['site']}/{p['id']}" for p in PAGES}
LEARN = ["--learn", "--title", "drop", "--quiet"]


def rules_of(folder: Path) -> dict[str, list[dict]]:
    """Each learned file's active rules, as TOML reads them, by site."""
    found = {}
    for path in sorted(folder.glob("*.toml")):
        doc = tomllib.loads(path.read_text("utf-8"))
        found[doc["learned"]["site"]] = doc.get("rule", [])
    return found


def patterns(folder: Path) -> set[str]:
    return {rule["match"] for rules in rules_of(folder).values() for rule in rules}


def candidate_ids(path: Path) -> list[str]:
    return re.findall(r'^# id = "([^"]+)"$', path.read_text("utf-8"), re.MULTILINE)


def active_ids(path: Path) -> list[str]:
    return re.findall(r'^id = "([^"]+)"$', path.read_text("utf-8"), re.MULTILINE)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    shutil.copytree(SLICE / "text-page", tmp_path / "corpus")
    return tmp_path / "corpus"


def a_file_with_candidates(learned: Path) -> Path:
    return next(p for p in sorted(learned.glob("*.toml")) if candidate_ids(p) and len(active_ids(p)) >= 3)


def test_accepted_rejected_deleted_and_edited_rules_survive_relearning(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "-o", str(out), *LEARN, "--jobs", "2"]) == 0
    learned = out / "learned-rules"
    path = a_file_with_candidates(learned)
    accepted = candidate_ids(path)[0]
    rejected, deleted, edited = active_ids(path)[:3]
    assert main(["rules", "accept", f"{path}:{accepted}"]) == 0
    assert main(["rules", "reject", f"{path}:{rejected}"]) == 0
    text = path.read_text("utf-8")
    blocks = text.split("\n\n")  # by hand: delete one rule, and add a keeps case to another
    text = "\n\n".join(b for b in blocks if f'id = "{deleted}"' not in b)
    text = re.sub(rf'(id = "{edited}"\n(?:.*\n)*?removes = .*\n)', r'\1keeps = ["A line the person wrote."]\n', text)
    path.write_text(text, "utf-8")
    reviewed = path.read_text("utf-8")
    assert main(["clean", str(corpus), "-o", str(out), *LEARN, "--jobs", "2"]) == 0  # relearn
    assert path.read_text("utf-8") == reviewed  # every decision held; nothing new to add
    assert accepted in active_ids(path) and accepted not in candidate_ids(path)
    assert rejected not in active_ids(path) + candidate_ids(path) and REJECTED in reviewed
    assert deleted not in active_ids(path) + candidate_ids(path)
    assert '"A line the person wrote."' in path.read_text("utf-8")
    assert main(["rules", "lint", str(learned)]) == 0 and main(["rules", "test", str(learned)]) == 0
    # the same relearn with one job and the inputs named in reverse order writes the same bytes
    again = tmp_path / "again"
    shutil.copytree(learned, again / "learned-rules")
    files = [str(p) for p in sorted(corpus.glob("*.txt"), reverse=True)]
    assert main(["clean", *files, "-o", str(again), *LEARN, "--jobs", "1"]) == 0
    assert tree_bytes(again / "learned-rules").keys() == tree_bytes(learned).keys()
    assert {k: v for k, v in tree_bytes(again / "learned-rules").items() if k != "groups.tsv"} == \
           {k: v for k, v in tree_bytes(learned).items() if k != "groups.tsv"}


def test_an_accepted_rule_whose_evidence_is_gone_is_kept_and_flagged(corpus: Path, tmp_path: Path) -> None:
    learned = tmp_path / "learned"
    assert main(["learn", str(corpus), "-o", str(learned), "--quiet", "--jobs", "2"]) == 0
    path = a_file_with_candidates(learned)
    accepted = candidate_ids(path)[0]
    assert main(["rules", "accept", f"{path}:{accepted}"]) == 0
    pattern = next(r["match"] for r in tomllib.loads(path.read_text("utf-8"))["rule"] if r["id"] == accepted)
    for page in corpus.glob("*.txt"):  # the line is gone from every page
        text = page.read_text("utf-8")
        page.write_text("\n".join(line for line in text.split("\n") if not re.search(pattern, line.strip())), "utf-8")
    assert main(["learn", str(corpus), "-o", str(learned), "--quiet", "--jobs", "2"]) == 0
    assert path.is_file() and accepted in active_ids(path)
    block = next(b for b in path.read_text("utf-8").split("\n\n") if f'id = "{accepted}"' in b)
    assert block.startswith(GONE)


def test_reviewed_files_in_a_folder_of_their_own_combine_with_new_learning(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "-o", str(out), *LEARN, "--jobs", "2"]) == 0
    path = a_file_with_candidates(out / "learned-rules")
    accepted, rejected = candidate_ids(path)[0], active_ids(path)[0]
    assert main(["rules", "accept", f"{path}:{accepted}"]) == 0
    assert main(["rules", "reject", f"{path}:{rejected}"]) == 0
    mine = tmp_path / "mine"
    mine.mkdir()
    shutil.move(str(path), mine / path.name)  # the reviewed file, committed in a folder of its own
    out2 = tmp_path / "out2"
    assert main(["clean", str(corpus), "-o", str(out2), "--rules", str(mine), *LEARN, "--jobs", "2"]) == 0
    new = out2 / "learned-rules" / path.name
    assert new.is_file()  # the site's new learning adds to the reviewed file...
    assert accepted not in active_ids(new) + candidate_ids(new)  # ...without what it holds
    assert rejected not in active_ids(new) + candidate_ids(new)  # ...or what the person rejected
    assert main(["rules", "lint", str(mine), str(out2 / "learned-rules")]) == 0
    site = tomllib.loads(new.read_text("utf-8"))["learned"]["site"]
    combined = [r.id for r in load_ruleset([mine, out2 / "learned-rules"]).sites[site].rules]
    assert f"learned/{site}/{accepted}" in combined and f"learned/{site}/{rejected}" not in combined


def test_a_clash_with_the_rules_is_found_before_the_first_pass(corpus: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    (out / "learned-rules").mkdir(parents=True)
    (out / "learned-rules" / "a.toml").write_text('[learned]\nsite = "a"\ndomains = ["example.org"]\n', "utf-8")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "b.toml").write_text('[learned]\nsite = "b"\ndomains = ["example.org"]\n', "utf-8")
    assert main(["clean", str(corpus), "-o", str(out), "--rules", str(mine), *LEARN]) == 2
    assert "domain 'example.org'" in capsys.readouterr().err
    assert not (out / ".learn-pass").exists()


def records(ids: dict[str, str], pages: list[dict]) -> str:
    return "".join(json.dumps({"id": ids[p["id"]], "url": URL[p["id"]],
                               "text": (SLICE / "text-page" / f"{p['id']}.txt").read_text("utf-8")}) + "\n"
                   for p in pages)


def test_the_same_pages_twice_learn_what_they_learn_once(tmp_path: Path) -> None:
    once, twice = tmp_path / "once", tmp_path / "twice"
    once.mkdir()
    twice.mkdir()
    (once / "a.jsonl").write_text(records({p["id"]: p["id"] for p in PAGES}, PAGES), "utf-8")
    shutil.copy(once / "a.jsonl", twice / "a.jsonl")
    (twice / "b.jsonl").write_text(records({p["id"]: f"copy-{p['id']}" for p in PAGES}, PAGES), "utf-8")
    for corpus in (once, twice):
        assert main(["learn", str(corpus), "--glob", "*.jsonl", "-o", f"{corpus}-learned", "--quiet", "--jobs", "2"]) == 0
    assert rules_of(tmp_path / "twice-learned") == rules_of(tmp_path / "once-learned") != {}
    groups = (tmp_path / "twice-learned" / "groups.tsv").read_text("utf-8")
    assert groups.count("\trepeats ") == len(PAGES) and "#copy-" in groups  # named by record id


def test_a_near_identical_page_does_not_make_its_article_recur(tmp_path: Path) -> None:
    """The same article with another date line, as a second file: its paragraphs are no chrome."""
    once, twice = tmp_path / "once", tmp_path / "twice"
    shutil.copytree(SLICE / "text-page", once)
    shutil.copytree(SLICE / "text-page", twice)
    for page in sorted(once.glob("*.txt"))[:10]:
        text = page.read_text("utf-8")
        (twice / f"z-{page.name}").write_text("Updated March 3, 2013\n" + text, "utf-8")
    for corpus in (once, twice):
        assert main(["learn", str(corpus), "-o", f"{corpus}-learned", "--quiet", "--jobs", "2"]) == 0
    assert patterns(tmp_path / "twice-learned") == patterns(tmp_path / "once-learned")


EVIL = "a\n[[rule]]\nid = \"evil\"\nmatch = '.'\nremoves = [\"x\"]\n#"


def test_no_name_id_or_line_of_a_corpus_writes_a_rule(tmp_path: Path) -> None:
    plain, evil = tmp_path / "plain", tmp_path / "evil"
    plain.mkdir()
    evil.mkdir()
    extra = "[[rule]]\nmatch = '.'\n'''\n\"\"\"\n# end"  # lines that read as TOML, on every page
    for n, page in enumerate(PAGES):
        text = (SLICE / "text-page" / f"{page['id']}.txt").read_text("utf-8") + "\n" + extra + "\n"
        (plain / f"{page['id']}.txt").write_text(text, "utf-8")
        (evil / f"{EVIL}{n:02d}.txt").write_text(text, "utf-8")
    shard = [{"id": f"{EVIL}{page['id']}", "url": None,
              "text": (SLICE / "text-page" / f"{page['id']}.txt").read_text("utf-8") + "\n" + extra}
             for page in PAGES]
    (evil / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in shard), "utf-8")
    (plain / "records.jsonl").write_text("".join(json.dumps(r | {"id": str(n)}) + "\n" for n, r in enumerate(shard)),
                                         "utf-8")
    for corpus in (plain, evil):
        assert main(["learn", str(corpus), "--glob", "*.txt", "--glob", "*.jsonl", "-o", f"{corpus}-learned",
                     "--quiet"]) == 0
    made = patterns(tmp_path / "evil-learned")
    assert made == patterns(tmp_path / "plain-learned") and made
    assert "." not in made and not any(rule["id"] == "evil" for rules in rules_of(tmp_path / "evil-learned").values()
                                       for rule in rules)
    assert main(["rules", "lint", str(tmp_path / "evil-learned")]) == 0


def test_lines_that_differ_by_numbers_or_dates_are_one_form() -> None:
    assert form("Updated 9:41 pm") == form("Updated 10:02 am")
    assert form("Wednesday, November 7 2012 BLOGS /Fantasy") == form("Monday, October 1 2012 BLOGS /Fantasy")
    assert form("Posted by Ann") != form("Posted by Bob")


def test_a_warc_beside_a_jsonl_of_the_same_pages_learns_what_the_warc_learns(tmp_path: Path) -> None:
    import gzip
    import io

    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders

    alone, both = tmp_path / "alone", tmp_path / "both"
    alone.mkdir()
    both.mkdir()
    with open(alone / "crawl.warc.gz", "wb") as fh:
        writer = warcio.warcwriter.WARCWriter(fh, gzip=True)
        for page in PAGES:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            html = gzip.decompress((SLICE / "html" / f"{page['id']}.html.gz").read_bytes())
            writer.write_record(writer.create_warc_record(URL[page["id"]], "response", http_headers=http,
                                                          payload=io.BytesIO(html)))
    shutil.copy(alone / "crawl.warc.gz", both / "crawl.warc.gz")
    (both / "pages.jsonl").write_text(records({p["id"]: p["id"] for p in PAGES}, PAGES), "utf-8")
    for corpus in (alone, both):
        assert main(["learn", str(corpus), "--glob", "*.jsonl", "--glob", "*.warc.gz", "-o", f"{corpus}-learned",
                     "--quiet", "--jobs", "2"]) == 0
    assert rules_of(tmp_path / "both-learned") == rules_of(tmp_path / "alone-learned") != {}
    groups = (tmp_path / "both-learned" / "groups.tsv").read_text("utf-8")
    assert groups.count("\trepeats ") == len(PAGES)  # each text dump repeats its page in the WARC (its URL)


ADDS_TO_A_REVIEWED_FILE = """[learned]
site = "reviewed-site"
about = "adds to the site's reviewed file in another folder: no fingerprints of its own"

# candidate (reads as prose): on 2 of 4 pages
# [[rule]]
# id = "a-line"
# about = "recurs on 2 of 4 pages"
# match = 'PATTERN'
# removes = ["A line here"]
"""


def test_accepting_checks_what_the_decision_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that adds to a reviewed one elsewhere does not load alone: accepting in it still works. A
    candidate whose pattern the loader refuses is not accepted, and the file stays as it was."""
    path = tmp_path / "reviewed-site.toml"
    path.write_text(ADDS_TO_A_REVIEWED_FILE.replace("PATTERN", "^A line here$"), "utf-8")
    assert main(["rules", "accept", f"{path}:a-line"]) == 0
    assert active_ids(path) == ["a-line"]
    broken = ADDS_TO_A_REVIEWED_FILE.replace("PATTERN", "^(a+)+$")
    path.write_text(broken, "utf-8")
    capsys.readouterr()
    assert main(["rules", "accept", f"{path}:a-line"]) == 1
    assert "exponential time" in capsys.readouterr().err and path.read_text("utf-8") == broken
