"""The `cleaner` command line: a thin shell over the batch runner and the core."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Strip site chrome from scraped article text, repair its encoding, "
        "and write normalized text with a JSON sidecar per document.",
    )
    parser.add_argument("--version", action="version", version=f"corpus-cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    clean = sub.add_parser("clean", help="clean files and directories into an output directory",
                           description="Clean INPUT files and directories into OUTDIR, mirroring each "
                           "directory's tree: a/b.txt becomes OUTDIR/a/b.txt and OUTDIR/a/b.meta.json.")
    clean.add_argument("inputs", nargs="+", metavar="INPUT", help="a file, or a directory searched recursively")
    clean.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="where cleaned texts and sidecars go")
    clean.add_argument("--glob", default="*.txt", metavar="PATTERN",
                       help="file names to take from input directories (default: *.txt)")
    clean.add_argument("--rules", action="append", default=[], metavar="DIR",
                       help="also load the rule files below DIR (repeatable)")
    clean.add_argument("--title", choices=("keep", "drop"), default="keep",
                       help="keep the headline as the first paragraph, or move it to the sidecar only")
    clean.add_argument("--jobs", type=_positive, default=None, metavar="N",
                       help="worker processes (default: all cores)")
    clean.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    return parser


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return n


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return int(exc.code or 0)
    try:
        return _clean(args)
    except KeyboardInterrupt:
        print("cleaner: interrupted; outputs written so far are complete", file=sys.stderr)
        return 130


def _clean(args: argparse.Namespace) -> int:
    from .batch import UsageError, default_processes, plan, progress_enabled, run
    from .rules import RuleError

    try:
        jobs = plan(args.inputs, args.output, args.glob)
    except UsageError as exc:
        print(f"cleaner: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from tqdm import tqdm

    bar = tqdm(total=len(jobs), unit="doc", disable=not progress_enabled(args.quiet), file=sys.stderr)
    try:
        summary = run(jobs, args.rules, title=args.title, processes=args.jobs or default_processes(),
                      on_report=lambda report: bar.update())
    except RuleError as exc:
        bar.close()
        print(f"cleaner: rule error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    bar.close()
    for path, reason in sorted(summary.failures):
        print(f"{path}: {reason}", file=sys.stderr)
    if not args.quiet:
        print(f"read {summary.read}, written {summary.written}, failed {len(summary.failures)}", file=sys.stderr)
        if summary.dropped:
            print("lines dropped per rule:", file=sys.stderr)
            width = max(map(len, summary.dropped))
            for rule, n in sorted(summary.dropped.items(), key=lambda kv: (-kv[1], kv[0])):
                print(f"  {rule:<{width}}  {n}", file=sys.stderr)
    return EXIT_FAILED if summary.failures else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
