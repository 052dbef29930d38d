"""Time and size of `cleaner report` on a big run: its cost must not grow with every document.

usage: python bench/report.py [--docs 20000] [--run OUTDIR] [--sample 5]

Makes the benchmark corpus (bench/make_corpus.py), cleans it with two jobs
(or takes an earlier run's OUTDIR with --run), then times `cleaner report`
as a whole process and prints its wall time, the report's size and its
number of document pages. The issue asks for under 60 s and under 50 MB at
20,000 documents.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--run", type=Path, default=None, help="report on this run instead of making one")
    parser.add_argument("--sample", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run = args.run
        if run is None:
            make(Path(tmp, "corpus"), args.docs)
            run = Path(tmp, "out")
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "cleaner", "clean", str(Path(tmp, "corpus")), "-o", str(run),
                            "--jobs", "2", "--quiet"], check=True)
            print(f"cleaned {args.docs:,} documents in {time.perf_counter() - started:.0f} s (--jobs 2)")
        report = Path(tmp, "report")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cleaner", "report", str(run), "-o", str(report),
                        "--sample", str(args.sample)], check=True, stdout=subprocess.DEVNULL)
        took = time.perf_counter() - started
        files = [p for p in report.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        documents = sum(1 for _ in (run / "manifest.jsonl").open("rb"))
        print(f"report on {documents:,} documents: {took:.1f} s, {size / 1e6:.1f} MB in {len(files)} files "
              f"({len(list((report / 'docs').glob('*.html')))} document pages, --sample {args.sample})")


if __name__ == "__main__":
    main()
