"""Hold corpus-cleaner's encoding repair to ftfy's own, on test cases in ftfy's JSON format.

usage: python tools/check_ftfy_cases.py CASES.json [CASES.json ...]

Each file is a list of {"label", "original", "fixed", "expect"} objects, as
in ftfy's repository (tests/test-cases/*.json, Apache-2.0; not shipped here).
For every case marked "pass", the text corpus-cleaner writes (no rules) must
equal ftfy.fix_text(line, uncurl_quotes=False) line by line, with white space
folded afterwards as corpus-cleaner folds it. Prints each case that differs and
exits 1 if any does.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from ftfy import fix_text

from cleaner import Options, clean_text
from cleaner.rulebook.load import build_ruleset

_SPACES = re.compile(r"[^\S\n]+")


def expected(text: str) -> str:
    """ftfy per line, then white space folded, blank lines gone: the paragraphs corpus-cleaner writes."""
    lines = [_SPACES.sub(" ", fix_text(line, uncurl_quotes=False)).strip() for line in re.split(r"\r\n|\r|\n", text)]
    kept = [line for line in lines if line]
    return "\n\n".join(kept) + "\n" if kept else ""


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    no_rules = build_ruleset([])
    options = Options(guard=None)
    cases = differ = 0
    for name in argv:
        for case in json.loads(Path(name).read_text("utf-8")):
            if case.get("expect") != "pass":
                continue
            cases += 1
            got = clean_text(case["original"], no_rules, options=options).text
            want = expected(case["original"])
            if got != want:
                differ += 1
                print(f"{Path(name).name}: {case.get('label', '?')}: got {got!r}, ftfy gives {want!r}")
    print(f"{cases} cases marked pass: {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
