"""Does the headline survive cleaning? On devsites, whose pages.jsonl holds each page's headline.

usage: python bench/headlines.py [--devsites DIR] [--kind text-page|text-recall] [--jobs N] [--out DIR]
                                 [--reuse] [-- CLEAN OPTIONS...]

Cleans DIR/<kind> with default options (and any given after --) into --out,
then counts, among the pages whose input holds the headline as a line (white
space folded), those whose output keeps it as a paragraph, and those whose
sidecar's `title` is it. Prints one Markdown table row.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def folded(text: str) -> str:
    return " ".join(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devsites", type=Path, default=REPO.parent / "shared" / "devsites")
    parser.add_argument("--kind", default="text-page", choices=("text-page", "text-recall"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="read the run already in --out")
    parser.add_argument("clean", nargs="*", help="more options for cleaner clean (after --)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="headlines-")) / "out"
    if not args.reuse:
        subprocess.run([sys.executable, "-m", "cleaner", "clean", str(args.devsites / args.kind), "-o", str(out),
                        "--jobs", str(args.jobs), "--quiet", *args.clean], check=True)
    rows = (args.devsites / "pages.jsonl").read_text("utf-8").split("\n")  # not splitlines: U+2028 is in texts
    held = kept = titled = 0
    for page in map(json.loads, filter(None, rows)):
        headline = folded(page["headline"] or "")
        source = args.devsites / args.kind / f"{page['id']}.txt"
        if not headline or headline not in {folded(line) for line in source.read_text("utf-8").splitlines()}:
            continue
        held += 1
        output = out / f"{page['id']}.txt"
        paragraphs = {folded(p) for p in output.read_text("utf-8").split("\n\n")} if output.is_file() else set()
        kept += headline in paragraphs
        sidecar = json.loads((out / f"{page['id']}.meta.json").read_text("utf-8"))
        titled += folded(sidecar["title"] or "") == headline
    print(f"| {args.kind} {' '.join(args.clean)} | held {held} | kept {kept} ({kept / max(held, 1):.1%}) | "
          f"sidecar title {titled} ({titled / max(held, 1):.1%}) |")
    print(f"(run in {out})", file=sys.stderr)


if __name__ == "__main__":
    main()
