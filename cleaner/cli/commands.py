"""The `cleaner` command line: thin shells over the batch runner, in-place fixing and restore."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Sequence

from cleaner import __version__
from cleaner.core import DEFAULT_GUARD
from cleaner.batch.files import DEFAULT_MAX_BYTES
from cleaner.limits import DEFAULT_TIMEOUT

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Strip site chrome from scraped article text, repair its encoding, "
        "and write normalized text with a JSON sidecar per document.",
    )
    parser.add_argument("--version", action="version", version=f"corpus-cleaner {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--rules", action="append", default=[], metavar="DIR",
                        help="also load the rule files below DIR (repeatable; adds to the configuration's)")
    shared.add_argument("--title", choices=("keep", "drop"), default=None,
                        help="keep the headline as the first paragraph (default), or move it to the sidecar only")
    shared.add_argument("--config", metavar="FILE", type=Path, default=None,
                        help="cleaner.toml or pyproject.toml to use (default: found from the working directory)")
    shared.add_argument("--glob", action="append", default=None, metavar="PATTERN", dest="globs",
                        help="file names to take from directories (repeatable; default: *.txt)")
    shared.add_argument("--guard", type=_share, default=None, metavar="SHARE",
                        help="the largest share of a document's words generic rules may remove; past it, every "
                        f"line they dropped is put back and the sidecar says so (default {DEFAULT_GUARD}; 1: no limit)")
    shared.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"give up on a document after this long, naming the rule at work (default {DEFAULT_TIMEOUT:g})")

    clean = sub.add_parser("clean", parents=[shared], help="clean files and directories into an output directory",
                           description="Clean INPUT files and directories into OUTDIR, mirroring each "
                           "directory's tree: a/b.txt becomes OUTDIR/a/b.txt and OUTDIR/a/b.meta.json.")
    clean.add_argument("inputs", nargs="+", metavar="INPUT", help="a file, or a directory searched recursively")
    clean.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="where cleaned texts and sidecars go")
    clean.add_argument("--jobs", type=_positive, default=None, metavar="N", help="worker processes (default: all cores)")
    clean.add_argument("--format", choices=("auto", "text", "html"), default="auto",
                       help="auto (default): HTML for .html/.htm/.xhtml names and for text that starts like an "
                       "HTML document, plain text otherwise")
    clean.add_argument("--lang", type=_languages, default=None, metavar="CODES",
                       help="write only documents detected in these languages, e.g. en,de (the others get a "
                       "sidecar saying why)")
    clean.add_argument("--scheduler", metavar="ADDRESS", default=None,
                       help="run on the dask.distributed cluster whose scheduler is at ADDRESS (e.g. tcp://host:8786); "
                       "inputs, outputs and rule directories must be at the same paths on every worker")
    clean.add_argument("--force", action="store_true",
                       help="redo every document, also those an earlier run into OUTDIR left unchanged")
    clean.add_argument("--max-bytes", type=_size, default=DEFAULT_MAX_BYTES, metavar="SIZE",
                       help="refuse inputs larger than this (after gunzip), e.g. 500K, 64M "
                       f"(default {DEFAULT_MAX_BYTES >> 20}M)")
    clean.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    clean.add_argument("--stats", metavar="FILE", type=Path, default=None,
                       help="also write the run's statistics to FILE as JSON: statuses, hits per rule, rules that "
                       "never fired, documents per site and per language")

    check = sub.add_parser("check", parents=[shared], help="exit 1 if cleaning would change any file (read-only)",
                           description="List each file that cleaning would change, with the rules that fire.")
    check.add_argument("inputs", nargs="+", metavar="FILE")

    fix = sub.add_parser("fix", parents=[shared], help="clean files in place, writing their sidecars",
                         description="Clean each file in place and write or update its sidecar x.meta.json; "
                         "exit 1 if anything changed. Reversible with `cleaner restore`.")
    fix.add_argument("inputs", nargs="+", metavar="FILE")

    explain = sub.add_parser("explain", parents=[shared], help="show every line of a file with what cleaning does to it",
                             description="Every input line with its fate: kept, dropped by which rule, or lifted into "
                             "which sidecar field. Coloured on a terminal (unless NO_COLOR is set). For HTML "
                             "input, the lines are those trafilatura extracted.")
    explain.add_argument("inputs", nargs="+", metavar="FILE")
    explain.add_argument("--format", choices=("text", "json"), default="text", dest="output_format")

    rules = sub.add_parser("rules", help="list, lint or test rule files",
                           description="Work on rule files: the shipped ones, or those below DIR.")
    rules.add_argument("action", choices=("list", "lint", "test"),
                       help="list: one line per rule; lint: every problem as file:line: rule: message; "
                       "test: run every rule's removes/keeps cases")
    rules.add_argument("dirs", nargs="*", metavar="DIR", help="rule files or directories (default: the shipped rules)")

    suggest = sub.add_parser("suggest", parents=[shared], help="draft rules for recurring chrome found in a corpus",
                             description="Find lines that recur at the start or end of many documents of one site "
                             "and that no rule drops yet; write them as a draft rule file to review. Nothing is "
                             "applied.")
    suggest.add_argument("inputs", nargs="+", metavar="DIR")
    suggest.add_argument("-o", "--output", required=True, type=Path, metavar="DRAFT.toml")

    restore = sub.add_parser("restore", help="rebuild original inputs from cleaned files and their sidecars",
                             description="Rebuild each file's first input, byte for byte, from the file and its "
                             "sidecar, checked against the recorded sha256. In place (removing the sidecar) "
                             "unless --to is given.")
    restore.add_argument("inputs", nargs="+", metavar="FILE")
    restore.add_argument("--to", metavar="DIR", type=Path, default=None,
                         help="write restored files below DIR instead of in place")
    return parser


def _number(convert: Callable[[str], float], accept: Callable[[float], bool], wanted: str) -> Callable[[str], float]:
    """An argparse type: `convert` the value and check it, or say what was wanted."""
    def parse(value: str) -> float:
        try:
            number = convert(value)
        except ValueError:
            number = None
        if number is None or not accept(number):
            raise argparse.ArgumentTypeError(f"must be {wanted}, not {value!r}")
        return number
    return parse


_positive = _number(int, lambda n: n >= 1, "a whole number of at least 1")
_share = _number(float, lambda n: 0 <= n <= 1, "a share between 0 and 1")
_seconds = _number(float, lambda n: n > 0, "a number of seconds above 0")


_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def _size(value: str) -> int:
    number, unit = value.strip().upper().rstrip("B"), ""
    if number[-1:] in _UNITS:
        number, unit = number[:-1], number[-1]
    if not number.isdigit() or int(number) < 1:
        raise argparse.ArgumentTypeError(f"must be a size such as 500K, 64M or 1000000, not {value!r}")
    return int(number) * _UNITS[unit]


def _languages(value: str) -> frozenset[str]:
    codes = frozenset(c.strip() for c in value.split(",") if c.strip())
    if not codes:
        raise argparse.ArgumentTypeError("give language codes separated by commas, e.g. en,de")
    return codes


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its message
        return int(exc.code or 0)
    try:
        commands = {"clean": _clean, "check": _check, "fix": _fix, "restore": _restore, "explain": _explain,
                    "rules": _rules, "suggest": _suggest}
        return commands[args.command](args)
    except KeyboardInterrupt:
        print("cleaner: interrupted; outputs written so far are complete", file=sys.stderr)
        return 130


def _error(message: str) -> int:
    print(f"cleaner: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _settings(args: argparse.Namespace):
    """The configuration file's settings with the command line's on top; raises ConfigError."""
    from cleaner.cli.config import find_config, load_config

    config = load_config(args.config if args.config is not None else find_config())
    guard = args.guard if args.guard is not None else config.guard
    options = {"title": args.title or config.title, "ftfy": config.ftfy, "guard": None if guard == 1 else guard}
    return config, [*config.rules, *args.rules], options, args.globs or list(config.globs)


def _clean(args: argparse.Namespace) -> int:
    from cleaner.batch.runner import MANIFEST, Settings, UsageError, default_processes, plan, progress_enabled, run, shown
    from cleaner.cli.config import ConfigError
    from cleaner.batch.cluster import INSTALL_HINT, ClusterError, run_on_cluster
    from cleaner.rulebook.load import RuleError

    try:
        config, rules, options, globs = _settings(args)
        planned = plan(args.inputs, args.output, globs, args.format)
    except (UsageError, ConfigError) as exc:
        return _error(str(exc))
    from tqdm import tqdm

    if args.scheduler:
        try:
            import distributed  # noqa: F401
        except ImportError:
            return _error(INSTALL_HINT)
    jobs, refused = planned.jobs, planned.refused
    bar = tqdm(total=len(jobs) + len(refused), unit="doc", disable=not progress_enabled(args.quiet), file=sys.stderr)
    settings = Settings(options, args.lang, args.force, max_bytes=args.max_bytes, timeout=args.timeout)
    manifest = Path(args.output) / MANIFEST
    error = None
    try:
        if args.scheduler:
            summary = run_on_cluster(jobs, rules, settings, args.scheduler, manifest=manifest,
                                     on_report=lambda report: bar.update(), refused=refused)
        else:
            summary = run(jobs, rules, settings, processes=args.jobs or config.jobs or default_processes(),
                          manifest=manifest, on_report=lambda report: bar.update(), refused=refused)
    except ClusterError as exc:
        error = str(exc)
    except RuleError as exc:
        error = f"rule file: {exc}"
    bar.close()
    if error is not None:
        return _error(error)
    for path, reason in sorted(summary.failures):
        print(f"{path}: {reason}", file=sys.stderr)
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
            more = f", ... (all in --stats)" if len(never) > 10 else ""
            print(f"rules that never fired ({len(never)}): {', '.join(never[:10])}{more}", file=sys.stderr)
    if args.stats is not None:
        from cleaner.batch.files import write_atomic

        write_atomic(args.stats, (json.dumps(summary.stats(), ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return EXIT_FAILED if summary.failures else EXIT_OK


def _print_counts(title: str, counts: Counter[str]) -> None:
    if not counts:
        return
    print(f"{title}:", file=sys.stderr)
    width = max(map(len, counts))
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {name:<{width}}  {n}", file=sys.stderr)


def _in_place(args: argparse.Namespace, write: bool) -> int:
    """check (write=False) and fix (write=True): the same plan per file, written or only reported."""
    from cleaner.batch.runner import UsageError, expand, shown
    from cleaner.cli.config import ConfigError
    from cleaner.text.decode import DecodeError
    from cleaner.batch.files import remove_stale_temps
    from cleaner.batch.inplace import InPlaceError, apply_fix, plan_fix
    from cleaner.limits import DocumentTimeout
    from cleaner.rulebook.load import RuleError, load_ruleset

    try:
        _, rules, options, globs = _settings(args)
        found, links = expand(args.inputs, globs)
        files = [Path(path) for path, _, _ in found]
        ruleset = load_ruleset(rules)
    except (UsageError, ConfigError) as exc:
        return _error(str(exc))
    except RuleError as exc:
        return _error(f"rule file: {exc}")
    status = EXIT_OK
    for link, reason in links:
        print(f"{shown(link)}: {reason}", file=sys.stderr)
        status = EXIT_FAILED
    if write:
        remove_stale_temps(sorted({path.parent for path in files}))
    for path in files:
        name = shown(str(path))
        try:
            plan = plan_fix(path, ruleset, timeout=args.timeout, **options)
            if write:
                if apply_fix(plan):
                    print(f"fixed {name}")
                    status = EXIT_FAILED
            elif plan.text_changes:
                reasons = sorted(plan.fired.items(), key=lambda kv: (-kv[1], kv[0]))
                print(f"{name}: " + ", ".join(f"{rule} ×{n}" for rule, n in reasons))
                status = EXIT_FAILED
        except (DecodeError, InPlaceError, DocumentTimeout) as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            status = EXIT_FAILED
        except OSError as exc:
            print(f"{name}: {exc.strerror or exc}", file=sys.stderr)
            status = EXIT_FAILED
    return status


def _check(args: argparse.Namespace) -> int:
    return _in_place(args, write=False)


def _fix(args: argparse.Namespace) -> int:
    return _in_place(args, write=True)


def _explain(args: argparse.Namespace) -> int:
    import os

    from cleaner.batch.runner import format_of, shown
    from cleaner.cli.config import ConfigError
    from cleaner.core import clean_bytes
    from cleaner.text.decode import DecodeError
    from cleaner.record.explain import as_json, as_text
    from cleaner.batch.files import read_input
    from cleaner.limits import DocumentTimeout, time_limit
    from cleaner.rulebook.load import RuleError, load_ruleset

    try:
        _, rules, options, _ = _settings(args)
        ruleset = load_ruleset(rules)
    except ConfigError as exc:
        return _error(str(exc))
    except RuleError as exc:
        return _error(f"rule file: {exc}")
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    status = EXIT_OK
    for name in args.inputs:
        try:
            data, _ = read_input(Path(name))
            with time_limit(args.timeout):
                result = clean_bytes(data, ruleset, format=format_of(name), **options)
        except (DecodeError, DocumentTimeout) as exc:
            print(f"{shown(name)}: {exc}", file=sys.stderr)
            status = EXIT_FAILED
            continue
        except OSError as exc:
            print(f"{shown(name)}: {exc.strerror or exc}", file=sys.stderr)
            status = EXIT_FAILED
            continue
        sys.stdout.write(as_json(result, shown(name)) if args.output_format == "json"
                         else as_text(result, shown(name), colour))
    return status


def _rules(args: argparse.Namespace) -> int:
    from cleaner.authoring.lint import describe, lint, rule_files, run_cases
    from cleaner.rulebook.load import RuleError

    try:
        paths = rule_files(args.dirs)
        if args.action == "lint":
            problems = lint(paths, rule_files([]) if args.dirs else ())
            for problem in problems:
                print(problem)
            print(f"{len(paths)} rule files, {len(problems)} problems", file=sys.stderr)
            return EXIT_FAILED if problems else EXIT_OK
        if args.action == "list":
            rows = describe(paths)
            width = max((len(str(r["id"])) for r in rows), default=0)
            for r in rows:
                print(f"{r['id']:<{width}}  {r['action']:<7}  {r['zone']:<10}  {r['lang']:<20}  {r['file']}")
            return EXIT_OK
        reports = run_cases(paths)
    except RuleError as exc:
        return _error(f"rule file: {exc}")
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


def _suggest(args: argparse.Namespace) -> int:
    from cleaner.batch.runner import UsageError, expand
    from cleaner.cli.config import ConfigError
    from cleaner.batch.files import write_atomic
    from cleaner.rulebook.load import RuleError, load_ruleset
    from cleaner.authoring.suggest import draft, mine

    try:
        _, rules, _, globs = _settings(args)
        ruleset = load_ruleset(rules)
        files: list[tuple[Path, Path]] = []
        for name in args.inputs:
            found, _ = expand([name], globs + ["*.html", "*.htm"] if args.globs is None else globs)
            root = Path(name) if Path(name).is_dir() else Path(name).parent
            files += [(Path(path), root) for path, _, _ in found]
    except (UsageError, ConfigError) as exc:
        return _error(str(exc))
    except RuleError as exc:
        return _error(f"rule file: {exc}")
    suggestions = mine(files, ruleset)
    write_atomic(args.output, draft(suggestions, " ".join(args.inputs)).encode("utf-8"))
    groups = len({s.group for s in suggestions})
    print(f"{len(files)} documents read; {len(suggestions)} rules drafted for {groups} groups: {args.output}",
          file=sys.stderr)
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from cleaner.batch.inplace import InPlaceError, restore_file

    status = EXIT_OK
    for name in args.inputs:
        path = Path(name)
        try:
            target = restore_file(path, args.to)
        except InPlaceError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            status = EXIT_FAILED
        except OSError as exc:
            print(f"{path}: {exc.strerror or exc}", file=sys.stderr)
            status = EXIT_FAILED
        else:
            print(f"restored {path}" + (f" -> {target}" if target != path else ""))
    return status


if __name__ == "__main__":
    sys.exit(main())
