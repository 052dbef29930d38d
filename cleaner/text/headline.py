"""What a cleaned text is: its headline, if it opens with one, and its size."""
from __future__ import annotations

import re

_RUNS_ON = re.compile(r"[.,;:]$")  # a sentence's or a lead-in's last mark: no headline ends so
_OPENS = re.compile(r"[\w\"'“‘«„(¿¡]")
MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 30


def reads_as_headline(line: str) -> bool:
    """Short, opens with a letter, digit or quote, and does not end like a sentence or a lead-in."""
    words = line.split()
    return (
        2 <= len(words) <= MAX_TITLE_WORDS
        and len(line) <= MAX_TITLE_CHARS
        and bool(_OPENS.match(line))
        and not line[0].islower()
        and not _RUNS_ON.search(line)
    )


def counts(text: str, paragraphs: int) -> dict[str, int]:
    return {"chars": len(text), "words": len(text.split()), "paragraphs": paragraphs}
