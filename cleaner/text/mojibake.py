"""Which lines can hold mojibake: a cheap prefilter read from ftfy's own detector.

ftfy's `is_bad` tries dozens of alternatives at every position of a line;
every line it flags holds two adjacent non-ASCII characters or one of a few
characters that its alternatives need. That class, read from the detector's
parsed regex, spares most lines of Latin-script text the full detector.
"""
from __future__ import annotations

import re
from typing import Any

from cleaner.reparse import constants as c
from cleaner.reparse import items as parsed_items

_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT) if c is not None else ()


def adjacency_prefilter(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A cheap regex that finds something in every text `pattern` finds something in, or None if none is known.

    Made for patterns whose every alternative needs non-ASCII characters (as
    ftfy's mojibake detector does): an alternative that needs two adjacent
    non-ASCII characters is covered by `[^\\x00-\\x7f]{2}`, any other by the
    non-ASCII characters of one position it needs. Most lines of Latin-script
    text have neither, and are spared the pattern's many alternatives.
    """
    if pattern.flags & re.IGNORECASE:
        return None
    items = parsed_items(pattern)
    if items is None:
        return None
    try:
        return _prefilter(items)
    except Exception:  # a parsed form laid out otherwise: no prefilter
        return None


def _prefilter(items: list[Any]) -> re.Pattern[str] | None:
    branches = [list(b) for b in items[0][1][1]] if len(items) == 1 and items[0][0] is c.BRANCH else [items]
    single: set[str] = set()
    for branch in branches:
        needed = _positions(branch)
        foreign = [p is not None and all(ord(ch) > 127 for ch in p) for p in needed]
        if any(a and b for a, b in zip(foreign, foreign[1:])):
            continue
        own = [p for p, f in zip(needed, foreign) if f and p is not None]
        if not own:
            return None
        single |= min(own, key=len)
    chars = "".join(re.escape(ch) for ch in sorted(single))
    return re.compile(r"[^\x00-\x7f]{2}" + (f"|[{chars}]" if chars else ""))


def _positions(items: list) -> list[set[str] | None]:
    """The characters each position of a match must be, in order; None where a position is
    unknown or optional (it also breaks adjacency)."""
    out: list[set[str] | None] = []
    for op, arg in items:
        chars = _chars(op, arg)
        if chars is not None:
            out.append(chars)
        elif op is c.SUBPATTERN and not (arg[1] or arg[2]):
            out += _positions(list(arg[-1]))
        elif op in _REPEATS and len(arg[2]) == 1 and arg[0] >= 1 and _chars(*arg[2][0]) is not None:
            out += [_chars(*arg[2][0])] * min(arg[0], 2) + ([None] if arg[1] != arg[0] else [])
        else:
            out.append(None)
    return out


def _chars(op: Any, arg: Any) -> set[str] | None:
    """The characters a single-character item matches, when it names them (a literal or a class of them)."""
    if op is c.LITERAL:
        return {chr(arg)}
    if op is not c.IN:
        return None
    chars: set[str] = set()
    for kind, value in arg:
        if kind is c.LITERAL:
            chars.add(chr(value))
        elif kind is c.RANGE:
            chars.update(chr(x) for x in range(value[0], value[1] + 1))
        else:
            return None
    return chars
