"""The `cleaner` command line: one module per command group, thin shells over the library.

`main` is the one place that turns the package's errors into exit codes:
an error about the run (usage, configuration, rule files, the cluster) is one
line, `cleaner: error: ...`, and exit 2 before anything is written; an error
about one file is reported by its command, which goes on with the others and
exits 1.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from cleaner.cli.common import EXIT_CRASH, EXIT_PIPE, EXIT_USAGE, flagged
from cleaner.cli.parser import build_parser
from cleaner.errors import CleanerError
from cleaner.version import __version__


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
    except BrokenPipeError:  # the reader went away (`cleaner rules list | head -1`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # what is still buffered goes nowhere, not to a traceback at exit
        return EXIT_PIPE
    except KeyboardInterrupt:
        print("cleaner: interrupted; outputs written so far are complete", file=sys.stderr)
        return 130
    except Exception as exc:
        print(f"cleaner: unexpected error in corpus-cleaner {__version__}: {type(exc).__name__}: {_first_line(exc)}; "
              f"the full trace is in {_write_trace()}", file=sys.stderr)
        return EXIT_CRASH


def _first_line(exc: Exception) -> str:
    lines = str(exc).splitlines()
    return lines[0] if lines else ""


def _write_trace() -> str:
    """The current exception's trace, in the user's cache folder (else a temporary file); where it went."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "corpus-cleaner"
    trace = f"corpus-cleaner {__version__}, Python {sys.version.split()[0]}\n{traceback.format_exc()}"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        path = cache / "crash.log"
        path.write_text(trace, "utf-8")
    except OSError:
        with tempfile.NamedTemporaryFile("w", prefix="corpus-cleaner-", suffix=".log", delete=False) as fh:
            fh.write(trace)
            path = Path(fh.name)
    return str(path)


__all__ = ["main"]
