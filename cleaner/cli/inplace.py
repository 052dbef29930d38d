"""`cleaner check`, `fix` and `restore`: work on files where they lie, beside their sidecars."""
from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from cleaner.cli.common import EXIT_FAILED, EXIT_OK, FILE_ERRORS, chosen, colour_wanted, file_failed, writable
from cleaner.display import shown


def check(args: argparse.Namespace) -> int:
    return _in_place(args, write=False)


def fix(args: argparse.Namespace) -> int:
    return _in_place(args, write=True)


def _in_place(args: argparse.Namespace, write: bool) -> int:
    """check (write=False) and fix (write=True): the same plan per file, written or only reported."""
    from cleaner.batch.files import remove_stale_temps
    from cleaner.batch.inplace import apply_fix, plan_fix
    from cleaner.batch.inputs import expand
    from cleaner.rulebook.load import load_ruleset
    from cleaner.text.decode import decode  # the file's text as cleaning decodes it, for --diff

    choice = chosen(args)
    found, passed_over = expand(args.inputs, choice.globs)
    files = [Path(path) for path, _, _ in found]
    ruleset = load_ruleset(choice.rules)
    status = EXIT_OK
    for skipped, reason in passed_over:
        print(f"{shown(skipped)}: {reason}", file=sys.stderr)
        status = EXIT_FAILED
    if write:
        remove_stale_temps(sorted({path.parent for path in files}))
    for path in files:
        try:
            plan = plan_fix(path, ruleset, choice.options, timeout=args.timeout)
            if write:
                if apply_fix(plan):
                    print(f"fixed {shown(str(path))}")
                    status = EXIT_FAILED
            elif plan.text_changes:
                reasons = sorted(plan.fired.items(), key=lambda kv: (-kv[1], kv[0]))
                print(f"{shown(str(path))}: " + ", ".join(f"{rule} ×{n}" for rule, n in reasons))
                if args.diff:
                    sys.stdout.write(unified_diff(decode(plan.before).text, plan.text.decode("utf-8"),
                                                  shown(str(path)), colour_wanted()))
                status = EXIT_FAILED
        except FILE_ERRORS as exc:
            status = file_failed(str(path), exc)
    return status


_DIFF_COLOURS = {"-": "31", "+": "32", "@": "36"}


def unified_diff(before: str, after: str, name: str, colour: bool) -> str:
    """The file as it is against what `fix` would write, as `diff -u` shows it."""
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), f"a/{name}", f"b/{name}", lineterm="")
    out = []
    for line in lines:
        code = _DIFF_COLOURS.get(line[:1]) if colour and not line.startswith(("---", "+++")) else None
        out.append(f"\x1b[{code}m{line}\x1b[0m" if code else line)
    return "\n".join(out) + "\n"


def restore(args: argparse.Namespace) -> int:
    from cleaner.batch.inplace import restore_file

    if args.to is not None:
        writable(args.to, folder=True)
    status = EXIT_OK
    for name in args.inputs:
        path = Path(name)
        try:
            target = restore_file(path, args.to)
        except FILE_ERRORS as exc:
            status = file_failed(name, exc)
        else:
            print(f"restored {path}" + (f" -> {target}" if target != path else ""))
    return status
