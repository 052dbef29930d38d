"""Run the test cases a rule carries: `removes` it must act on, `keeps` it must leave alone."""
from __future__ import annotations

from collections import Counter

from cleaner.rulebook import engine
from cleaner.rulebook.model import Rule
from cleaner.text.normalize import repair_line, split_lines


def case_lines(case: str) -> list[str]:
    """A case's non-blank lines as the rules see them in a document."""
    scratch: Counter[str] = Counter()
    return [line for line in (repair_line(p, scratch)[0] for p in split_lines(case).lines) if line]


def case_failures(rule: Rule) -> list[str]:
    """One message per failing case; an empty list means every case holds."""
    failures: list[str] = []
    for n, case in enumerate(rule.removes):
        lines = case_lines(case)
        out = engine.Outcome()
        engine.run(lines, [rule], out, zones=False)
        acted = len(out.claimed if rule.keep_line else out.dropped)
        if acted != len(lines):
            failures.append(f"removes[{n}] {case!r}: acted on {acted} of {len(lines)} lines")
        elif rule.values and [e.value for e in out.extracted][:1] != [rule.values[n]]:
            got = out.extracted[0].value if out.extracted else None
            failures.append(f"removes[{n}] {case!r}: extracted {got!r}, expected {rule.values[n]!r}")
    for n, case in enumerate(rule.keeps):
        out = engine.Outcome()
        engine.run(case_lines(case), [rule], out, zones=False)
        if out.dropped or out.extracted:
            failures.append(f"keeps[{n}] {case!r}: the rule acted on it")
    return failures
