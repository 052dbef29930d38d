"""`cleaner report`: what a run removed, from its manifest and sidecars; and `cleaner check --diff`."""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from html import unescape
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.cli.inplace import unified_diff
from cleaner.record.sidecar import Sidecar

from .conftest import DEVSET, SEEDS_EXPECTED, SEEDS_RAW, SLICE, needs_devset, tree_bytes


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the slice's whole-page dumps cleaned with the line model, one input failing."""
    root = tmp_path_factory.mktemp("run")
    inputs = root / "in"
    shutil.copytree(SEEDS_RAW, inputs / "seeds")
    shutil.copytree(SLICE / "text-page", inputs / "pages")
    (inputs / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    assert main(["clean", str(inputs), "-o", str(root / "out"), "--quiet", "--jobs", "1", "--content", "model",
                 "--stats", str(root / "stats.json")]) == 1
    assert main(["report", str(root / "out"), "-o", str(root / "report"), "--sample", "3"]) == 0
    return root


def manifest(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "out" / "manifest.jsonl").read_text("utf-8").splitlines()]


def cell(html: str, cell_id: str) -> str:
    found = re.search(rf'id="{cell_id}">([^<]*)<', html)
    assert found, cell_id
    return found.group(1)


def test_overview_numbers_are_the_manifests(run: Path) -> None:
    index = (run / "report" / "index.html").read_text("utf-8")
    entries = manifest(run)
    written = [e for e in entries if e["status"] == "written"]
    assert cell(index, "o-documents-read") == f"{len(entries):,}"
    assert cell(index, "o-written") == f"{len(written):,}"
    assert cell(index, "o-failed") == "1"
    assert "broken.txt" in index.split('id="failures"')[1]
    assert cell(index, "o-characters-out") == f"{sum(e['chars'] for e in written):,}"
    stats = json.loads((run / "report" / "stats.json").read_text("utf-8"))
    assert stats["documents"] == len(entries)
    assert sum(stats["histogram"]["counts"]) == len(written)
    assert sum(g["documents"] for g in stats["langs"].values()) == len(written)


def test_every_rule_that_fired_is_listed_with_its_hits(run: Path) -> None:
    """The report's hits are --stats' hits, rule by rule, in the page and in stats.json."""
    said = json.loads((run / "stats.json").read_text("utf-8"))["hits"]
    index = (run / "report" / "index.html").read_text("utf-8")
    stats = json.loads((run / "report" / "stats.json").read_text("utf-8"))["rules"]
    assert "content/model" in said
    assert {rule: r["hits"] for rule, r in stats.items()} == said
    for rule, hits in said.items():
        row = re.search(rf'<tr data-rule="{re.escape(rule)}">(.*?)</tr>', index)
        assert row, rule
        assert re.search(rf'<td class="n" data-v="{hits}">', row.group(1)), rule


def test_sampled_document_pages_show_each_dropped_line_with_its_rule(run: Path) -> None:
    report = run / "report"
    index = (report / "index.html").read_text("utf-8")
    links = set(re.findall(r'href="(docs/[0-9a-f]{16}\.html)"', index))
    assert links and all((report / link).is_file() for link in links)
    assert len(list((report / "docs").glob("*.html"))) == len(links)  # a page for every link, no more
    by_key = {}
    for entry in manifest(run):
        if entry["status"] == "written":
            page = next((p for p in links if entry["input"] in unescape((report / p).read_text("utf-8"))), None)
            if page:
                by_key[page] = entry
    assert by_key.keys() == links
    model_scores = 0
    for link, entry in by_key.items():
        page = unescape((report / link).read_text("utf-8"))
        sidecar = Sidecar.read(run / "out" / entry["sidecar"])
        for d in sidecar.record.dropped:
            shown = re.search(rf'<div class="(dropped|lifted)" data-rule="{re.escape(d.rule)}"><span class="ln">{d.line}</span>'
                              rf'<del>(.*?)</del><span class="tag">([^<]*)</span>', page)
            assert shown and shown.group(2) == d.text, (link, d)
            if d.score is not None:
                assert shown.group(3) == f"{d.rule} {d.score:.2f}"
                model_scores += 1
        assert '<a id="back" href="../index.html">' in page
    assert model_scores


def test_a_rule_that_takes_prose_shows_its_longest_lines(tmp_path: Path) -> None:
    """A rule that drops whole paragraphs stands out: its longest dropped lines are on the index page."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "greedy.toml").write_text(
        '[site]\nid = "greedy"\nname = "Greedy"\nfingerprints = [\'\\(Sputnik\\) - \']\n\n'
        '[[rule]]\nid = "eats-prose"\nabout = "A rule that takes sentences"\nmatch = \'^The \'\nzone = "any"\n'
        'removes = ["The end came."]\nkeeps = ["Then it ended."]\n', "utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(SEEDS_RAW / "000_0b4a278651daa6fa.txt"), "-o", str(out), "--quiet",
                 "--rules", str(rules)]) == 0
    assert main(["report", str(out), "-o", str(tmp_path / "r")]) == 0
    index = unescape((tmp_path / "r" / "index.html").read_text("utf-8"))
    row = re.search(r'<tr data-rule="greedy/eats-prose">(.*?)</tr>', index, re.S)
    assert row and "The CSTO Secretariat stated on Wednesday" in row.group(1)


def test_the_report_is_the_same_bytes_from_the_same_run(run: Path, tmp_path: Path) -> None:
    assert main(["report", str(run / "out"), "-o", str(tmp_path / "again"), "--sample", "3"]) == 0
    assert tree_bytes(tmp_path / "again") == tree_bytes(run / "report")


def test_the_sample_size_bounds_the_document_pages(run: Path, tmp_path: Path) -> None:
    assert main(["report", str(run / "out"), "-o", str(tmp_path / "one"), "--sample", "1"]) == 0
    rules = json.loads((run / "report" / "stats.json").read_text("utf-8"))["rules"]
    pages = len(list((tmp_path / "one" / "docs").glob("*.html")))
    assert pages <= len(rules) + 20 and pages < len(list((run / "report" / "docs").glob("*.html")))


def test_a_directory_that_is_no_run_is_one_line_of_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no manifest.jsonl" in err
    assert list(tmp_path.iterdir()) == []


def test_check_diff_shows_the_chrome_of_each_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    seeds = sorted(SEEDS_RAW.glob("*.txt"))
    assert main(["check", "--diff", *map(str, seeds)]) == 1
    out = capsys.readouterr().out
    assert "\x1b[" not in out  # not a terminal: no colour
    for seed in seeds:
        assert f"--- a/{seed}\n+++ b/{seed}\n" in out
        part = out.split(f"--- a/{seed}\n")[1].split("\n--- a/")[0]
        removed = {line[1:] for line in part.splitlines() if line.startswith("-") and not line.startswith("---")}
        added = [line[1:] for line in part.splitlines() if line.startswith("+") and not line.startswith("+++")]
        assert main(["explain", "--format", "json", str(seed)]) == 0
        fates = json.loads(capsys.readouterr().out)["lines"]
        dropped = {f["text"] for f in fates if f["fate"] in ("dropped", "lifted")}
        assert dropped and dropped <= {line.strip() for line in removed}
        assert all(line.strip() == "" or line in (f["text"] for f in fates) for line in added)


def test_check_diff_on_clean_files_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    assert main(["check", "--diff", *map(str, sorted(SEEDS_EXPECTED.glob("*.txt")))]) == 0
    assert capsys.readouterr().out == ""


def test_diff_colour_marks_removed_and_added_lines() -> None:
    coloured = unified_diff("a\nchrome\nb\n", "a\n\nb\n", "x.txt", colour=True)
    assert "\x1b[31m-chrome\x1b[0m" in coloured and "\x1b[32m+\x1b[0m" in coloured
    assert "--- a/x.txt" in coloured and "\x1b[" not in unified_diff("a\nchrome\n", "a\n", "x.txt", colour=False)


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner.cli import common

    class Terminal:
        @staticmethod
        def isatty() -> bool:
            return True

    monkeypatch.setattr(common.sys, "stdout", Terminal())
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert common.colour_wanted()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not common.colour_wanted()


# ---------------------------------------------------------------- in a real browser

def chromium() -> str:
    """Debian's headless Chromium; .ci/run installs it, so under CI its absence fails the test."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but chromium is not installed: the report cannot be tested in a browser")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def browse(page: Path, *args: str) -> tuple[str, list[str]]:
    """Load `page` from disk in headless Chromium: what it prints (the DOM after scripts ran, unless
    --screenshot), and the console messages it logged."""
    done = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--enable-logging=stderr", "--v=0", f"--user-data-dir={page.parent / '.chromium'}",
                           *args, page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout, [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the 8-bit RGB(A) pixels of a PNG (as Chromium writes them), unfiltered."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + size]
        header = chunk if kind == b"IHDR" else header
        idat += chunk if kind == b"IDAT" else b""
        pos += size + 12
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    pixels = b"".join(rows)
    return width, height, pixels if bpp == 3 else bytes(v for k, v in enumerate(pixels) if k % 4 != 3)


def test_the_report_renders_in_chromium(run: Path, tmp_path: Path) -> None:
    report = run / "report"
    dom, console = browse(report / "index.html", "--dump-dom")
    assert console == []
    assert 'data-ready="1"' in dom and "data-errors" not in dom  # the script ran to its end, nothing threw
    entries = manifest(run)
    assert cell(dom, "o-documents-read") == f"{len(entries):,}"
    assert '<svg id="histogram"' in dom and dom.count("<rect") == 20
    # a rule's sample link opens its document page, which shows that rule's dropped lines
    row = re.search(r'<tr data-rule="content/model">(.*?)</tr>', dom, re.S)
    assert row
    link = re.search(r'<a class="sample" href="(docs/[0-9a-f]+\.html)"', row.group(1))
    assert link
    page, console = browse(report / link.group(1), "--dump-dom")
    assert console == [] and 'data-ready="1"' in page
    assert re.search(r'<div class="dropped" data-rule="content/model"><span class="ln">\d+</span><del>', page)
    assert '<a id="back" href="../index.html">' in page
    # and it is not a blank page
    shot = tmp_path / "index.png"
    browse(report / "index.html", f"--screenshot={shot}", "--window-size=1200,900")
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (1200, 900)
    colours = [pixels[k:k + 3] for k in range(0, len(pixels), 3)]
    assert len(set(colours)) > 20  # text, table lines, the histogram's bars
    assert colours.count(b"\xff\xff\xff") < 0.97 * len(colours)


@needs_devset
@pytest.mark.slow
def test_a_report_on_the_whole_devset_renders_every_rule_and_its_documents(tmp_path: Path) -> None:
    """The issue's must-show: every rule that fired on the devset's whole-page dumps is listed with its hits,
    the page loads in Chromium with no console message, and every document page shows its dropped lines."""
    out, report = tmp_path / "out", tmp_path / "report"
    assert main(["clean", str(DEVSET / "text-page"), "-o", str(out), "--quiet", "--stats", str(tmp_path / "s.json")]) == 0
    assert main(["report", str(out), "-o", str(report)]) == 0
    dom, console = browse(report / "index.html", "--dump-dom")
    assert console == [] and 'data-ready="1"' in dom and "data-errors" not in dom
    for rule, hits in json.loads((tmp_path / "s.json").read_text("utf-8"))["hits"].items():
        assert re.search(rf'<tr data-rule="{re.escape(rule)}"><td class="mono">[^<]*</td><td class="n" data-v="{hits}">', dom), rule
    sidecars = {e["input"]: e["sidecar"] for e in manifest(tmp_path)}
    for page in sorted((report / "docs").glob("*.html")):
        html = page.read_text("utf-8")
        source = re.search(r"<th>input</th><td>([^<]*)</td>", html)
        assert source, page
        sidecar = Sidecar.read(out / sidecars[unescape(source.group(1))])
        assert html.count("<del>") == len(sidecar.record.dropped), page
