"""`cleaner clean`: a batch run into an output directory, with a progress bar and a summary."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from cleaner.cli.common import EXIT_FAILED, EXIT_OK, chosen, flagged
from cleaner.display import shown


def clean(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from cleaner.batch import LocalExecutor, Settings, plan, run
    from cleaner.batch.executors import Executor, default_processes
    from cleaner.batch.manifest import MANIFEST

    choice = chosen(args)
    planned = plan(args.inputs, args.output, choice.globs, args.format, args.output_format)
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
    jobs, refused = planned.jobs, planned.refused
    settings = Settings(choice.options, args.lang, args.force, max_bytes=args.max_bytes, timeout=args.timeout)
    progress = not args.quiet and sys.stderr.isatty()
    with tqdm(total=len(jobs) + len(refused), unit="doc", disable=not progress, file=sys.stderr) as bar:
        summary = run(jobs, executor, choice.rules, settings, manifest=Path(args.output) / MANIFEST,
                      on_report=lambda report: bar.update(), refused=refused)
    for path, reason in sorted(summary.failures):
        print(f"{shown(path)}: {flagged(reason)}", file=sys.stderr)
    if not args.quiet:
        counts = summary.statuses
        unchanged = f", unchanged {counts['unchanged']}" if counts["unchanged"] else ""
        emptied = f", no text {counts['emptied']} (empty or all chrome: sidecar only)" if counts["emptied"] else ""
        filtered = f", filtered by language {counts['filtered']}" if args.lang else ""
        print(f"read {summary.read}, written {counts['written']}{unchanged}{emptied}{filtered}, "
              f"failed {counts['failed']}", file=sys.stderr)
        _print_counts("lines dropped per rule", summary.dropped)
        _print_counts("documents per site", summary.sites)
        _print_counts("documents per language", summary.langs)
        never = summary.never_fired()
        if never:
            more = ", ... (all in --stats)" if len(never) > 10 else ""
            print(f"rules that never fired ({len(never)}): {', '.join(never[:10])}{more}", file=sys.stderr)
    if args.stats is not None:
        from cleaner.batch.files import write_atomic
        from cleaner.record.sidecar import escape_surrogates

        stats = escape_surrogates(json.dumps(summary.stats(), ensure_ascii=False, indent=1))
        write_atomic(args.stats, (stats + "\n").encode("utf-8"))
    return EXIT_FAILED if summary.failures else EXIT_OK


def _print_counts(title: str, counts: Counter[str]) -> None:
    if not counts:
        return
    print(f"{title}:", file=sys.stderr)
    width = max(map(len, counts))
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {name:<{width}}  {n}", file=sys.stderr)
