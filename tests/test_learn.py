"""Learning each site's chrome from the corpus: grouping, the site files, and cleaning with them."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.core import clean_text
from cleaner.learning.chrome import MIN_REPEAT
from cleaner.options import Options
from cleaner.rulebook.load import build_ruleset, load_ruleset, shipped_rules_dir
from cleaner.rulebook.model import RuleError

from .conftest import DATA, tree_bytes

SLICE = DATA / "devsites"  # every page of 7 devsites sites
PAGES = [json.loads(line) for line in (SLICE / "pages.jsonl").read_text("utf-8").split("\n") if line]
SITE = {p["id"]: p["site"] for p in PAGES}
URL = {p["id"]: p["url"] or f"http://www.{p['site']}/{p['id']}" for p in PAGES}  # some pages were saved without one
WORD = re.compile(r"\w+")


def f1(outputs: Path) -> float:
    """devsites' measure: 4-token shingle precision and recall against the gold, averaged over pages."""
    def shingles(text: str) -> Counter[tuple[str, ...]]:
        toks = WORD.findall(text)
        return Counter(tuple(toks[i:i + 4]) for i in range(max(1, len(toks) - 3)))

    precision, recall = [], []
    for page in PAGES:
        out = outputs / f"{page['id']}.txt"
        gold, pred = shingles(page["gold"]), shingles(out.read_text("utf-8") if out.is_file() else "")
        both = sum((gold & pred).values())
        precision.append(both / max(1, sum(pred.values())))
        recall.append(both / max(1, sum(gold.values())))
    p, r = sum(precision) / len(precision), sum(recall) / len(recall)
    return 2 * p * r / (p + r)


def groups_of(learned: Path) -> dict[str, tuple[str, str]]:
    """page id -> (learned site, how it was grouped), from groups.tsv."""
    rows = (learned / "groups.tsv").read_text("utf-8").split("\n")[1:-1]
    return {Path(page).name.split(".")[0]: (site, way) for page, site, way in (r.split("\t") for r in rows)}


@pytest.fixture(scope="module")
def learned_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole-page dumps of the slice cleaned with --learn (line model on): OUTDIR."""
    out = tmp_path_factory.mktemp("learned") / "out"
    assert main(["clean", str(SLICE / "text-page"), "-o", str(out), "--learn", "--title", "drop",
                 "--content", "model", "--quiet", "--jobs", "2"]) == 0
    return out


def test_pages_with_no_url_are_grouped_by_the_lines_they_share(learned_page: Path) -> None:
    groups = groups_of(learned_page / "learned-rules")
    by_site: dict[str, set[str]] = defaultdict(set)
    for page, (site, way) in groups.items():
        assert way == "text"
        by_site[SITE[page]].add(site)
    assert all(len(sites) == 1 for sites in by_site.values())  # each site's pages in one group...
    assert len({next(iter(s)) for s in by_site.values()}) == len(by_site)  # ...and no group holds two sites


def test_learned_files_lint_and_pass_their_own_cases(learned_page: Path) -> None:
    rules = learned_page / "learned-rules"
    assert len(list(rules.glob("*.toml"))) == len(set(SITE.values()))
    assert main(["rules", "lint", str(rules)]) == 0
    assert main(["rules", "test", str(rules)]) == 0


def test_a_learned_file_reads_as_a_site_file_with_evidence(learned_page: Path) -> None:
    text = min((learned_page / "learned-rules").glob("*.toml")).read_text("utf-8")
    assert "[learned]" in text and "fingerprints = [" in text
    evidence = re.findall(r"^# on (\d+) of (\d+) pages: head run (\d+), tail run (\d+), body (\d+); e\.g\. (.+)$",
                          text, re.MULTILINE)
    assert evidence and len(evidence) == text.count("\n[[rule]]")
    for pages, size, head, tail, body, samples in evidence:
        assert MIN_REPEAT <= int(pages) <= int(size) and int(head) + int(tail) + int(body) == int(pages)
        assert 2 * int(body) <= int(pages)  # body-bound repeats are candidates, not rules
        assert len(samples.split(", ")) == 2


def test_cleaning_with_learned_rules_removes_more_and_names_them(learned_page: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    assert main(["clean", str(SLICE / "text-page"), "-o", str(plain), "--title", "drop", "--content", "model",
                 "--quiet", "--jobs", "2"]) == 0
    assert f1(learned_page) > f1(plain) + 0.03
    sidecars = [json.loads(p.read_text("utf-8")) for p in learned_page.glob("*.meta.json")]
    learned = [[d["rule"] for d in s["dropped"] if d["rule"].startswith("learned/")] for s in sidecars]
    assert sum(bool(rules) for rules in learned) >= 0.8 * len(PAGES)
    assert all(re.fullmatch(r"learned/[a-z0-9-]+/[a-z0-9-]+", r) for rules in learned for r in rules)


def test_explain_and_restore_treat_learned_rules_as_any_rule(learned_page: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    page = sorted((SLICE / "text-page").glob("*.txt"))[0]
    capsys.readouterr()
    assert main(["explain", str(page), "--rules", str(learned_page / "learned-rules"), "--content", "model",
                 "--format", "json"]) == 0
    fates = json.loads(capsys.readouterr().out)
    assert any(str(line.get("rule", "")).startswith("learned/") for line in fates["lines"])
    copy = tmp_path / page.name
    shutil.copy(learned_page / page.name, copy)
    shutil.copy(learned_page / (page.stem + ".meta.json"), tmp_path / (page.stem + ".meta.json"))
    assert main(["restore", str(copy)]) == 0
    assert copy.read_bytes() == page.read_bytes()


def test_a_rerun_reuses_every_output_and_rewrites_no_learned_file(learned_page: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(learned_page, out)
    stamps = {p: p.stat().st_mtime_ns for p in (out / "learned-rules").iterdir()}
    stats = tmp_path / "stats.json"
    assert main(["clean", str(SLICE / "text-page"), "-o", str(out), "--learn", "--title", "drop",
                 "--content", "model", "--quiet", "--jobs", "2", "--stats", str(stats)]) == 0
    assert json.loads(stats.read_text("utf-8"))["statuses"] == {"unchanged": len(PAGES)}
    assert {p: p.stat().st_mtime_ns for p in (out / "learned-rules").iterdir()} == stamps


def test_learned_files_do_not_depend_on_jobs_or_input_order(tmp_path: Path) -> None:
    files = sorted((SLICE / "text-recall").glob("*.txt"))
    made = []
    for n, (jobs, inputs) in enumerate([("1", [str(SLICE / "text-recall")]), ("2", [str(f) for f in files[::-1]])]):
        target = tmp_path / f"learned{n}"
        assert main(["learn", *inputs, "-o", str(target), "--jobs", jobs, "--quiet"]) == 0
        made.append({k: v for k, v in tree_bytes(target).items() if k != "groups.tsv"})
    assert made[0] == made[1] and made[0]


def test_records_with_a_url_are_grouped_by_host(tmp_path: Path) -> None:
    shard = tmp_path / "corpus" / "pages.jsonl"
    shard.parent.mkdir()
    shard.write_text("".join(json.dumps({"id": p["id"], "url": URL[p["id"]],
                                         "text": (SLICE / "text-page" / f"{p['id']}.txt").read_text("utf-8")}) + "\n"
                             for p in PAGES), "utf-8")
    learned = tmp_path / "learned"
    assert main(["learn", str(shard), "-o", str(learned), "--content", "model", "--quiet", "--jobs", "2"]) == 0
    assert {way for _, way in groups_of(learned).values()} == {"host"}
    ruleset = load_ruleset([learned])
    for page in PAGES:
        assert ruleset.index.site_for_host(SITE[page["id"]]) == re.sub(r"[^a-z0-9]+", "-", SITE[page["id"]])


def test_rules_learned_from_some_pages_apply_to_the_site_s_other_pages(tmp_path: Path) -> None:
    first, rest = tmp_path / "first", tmp_path / "rest"
    first.mkdir()
    rest.mkdir()
    for n, page in enumerate(sorted(PAGES, key=lambda p: p["id"])):
        shutil.copy(SLICE / "text-page" / f"{page['id']}.txt", (first if n % 2 else rest) / f"{page['id']}.txt")
    learned = tmp_path / "learned"
    assert main(["learn", str(first), "-o", str(learned), "--content", "model", "--quiet", "--jobs", "2"]) == 0
    out = tmp_path / "out"
    assert main(["clean", str(rest), "-o", str(out), "--rules", str(learned), "--content", "model", "--quiet",
                 "--jobs", "2"]) == 0
    taught = {SITE[page]: site for page, (site, _) in groups_of(learned).items() if site != "-"}
    assert len(taught) >= 4
    later = [json.loads((out / f"{p.stem}.meta.json").read_text("utf-8")) | {"page": p.stem}
             for p in rest.glob("*.txt") if SITE[p.stem] in taught]
    assert all(s["site"] == taught[SITE[s["page"]]] for s in later)  # each later page is known by its site's file
    hit = [s for s in later if any(d["rule"].startswith("learned/") for d in s["dropped"])]
    # and its learned rules take what the model left of the chrome (rules are written only for lines the pages
    # learned from kept, or nearly: what the model drops everywhere needs none)
    assert len(hit) >= 0.4 * len(later)


LEARNED_SPUTNIK = b'''[learned]
site = "sputnik"
[[rule]]
id = "radio"
match = '^Sputnik Radio, live$'
removes = ["Sputnik Radio, live"]
keeps = ["Sputnik Radio, live from Moscow, reported the talks on Friday."]
'''


def test_learned_rules_for_a_shipped_site_run_after_its_own(tmp_path: Path) -> None:
    (tmp_path / "sputnik.toml").write_bytes(LEARNED_SPUTNIK)
    ruleset = load_ruleset([tmp_path])
    rules = [r.id for r in ruleset.sites["sputnik"].rules]
    assert rules[-1] == "learned/sputnik/radio" and rules[0].startswith("sputnik/")
    assert ruleset.site_digests["sputnik"] != load_ruleset().site_digests["sputnik"]
    body = "The minister said on Friday that the talks would resume next week in Geneva, officials confirmed."
    result = clean_text(f"{body}\n\nSputnik Radio, live\n", ruleset, host="sputniknews.com")
    assert result.text == body + "\n"
    assert [d.rule for d in result.record.dropped] == ["learned/sputnik/radio"]
    assert main(["rules", "lint", str(tmp_path)]) == 0 and main(["rules", "test", str(tmp_path)]) == 0


def test_a_domain_claimed_twice_and_a_site_learned_twice_are_refused() -> None:
    shipped = [(str(p), p.read_bytes()) for p in sorted(shipped_rules_dir().rglob("*.toml"))]
    clash = b'[learned]\nsite = "copycat"\ndomains = ["sputniknews.com"]\n'
    with pytest.raises(RuleError, match="domain 'sputniknews.com' of site 'copycat' is already claimed by site"):
        build_ruleset([*shipped, ("copycat.toml", clash)])
    with pytest.raises(RuleError, match="learned rules for site 'sputnik' also in a.toml"):
        build_ruleset([*shipped, ("a.toml", LEARNED_SPUTNIK), ("b.toml", LEARNED_SPUTNIK)])
    with pytest.raises(RuleError, match="needs fingerprints or domains"):
        build_ruleset([("lone.toml", b'[learned]\nsite = "nowhere"\n')])


def test_learned_rules_never_empty_a_document(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text('[learned]\nsite = "menus"\nfingerprints = [\'^Home$\']\n'
                                        '[[rule]]\nid = "home"\nmatch = \'^Home$\'\n'
                                        '[[rule]]\nid = "about"\nmatch = \'^About us$\'\n'
                                        '[[rule]]\nid = "about-2"\nmatch = \'^About\'\n', "utf-8")
    ruleset = load_ruleset([tmp_path])
    rules = Options(content="rules")
    result = clean_text("Home\n\nAbout us\n\nAbout us\n", ruleset, options=rules)
    assert result.text == "About us\n\nAbout us\n"
    assert result.record.guard is not None and result.record.guard.rules == {"learned/menus/about": 2}
    assert clean_text(result.text, ruleset, options=rules).text == result.text  # and again changes nothing
    after_model = clean_text("Home\n\nAbout us\n\nAbout us\n", ruleset)  # learned rules after the line model
    assert after_model.text and clean_text(after_model.text, ruleset).text == after_model.text


def test_learning_from_a_finished_run_needs_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run"
    assert main(["clean", str(SLICE / "text-recall"), "-o", str(run), "--quiet", "--jobs", "2"]) == 0
    assert main(["learn", str(run), "-o", str(tmp_path / "a"), "--quiet"]) == 0
    assert main(["learn", str(SLICE / "text-recall"), "-o", str(tmp_path / "b"), "--quiet", "--jobs", "2"]) == 0
    assert tree_bytes(tmp_path / "a").keys() == tree_bytes(tmp_path / "b").keys()
    capsys.readouterr()
    assert main(["learn", str(run), str(SLICE), "-o", str(tmp_path / "c")]) == 2
    assert "is a finished run: learn from it alone" in capsys.readouterr().err


def test_html_pages_are_grouped_by_their_canonical_host(tmp_path: Path) -> None:
    learned = tmp_path / "learned"
    assert main(["learn", str(SLICE / "html"), "--glob", "*.html.gz", "-o", str(learned), "--quiet", "--jobs", "2"]) == 0
    groups = groups_of(learned)
    with_url = [p["id"] for p in PAGES if p["url"]]  # the others' pages name no address of their own either
    assert {groups[page][1] for page in with_url} == {"host"}
    sites = {re.sub(r"[^a-z0-9]+", "-", SITE[page]) for page in with_url}
    assert {groups[page][0] for page in with_url} <= sites | {"-"}


def test_the_commit_hook_checks_with_a_learned_folder(learned_page: Path) -> None:
    """`cleaner check --rules learned/` (the pre-commit hook) flags a raw page and passes what --learn wrote."""
    rules = str(learned_page / "learned-rules")
    page = sorted((SLICE / "text-page").glob("*.txt"))[0]
    assert main(["check", str(page), "--rules", rules]) == 1
    cleaned = sorted(learned_page.glob("*.txt"))[:5]
    assert main(["check", *map(str, cleaned), "--rules", rules, "--title", "drop"]) == 0
