"""How much article do the generic rules take? On devsites, against each page's gold article.

usage: python bench/generic_loss.py OUTDIR [--devsites DIR] [--by-rule]

Reads a `cleaner clean` run of devsites pages (OUTDIR/<id>.meta.json) and
counts the gold article's 4-token shingles (as devsites' score.py makes them)
that the lines dropped by generic rules carry, as a share of all gold
shingles; with --by-rule, per rule, most first.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+")


def shingles(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return {tuple(words[i:i + 4]) for i in range(max(1, len(words) - 3))} if words else set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--devsites", type=Path, default=REPO.parent / "shared" / "devsites")
    parser.add_argument("--by-rule", action="store_true")
    args = parser.parse_args()
    rows = (args.devsites / "pages.jsonl").read_text("utf-8").split("\n")  # not splitlines: U+2028 is in texts
    total, taken = 0, Counter[str]()
    for page in map(json.loads, filter(None, rows)):
        gold = shingles(page["gold"])
        total += len(gold)
        meta = args.out / f"{page['id']}.meta.json"
        if not meta.is_file():
            continue
        for dropped in json.loads(meta.read_text("utf-8"))["dropped"]:
            if dropped["rule"].startswith("generic/"):
                taken[dropped["rule"]] += len(shingles(dropped["text"]) & gold)
    print(f"| {args.out.name} | gold shingles {total} | taken by generic rules {sum(taken.values())} "
          f"({sum(taken.values()) / max(total, 1):.2%}) |")
    if args.by_rule:
        for rule, n in taken.most_common(15):
            print(f"  {rule:<40} {n}")


if __name__ == "__main__":
    main()
