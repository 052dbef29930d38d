"""The layout of a cleaned text: paragraphs one line each, a blank line between them, a final newline.

Made here and read back here, so that every view of a cleaned text (explain,
restore, compose, the review pages, the learner) splits it as it was joined.
"""
from __future__ import annotations

from collections.abc import Iterable


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """The cleaned text of these paragraphs; none gives the empty text."""
    text = "\n\n".join(paragraphs)
    return text + "\n" if text else ""


def paragraphs(text: str) -> list[str]:
    """A cleaned text's paragraphs, as join_paragraphs made it."""
    return text[:-1].split("\n\n") if text else []
