"""The record of one cleaning, from what the core decided about the lines it saw.

The core works on a document's non-blank lines, repaired, by index; the record
speaks of input lines, by 1-based number, as the input had them. `Layout`
holds the one map between the two, and `build_record` applies it once.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cleaner.options import Options
from cleaner.record.model import Dropped, Extracted, Guard, Record, Repair
from cleaner.rulebook.model import FIELDS
from cleaner.text.headline import counts
from cleaner.text.normalize import NEWLINE_NAMES, Split

if TYPE_CHECKING:
    from cleaner.rulebook.engine import Outcome


@dataclass
class Layout:
    """A document's input lines, each as repaired, and which of them the rules see (the non-blank ones)."""

    split: Split  # the input's lines and separators, exactly
    shown: list[str]  # each input line repaired, spaces folded ("" for a blank line)
    at: list[int]  # the input index of each line the rules see
    lines: list[str]  # the lines the rules see, repaired (shown at `at`)
    repaired: list[Repair]  # what ftfy did, per input line
    normalized: Counter[str]  # layout changes by kind


@dataclass(frozen=True)
class Verdict:
    """What the core found besides which lines went: the site, the language, the headline, the guard."""

    site: str | None
    lang: str
    lang_prob: float
    title: str | None
    guard: Guard | None


def lifted(outcome: Outcome) -> dict[str, list[str]]:
    """The values extract rules lifted, per field, in line order."""
    values: dict[str, list[str]] = {f: [] for f in FIELDS}
    for ex in outcome.extracted:
        values[ex.field].append(ex.value)
    return values


def build_record(layout: Layout, outcome: Outcome, alive: list[int], text: str, verdict: Verdict, options: Options,
                 ruleset: str, rules: str, scores: dict[int, float], score_rule: str) -> Record:
    """The record of cleaning `layout` into `text` (the lines `alive`); `scores`: the line model's, by index,
    kept in the record for the lines it dropped (under `score_rule`) and for explain."""
    split, shown, at = layout.split, layout.shown, layout.at
    lines = layout.lines
    kept_at = {at[i] for i in alive}
    dropped = [
        Dropped(at[i] + 1, rule, lines[i], None if split.lines[at[i]] == lines[i] else split.lines[at[i]],
                scores[i] if rule == score_rule else None)
        for i, rule in sorted(outcome.dropped.items())
    ]
    dropped_at = {at[i] for i in outcome.dropped}
    raw_lines = [
        (n + 1, piece) for n, piece in enumerate(split.lines)
        if n not in dropped_at and piece != (shown[n] if n in kept_at else "")
    ]
    names = [NEWLINE_NAMES[s] for s in split.separators]
    newline = Counter(names).most_common(1)[0][0] if names else "lf"
    normalized = Counter(layout.normalized)
    normalized["newline"] = sum(1 for n in names if n != "lf")
    normalized["blank-lines"] = len(split.lines) - len(at)
    values = lifted(outcome)
    return Record(
        site=verdict.site, lang=verdict.lang, lang_prob=verdict.lang_prob, title=verdict.title,
        fields={f: (values[f][0] if values[f] else None) for f in ("published", "section", "author")},
        captions=values["caption"], options=options, dropped=dropped,
        extracted=[Extracted(at[e.index] + 1, e.field, e.value, e.rule, e.kept) for e in outcome.extracted],
        ftfy=layout.repaired, normalized={k: v for k, v in sorted(normalized.items()) if v},
        lines=len(split.lines), newline=newline,
        newline_exceptions=[(i + 1, n) for i, n in enumerate(names) if n != newline],
        paragraph_lines=[at[i] + 1 for i in alive], raw_lines=raw_lines,
        counts=counts(text, len(alive)), ruleset=ruleset, rules=rules,
        guard=verdict.guard, scores={at[i] + 1: score for i, score in sorted(scores.items())},
    )
