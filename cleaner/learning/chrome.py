"""What recurs on a group's pages, where on the page it sits, and whether it is chrome.

A line whose form (see forms.py) is on at least MIN_REPEAT pages of its
group is a candidate. Where it sits is counted per page: in the head run
(above the page's first line of prose no other page has), in the tail run
(below its last), or in the body between. Chrome sits in the runs; a repeat
inside the body is more often the article's own (a quote, a wire story's
paragraph), and a repeat that reads as prose is more often a disclaimer or a
byline the corpus may want: both are offered to a person, not applied.
Counting keeps, per group, only the forms the sketch saw on enough pages.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from cleaner.learning.forms import key, letters, opener
from cleaner.learning.groups import Grouping, sketch_index
from cleaner.learning.spool import Spool
from cleaner.text.prose import reads_as_prose

MIN_PAGES = 2  # a group smaller than this learns nothing
MIN_REPEAT = 2  # a line's form on this many of the group's pages (itself and another; 3 lost devsites
#                 0.015 F1 where a site's file was learned from half its pages, 2 lost 0.007)...
MIN_SHARE = 0.01  # ...and on this share of them (a large site's rare repeats are more often its articles')
MIN_LETTERS = 3  # fewer: dates, scores, splits, punctuation, data rather than chrome
WINDOW = 20  # lines at each end of a page where fingerprints are looked for
NEAR_CHARS = 200  # a kept line longer than this is no near miss to offer as a `keeps` case
MAX_VARIANTS = 8
SAMPLES = 2


@dataclass
class Seen:
    """One form on a group's pages."""

    pages: int = 0
    head: int = 0
    tail: int = 0
    body: int = 0
    window: int = 0  # pages where it is within WINDOW lines of either end
    kept: int = 0  # pages whose output kept it, or nearly: what a rule for it would remove beyond the line model
    at: int = 0  # its line numbers on those pages, added up: how near the top it usually stands
    variants: Counter[str] = field(default_factory=Counter)  # the lines as written, with how many pages
    samples: list[tuple[int, str]] = field(default_factory=list)  # the SAMPLES pages of smallest key hash

    def add(self, line: str, where: str, in_window: bool, kept: bool, at: int, page: str) -> None:
        self.pages += 1
        self.at += at
        setattr(self, where, getattr(self, where) + 1)
        self.window += in_window
        self.kept += kept
        if line in self.variants or len(self.variants) < MAX_VARIANTS:
            self.variants[line] += 1
        self.samples = sorted({*self.samples, (key(page), page)})[:SAMPLES]

    @property
    def line(self) -> str:
        """The most common way it is written (ties: the first in code-point order)."""
        return min(self.variants.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@dataclass
class Group:
    label: str
    way: str  # host, site or text
    pages: int = 0
    seen: dict[str, Seen] = field(default_factory=dict)  # form -> where it was seen
    near: dict[str, tuple[int, str]] = field(default_factory=dict)  # first word -> a kept line opening with it
    spread: dict[str, int] = field(default_factory=dict)  # form -> pages of the whole corpus holding it (sketch)

    @property
    def need(self) -> int:
        return max(MIN_REPEAT, math.ceil(MIN_SHARE * self.pages))

    def verdict(self, form: str) -> str | None:
        """'chrome', or why the recurring line is only a candidate, or None: not recurring enough to say."""
        seen = self.seen[form]
        if seen.pages < self.need or letters(form) < MIN_LETTERS:
            return None
        if reads_as_prose(seen.line):
            return "reads as prose"
        if 2 * seen.body > seen.pages:
            return "mostly inside the article's body"
        return "chrome"


def count(spool: Spool, grouping: Grouping) -> list[Group]:
    """Every group of MIN_PAGES pages or more, with the recurring forms of its pages counted."""
    counted = [label if original is None else None for label, original in zip(grouping.labels, grouping.repeats)]
    sizes = Counter(label for label in counted if label is not None)
    groups = {label: Group(label, grouping.ways[label], n) for label, n in sorted(sizes.items()) if n >= MIN_PAGES}
    for label, page in zip(counted, spool):  # a repeated page is counted once, as the page it repeats
        target = groups.get(label) if label is not None else None
        if target is None:
            continue
        forms = page.forms
        spread = grouping.counts[sketch_index(page.keys)]
        recurring = [int(n) >= MIN_REPEAT for n in spread]
        prose = [i for i, (line, kept) in enumerate(zip(page.lines, page.kept))
                 if kept and not recurring[i] and reads_as_prose(line)]
        first, last = (prose[0], prose[-1]) if prose else (len(forms) // 2, len(forms) // 2 - 1)
        done: set[str] = set()
        openers: set[str] = set()
        for i, (line, f) in enumerate(zip(page.lines, forms)):
            if not recurring[i] or f in done:
                continue
            done.add(f)
            where = "head" if i < first else "tail" if i > last else "body"
            target.seen.setdefault(f, Seen()).add(line, where, i < WINDOW or i >= len(forms) - WINDOW, page.close[i],
                                                  i, page.key)
            target.spread[f] = int(spread[i])
            openers.add(opener(f))
        for i, line in enumerate(page.lines):
            if not recurring[i] and len(line) <= NEAR_CHARS:
                first_word = opener(forms[i])
                if first_word in openers:
                    target.near[first_word] = min(target.near.get(first_word, (key(line), line)), (key(line), line))
    return list(groups.values())

