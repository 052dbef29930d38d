"""A line's normalized form, the unit counted across a site's pages, and a stable 64-bit key for it.

The form folds what changes from page to page in the same chrome: Unicode
compatibility forms (NFKC), case, runs of white space, and every digit (so
`Updated 3:41 pm` and `Updated 10:02 am` are one form). Keys are CRC-based,
not Python's `hash`, so counts agree between processes and runs.
"""
from __future__ import annotations

import re
import unicodedata
import zlib

import numpy as np

_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


def form(line: str) -> str:
    return _DIGIT.sub("0", _SPACE.sub(" ", unicodedata.normalize("NFKC", line).casefold()).strip())


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
