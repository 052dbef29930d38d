"""Python's own regex parser, behind a guard: the parsed form of a pattern, or None.

The shortcuts that spare the engine most regex calls (rulebook.patterns) and
the mojibake prefilter (text.normalize) read a pattern's parsed form from the
private `re._parser` and `re._constants`. Another Python may lay them out
differently: then `parse` returns None, every shortcut falls back to "not
known" (try the full regex), and cleaning stays correct, only slower.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:
    from re import _constants as constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]

    _READY = all(hasattr(constants, name) for name in (
        "AT", "AT_BEGINNING", "AT_END", "LITERAL", "IN", "BRANCH", "SUBPATTERN", "MAX_REPEAT", "MIN_REPEAT",
        "MAXREPEAT", "CATEGORY", "CATEGORY_DIGIT", "RANGE", "NOT_LITERAL", "ANY", "ASSERT", "ASSERT_NOT",
    )) and hasattr(_sre_parse, "parse")
except ImportError:  # pragma: no cover - a Python without these modules
    constants = None
    _READY = False


@lru_cache(maxsize=4096)
def _parse(source: str, flags: int) -> Any:
    return _sre_parse.parse(source, flags)


def parse(pattern: re.Pattern[str]) -> Any | None:
    """`pattern`'s parsed form (made once per pattern; treat it as read-only), or None where it cannot be read."""
    if not _READY:
        return None
    try:
        return _parse(pattern.pattern, pattern.flags)
    except Exception:  # a parser that differs from the one these shortcuts were written for
        return None


def items(pattern: re.Pattern[str]) -> list[Any] | None:
    """The top-level items of `pattern`'s parsed form, or None where it cannot be read."""
    parsed = parse(pattern)
    if parsed is None:
        return None
    try:
        return list(parsed)
    except Exception:
        return None
