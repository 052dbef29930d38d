"""The `cleaner` command line: one module per command group, thin shells over the library.

`main` is the one place that turns the package's errors into exit codes:
an error about the run (usage, configuration, rule files, the cluster) is one
line, `cleaner: error: ...`, and exit 2 before anything is written; an error
about one file is reported by its command, which goes on with the others and
exits 1.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from cleaner.cli.common import EXIT_USAGE, flagged
from cleaner.cli.parser import build_parser
from cleaner.errors import CleanerError


def _commands() -> dict[str, Callable[[argparse.Namespace], int]]:
    from cleaner.cli.clean import clean
    from cleaner.cli.explain import explain
    from cleaner.cli.inplace import check, fix, restore
    from cleaner.cli.learn import learn
    from cleaner.cli.report import report
    from cleaner.cli.rules import rules

    return {"clean": clean, "check": check, "fix": fix, "restore": restore, "explain": explain,
            "rules": rules, "learn": learn, "report": report}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return int(exc.code or 0)
    try:
        return _commands()[args.command](args)
    except CleanerError as exc:
        from cleaner.rulebook.model import RuleError

        prefix = "rule file: " if isinstance(exc, RuleError) else ""
        print(f"cleaner: error: {prefix}{flagged(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("cleaner: interrupted; outputs written so far are complete", file=sys.stderr)
        return 130


__all__ = ["main"]
