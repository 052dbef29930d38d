"""Whether a line reads as prose: ten words or more, ending like a sentence.

Chrome is short labels and links; an article is sentences. The `auto` content
mode and the corpus learner both ask this of a line.
"""
from __future__ import annotations

import re

PROSE_WORDS = 10
SENTENCE_MARKS = ".!?…。！？"  # what ends a sentence, in the scripts of the devset
SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_MARKS)}][\"'”’»)\\]]*$")  # the mark, then closing quotes


def reads_as_prose(line: str, words: int | None = None) -> bool:
    """Ten words or more (`words`, when the caller counted them already) and a sentence's last character."""
    return (len(line.split()) if words is None else words) >= PROSE_WORDS and SENTENCE_END.search(line) is not None
