"""The record of everything cleaning did to one document: what the core returns and every view reads.

The sidecar (record.sidecar), `explain` (record.explain) and `restore`
(record.restore) are views of this one record, not separate accounts of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cleaner.options import Options
from cleaner.version import __version__


@dataclass(frozen=True)
class Dropped:
    line: int  # 1-based input line number
    rule: str
    text: str  # the line as the rules saw it (repaired, spaces folded)
    raw: str | None = None  # the input line exactly, where it differs from `text`
    score: float | None = None  # for a line the content model dropped: its score


@dataclass(frozen=True)
class Extracted:
    line: int
    field: str
    value: str
    rule: str
    kept: bool


@dataclass(frozen=True)
class Repair:
    line: int  # 1-based input line
    fixes: tuple[str, ...]  # ftfy's explanation: "action:parameter" each


@dataclass(frozen=True)
class Guard:
    """What the guard put back when generic rules would have taken more than `limit` of the words."""

    limit: float
    share: float  # what the generic rules would have taken
    lines: int  # lines put back
    rules: dict[str, int]  # lines put back per rule


@dataclass(frozen=True)
class Source:
    """The input's identity, for a document cleaned from bytes."""

    sha256: str
    bytes: int
    encoding: str  # a Python codec name
    bom: bool
    format: str  # text or html


@dataclass
class Record:
    """Everything cleaning did to one document."""

    site: str | None
    lang: str
    lang_prob: float
    title: str | None
    fields: dict[str, str | None]  # published, section, author
    captions: list[str]
    options: Options  # the options that shaped the output
    dropped: list[Dropped]
    extracted: list[Extracted]
    ftfy: list[Repair]  # per repaired line
    normalized: dict[str, int]  # layout changes by kind
    lines: int  # input lines, counting the piece after a final newline
    newline: str
    newline_exceptions: list[tuple[int, str]]  # (line, name) where the separator after `line` differs
    paragraph_lines: list[int]  # input line of each output paragraph
    raw_lines: list[tuple[int, str]]  # (line, exact input) for kept or blank lines shown differently
    counts: dict[str, int]  # chars, words, paragraphs of the output
    ruleset: str  # every rule file loaded
    rules: str  # the rule files this document's cleaning depends on (see Ruleset.effective_digest)
    guard: Guard | None = None  # when the guard put back what generic rules took
    cleaner: str = __version__
    source: Source | None = None  # None for text given as text (clean_text)
    page_meta: dict[str, object] | None = None  # an HTML page's title, date, url...: the sidecar's `html`
    scores: dict[int, float] = field(default_factory=dict)  # input line -> the line model's score, where it ran
    # (not in the sidecar, which keeps the scores of the lines the model dropped; explain shows them all)


@dataclass(frozen=True)
class Result:
    text: str
    record: Record = field(repr=False)
