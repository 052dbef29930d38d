"""`cleaner clean`: a batch run into an output directory, with a progress bar and a summary.

With `--learn`, a first pass cleans into OUTDIR/.learn-pass with the current
rules, the site files are learned from it, and the second pass cleans into
OUTDIR with them: cleaning stays a function of a document and its rule files.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.cli.common import EXIT_FAILED, EXIT_OK, chosen, writable
from cleaner.cli.running import batch, print_failures
from cleaner.rulebook.model import LEARNED_PREFIX

if TYPE_CHECKING:
    from cleaner.batch.reports import Summary

LEARN_PASS = ".learn-pass"  # below OUTDIR: the first pass of `--learn`, kept for reruns
LEARNED_RULES = "learned-rules"  # below OUTDIR: where `--learn` writes by default


def clean(args: argparse.Namespace) -> int:
    from cleaner.batch.settings import Settings

    choice = chosen(args)
    settings = Settings(choice.options, args.lang, args.force, max_bytes=args.max_bytes, timeout=args.timeout)
    output = writable(Path(args.output), folder=True)
    if args.stats is not None:
        writable(args.stats, folder=False)
    rules = choice.rules
    if args.learn is not None:
        from cleaner.cli.learn import clashes_found_now, learn_from_run, without

        target = writable(Path(args.learn), folder=True) if args.learn else output / LEARNED_RULES
        rules = without(choice.rules, target)
        clashes_found_now(rules, target)
        first = batch(args, choice, rules, output / LEARN_PASS, replace(settings, langs=None), "pass 1 of 2")
        learn_from_run(output / LEARN_PASS, target, rules, args.quiet)
        if first.failures and not args.quiet:
            print(f"pass 1: {len(first.failures)} inputs failed (named below, as pass 2 finds them)", file=sys.stderr)
        rules = [*rules, str(target)]
    summary = batch(args, choice, rules, output, settings, "pass 2 of 2" if args.learn is not None else None,
                    output_format=args.output_format)
    print_failures(summary)
    if not args.quiet:
        _print_summary(summary, args.lang is not None)
    if args.stats is not None:
        from cleaner.batch.files import write_atomic
        from cleaner.record.sidecar import escape_surrogates

        stats = escape_surrogates(json.dumps(summary.stats(), ensure_ascii=False, indent=1))
        write_atomic(args.stats, (stats + "\n").encode("utf-8"))
    return EXIT_FAILED if summary.failures else EXIT_OK


def _print_summary(summary: Summary, by_language: bool) -> None:
    counts = summary.statuses
    unchanged = f", unchanged {counts['unchanged']}" if counts["unchanged"] else ""
    emptied = f", no text {counts['emptied']} (empty or all chrome: sidecar only)" if counts["emptied"] else ""
    filtered = f", filtered by language {counts['filtered']}" if by_language else ""
    bad = f", bad records {summary.bad_records} (in shards, named above)" if summary.bad_records else ""
    print(f"read {summary.read}, written {counts['written']}{unchanged}{emptied}{filtered}, "
          f"failed {counts['failed']}{bad}", file=sys.stderr)
    _print_counts("lines dropped per rule", summary.dropped)
    _print_counts("documents per site", summary.sites)
    _print_counts("documents per language", summary.langs)
    never = summary.never_fired()
    learned = [rule for rule in never if rule.startswith(LEARNED_PREFIX)]
    written = [rule for rule in never if not rule.startswith(LEARNED_PREFIX)]
    if written:
        more = ", ... (all in --stats)" if len(written) > 10 else ""
        print(f"rules that never fired ({len(written)}): {', '.join(written[:10])}{more}", file=sys.stderr)
    if learned:  # what a site's pages here did not hold: the learned files' own business, counted only
        print(f"learned rules that never fired: {len(learned)} (all in --stats)", file=sys.stderr)


def _print_counts(title: str, counts: Counter[str]) -> None:
    if not counts:
        return
    print(f"{title}:", file=sys.stderr)
    width = max(map(len, counts))
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {name:<{width}}  {n}", file=sys.stderr)
