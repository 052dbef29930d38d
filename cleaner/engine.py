"""Apply compiled rules to a document's lines, pass after pass, until nothing more drops.

Zones (head, tail) count the lines still kept, so a rule sees the same zones
when the cleaned output is cleaned again: that, and running to a fixed point,
is what makes cleaning idempotent.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

from .rules import Rule

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


def in_zone(rule: Rule, pos: int, size: int) -> bool:
    if rule.zone == "any":
        return True
    within = rule.within if isinstance(rule.within, int) else math.ceil(rule.within * size)
    return pos < within if rule.zone == "head" else pos >= size - within


def run(lines: Sequence[str], rules: Sequence[Rule], outcome: Outcome, *, zones: bool = True) -> int:
    """Apply `rules` to the kept `lines` until a pass drops nothing; return how many lines dropped.

    With zones=False every rule applies everywhere (how a rule's test cases run).
    """
    before = len(outcome.dropped)
    for _ in range(MAX_PASSES):
        if not _one_pass(lines, rules, outcome, zones):
            break
    return len(outcome.dropped) - before


def _one_pass(lines: Sequence[str], rules: Sequence[Rule], out: Outcome, zones: bool) -> bool:
    alive = out.alive(len(lines))
    size = len(alive)
    changed = False
    for pos, i in enumerate(alive):
        if i in out.dropped or i in out.claimed:
            continue
        for rule in rules:
            if zones and not in_zone(rule, pos, size):
                continue
            match = rule.pattern.search(lines[i])
            if match is None:
                continue
            if rule.action == "drop":
                out.drop(i, rule.id)
            elif rule.action == "cut":
                for j in alive[pos:]:
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
    return changed
