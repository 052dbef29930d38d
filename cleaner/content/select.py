"""Which lines the model drops: everything it scores below its threshold, to a fixed point.

Dropping lines changes their neighbours' features, so the model scores the
lines it kept again until it drops no more: the kept lines are then a fixed
point, and cleaning the output again drops nothing. Where it would keep
nothing, the densest block of prose stays (or the best-scored line), so no
document comes out empty because of the model.

`auto` runs the model only on documents that read as a whole page: fewer
than PAGE_PROSE_LINES of their lines are prose (ten words or more, ending like
a sentence). Counting lines, not words: one long article outweighs a page's
hundreds of menu lines in words (a word share missed a third of the devset's
and devsites' whole pages), not in lines. Article dumps with leftover chrome
are mostly prose lines.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cleaner.content import RULE
from cleaner.content.model import LineModel
from cleaner.text.prose import reads_as_prose

__all__ = ["RULE", "model_drops", "reads_as_page"]
PAGE_PROSE_LINES = 0.35


def reads_as_page(lines: Sequence[str]) -> bool:
    """Whether fewer than PAGE_PROSE_LINES of the lines are prose: a page with its menus, not an article."""
    return sum(reads_as_prose(line) for line in lines) < PAGE_PROSE_LINES * len(lines)


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
