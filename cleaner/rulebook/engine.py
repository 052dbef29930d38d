"""Apply compiled rules to a document's lines, pass after pass, until nothing more drops.

Zones (head, tail) count the lines still kept, so a rule sees the same zones
when the cleaned output is cleaned again: that, and running to a fixed point,
is what makes cleaning idempotent.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleaner.limits import DocumentTimeout
from cleaner.rulebook.model import Rule, RuleList
from cleaner.text.prose import reads_as_prose

MAX_PASSES = 10


@dataclass(frozen=True)
class Extraction:
    index: int  # position in the document's line list
    field: str
    value: str
    rule: str
    kept: bool  # the line stays in the text


@dataclass
class Outcome:
    """What the rules did to a list of lines: which were dropped by which rule, what was lifted."""

    dropped: dict[int, str] = field(default_factory=dict)
    extracted: list[Extraction] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)  # kept lines an extract rule has taken

    def alive(self, n: int) -> list[int]:
        return [i for i in range(n) if i not in self.dropped]

    def drop(self, index: int, rule: str) -> None:
        self.dropped[index] = rule


def run(lines: Sequence[str], rules: Sequence[Rule], outcome: Outcome, *, zones: bool = True) -> int:
    """Apply `rules` to the kept `lines` until a pass drops nothing; return how many lines dropped.

    With zones=False every rule applies everywhere (how a rule's test cases run).
    """
    before = len(outcome.dropped)
    if _one_pass(lines, rules, outcome, zones):
        later = _later_rules(rules, zones)
        for _ in range(MAX_PASSES - 1):
            if not _one_pass(lines, later, outcome, zones):
                break
    return len(outcome.dropped) - before


def _per_rules(kind: str, rules: Sequence[Rule], build: Callable[[Sequence[Rule]], Any]) -> Any:
    """What `build` derives from a rule list, kept with the list when it is a RuleList (what rulesets hand out)."""
    derived = rules.derived if isinstance(rules, RuleList) else {}
    if kind not in derived:
        derived[kind] = build(rules)
    return derived[kind]


def _later_rules(rules: Sequence[Rule], zones: bool) -> RuleList:
    """The rules a second pass can find new work for.

    A line that survived a pass was tried against every rule; a rule whose
    verdict depends on the line alone (zone any, not a block) says the same
    again. Only zoned rules (lines move into zones as others go) and block
    rules (their following lines change) can act anew.
    """
    return _per_rules(f"later-{zones}", rules,
                      lambda rs: RuleList(r for r in rs if (zones and r.zone != "any") or r.action == "block"))


def _zone(rule: Rule, size: int, zones: bool) -> tuple[int, int]:
    """The positions [start, end) among the kept lines where the rule's start line may be."""
    if not zones or rule.zone == "any":
        return 0, size
    within = rule.within if isinstance(rule.within, int) else math.ceil(rule.within * size)
    return (0, within) if rule.zone == "head" else (size - within, size)


class _Dispatch:
    """For a rule tuple: which rules can match a line, judged by the line's first character.

    Most rules are anchored (^) and start with a known set of characters;
    a line starting otherwise cannot match them, so they are not tried.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.first = [r.first for r in rules]
        self.by_char: dict[str, tuple[int, ...]] = {}

    def candidates(self, line: str) -> tuple[int, ...]:
        char = line[:1]
        found = self.by_char.get(char)
        if found is None:
            folded = char.casefold()
            found = self.by_char[char] = tuple(
                k for k, first in enumerate(self.first) if first is None or char in first or folded in first)
        return found


def _prose_goes_on(lines: Sequence[str], run: Sequence[int], n: int) -> bool:
    """Whether an article's prose starts at run[n] and goes on: two such lines in a row, or the last line. A
    teaser in a list of related stories is one paragraph, a list's item or cut short (`...`); an article
    is more."""
    return _article_prose(lines[run[n]]) and (n + 1 == len(run) or _article_prose(lines[run[n + 1]]))


_TEASER = re.compile(r"^[*•·+–-]\s|(\.\.\.|…)$")


def _article_prose(line: str) -> bool:
    return reads_as_prose(line) and _TEASER.search(line) is None


def _one_pass(lines: Sequence[str], rules: Sequence[Rule], out: Outcome, zones: bool) -> bool:
    alive = out.alive(len(lines))
    size = len(alive)
    # Per pass, each rule's zone, the line lengths it can match and its needle;
    # per line, only the rules its first character allows: most rules are
    # passed over without a call to their own regex.
    plan = [(rule, *_zone(rule, size, zones), rule.min_len, rule.max_len,
             rule.needle.search if rule.needle else None, rule.pattern.search) for rule in rules]
    dispatch: _Dispatch = _per_rules("dispatch", rules, _Dispatch)
    changed = False
    rule: Rule | None = None
    try:
        for pos, i in enumerate(alive):
            if i in out.dropped or i in out.claimed:
                continue
            line = lines[i]
            length = len(line)
            for k in dispatch.candidates(line):
                rule, start, end, min_len, max_len, needle, search = plan[k]
                if pos < start or pos >= end or length > max_len or length < min_len:
                    continue
                if needle is not None and needle(line) is None:
                    continue
                match = search(line)
                if match is None:
                    continue
                if rule.action == "drop":
                    out.drop(i, rule.id)
                elif rule.action == "cut":
                    run = alive[pos:]
                    for n, j in enumerate(run):
                        if rule.until_prose and n and _prose_goes_on(lines, run, n):
                            break  # the box ends where the article (or another) goes on
                        out.dropped.setdefault(j, rule.id)
                elif rule.action == "block":
                    followers = [j for j in alive[pos + 1:] if j not in out.dropped][: len(rule.then)]
                    if len(followers) < len(rule.then) or not all(
                        p.search(lines[j]) for p, j in zip(rule.then, followers)
                    ):
                        continue
                    for j in (i, *followers):
                        out.drop(j, rule.id)
                else:  # extract
                    value = rule.value_of(match)
                    if value is None:
                        continue
                    out.extracted.append(Extraction(i, rule.field or "", value, rule.id, rule.keep_line))
                    if rule.keep_line:
                        out.claimed.add(i)
                        break
                    out.drop(i, rule.id)
                changed = True
                break
    except DocumentTimeout as exc:  # say which rule was matching when the time ran out
        exc.rule = exc.rule or (rule.id if rule is not None else None)
        raise
    return changed
