"""Throughput and memory of batch cleaning, against the floor of what any cleaner must do.

usage: python bench/throughput.py [--docs 20000] [--small 2000] [--keep DIR]

Each run is a fresh process tree; peak RSS is the largest sum of the resident
memory of the process and its children, sampled every 20 ms. Runs:

  floor (langdetect's detector)  read, ftfy, langdetect as published, write: one process
  floor (fast detector)          the same with corpus-cleaner's detector (same answers, faster)
  clean --jobs 1 / --jobs 2      the whole cleaner: decode, repair, rules, language, sidecars
  --content model                the same, with the line model after the rules on every document
  --jobs 1, 1,000 site files     1,000 extra site files (fingerprints that never match, three rules each)
  --jobs 1, 1,000 learned files  1,000 files as `cleaner learn` writes them (three fingerprints, 30 rules each)
  learn from the --jobs 2 run    `cleaner learn OUTDIR`: the learning pass alone, reading a finished run
  clean --jobs 2 --learn         both passes and the learning between them
  rerun, nothing changed         --jobs 2 again into the same output: incremental skips
  --jobs 2 on the first N docs   memory on a tenth of the corpus: it should not grow with the corpus
  learn from N docs (--learn-scale N)  the learning pass on a run of N documents, for memory against the above
  WARC rows (--warc N)           a WARC of N HTML responses: trafilatura's extract alone (read with warcio,
                                 include_comments=False) against `cleaner clean X.warc.gz --jobs 1`

Then the everyday costs, each a ratio of runs made in turn on the same inputs
(so that a busy machine slows both sides alike), median of --pairs pairs:

  the line model       `--content model` against `--content rules`, --jobs 1, the first --small docs
  an unchanged rerun   `clean --jobs 2` into the same OUTDIR again, against the first run (--force)
  the WARC pipeline    `cleaner clean X.warc.gz --jobs 1` against trafilatura's extract alone

`--only costs` runs these alone.

docs/throughput.md carries the latest table.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make, make_warc  # noqa: E402

FLOOR = r"""
import sys
from pathlib import Path
import ftfy
src, dst, fast = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "fast"
config = ftfy.TextFixerConfig(uncurl_quotes=False)
if fast:
    from cleaner.text.language import detect
else:
    from langdetect import DetectorFactory, detect_langs
    DetectorFactory.seed = 0
    def detect(text):
        try:
            return detect_langs(text)[0].lang
        except Exception:
            return "und"
for path in sorted(src.rglob("*.txt")):
    text = ftfy.fix_text(path.read_bytes().decode("utf-8"), config)
    lang = detect(text)
    out = dst / path.relative_to(src)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, "utf-8")
"""
EXTRACT_ALONE = r"""
import sys
from warcio.archiveiterator import ArchiveIterator
from trafilatura import extract
with open(sys.argv[1], "rb") as fh:
    for record in ArchiveIterator(fh):
        if record.rec_type == "response":
            extract(record.content_stream().read(), include_comments=False)
"""


def tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(l for l in status.splitlines() if l.startswith("VmRSS:")).split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measure(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak tree RSS of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.02)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return time.perf_counter() - start, peak


def site_files(folder: Path, count: int = 1000) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rules = "".join(f'[[rule]]\nid = "r{j}"\nmatch = \'^Zq{i}x{j} chrome$\'\nremoves = ["Zq{i}x{j} chrome"]\n'
                        f'keeps = ["text"]\n' for j in range(3))
        (folder / f"site{i:04d}.toml").write_text(
            f'[site]\nid = "bench-{i}"\nfingerprints = [\'^Zq{i} Portal Zq{i}$\']\n{rules}', "utf-8")
    return folder


def learned_files(folder: Path, count: int = 1000, rules: int = 30) -> Path:
    """Site files shaped like the ones `cleaner learn` writes, for sites the corpus does not hold."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        lines = [f"Zq{i} menu item {j}" for j in range(rules)]
        table = "".join(f'[[rule]]\nid = "r{j}"\nmatch = \'^{line}$\'\nremoves = ["{line}"]\nkeeps = ["Zq{i} menu"]\n'
                        for j, line in enumerate(lines))
        fingerprints = ", ".join(f"'^{line}$'" for line in lines[:3])
        (folder / f"text-site{i:04d}.toml").write_text(
            f'[learned]\nsite = "text-site{i:04d}"\nfingerprints = [{fingerprints}]\n{table}', "utf-8")
    return folder


def paired(first: list[str], second: list[str], pairs: int) -> list[tuple[float, float]]:
    """Wall seconds of two commands run in turn, `pairs` times."""
    return [(measure(first)[0], measure(second)[0]) for _ in range(pairs)]


def costs(args: argparse.Namespace, work: Path, corpus: Path, small: Path, clean: list[str]) -> None:
    """The everyday costs: each the median of paired ratios."""
    def report(label: str, times: list[tuple[float, float]], shown: Callable[[float], str]) -> None:
        ratio = statistics.median(b / a for a, b in times)
        each = ", ".join(f"{a:.1f} s then {b:.1f} s" for a, b in times)
        print(f"{label}: {shown(ratio)} (median of {len(times)} pairs: {each})", flush=True)

    print()
    one = [*clean, str(small), "--jobs", "1", "--force"]
    report("the line model over the rules alone",
           paired([*one, "-o", str(work / "cost-rules"), "--content", "rules"],
                  [*one, "-o", str(work / "cost-model"), "--content", "model"], args.pairs), lambda r: f"{r - 1:+.0%}")
    target = str(work / "cost-rerun")
    rerun = [*clean, str(corpus), "-o", target, "--jobs", "2"]
    report(f"an unchanged rerun of {args.docs:,} docs against the first run",
           paired([*rerun, "--force"], rerun, args.pairs), lambda r: f"1/{1 / r:.0f}")
    if args.warc:
        warc = work / "crawl.warc.gz"
        if not warc.is_file():
            make_warc(warc, args.warc)
        report(f"the WARC pipeline against trafilatura's extract alone ({args.warc:,} records)",
               paired([sys.executable, "-c", EXTRACT_ALONE, str(warc)],
                      [*clean, str(warc), "-o", str(work / "cost-warc"), "--jobs", "1", "--force"], args.pairs),
               lambda r: f"{r:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--warc", type=int, default=1000, help="HTML response records in the WARC rows (0: none)")
    parser.add_argument("--only", choices=("text", "warc", "costs"), default=None, help="run only these rows")
    parser.add_argument("--pairs", type=int, default=3, help="paired runs for each of the everyday costs")
    parser.add_argument("--learn-scale", type=int, default=0, metavar="N",
                        help="also learn from a run of N documents (memory against the --docs corpus)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="cleaner-bench-"))
    corpus = work / "corpus"
    if not corpus.is_dir():
        make(corpus, args.docs)
    small = work / "small"
    if not small.is_dir():
        make(small, args.small)
    megabytes = sum(p.stat().st_size for p in corpus.rglob("*.txt")) / 1e6
    extra = site_files(work / "extra-rules")
    learned = learned_files(work / "learned-rules")
    clean = [sys.executable, "-m", "cleaner", "clean", "--quiet"]
    runs = [
        ("floor (langdetect's detector)", [sys.executable, "-c", FLOOR, str(corpus), str(work / "floor-a"), "stock"],
         args.docs),
        ("floor (fast detector)", [sys.executable, "-c", FLOOR, str(corpus), str(work / "floor-b"), "fast"], args.docs),
        ("clean --jobs 1", [*clean, str(corpus), "-o", str(work / "out1"), "--jobs", "1", "--force"], args.docs),
        ("clean --jobs 1 --content model", [*clean, str(corpus), "-o", str(work / "out5"), "--jobs", "1", "--force",
                                            "--content", "model"], args.docs),
        ("clean --jobs 2", [*clean, str(corpus), "-o", str(work / "out2"), "--jobs", "2", "--force"], args.docs),
        ("clean --jobs 1, 1,000 site files",
         [*clean, str(corpus), "-o", str(work / "out3"), "--jobs", "1", "--rules", str(extra), "--force"], args.docs),
        ("clean --jobs 1, 1,000 learned files",
         [*clean, str(corpus), "-o", str(work / "out7"), "--jobs", "1", "--rules", str(learned), "--force"], args.docs),
        ("rerun --jobs 2, nothing changed", [*clean, str(corpus), "-o", str(work / "out2"), "--jobs", "2"], args.docs),
        ("learn from the --jobs 2 run", [sys.executable, "-m", "cleaner", "learn", str(work / "out2"), "-o",
                                         str(work / "learned-a"), "--quiet"], args.docs),
        ("clean --jobs 2 --learn", [*clean, str(corpus), "-o", str(work / "out6"), "--jobs", "2", "--learn",
                                    "--force"], args.docs),
        (f"clean --jobs 2, first {args.small} docs", [*clean, str(small), "-o", str(work / "out4"), "--jobs", "2",
                                                      "--force"], args.small),
    ]
    if args.learn_scale:
        scaled = work / "scaled"
        if not scaled.is_dir():
            make(scaled, args.learn_scale)
        runs += [(f"clean --jobs 2, {args.learn_scale} docs", [*clean, str(scaled), "-o", str(work / "out-scaled"),
                                                               "--jobs", "2"], args.learn_scale),
                 (f"learn from the run of {args.learn_scale} docs",
                  [sys.executable, "-m", "cleaner", "learn", str(work / "out-scaled"), "-o", str(work / "learned-b"),
                   "--quiet"], args.learn_scale)]
    if args.only in ("warc", "costs"):
        runs = []
    print(f"corpus: {args.docs} documents, {megabytes:.1f} MB; {os.cpu_count()} cores\n")
    print("| run | seconds | docs/s | MB/s | peak RSS |")
    print("|---|---|---|---|---|")
    for label, cmd, docs in runs:
        seconds, peak = measure(cmd)
        size = megabytes * docs / args.docs
        print(f"| {label} | {seconds:.1f} | {docs / seconds:.0f} | {size / seconds:.2f} | {peak / 2**20:.0f} MB |",
              flush=True)
    if args.warc and args.only not in ("text", "costs"):
        warc = work / "crawl.warc.gz"
        payload = make_warc(warc, args.warc) / 1e6
        timed = {}
        for label, cmd in ((f"trafilatura extract alone, {args.warc:,} WARC payloads",
                            [sys.executable, "-c", EXTRACT_ALONE, str(warc)]),
                           (f"clean crawl.warc.gz --jobs 1 ({args.warc:,} HTML records)",
                            [*clean, str(warc), "-o", str(work / "out-warc"), "--jobs", "1", "--force"])):
            seconds, peak = measure(cmd)
            timed[label] = seconds
            print(f"| {label} | {seconds:.1f} | {args.warc / seconds:.0f} | {payload / seconds:.2f} | "
                  f"{peak / 2**20:.0f} MB |", flush=True)
        alone, whole = timed.values()
        print(f"\nthe WARC pipeline takes {whole / alone:.2f}x trafilatura's extract alone on the same payloads")
    if args.only in (None, "costs"):
        costs(args, work, corpus, small, clean)
    if not args.keep:
        import shutil

        shutil.rmtree(work)


if __name__ == "__main__":
    main()
