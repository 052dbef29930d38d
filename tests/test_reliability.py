"""Hostile input, killed runs, untrusted rules: the cases RELIABILITY.md lists, each checked here."""
from __future__ import annotations

import codecs
import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Options, clean_text
from cleaner.options import CONTENT_MODES
from cleaner.record.model import Guard
from cleaner.rulebook.load import build_ruleset, shipped_rules_dir

from .conftest import SLICE, tree_bytes

ARTICLE = ("Cafés Reopen Across Paris\n\nThe café crème is back on the terraces this week, owners said on Monday, "
           "after a winter of closures.\n\nCity officials expect the number of terraces to double by summer.\n")
CHROME = "Share this article\nPlease enter your comment!\nPost with no comments.\n"
ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


def cleaner(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True,
                          env=ENV, timeout=timeout, errors="replace")


def snapshot(root: Path) -> dict[str, object]:
    """Every entry below root: file bytes, or where a link points."""
    entries: dict[str, object] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            key = os.fsencode(path.relative_to(root)).hex()
            entries[key] = ("link", os.readlink(path)) if path.is_symlink() else \
                ("dir",) if path.is_dir() else ("file", path.read_bytes()) if path.is_file() else ("special",)
    return entries


def awkward_corpus(src: Path, outside: Path) -> dict[str, str]:
    """Every awkward input the issue lists; returns refused file name -> a word its reason must hold."""
    src.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text(ARTICLE, "utf-8")
    files: dict[str, bytes] = {
        "good.txt": ARTICLE.encode(),
        "empty.txt": b"",
        "blank.txt": " \n\t\n \u00a0 \n".encode(),
        "chrome.txt": CHROME.encode(),
        "nul.txt": b"text\x00with\x00nul\x00bytes" * 50,
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        "packed.txt": gzip.compress(ARTICLE.encode() * 50, mtime=0),
        "truncated.txt": (ARTICLE * 4).encode()[:-60] + "é".encode()[:1],  # cut inside its last character
        "utf16le.txt": codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
        "utf16be.txt": codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
        "cp1252.txt": ARTICLE.replace("Monday,", "Monday – “really” –").encode("cp1252"),
        "latin1.txt": ARTICLE.encode("latin-1"),
        "mojibake.txt": ARTICLE.encode().decode("latin-1").encode(),
        "crlf.txt": ARTICLE.replace("\n", "\r\n").encode(),
        "cr.txt": ARTICLE.replace("\n", "\r").encode(),
        "oneline.txt": ("word " * (2 << 20)).encode(),  # a single 10 MB line
        "manylines.txt": "".join(f"line {i}\n" for i in range(300_000)).encode(),
        "control.txt": ("\x1b[31mCafés\x1b[0m Reopen\x07 Across Paris\n\n" + ARTICLE.split("\n\n", 1)[1]).encode(),
        "bells.txt": ("\x1b[32mok\x1b[0m\x07\x07\x07 build finished\n" * 50).encode(),  # a captured terminal log
        "new\nline.txt": ARTICLE.encode(),
        "page.txt": ("<!DOCTYPE html><html><head><title>Cafés</title></head><body><nav>Home | World</nav>"
                     "<article><h1>Cafés Reopen Across Paris</h1><p>The café crème is back on the terraces "
                     "this week, owners said on Monday, after a winter of closures.</p><p>City officials "
                     "expect the number of terraces to double by summer, they said.</p></article></body></html>"
                     ).encode(),
        "with space.txt": ARTICLE.encode(),
        "naïve ünïcode.txt": ARTICLE.encode(),
        "a.txt": ARTICLE.encode(),
        "a.html": b"<html><body><p>" + ARTICLE.encode() + b"</p></body></html>",
        "big.txt": b"x" * (13 << 20),
    }
    for name, data in files.items():
        (src / name).write_bytes(data)
    (src / os.fsdecode(b"odd\xff\x1bname.txt")).write_bytes(ARTICLE.encode())
    (src / "broken.txt").symlink_to(src / "missing.txt")
    (src / "escape.txt").symlink_to(outside / "secret.txt")
    (src / "self.txt").symlink_to(src / "self.txt")
    (src / "loop").symlink_to(src)
    (src / "away").symlink_to(outside)
    os.mkfifo(src / "pipe.txt")  # reading it would block for ever
    return {"pipe.txt": "not a regular file", "nul.txt": "binary", "image.txt": "binary", "packed.txt": "binary", "big.txt": "max-bytes",
            "broken.txt": "broken", "escape.txt": "out of the input tree", "self.txt": "loop", "loop": "loop",
            "away": "out of the input tree", "a.txt": "both", "a.html": "both"}


def test_awkward_inputs_each_get_a_defined_outcome(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    refused = awkward_corpus(src, tmp_path / "outside")
    before = snapshot(src)
    started = time.monotonic()
    proc = cleaner("clean", str(src), "-o", str(out), "--glob", "*.txt", "--glob", "*.html", "--max-bytes", "12M",
                   "--jobs", "2", timeout=300)
    assert time.monotonic() - started < 300
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = dict(line.split(": ", 1) for line in proc.stderr.splitlines() if line.startswith(str(src)))
    named = {Path(path).name: reason for path, reason in errors.items()}
    assert set(named) == set(refused), named
    for name, word in refused.items():
        assert word in named[name], (name, named[name])
    assert "no text 3" in proc.stderr  # empty, blank, chrome

    text = {p.name: p.read_text("utf-8") for p in out.glob("*.txt")}
    for name in ("good", "utf16le", "utf16be", "latin1", "mojibake", "crlf", "cr", "with space", "naïve ünïcode"):
        assert text[f"{name}.txt"] == ARTICLE, name
    assert text[os.fsdecode(b"odd\xff\x1bname.txt")] == ARTICLE
    assert "– “really” –" in text["cp1252.txt"]
    assert "\ufffd" in text["truncated.txt"] and "café crème" in text["truncated.txt"]
    assert text["control.txt"].startswith("Cafés Reopen Across Paris\n") and "\x1b" not in text["control.txt"]
    assert text["bells.txt"].startswith("ok build finished\n") and "\x07" not in text["bells.txt"]
    assert text["new\nline.txt"] == ARTICLE
    inputs = [json.loads(line)["input"] for line in (out / "manifest.jsonl").read_text("utf-8").splitlines()]
    assert str(src / "new\nline.txt") in inputs  # the real name, not an escaped one
    assert "café crème" in text["page.txt"] and "<p>" not in text["page.txt"] and "Home | World" not in text["page.txt"]
    assert len(text["oneline.txt"]) == len(("word " * (2 << 20)).strip()) + 1
    assert text["manylines.txt"].count("\n\n") == 300_000 - 1
    for name in ("empty", "blank", "chrome"):
        assert f"{name}.txt" not in text
        assert json.loads((out / f"{name}.meta.json").read_text("utf-8"))["filtered"]
    assert not (out / "escape.txt").exists() and not (out / "away").exists() and not (out / "a.txt").exists()
    assert not [p for p in out.rglob("*") if p.name.startswith(".cleaner-tmp-")]
    assert snapshot(src) == before


@pytest.mark.slow
def test_killed_runs_leave_only_complete_files_and_a_rerun_ends_as_an_uninterrupted_run(tmp_path: Path) -> None:
    """SIGKILL a 2-worker run of 2,000 documents at random moments, then rerun to the end."""
    corpus = tmp_path / "corpus"
    sources = sorted(SLICE.glob("text-*/*.txt"))
    for n in range(2000):
        folder = corpus / f"part-{n // 500}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"doc{n:04d}.txt").write_bytes(f"Document {n}\n\n".encode() + sources[n % len(sources)].read_bytes())
    reference, out = tmp_path / "reference", tmp_path / "out"
    assert cleaner("clean", str(corpus), "-o", str(reference), "--jobs", "2", "--quiet").returncode == 0
    expected = tree_bytes(reference)
    rng = random.Random(7)
    kills = 0
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out), "--jobs", "2",
                                 "--quiet"], env=ENV, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 4.0))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        present = tree_bytes(out) if out.exists() else {}
        for rel, data in present.items():
            if Path(rel).name.startswith(".cleaner-tmp-"):
                assert not rel.endswith((".txt", ".json")), rel  # no glob of outputs takes a half-written file
                continue
            if rel == "manifest.jsonl":
                continue  # a killed run's temporary file (removed by the next run); a finished run's manifest
            assert rel in expected and data == expected[rel], rel  # complete, or not there at all
    assert kills >= 3
    assert cleaner("clean", str(corpus), "-o", str(out), "--jobs", "2", "--quiet").returncode == 0
    final = tree_bytes(out)
    assert not [rel for rel in final if Path(rel).name.startswith(".cleaner-tmp-")]

    def manifest(tree: dict[str, bytes]) -> list[dict]:
        return [{k: v for k, v in json.loads(line).items() if k != "fresh"} for line in tree.pop("manifest.jsonl").splitlines()]

    assert manifest(final) == manifest(expected)
    assert final == expected


def rules_dir(tmp_path: Path, pattern: str, rule: str = "slow") -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "hostile.toml").write_text(
        f'[generic]\nid = "hostile"\n[[rule]]\nid = "{rule}"\nmatch = \'{pattern}\'\n'
        f'removes = ["aaa"]\nkeeps = ["aaa!"]\n', "utf-8")
    return folder


def test_a_pattern_that_backtracks_without_end_is_refused_when_loading(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("a" * 60 + "!\n", "utf-8")
    started = time.monotonic()
    proc = cleaner("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                   "--rules", str(rules_dir(tmp_path, "^(a+)+$")), timeout=60)
    assert time.monotonic() - started < 10
    assert proc.returncode == 2
    assert "hostile.toml: generic/slow:" in proc.stderr and "exponential" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_slow_pattern_that_passes_loading_is_stopped_by_the_time_bound(tmp_path: Path) -> None:
    """(\\d\\d?)+ splits a run of digits in exponentially many ways; the bound stops it and names the rule."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "slow.txt").write_text("1" * 60 + "!\n", "utf-8")
    (src / "good.txt").write_text(ARTICLE, "utf-8")
    started = time.monotonic()
    proc = cleaner("clean", str(src), "-o", str(tmp_path / "out"), "--timeout", "2", "--jobs", "1",
                   "--rules", str(rules_dir(tmp_path, r"^(\d\d?)+$")), timeout=120)
    assert time.monotonic() - started < 30
    assert proc.returncode == 1
    assert f"{src / 'slow.txt'}: took longer than --timeout 2 s (rule generic/slow was matching)" in proc.stderr
    assert (tmp_path / "out" / "good.txt").read_text("utf-8") == ARTICLE
    assert not (tmp_path / "out" / "slow.txt").exists()


def greedy_rules(tmp_path: Path):
    """The shipped rules and a generic rule that takes any line with 'the' in it: far too broad."""
    extra = ('[generic]\nid = "greedy"\n[[rule]]\nid = "the-lines"\nmatch = \'^.{0,300}\\bthe\\b.{0,300}$\'\n'
             'removes = ["the end"]\nkeeps = ["an end"]\n')
    return build_ruleset([(str(p), p.read_bytes()) for p in sorted(shipped_rules_dir().rglob("*.toml"))]
                         + [("greedy.toml", extra.encode())])


@pytest.mark.parametrize("content", CONTENT_MODES)
def test_the_guard_puts_back_what_generic_rules_would_take_from_most_of_a_document(tmp_path: Path,
                                                                                    content: str) -> None:
    """In every --content mode: the line model and the rules after it do not take back what the guard put back."""
    rules = greedy_rules(tmp_path)
    text = "\n\n".join(["Cafés Reopen Across Paris"] + [
        f"Paragraph {i} says the terraces are full again and the owners are glad of it." for i in range(8)]
        + ["Share this article"]) + "\n"
    options = Options(content=content)
    guarded = clean_text(text, rules, options=options)
    assert guarded.text == text.replace("\n\nShare this article", "")  # the share line still goes
    taken, base = 8 * 15 + 3, 4 + 8 * 15 + 3  # words of the eight paragraphs and the share line; of all
    assert guarded.record.guard == Guard(0.5, round(taken / base, 4), 8, {"generic/the-lines": 8})
    assert not [d for d in guarded.record.dropped if d.rule == "generic/the-lines"]  # the record says what the output is
    assert clean_text(guarded.text, rules, options=options).text == guarded.text  # and it decides the same again
    unguarded = clean_text(text, rules, options=Options(guard=None, content=content))
    assert unguarded.text == "Cafés Reopen Across Paris\n" and unguarded.record.guard is None
    short = "Title Here\n\nthe one line\n\nShare this article\n"  # too short to be worth guarding
    assert clean_text(short, rules, options=options).text == "Title Here\n"


def test_outputs_never_leave_outdir_through_a_link(tmp_path: Path) -> None:
    src, out, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "elsewhere"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "doc.txt").write_text(ARTICLE, "utf-8")
    (src / "top.txt").write_text(ARTICLE, "utf-8")
    elsewhere.mkdir()
    out.mkdir()
    (out / "sub").symlink_to(elsewhere)
    proc = cleaner("clean", str(src), "-o", str(out))
    assert proc.returncode == 1
    assert "leads out of the output directory" in proc.stderr
    assert list(elsewhere.iterdir()) == []
    assert (out / "top.txt").read_text("utf-8") == ARTICLE


def test_a_killed_runs_temporary_files_are_removed_by_the_next_run(tmp_path: Path) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    (src / "a.txt").write_text(ARTICLE, "utf-8")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = out / f".cleaner-tmp-{int(dead.stdout)}-a.txt"
    stale.write_text("half a fi", "utf-8")
    live = out / f".cleaner-tmp-{os.getppid()}-b.txt"  # a running process's: left alone
    live.write_text("in progress", "utf-8")
    assert cleaner("clean", str(src), "-o", str(out), "--quiet").returncode == 0
    assert not stale.exists() and live.exists()
    assert (out / "a.txt").read_text("utf-8") == ARTICLE


@pytest.mark.parametrize("size, ok", [("12M", True), ("500K", True), ("1000", True), ("0", False), ("12X", False)])
def test_max_bytes_sizes(size: str, ok: bool) -> None:
    from argparse import ArgumentTypeError

    from cleaner.cli.parser import size as _size

    if ok:
        assert _size(size) == {"12M": 12 << 20, "500K": 500 << 10, "1000": 1000}[size]
    else:
        with pytest.raises(ArgumentTypeError):
            _size(size)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds worker processes through /proc")
def test_a_worker_that_dies_fails_its_documents_and_the_run_ends(tmp_path: Path) -> None:
    """A worker killed mid-run (a crash, the OOM killer) must not hang the run: its documents fail, it ends."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    sources = sorted(SLICE.glob("text-*/*.txt"))
    for n in range(800):
        (corpus / f"doc{n:04d}.txt").write_bytes(sources[n % len(sources)].read_bytes())
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out), "--jobs", "2",
                             "--quiet"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(out.glob("*.meta.json")) and time.monotonic() < deadline:
        time.sleep(0.02)
    servers = [pid for pid in _children(proc.pid) if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    workers = [pid for server in servers for pid in _children(server)]
    assert workers, "no worker process found"
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "Traceback" not in err
    assert "worker process died" in err
    written = {p.stem for p in out.glob("*.txt")}
    failed = {Path(line.split(": worker process died")[0]).stem for line in err.splitlines() if "worker process died" in line}
    # every document is written or reported (one the dead worker had written but not yet reported is both:
    # its files are whole, and a rerun redoes it); nothing half-written is left
    assert 0 < len(written) < 800 and written | failed == {f"doc{n:04d}" for n in range(800)}
    assert not list(out.glob(".cleaner-tmp-*"))  # what the dead workers were writing is cleared away
    rerun = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out), "--jobs", "2",
                            "--quiet"], env=ENV, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0 and not list(out.glob(".cleaner-tmp-*")) and len(list(out.glob("*.txt"))) == 800
