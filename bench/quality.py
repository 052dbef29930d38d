"""Quality on the devset: how much article text survives and how much boilerplate goes.

usage: python bench/quality.py [--devset DIR] [--devsites DIR] [--jobs N] [--only devset|devsites]

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

On ../shared/devsites (several pages per site, a gold text per page, scored
by its score.py: shingle F1 and the share of gold words lost), each input
kind is cleaned with --content rules and model, each with and without
--learn (the site files learned from the same folder in the same run; the
folder's names carry no site, so text dumps are grouped from their lines),
plus: the pages as JSONL records with their URL, and the growing corpus
(learned from the first half of each site's pages, applied to the rest,
scored on the rest beside --learn on everything scored on the same pages).
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
SITES_LINE = re.compile(r"F1 ([\d.]+)\s+P ([\d.]+)\s+R ([\d.]+)\s+gold words lost ([\d.]+)")
KINDS = (("text-page", "*.txt"), ("text-recall", "*.txt"), ("html", "*.html.gz"))


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


def site_score(devsites: Path, outputs: Path, ids: Path | None = None) -> tuple[float, float]:
    """(F1, gold words lost) from devsites' score.py."""
    cmd = [sys.executable, str(devsites / "score.py"), str(outputs), *(["--ids", str(ids)] if ids else [])]
    found = SITES_LINE.search(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    if not found:
        raise SystemExit(f"score.py gave no totals for {outputs}")
    return float(found.group(1)), float(found.group(4))


def devsites_rows(devsites: Path, work: Path, jobs: int) -> list[tuple[str, str, float, float, str]]:
    import json
    import shutil

    rows = []
    common = ["--title", "drop", "--jobs", str(jobs)]
    pages = [json.loads(line) for line in (devsites / "pages.jsonl").read_text("utf-8").split("\n") if line]
    for kind, glob in KINDS:
        for content in ("rules", "model"):
            for learn in ([], ["--learn"]):
                out = work / f"sites-{kind}-{content}-{len(learn)}"
                seconds = run_cleaner([str(devsites / kind), "--glob", glob, "-o", str(out), "--content", content,
                                       *learn, *common])
                f1, lost = site_score(devsites, out)
                label = f"--content {content}" + (" --learn" if learn else "")
                rows.append((kind, label, f1, lost, f"{seconds:.1f} s"))
    shard = work / "records" / "pages.jsonl"
    shard.parent.mkdir()
    with shard.open("w", encoding="utf-8") as records:
        for p in pages:
            text = (devsites / "text-page" / f"{p['id']}.txt").read_text("utf-8")
            records.write(json.dumps({"id": p["id"], "url": p["url"] or f"http://{p['site']}/", "text": text}) + "\n")
    out = work / "sites-records"
    seconds = run_cleaner([str(shard), "-o", str(out), "--content", "model", "--learn", *common])
    split = work / "sites-records-split"
    split.mkdir()
    with (out / "pages.jsonl").open(encoding="utf-8") as records:
        for line in records:
            record = json.loads(line)
            (split / f"{record['id']}.txt").write_text(record["text"], "utf-8")
    f1, lost = site_score(devsites, split)
    rows.append(("text-page as JSONL with url", "--content model --learn", f1, lost, f"{seconds:.1f} s"))
    by_site: dict[str, list[str]] = {}
    for p in pages:
        by_site.setdefault(p["site"], []).append(p["id"])
    first = {i for ids in by_site.values() for i in sorted(ids)[: len(ids) // 2]}
    rest = work / "rest.ids"
    rest.write_text("\n".join(sorted(p["id"] for p in pages if p["id"] not in first)) + "\n")
    for kind, glob in KINDS:
        suffix = glob[1:]
        halves = {"first": work / f"{kind}-first", "rest": work / f"{kind}-rest"}
        for half in halves.values():
            half.mkdir()
        for p in pages:
            shutil.copy(devsites / kind / f"{p['id']}{suffix}", halves["first" if p["id"] in first else "rest"])
        learned = work / f"{kind}-learned-half"
        subprocess.run([sys.executable, "-m", "cleaner", "learn", str(halves["first"]), "--glob", glob, "-o",
                        str(learned), "--content", "model", "--title", "drop", "--jobs", str(jobs), "--quiet"],
                       check=True)
        out = work / f"{kind}-rest-out"
        seconds = run_cleaner([str(halves["rest"]), "--glob", glob, "-o", str(out), "--content", "model",
                               "--rules", str(learned), *common])
        f1, lost = site_score(devsites, out, rest)
        whole = site_score(devsites, work / f"sites-{kind}-model-1", rest)
        rows.append((kind, f"learned from the first half, on the rest (--learn on all: {whole[0]:.4f} / {whole[1]:.4f})",
                     f1, lost, f"{seconds:.1f} s"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=REPO.parent / "shared" / "devset")
    parser.add_argument("--devsites", type=Path, default=REPO.parent / "shared" / "devsites")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", choices=("devset", "devsites"), default=None)
    args = parser.parse_args()
    devset = args.devset
    if args.only != "devset":
        with tempfile.TemporaryDirectory() as tmp:
            site_rows = devsites_rows(args.devsites, Path(tmp), args.jobs)
        print(f"devsites: {args.devsites}, --jobs {args.jobs}\n")
        print("| input | run | F1 | gold words lost | time |")
        print("|---|---|---|---|---|")
        for kind, label, f1, lost, seconds in site_rows:
            print(f"| {kind} | {label} | {f1:.4f} | {lost:.4f} | {seconds} |")
        print(flush=True)
        if args.only == "devsites":
            return
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
