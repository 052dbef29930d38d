"""Compare two `cleaner clean` output trees: the check that a change to the code changed no output.

usage: python tools/compare_runs.py BEFORE AFTER [--ignore-version]

Every file must be in both trees with the same bytes, except that sidecars
(`*.meta.json`) are compared as JSON with `--ignore-version` leaving out the
`cleaner` version field, and the run manifest is compared line by line
without its `fresh` flag (a rerun's word for work it found done); the rerun
index (`.cleaner-index`, file stats) is left out. Prints one
line per difference and exits 1 if there is any.

To check a refactoring: run `cleaner clean` with the old code into BEFORE and
with the new code into AFTER, on the same inputs and options, then compare.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

MANIFEST = "manifest.jsonl"
INDEX = ".cleaner-index"  # file stats for reruns (inodes, times): not an output


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file() and p.name != INDEX}


def _sidecar(path: Path, ignore_version: bool) -> Any:
    data = json.loads(path.read_bytes())
    if ignore_version and isinstance(data, dict):
        data.pop("cleaner", None)
    return data


def _manifest(path: Path) -> list[Any]:
    rows = [json.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    for row in rows:
        row.pop("fresh", None)
    return rows


def differences(before: Path, after: Path, ignore_version: bool = False) -> list[str]:
    """One message per file that differs or is missing on one side."""
    old, new = _files(before), _files(after)
    found = [f"only in {before}: {name}" for name in sorted(old.keys() - new.keys())]
    found += [f"only in {after}: {name}" for name in sorted(new.keys() - old.keys())]
    for name in sorted(old.keys() & new.keys()):
        a, b = old[name], new[name]
        if name == MANIFEST or name.endswith("/" + MANIFEST):
            same = _manifest(a) == _manifest(b)
        elif name.endswith(".meta.json"):
            same = a.read_bytes() == b.read_bytes() or _sidecar(a, ignore_version) == _sidecar(b, ignore_version)
        else:
            same = a.read_bytes() == b.read_bytes()
        if not same:
            found.append(f"differs: {name}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore-version", action="store_true", help="leave the sidecars' `cleaner` field out")
    args = parser.parse_args(argv)
    found = differences(args.before, args.after, args.ignore_version)
    for line in found:
        print(line)
    print(f"{len(_files(args.before))} files compared: {len(found)} differences", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
