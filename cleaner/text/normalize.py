"""Line splitting and per-line repair: ftfy (which also applies NFC), Unicode spaces, folded white space.

Every change is reported, so the record can say what was done and `restore`
can put the original line back.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ftfy import TextFixerConfig

_NEWLINE = re.compile(r"\r\n|\r|\n")
NEWLINE_NAMES = {"\n": "lf", "\r\n": "crlf", "\r": "cr"}
NEWLINE_CHARS = {name: sep for sep, name in NEWLINE_NAMES.items()}

# Lines that can need no ftfy fix: printable ASCII without HTML entities.
_ASCII_CLEAN = re.compile(r"[\x20-\x25\x27-\x7e]*")
# Every Unicode space separator, tab and the odd line separators inside a line.
_ODD_SPACE = re.compile(r"[^\S ]|[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUN = re.compile(r"  +")
_MAX_FTFY_ROUNDS = 3
_BROKEN_BYTE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape


@dataclass(frozen=True)
class Split:
    """A text as lines and the separators between them (one fewer than lines)."""

    lines: list[str]
    separators: list[str]

    def join(self) -> str:
        out = [self.lines[0]]
        for sep, line in zip(self.separators, self.lines[1:]):
            out += (sep, line)
        return "".join(out)


def split_lines(text: str) -> Split:
    """Split on LF, CRLF and CR only, keeping each separator for restore."""
    parts = _NEWLINE.split(text)
    return Split(parts, _NEWLINE.findall(text))


@lru_cache(maxsize=1)
def _ftfy_config() -> TextFixerConfig:
    from ftfy import TextFixerConfig

    # Curly quotes are the author's typography, not damage.
    return TextFixerConfig(uncurl_quotes=False, explain=True)


def repair_line(line: str, counts: Counter[str], ftfy: bool = True) -> tuple[str, list[str]]:
    """Return the line as output shows it and ftfy's fixes; count layout changes in `counts`.

    ftfy sees the line as it came, before spaces are folded: the bytes that
    read as NBSP or NEL are often part of the mojibake (`Ã` + NBSP is `à`,
    cp1252's `…` read as Latin-1 is NEL). Repair and folding then repeat until
    nothing changes, so the output, repaired again, stays as it is.
    """
    if _ASCII_CLEAN.fullmatch(line):
        return _spaces(line, counts), []
    fixes: list[str] = []
    line, n = _BROKEN_BYTE.subn("\ufffd", line)
    counts["invalid-bytes"] += n
    for _ in range(_MAX_FTFY_ROUNDS):
        fixed = line
        if ftfy and needs_ftfy(line):
            from ftfy import fix_and_explain

            fixed, explanation = fix_and_explain(line, config=_ftfy_config())
            if fixed != line:
                fixes += [f"{action}:{param}" for action, param in explanation or ()]
        spaced = _spaces(fixed, counts)
        if spaced == line:
            break
        line = spaced
    return line, fixes


def needs_ftfy(line: str) -> bool:
    """Whether ftfy could change the line: one of its fixers' characters, mojibake, or text not in NFC.

    Where this says no, fix_and_explain returns the line as it is; most lines
    of clean text need no call to it at all.
    """
    from ftfy.badness import is_bad

    if _ftfy_triggers().search(line) or not unicodedata.is_normalized("NFC", line):
        return True
    suspect = _mojibake_prefilter()
    return (suspect is None or suspect.search(line) is not None) and is_bad(line)


@lru_cache(maxsize=1)
def _mojibake_prefilter() -> re.Pattern[str] | None:
    """What every line ftfy's is_bad flags holds: two adjacent non-ASCII characters, or one of a few.

    Read from ftfy's own detector, so it follows ftfy's versions; is_bad
    tries dozens of alternatives at every position, this one class.
    """
    from ftfy.badness import BADNESS_RE

    from cleaner.text.mojibake import adjacency_prefilter

    return adjacency_prefilter(BADNESS_RE)


@lru_cache(maxsize=1)
def _ftfy_triggers() -> re.Pattern[str]:
    """Every character one of ftfy's fixers acts on (other than fix_encoding, which is_bad gates)."""
    from ftfy import chardata

    points = (set(chardata.CONTROL_CHARS) | set(chardata.LIGATURES) | set(chardata.WIDTH_MAP)
              | {ord(c) for c in "&\x1b\r\u2028\u2029"} | set(range(0x80, 0xA0)) | set(range(0xD800, 0xE000)))
    return re.compile("[" + "".join(re.escape(chr(p)) for p in sorted(points)) + "]")


def _spaces(line: str, counts: Counter[str]) -> str:
    """Unicode spaces to a space, runs folded, ends stripped."""
    line, n = _ODD_SPACE.subn(" ", line)
    counts["unicode-space"] += n
    line, n = _SPACE_RUN.subn(" ", line)
    counts["fold-space"] += n
    stripped = line.strip(" ")
    if stripped != line:
        counts["strip"] += 1
    return stripped
