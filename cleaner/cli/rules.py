"""`cleaner rules list|lint|test|accept|reject`: the rule author's commands."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cleaner.cli.common import EXIT_FAILED, EXIT_OK, FILE_ERRORS, file_failed
from cleaner.display import shown


def rules(args: argparse.Namespace) -> int:
    from cleaner.authoring.lint import describe, lint, rule_files, run_cases

    if args.action in ("accept", "reject"):
        return review(args.dirs, accept=args.action == "accept")
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



def review(targets: list[str], accept: bool) -> int:
    """accept: uncomment candidates of learned files; reject: remove rules from them. Each target is
    FILE:ID for one rule, or FILE for every candidate in it. A relearn keeps either decision."""
    from cleaner.batch.files import write_atomic
    from cleaner.errors import UsageError
    from cleaner.learning.review import ReviewError, decide
    from cleaner.rulebook.load import rule_files_below, shipped_rules_dir

    if not targets:
        raise UsageError("give the learned files (FILE) or rules (FILE:ID) to " + ("accept" if accept else "reject"))
    shipped = [(str(p), p.read_bytes()) for p in rule_files_below(shipped_rules_dir())]
    status = EXIT_OK
    for target in targets:
        name, _, rule_id = target.rpartition(":") if ":" in target and not Path(target).exists() else (target, "", "")
        path = Path(name)
        try:
            original = path.read_text("utf-8")
            text, changed = decide(original, rule_id or None, accept)
            error = _load_error(shipped, name, text)  # the decision breaks nothing, or nothing is written (a file
            if error is not None and error != _load_error(shipped, name, original):  # that adds to a reviewed
                raise ReviewError(error)  # one elsewhere does not load alone, before or after)
            if changed:
                write_atomic(path, text.encode("utf-8"))
        except FILE_ERRORS as exc:
            status = file_failed(target, exc)
            continue
        print(f"{shown(target)}: {changed} {'accepted' if accept else 'rejected'}")
    return status


def _load_error(shipped: list[tuple[str, bytes]], name: str, text: str) -> str | None:
    """Why rule file `text` does not load beside the shipped rules, or None."""
    from cleaner.rulebook.load import build_ruleset
    from cleaner.rulebook.model import RuleError

    try:
        build_ruleset([*shipped, (name, text.encode("utf-8"))])
    except RuleError as exc:
        return str(exc)
    return None
