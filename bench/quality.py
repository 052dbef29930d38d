"""Quality on the devset: how much article text survives and how much boilerplate goes.

usage: python bench/quality.py [--devset DIR] [--jobs N]

Runs `cleaner clean` on ../shared/devset in three modes and scores each with
the devset's own score.py, beside baselines computed in the same run:

  text-recall  article text with leftover chrome (the main case), scored against itself
  text-page    the whole page as text, scored against itself
  html         the HTML pages (--glob '*.html.gz'), scored against text-page

corpus-cleaner runs with each --content mode (rules, model, auto). The
model's figures here are on the pages it was trained on: the cross-validated
ones (each page scored by a model that did not see it) come from
`python tools/train_line_model.py`.

Baselines: no cleaning (the input as it is), and trafilatura alone on the
HTML (the installed version; its defaults, and with include_comments=False,
which is what corpus-cleaner uses). Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTENT = ("rules", "model", "auto")
SCORE_LINE = re.compile(r"kept ([\d.]+) \((\d+)/(\d+)\)\s+removed ([\d.]+) \((\d+)/(\d+)\)")


def score(devset: Path, inputs: Path, outputs: Path) -> tuple[float, float]:
    out = subprocess.run([sys.executable, str(devset / "score.py"), str(inputs), str(outputs), "--show", "0"],
                         capture_output=True, text=True, check=True).stdout
    found = SCORE_LINE.search(out)
    if not found:
        raise SystemExit(f"score.py said: {out!r}")
    return float(found.group(1)), float(found.group(4))


def run_cleaner(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cleaner", "clean", *args, "--quiet"], check=True)
    return time.perf_counter() - start


def _trafilatura_one(job: tuple[Path, Path, bool]) -> None:
    from trafilatura import extract

    page, out, include_comments = job
    text = extract(gzip.decompress(page.read_bytes()), include_comments=include_comments) or ""
    out.write_text(text + "\n", encoding="utf-8")


def run_trafilatura(html: Path, out: Path, include_comments: bool, jobs: int) -> float:
    out.mkdir(parents=True)
    pages = sorted(html.glob("*.html.gz"))
    start = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_trafilatura_one, [(p, out / (p.name[: -len(".html.gz")] + ".txt"), include_comments)
                                         for p in pages], chunksize=16))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=REPO.parent / "shared" / "devset")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    devset = args.devset
    import trafilatura

    rows: list[tuple[str, str, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for mode in ("text-recall", "text-page"):
            kept, removed = score(devset, devset / mode, devset / mode)
            rows.append((mode, "no cleaning", kept, removed, ""))
            for content in CONTENT:
                out = work / f"{mode}-{content}"
                seconds = run_cleaner([str(devset / mode), "-o", str(out), "--jobs", str(args.jobs), "--content", content])
                kept, removed = score(devset, devset / mode, out)
                rows.append((mode, f"corpus-cleaner --content {content}", kept, removed, f"{seconds:.1f} s"))
        page = devset / "text-page"
        for label, comments in ((f"trafilatura {trafilatura.__version__}, defaults", True),
                                (f"trafilatura {trafilatura.__version__}, include_comments=False", False)):
            out = work / f"trafilatura-{comments}"
            seconds = run_trafilatura(devset / "html", out, comments, args.jobs)
            kept, removed = score(devset, page, out)
            rows.append(("html", label, kept, removed, f"{seconds:.1f} s"))
        for content in CONTENT:
            out = work / f"html-{content}"
            seconds = run_cleaner([str(devset / "html"), "--glob", "*.html.gz", "-o", str(out),
                                   "--jobs", str(args.jobs), "--content", content])
            kept, removed = score(devset, page, out)
            rows.append(("html", f"corpus-cleaner --content {content}", kept, removed, f"{seconds:.1f} s"))

    print(f"devset: {devset} ({len(list((devset / 'html').glob('*.html.gz')))} pages), --jobs {args.jobs}\n")
    print("| mode | run | kept | removed | time |")
    print("|---|---|---|---|---|")
    for mode, label, kept, removed, seconds in rows:
        print(f"| {mode} | {label} | {kept:.4f} | {removed:.4f} | {seconds} |")


if __name__ == "__main__":
    main()
