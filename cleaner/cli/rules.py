"""`cleaner rules list|lint|test`: the rule author's commands."""
from __future__ import annotations

import argparse
import sys

from cleaner.cli.common import EXIT_FAILED, EXIT_OK


def rules(args: argparse.Namespace) -> int:
    from cleaner.authoring.lint import describe, lint, rule_files, run_cases

    paths = rule_files(args.dirs)
    beside = rule_files([]) if args.dirs else []  # the shipped rules, which learned files may add to
    if args.action == "lint":
        problems = lint(paths, beside)
        for problem in problems:
            print(problem)
        print(f"{len(paths)} rule files, {len(problems)} problems", file=sys.stderr)
        return EXIT_FAILED if problems else EXIT_OK
    if args.action == "list":
        rows = describe(paths, beside)
        width = max((len(str(r["id"])) for r in rows), default=0)
        for r in rows:
            print(f"{r['id']:<{width}}  {r['action']:<7}  {r['zone']:<10}  {r['lang']:<20}  {r['file']}")
        return EXIT_OK
    reports = run_cases(paths, beside)
    failed = [r for r in reports if r.failures]
    print("".join("F" if r.failures else "." for r in reports))
    if failed:
        print(f"{'=' * 30} FAILURES {'=' * 30}")
        for report in failed:
            print(f"{'_' * 10} {report.rule.id} ({report.rule.source}) {'_' * 10}")
            for failure in report.failures:
                print(f"    {failure}")
        print(f"FAILED {len(failed)} rules: " + ", ".join(r.rule.id for r in failed))
    cases = sum(len(r.rule.removes) + len(r.rule.keeps) for r in reports)
    print(f"{'=' * 10} {len(reports) - len(failed)} rules passed, {len(failed)} failed ({cases} cases) {'=' * 10}")
    return EXIT_FAILED if failed else EXIT_OK

