"""`cleaner report`: a run's review report, written from its manifest and sidecars."""
from __future__ import annotations

import argparse
import sys

from cleaner.cli.common import EXIT_OK, writable


def report(args: argparse.Namespace) -> int:
    from cleaner.batch.manifest import check_run
    from cleaner.review.report import write_report

    check_run(args.run)  # what to read, before where to write
    dest = writable(args.output if args.output is not None else args.run / "report", folder=True)
    run = write_report(args.run, dest, args.sample)
    pages = len(run.docs)
    print(f"report: {dest / 'index.html'} ({run.documents:,} documents, {len(run.rules)} rules, "
          f"{pages} document pages)")
    for sidecar, reason in run.unreadable:
        print(f"{sidecar}: cannot read: {reason}", file=sys.stderr)
    return EXIT_OK
