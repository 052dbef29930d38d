"""Which lines the model drops: everything it scores below its threshold, to a fixed point.

Dropping lines changes their neighbours' features, so the model scores the
lines it kept again until it drops no more: the kept lines are then a fixed
point, and cleaning the output again drops nothing. Where it would keep
nothing, the densest block of prose stays (or the best-scored line), so no
document comes out empty because of the model.

`auto` runs the model only on documents that read as a whole page: less than
PAGE_PROSE_SHARE of their words in prose lines (ten words or more, ending
like a sentence). Article dumps with leftover chrome are mostly prose.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.content import RULE
from cleaner.content.model import LineModel
from cleaner.text.prose import reads_as_prose

__all__ = ["RULE", "model_drops", "reads_as_page"]
PAGE_PROSE_SHARE = 0.6


def reads_as_page(lines: Sequence[str]) -> bool:
    """Whether less than PAGE_PROSE_SHARE of the words are in prose lines: a page with its menus, not an article."""
    words = [len(line.split()) for line in lines]
    prose = sum(w for line, w in zip(lines, words) if reads_as_prose(line, w))
    return prose < PAGE_PROSE_SHARE * sum(words)


def model_drops(lines: Sequence[str], alive: Sequence[int], model: LineModel) -> tuple[dict[int, float], dict[int, float]]:
    """The lines (indices into `lines`) the model drops, with their scores; and the kept lines' scores."""
    kept = list(alive)
    dropped: dict[int, float] = {}
    while kept:
        scores, block = model.scores([lines[i] for i in kept])
        below = scores < model.threshold
        if below.all():  # it would keep nothing: the densest block of prose stays, or the best line
            below = np.ones(len(kept), dtype=bool)
            if block is not None:
                below[block[0]: block[1] + 1] = False
            else:
                below[int(np.argmax(scores))] = False
        if not below.any():
            return dropped, {i: round(float(s), 4) for i, s in zip(kept, scores)}
        dropped.update((kept[k], round(float(scores[k]), 4)) for k in np.flatnonzero(below))
        kept = [i for i, gone in zip(kept, below) if not gone]
    return dropped, {}
