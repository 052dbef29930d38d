"""A line's normalized form, the unit counted across a site's pages, and a stable 64-bit key for it.

The form folds what changes from page to page in the same chrome: Unicode
compatibility forms (NFKC), case, runs of white space, every whole number (so
`Updated 3:41 pm` and `Updated 10:02 am` are one form), and the names of
weekdays and months and a time's am/pm (`Wednesday, November 7 2012` and `Monday,
October 1 2012`).
Keys are CRC-based, not Python's `hash`, so counts agree between processes and runs.
"""
from __future__ import annotations

import re
import unicodedata
import zlib

import numpy as np

_SPACE = re.compile(r"\s+")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Sept")


def _names(names: tuple[str, ...]) -> str:
    """The names and their three-letter abbreviations, longest first, as one alternation."""
    return "|".join(sorted({*names, *(n[:3] for n in names)}, key=lambda n: (-len(n), n)))


# What changes from page to page in one line of chrome, by kind, as a drafted rule's pattern matches it.
VARYING = {"number": r"\d+", "weekday": f"(?:{_names(WEEKDAYS)})", "month": f"(?:{_names(MONTHS)})",
           "meridiem": r"(?:[ap]\.?m\.?)"}
SPLIT = re.compile(r"(?P<number>\d+)|\b(?P<weekday>" + _names(WEEKDAYS) + r")\b|\b(?P<month>" + _names(MONTHS)
                   + r")\b|(?<=\d)(?P<meridiem>[ap]\.?m\.?)(?![^\W\d_])|(?<=\d )(?P<meridiem2>[ap]\.?m\.?)(?![^\W\d_])",
                   re.IGNORECASE)


def kind_of(match: re.Match[str]) -> str:
    """Which of VARYING a SPLIT match is."""
    return "meridiem" if match.lastgroup == "meridiem2" else str(match.lastgroup)


def form(line: str) -> str:
    folded = _SPACE.sub(" ", unicodedata.normalize("NFKC", line).casefold()).strip()
    return SPLIT.sub(lambda m: "0" if m.lastgroup == "number" else f"<{kind_of(m)}>", folded)


def key(text: str) -> int:
    """A 64-bit key of `text`: two CRC-32s with different starting values."""
    data = text.encode("utf-8", "surrogatepass")
    return (zlib.crc32(data) << 32) | zlib.crc32(data, 0x9E3779B9)


def forms_and_keys(lines: tuple[str, ...]) -> tuple[tuple[str, ...], np.ndarray]:
    """A page's forms and their keys (uint64), line by line."""
    forms = tuple(form(line) for line in lines)
    return forms, np.fromiter((key(f) for f in forms), dtype=np.uint64, count=len(forms))


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def opener(form: str) -> str:
    """A form's first word with a letter in it (past bullets and numbers): what a near miss opens with."""
    return next((word for word in form.split(" ") if any(ch.isalpha() for ch in word)), "")
