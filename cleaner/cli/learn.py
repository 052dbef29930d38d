"""`cleaner learn`: site files for the chrome that recurs on each site's pages, from a corpus or a finished run."""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from cleaner.batch.manifest import MANIFEST
from cleaner.cli.common import EXIT_FAILED, EXIT_OK, chosen, writable
from cleaner.display import shown
from cleaner.errors import UsageError

LISTED = 15  # sites named in the summary; groups.tsv has every page


def learn(args: argparse.Namespace) -> int:
    from cleaner.batch.settings import Settings
    from cleaner.cli.running import batch, print_failures

    choice = chosen(args)
    writable(args.output, folder=True)
    rules = without(choice.rules, args.output)
    clashes_found_now(rules, args.output)
    runs = [Path(name) for name in args.inputs if (Path(name) / MANIFEST).is_file()]
    if runs:
        if len(args.inputs) > 1:
            raise UsageError(f"{shown(str(runs[0]))} is a finished run: learn from it alone, or from the corpus")
        learn_from_run(runs[0], args.output, rules, args.quiet)
        return EXIT_OK
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".cleaner-learn-", dir=args.output.parent) as scratch:
        settings = Settings(choice.options, max_bytes=args.max_bytes, timeout=args.timeout)
        summary = batch(args, choice, rules, Path(scratch), settings, "cleaning")
        print_failures(summary)
        learn_from_run(Path(scratch), args.output, rules, args.quiet)
    return EXIT_FAILED if summary.failures else EXIT_OK


def clashes_found_now(rule_dirs: list[str], target: Path) -> None:
    """Load the rules beside what an earlier learning left in `target`, so that a clash between them (a domain
    two sites claim, one rule id in two files) stops the run before its first pass (RuleError), not after."""
    from cleaner.rulebook.load import load_ruleset

    if target.is_dir():
        load_ruleset([*rule_dirs, target])


def without(rule_dirs: list[str], target: Path) -> list[str]:
    """The rule directories less the one being learned into: learning starts from the other rules alone."""
    return [d for d in rule_dirs if Path(d).resolve() != target.resolve()]


def learn_from_run(run: Path, target: Path, rule_dirs: list[str], quiet: bool) -> None:
    from cleaner.learning.learn import GROUPS, learn
    from cleaner.rulebook.load import load_ruleset

    learned = learn(run, target, load_ruleset(rule_dirs))
    if quiet:
        return
    ways = ", ".join(f"{learned.ways[w]} by {w}" for w in ("host", "site", "text") if learned.ways[w])
    if learned.ways["repeat"]:
        ways += f"; {learned.ways['repeat']} repeating another page, counted once"
    print(f"learned from {learned.pages} pages (grouped {ways or 'none'}; in no group {learned.ways['none']}; "
          f"in a site file {learned.covered}): "
          f"{len(learned.sites)} site files, {sum(s.rules for s in learned.sites)} rules, "
          f"{sum(s.candidates for s in learned.sites)} candidates commented out, in {shown(str(target))}"
          f" ({len(learned.written)} written, {len(learned.removed)} removed)", file=sys.stderr)
    listed = sorted(learned.sites, key=lambda s: (-s.pages, s.site))[:LISTED]
    if listed:
        width = max(len(s.site) for s in listed)
        print(f"  {'site':<{width}}  grouped by  pages  rules  candidates", file=sys.stderr)
        for s in listed:
            print(f"  {s.site:<{width}}  {s.way:<10}  {s.pages:>5}  {s.rules:>5}  {s.candidates:>10}", file=sys.stderr)
        if len(learned.sites) > LISTED:
            print(f"  ... and {len(learned.sites) - LISTED} more; every page's site is in {GROUPS}", file=sys.stderr)
