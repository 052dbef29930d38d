"""One batch run as the commands start it: the executor the flags ask for, and a progress bar."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.cli.common import Chosen, flagged
from cleaner.display import shown

if TYPE_CHECKING:
    from cleaner.batch.reports import Summary
    from cleaner.batch.settings import Settings


def batch(args: argparse.Namespace, choice: Chosen, rules: list[str], output: Path, settings: Settings,
          label: str | None, output_format: str | None = None) -> Summary:
    """One run of the inputs into `output` with `rules`, on the executor the flags ask for, with a progress bar."""
    from tqdm import tqdm

    from cleaner.batch import LocalExecutor, plan, run
    from cleaner.batch.executors import Executor, default_processes
    from cleaner.batch.manifest import MANIFEST

    planned = plan(args.inputs, str(output), choice.globs, args.format, output_format)
    executor: Executor
    if args.scheduler:
        from cleaner.batch.cluster import INSTALL_HINT, ClusterError, DaskExecutor

        try:
            import distributed  # noqa: F401
        except ImportError:
            raise ClusterError(INSTALL_HINT) from None
        executor = DaskExecutor(args.scheduler)
    else:
        executor = LocalExecutor(args.jobs or choice.config.jobs or default_processes())
    progress = not args.quiet and sys.stderr.isatty()
    total = len(planned.jobs) + len(planned.refused)
    with tqdm(total=total, unit="doc", desc=label, disable=not progress, file=sys.stderr) as bar:
        return run(planned.jobs, executor, rules, settings, manifest=output / MANIFEST,
                   on_report=lambda report: bar.update(), refused=planned.refused)


def print_failures(summary: Summary) -> None:
    """One line per input that failed, named as messages show names, its reason naming flags, not settings."""
    for path, reason in sorted(summary.failures, key=lambda failure: failure[0]):  # a shard's records in its order
        print(f"{shown(path)}: {flagged(reason)}", file=sys.stderr)
