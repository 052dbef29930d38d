"""`cleaner explain`: every input line with its fate, read from the record, as the sidecar and restore are.

A line is kept (a paragraph of the output), dropped by a rule, lifted into
a sidecar field by an extract rule (and dropped, or kept), or blank. For
HTML input the lines are those trafilatura extracted from the page.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from cleaner.record.model import Record, Result
from cleaner.text.layout import paragraphs

COLOURS = {"kept": "32", "dropped": "31", "lifted": "36", "blank": "2"}  # green, red, cyan, dim
MARKS = {"kept": "+", "dropped": "-", "lifted": ">", "blank": " "}


@dataclass(frozen=True)
class Fate:
    line: int  # 1-based input line (of the extracted text, for HTML)
    fate: str  # kept, dropped, lifted (value taken, line dropped), blank
    text: str  # the line as the rules saw it
    rule: str | None = None
    field: str | None = None  # where an extract rule put the value
    value: str | None = None
    score: float | None = None  # the line model's score, where it ran


def fates(result: Result) -> list[Fate]:
    """One Fate per input line, from the record and the output alone."""
    record = result.record
    kept = dict(zip(record.paragraph_lines, paragraphs(result.text)))
    dropped = {d.line: d for d in record.dropped}
    lifted = {e.line: e for e in record.extracted}
    out: list[Fate] = []
    for n in range(1, record.lines + 1):
        e = lifted.get(n)
        lift = {"field": e.field, "value": e.value} if e else {}
        score = record.scores.get(n)
        if n in dropped:
            d = dropped[n]
            score = d.score if score is None else score  # a record read from its sidecar keeps the dropped lines' scores
            out.append(Fate(n, "lifted" if e and e.rule == d.rule else "dropped", d.text, d.rule, score=score, **lift))
        elif n in kept:
            out.append(Fate(n, "kept", kept[n], e.rule if e else None, score=score, **lift))
        else:
            out.append(Fate(n, "blank", ""))
    return out


def as_json(result: Result, path: str) -> str:
    r = result.record
    return json.dumps({"path": path, "format": _format(r), "site": r.site, "lang": r.lang, "title": r.title,
                       "guard": asdict(r.guard) if r.guard else None,
                       "lines": [_compact(asdict(f)) for f in fates(result)]},
                      ensure_ascii=False, indent=1) + "\n"


def _format(record: Record) -> str:
    return record.source.format if record.source is not None else "text"


def _compact(fate: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fate.items() if v is not None}


def as_text(result: Result, path: str, colour: bool) -> str:
    """A line per input line: number, mark, what acted on it, the text; coloured by fate if `colour`."""
    r = result.record
    lines = fates(result)
    head = [f"{path}: site {r.site or '-'}, language {r.lang}, title {r.title!r}"]
    if _format(r) == "html":
        head.append("(HTML: the lines are the text trafilatura extracted from the page)")
    if r.guard:
        head.append(f"guard: generic rules would have taken {r.guard.share:.0%} of the words; "
                    f"put back: {', '.join(r.guard.rules)}")
    labels = [_label(f) for f in lines]
    width = max((len(label) for label in labels), default=0)
    body = []
    for fate, label in zip(lines, labels):
        row = f"{fate.line:>5} {MARKS[fate.fate]} {label:<{width}}  {fate.text}".rstrip()
        body.append(f"\x1b[{COLOURS[fate.fate]}m{row}\x1b[0m" if colour else row)
    counts = {k: sum(f.fate == k for f in lines) for k in ("kept", "dropped", "lifted")}
    tail = f"{counts['kept']} kept, {counts['dropped']} dropped, {counts['lifted']} lifted into the sidecar"
    return "\n".join(head + body + [tail]) + "\n"


def _label(fate: Fate) -> str:
    """What acted on the line: the rule, and the field an extract rule filled (its value is in --format json);
    the line model's score where it ran."""
    if fate.field:
        label = f"{fate.rule} -> {fate.field}"
    else:
        label = fate.rule or ("kept" if fate.fate == "kept" else "")
    return label if fate.score is None else f"{label} {fate.score:.2f}"
