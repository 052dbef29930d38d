"""Pages that repeat an earlier page: a crawl holds the same article twice, under one URL or with the same text.

A repeated page would make its own article "recur" on its site, and the
learner would take the article's paragraphs for chrome. So each page is
counted once: a page repeats the first page (in key order) with the same
address, the same lines, or nearly the same article, the same long prose
lines, a date line or a counter aside (MinHash over those lines' keys, in
bands; a candidate pair is checked on the whole signature).
"""
from __future__ import annotations

import hashlib

import numpy as np

from cleaner.learning.spool import Spool
from cleaner.text.prose import reads_as_prose

ARTICLE_CHARS = 60  # a prose line this long is the article's own, rarely a template's
MIN_ARTICLE_LINES = 2  # fewer: too little article to tell two pages apart by
HASHES, ROWS = 64, 4  # 16 bands: pairs sharing 70% of their article lines meet with near certainty
SAME = 0.7  # the share of the signature two copies of one article agree on
_SEED = np.random.default_rng(20261208)
_MULT = _SEED.integers(1, 2**63, HASHES, dtype=np.uint64) | np.uint64(1)
_ADD = _SEED.integers(0, 2**63, HASHES, dtype=np.uint64)


def repeats(spool: Spool) -> list[int | None]:
    """Per page, in key order: None for a page counted as itself, else the index of the earlier page it repeats."""
    by_address: dict[str, int] = {}
    by_lines: dict[bytes, int] = {}
    bands: list[dict[bytes, int]] = [{} for _ in range(HASHES // ROWS)]
    signatures: dict[int, np.ndarray] = {}
    found: list[int | None] = []
    for n, page in enumerate(spool):
        lines = hashlib.sha256(page.keys.tobytes()).digest()
        article = np.unique(page.keys[[len(line) >= ARTICLE_CHARS and reads_as_prose(line) for line in page.lines]])
        signature = _signature(article) if len(article) >= MIN_ARTICLE_LINES else None
        original = by_address.get(page.url) if page.url else None
        if original is None:
            original = by_lines.get(lines)
        if original is None and signature is not None:
            original = _near(signature, bands, signatures)
        found.append(original)
        if original is not None:
            continue
        if page.url:
            by_address[page.url] = n
        by_lines.setdefault(lines, n)
        if signature is not None:
            signatures[n] = signature
            for band, table in enumerate(bands):
                table.setdefault(signature[band * ROWS:(band + 1) * ROWS].tobytes(), n)
    return found


def _signature(keys: np.ndarray) -> np.ndarray:
    return (keys[:, None] * _MULT[None, :] + _ADD[None, :]).min(axis=0)


def _near(signature: np.ndarray, bands: list[dict[bytes, int]], signatures: dict[int, np.ndarray]) -> int | None:
    """The earliest counted page whose article this signature nearly equals, if any."""
    candidates = sorted({table[part] for band, table in enumerate(bands)
                         if (part := signature[band * ROWS:(band + 1) * ROWS].tobytes()) in table})
    for n in candidates:
        if np.count_nonzero(signatures[n] == signature) >= SAME * HASHES:
            return n
    return None
