"""Wall time of `cleaner check` on one seed file, as the pre-commit hook pays it on every commit.

usage: python bench/check_startup.py [RUNS]

Prints the median and spread of RUNS (default 21) fresh processes, with the
line model (the default) and with the rules alone (`--content rules`), run
in turn; and what loading langdetect's n-gram table costs each way: from its
55 JSON profiles (langdetect's own loader) and from the table shipped in
corpus-cleaner.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "samples" / "raw" / "001_9949106f77b81d0f.txt"


def wall(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def in_fresh_process(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    cleaner = shutil.which("cleaner") or str(Path(sys.executable).with_name("cleaner"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / ".git").mkdir()  # no configuration search beyond this folder
        shutil.copy(SEED, work / SEED.name)
        pairs = [(wall([cleaner, "check", SEED.name], work), wall([cleaner, "check", "--content", "rules", SEED.name], work))
                 for _ in range(runs)]
    stock = statistics.median(in_fresh_process(
        "import time; t = time.perf_counter(); "
        "from langdetect.detector_factory import init_factory; init_factory(); "
        "print(time.perf_counter() - t)") for _ in range(5))
    shipped = statistics.median(in_fresh_process(
        "import time; t = time.perf_counter(); "
        "from cleaner.text.language import factory; factory(); "
        "print(time.perf_counter() - t)") for _ in range(5))
    print(f"cleaner check {SEED.name}: {runs} runs each")
    for label, times in (("with the line model", sorted(m for m, _ in pairs)),
                         ("--content rules    ", sorted(r for _, r in pairs))):
        print(f"  {label}  median {statistics.median(times):.3f} s   min {times[0]:.3f} s   max {times[-1]:.3f} s")
    print("langdetect n-gram table, load in a fresh process (median of 5):")
    print(f"  langdetect's own profiles  {stock:.3f} s")
    print(f"  corpus-cleaner's table     {shipped:.3f} s")


if __name__ == "__main__":
    main()
