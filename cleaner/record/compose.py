"""Fold a later cleaning into an earlier one's record, so the sidecar always leads back to the first input.

`fix` on a file it fixed before (say, after a rule was added) cleans the
earlier output again. The new record speaks of the earlier output's lines;
composing maps them back through the earlier record's layout (paragraph k of
a cleaned text is its line 2k+1) to the first input's lines. The result is one
flat record, as if the first input had been cleaned in one go: every dropped
line under its original number, with its original text.
"""
from __future__ import annotations

from dataclasses import replace

from cleaner.record.model import Dropped, Repair
from cleaner.record.sidecar import Sidecar
from cleaner.text.layout import paragraphs


def compose(earlier: Sidecar, earlier_text: str, later: Sidecar, later_text: str) -> Sidecar:
    """The sidecar of input -> earlier_text -> later_text, as one record of input -> later_text."""
    first_record, then = earlier.record, later.record
    placed_at = first_record.paragraph_lines
    shown = earlier_text.split("\n")  # the earlier output's lines: paragraphs at odd line numbers
    raw = dict(first_record.raw_lines)

    def original(line: int) -> int:
        """The input line behind line `line` (a paragraph line) of the earlier output."""
        return placed_at[(line - 1) // 2]

    def first(line: int) -> str:
        """Line `line` of the earlier output as the first input had it."""
        return raw.get(original(line), shown[line - 1])

    dropped = list(first_record.dropped)
    for d in then.dropped:
        text = first(d.line)
        dropped.append(Dropped(original(d.line), d.rule, d.text, text if text != d.text else None, d.score))
    new_paragraphs = paragraphs(later_text)
    at_paragraph = set(placed_at)
    raw_lines = [(line, text) for line, text in raw.items() if line not in at_paragraph]  # blank lines
    raw_lines += [(original(line), first(line)) for line, text in zip(then.paragraph_lines, new_paragraphs)
                  if first(line) != text]
    record = replace(
        then,
        site=first_record.site if first_record.site is not None else then.site,
        title=first_record.title if first_record.title is not None else then.title,
        fields={k: v if v is not None else then.fields.get(k) for k, v in first_record.fields.items()},
        captions=first_record.captions + then.captions,
        options=replace(then.options, title=first_record.options.title),
        guard=first_record.guard or then.guard,
        ftfy=sorted(first_record.ftfy + [Repair(original(f.line), f.fixes) for f in then.ftfy], key=lambda f: f.line),
        normalized=first_record.normalized,
        dropped=sorted(dropped, key=lambda d: d.line),
        extracted=sorted(first_record.extracted + [replace(e, line=original(e.line)) for e in then.extracted],
                         key=lambda e: e.line),
        lines=first_record.lines, newline=first_record.newline, newline_exceptions=first_record.newline_exceptions,
        paragraph_lines=[original(line) for line in then.paragraph_lines], raw_lines=sorted(raw_lines),
        source=first_record.source,
    )
    return Sidecar(later.path, earlier.compression, later.filtered, later.output_sha256, record, earlier.previous)
