"""What a rule's regex can match, read from its parsed form: the engine's shortcuts.

The engine skips a rule for a line when the line is shorter or longer than
any match of a ^...$ pattern could be, starts with a character no match can
start with, or holds none of the strings every match contains. These bounds
are exact or conservative, never wrong: a rule is only skipped where it
cannot match. Where the parsed form cannot be read (cleaner.reparse), each
answer is "not known" and the engine tries the full regex.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

from cleaner.reparse import constants as c
from cleaner.reparse import items as parsed_items
from cleaner.reparse import parse

_KEY_WORD = re.compile(r"(?<!\w)\w{3,}(?!\w)")
_SPECIALS = r".^$*+?{}\[\]\\|()"
_LITERAL_LINE = re.compile(rf"\^((?:[^{_SPECIALS}]|\\[{_SPECIALS}])+)\$")
_ESCAPED = re.compile(r"\\(.)")
_SPECIAL = re.compile(f"([{_SPECIALS}])")


def escape_line(text: str) -> str:
    """`text` as a pattern matching itself, specials escaped and nothing else (what literal_line reads back)."""
    return _SPECIAL.sub(r"\\\1", text)


def literal_line(pattern: re.Pattern[str]) -> str | None:
    """The one line `^text$` of plain characters (specials escaped) matches, or None for any other pattern.

    Most patterns `cleaner learn` writes are such lines, a site's menus by the
    hundred: their shortcuts are read off the text, with no parse, so that a
    thousand learned site files load in a fraction of the time.
    """
    if pattern.flags & (re.MULTILINE | re.VERBOSE):
        return None
    found = _LITERAL_LINE.fullmatch(pattern.pattern)
    return _ESCAPED.sub(r"\1", found.group(1)) if found else None


def shortcuts(pattern: re.Pattern[str]) -> tuple[int, int, frozenset[str] | None, re.Pattern[str] | None]:
    """The engine's shortcuts for a rule's pattern: (shortest, longest) line it can match, the characters a
    match can start with, and a needle where those are not known."""
    line = literal_line(pattern)
    if line is not None:
        first = {line[0]}
        if pattern.flags & re.IGNORECASE:
            first |= {line[0].casefold(), line[0].upper(), line[0].lower()}
        return len(line), len(line), Starts(first), None
    low, high = line_length_bounds(pattern)
    starts = first_chars(pattern)
    return low, high, starts, needles(pattern) if starts is None else None


def line_length_bounds(pattern: re.Pattern[str]) -> tuple[int, int]:
    """(shortest, longest) line `pattern` can match: the match's width when it is anchored at both
    ends (^...$) at its top level, else (0, unbounded)."""
    parsed = parse(pattern)
    if parsed is None:
        return 0, sys.maxsize
    try:
        items = list(parsed)
        if (not items or items[0] != (c.AT, c.AT_BEGINNING) or items[-1] != (c.AT, c.AT_END)
                or pattern.flags & re.MULTILINE):
            return 0, sys.maxsize
        low, high = parsed.getwidth()
    except Exception:  # a parsed form laid out otherwise: no bound known
        return 0, sys.maxsize
    return low, min(high, sys.maxsize)


_DIGIT = "\\d"  # in a set of first characters: every decimal digit (a string no character equals)


class Starts(frozenset):
    """The characters a match can start with; where `_DIGIT` is one of them, every decimal digit
    too, tested with str.isdecimal (what \\d matches) rather than listed: Unicode has 660."""

    def __contains__(self, char: object) -> bool:
        return frozenset.__contains__(self, char) or (
            isinstance(char, str) and char.isdecimal() and frozenset.__contains__(self, _DIGIT))


def _first(items: list) -> tuple[set[str] | None, bool]:
    """(characters a match of the sequence can start with, or None for any; whether it can be empty)."""
    chars: set[str] = set()
    for op, arg in items:
        if op is c.AT:
            continue
        if op is c.LITERAL:
            return chars | {chr(arg)}, False
        if op is c.IN:
            for kind, value in arg:
                if kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                    chars.add(_DIGIT)
                elif kind is c.LITERAL:
                    chars.add(chr(value))
                elif kind is c.RANGE and value[1] - value[0] < 512:
                    chars.update(chr(x) for x in range(value[0], value[1] + 1))
                else:
                    return None, False
            return chars, False
        if op is c.SUBPATTERN:
            part, empty = _first(list(arg[-1]))
        elif op is c.BRANCH:
            part, empty = set(), False
            for branch in arg[1]:
                sub, sub_empty = _first(list(branch))
                if sub is None:
                    return None, False
                part |= sub
                empty = empty or sub_empty
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            part, empty = _first(list(arg[2]))
            empty = empty or arg[0] == 0
        else:
            return None, False
        if part is None:
            return None, False
        chars |= part
        if not empty:
            return chars, False
    return chars, True


def first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of an ^-anchored pattern can start with (case-folded too), or None if any."""

    if not pattern.pattern.startswith("^") or pattern.flags & re.MULTILINE:
        return None
    items = parsed_items(pattern)
    try:
        chars, empty = _first(items) if items is not None else (None, False)
    except Exception:
        return None
    if chars is None or empty:
        return None
    if pattern.flags & re.IGNORECASE:
        chars |= {x.casefold() for x in chars} | {x.upper() for x in chars} | {x.lower() for x in chars}
    return Starts(chars)


_MAX_CLASS_NEEDLES = 8  # a character class of more characters says too little to be worth a needle


def needles(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A regex of literal strings of which every match of `pattern` contains one, or None if none is known.

    Searching a line for a few literals is far cheaper than trying a pattern
    such as `^.{0,200}(PDF|DOC)...` at every position, and most lines hold none.
    """
    items = parsed_items(pattern)
    try:
        found = _needles(items) if items is not None else None
    except Exception:
        return None
    if not found or "" in found:
        return None
    return re.compile("|".join(map(re.escape, sorted(found))), pattern.flags & (re.IGNORECASE | re.UNICODE))


def _needles(items: list) -> set[str] | None:
    """Strings of which every match of the sequence contains one: the best of what each required item gives."""
    required: list[set[str]] = []
    run: list[str] = []
    for op, arg in [*items, (None, None)]:
        if op is c.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            required.append({"".join(run)})
            run = []
        found: set[str] | None = None
        if op is c.IN and all(kind is c.LITERAL for kind, _ in arg) and len(arg) <= _MAX_CLASS_NEEDLES:
            found = {chr(value) for _, value in arg}
        elif op is c.SUBPATTERN and not (arg[1] or arg[2]):  # (?i:...) would need its own flags
            found = _needles(list(arg[-1]))
        elif op is c.BRANCH:
            branches = [_needles(list(b)) for b in arg[1]]
            found = None if any(b is None for b in branches) else set().union(*branches)  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
            found = _needles(list(arg[2]))
        if found:
            required.append(found)
    # The longest shortest string wins: rarer in text; then the fewest strings.
    return max(required, key=lambda s: (min(map(len, s)), -len(s)), default=None)


_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT) if c is not None else ()
_MANY = 8  # a repeat of more than this many times counts as unbounded: (a+){1,100} backtracks as badly


def backtracking_risk(pattern: re.Pattern[str]) -> str | None:
    """Why `pattern` can take exponential time on some line, or None if no known cause is in it (a line
    of plain characters has none).

    The cause is a repeat whose body can match one stretch of text in many
    ways: a repeat of a repeat with nothing between (`(a+)+`, `(\\w+\\s?)*`),
    of a sequence of optional parts (`(a?b?)+`), or of alternatives that
    can start alike (`(a|[ab]c)+`). Python's regex
    engine backtracks through every way before it gives up on a line.
    """
    if literal_line(pattern) is not None:
        return None
    items = parsed_items(pattern)
    try:
        return _risk(items) if items is not None else None
    except Exception:
        return None


def _risk(items: list) -> str | None:
    for op, arg in items:
        if op in _REPEATS:
            body = list(arg[2])
            if arg[1] == c.MAXREPEAT or arg[1] > _MANY:
                if _repeat_alone(body):
                    return "a repeat directly inside a repeat, such as (a+)+"
                if min_width(body) == 0 and _risky_empty(body):
                    return "a repeat of something that can match nothing, such as (a?b?)+"
                if _overlapping_alternatives(body):
                    return "a repeat of alternatives that can start alike, such as (a|[ab]c)+"
            found = _risk(body)
        elif op is c.SUBPATTERN:
            found = _risk(list(arg[-1]))
        elif op is c.BRANCH:
            found = next((r for r in (_risk(list(b)) for b in arg[1]) if r), None)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            found = _risk(list(arg[1]))
        else:
            found = None
        if found:
            return found
    return None


def min_width(items: list) -> int:
    width = 0
    for op, arg in items:
        if op in (c.LITERAL, c.NOT_LITERAL, c.IN, c.ANY):
            width += 1
        elif op is c.SUBPATTERN:
            width += min_width(list(arg[-1]))
        elif op is c.BRANCH:
            width += min(min_width(list(b)) for b in arg[1])
        elif op in _REPEATS:
            width += arg[0] * min_width(list(arg[2]))
    return width


def _alone(items: list) -> Iterator[tuple[Any, Any]]:
    """The items of a sequence that can make up a whole match by themselves: all the others can match nothing."""
    for k, item in enumerate(items):
        if all(min_width([other]) == 0 for j, other in enumerate(items) if j != k):
            yield item


def _repeat_alone(items: list) -> bool:
    """Whether the sequence can match as a single unbounded repeat of something non-empty."""
    for op, arg in _alone(items):
        if op in _REPEATS and (arg[1] == c.MAXREPEAT or arg[1] > _MANY) and min_width(list(arg[2])) > 0:
            return True
        if op is c.SUBPATTERN and _repeat_alone(list(arg[-1])):
            return True
        if op is c.BRANCH and any(_repeat_alone(list(b)) for b in arg[1]):
            return True
    return False


def _risky_empty(items: list) -> bool:
    """Whether a sequence that can match nothing holds more than one optional part: (a?b?) splits 'ab' two ways."""
    return sum(1 for op, arg in items if op in _REPEATS or op in (c.SUBPATTERN, c.BRANCH)) > 1 or any(
        _risky_empty(list(arg[-1])) for op, arg in items if op is c.SUBPATTERN)


def _overlapping_alternatives(items: list) -> bool:
    """Whether the sequence can match as one alternative of two whose first characters are known to overlap."""
    for op, arg in _alone(items):
        if op is c.SUBPATTERN and _overlapping_alternatives(list(arg[-1])):
            return True
        if op is c.BRANCH:
            firsts = [_first(list(b))[0] for b in arg[1]]
            known = [f for f in firsts if f]
            if any(a & b for k, a in enumerate(known) for b in known[k + 1:]):
                return True
    return False


def key_word(pattern: re.Pattern[str]) -> str | None:
    """A lower-cased word every match of `pattern` contains as a whole word, or None."""
    items = parsed_items(pattern)
    try:
        runs = _literal_runs(items) if items is not None else []
    except Exception:  # an odd pattern is simply always tried
        return None
    best: str | None = None
    for run in runs:
        for m in _KEY_WORD.finditer(run):
            word = m.group(0).lower()
            if best is None or len(word) > len(best):
                best = word
    return best


def _literal_runs(items: list) -> list[str]:
    """Literal text runs of a required sequence, without words cut at an unsafe edge.

    A run's edge word counts only where an anchor (^, $, \\b) bounds it, so a
    literal 'Audio' followed by `\\w*` is not taken as the whole word 'audio'.
    """
    runs: list[str] = []
    current: list[str] = []
    left_safe = False
    for op, arg in [*items, (None, None)]:
        if op is c.LITERAL:
            current.append(chr(arg))
            continue
        if current:
            text = "".join(current)
            if not left_safe:
                text = re.sub(r"^\w+", "", text)
            if not _is_anchor(op, arg):
                text = re.sub(r"\w+$", "", text)
            runs.append(text)
            current = []
        if op is c.SUBPATTERN:
            runs += _literal_runs(list(arg[-1]))
        left_safe = _is_anchor(op, arg)
    return runs


def _is_anchor(op: object, arg: object) -> bool:
    return op is c.AT and arg is not c.AT_NON_BOUNDARY
