"""Which pages belong together: by URL host, by the site the rules identified, else by shared lines.

Pages of one template share their menus, share bars and footers, so two
pages of a text dump with no URL are one group when a large enough share of
their recurring short lines (anchors) is the same. The share is estimated
with MinHash signatures and candidate pairs come from banded signatures
(locality-sensitive hashing), so the cost grows with the number of pages,
not with its square; groups are the connected components of the pairs.
Everything is visited in key order, so the groups do not depend on the input's order.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cleaner.learning.forms import letters
from cleaner.learning.spool import Spool
from cleaner.rulebook.model import Ruleset
from cleaner.text.prose import reads_as_prose

SKETCH_BITS = 24  # counters of how many pages hold a form (saturating at 255); collisions only over-count
ANCHOR_CHARS = 100  # longer lines are too rarely template lines to tell a site
MIN_ANCHORS = 2  # a page with fewer recurring short lines joins no text group
HASHES, ROWS = 64, 2  # MinHash functions; rows per band (32 bands: pairs sharing a fifth of anchors meet)
MIN_SHARE = 0.3  # estimated share of anchors (Jaccard) two pages of one group have in common
_SEED = np.random.default_rng(20261201)
_MULT = _SEED.integers(1, 2**63, HASHES, dtype=np.uint64) | np.uint64(1)
_ADD = _SEED.integers(0, 2**63, HASHES, dtype=np.uint64)
_MASK = np.uint64((1 << SKETCH_BITS) - 1)


@dataclass(frozen=True)
class Grouping:
    labels: list[str | None]  # per page in key order: its group, or None
    ways: dict[str, str]  # group -> how it was found: host, site (the rules' fingerprints) or text
    counts: np.ndarray  # the sketch: pages holding each form, by its key's low bits (repeats not counted)
    repeats: list[int | None]  # per page: the earlier page it repeats (see learning.repeats), or None


def sketch_index(keys: np.ndarray) -> np.ndarray:
    return (keys & _MASK).astype(np.intp)


def group(spool: Spool, ruleset: Ruleset, repeated: list[int | None]) -> Grouping:
    """The pages' groups; a page that repeats another is counted nowhere and joins that page's group."""
    counts = np.zeros(1 << SKETCH_BITS, dtype=np.uint8)
    labels: list[str | None] = []
    ways: dict[str, str] = {}
    for n, page in enumerate(spool):
        if repeated[n] is None:  # a page holds a line whether the rules left it or dropped it
            where = sketch_index(np.unique(np.concatenate([page.keys, page.gone])))
            np.add.at(counts, where, (counts[where] < 255).astype(np.uint8))
        label = way = None
        if page.host:
            site = ruleset.index.site_for_host(page.host)
            label, way = site or _host(page.host), "host"
        elif page.site:
            label, way = page.site, "site"
        labels.append(label)
        if label is not None:
            ways.setdefault(label, way or "")
    unknown = [n for n, label in enumerate(labels) if label is None and repeated[n] is None]
    signatures = np.full((len(unknown), HASHES), np.iinfo(np.uint64).max, dtype=np.uint64)
    usable = np.zeros(len(unknown), dtype=bool)
    at = 0
    for n, page in enumerate(spool):
        if at == len(unknown) or unknown[at] != n:
            continue
        short = np.fromiter((len(line) <= ANCHOR_CHARS and letters(line) > 0 and not reads_as_prose(line)
                             for line in page.lines), dtype=bool, count=len(page.lines))
        anchors = np.unique(page.keys[short])
        anchors = anchors[counts[sketch_index(anchors)] >= 2]
        if len(anchors) >= MIN_ANCHORS:
            usable[at] = True
            signatures[at] = (anchors[:, None] * _MULT[None, :] + _ADD[None, :]).min(axis=0)
        at += 1
    roots = _components(signatures, usable)
    for member, root in zip(unknown, roots):
        if root is not None:
            label = f"text:{unknown[root]}"
            labels[member] = label
            ways[label] = "text"
    for n, original in enumerate(repeated):
        if original is not None:
            labels[n] = labels[original]
    return Grouping(labels, ways, counts, repeated)


def _host(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _components(signatures: np.ndarray, usable: np.ndarray) -> list[int | None]:
    """Per page, the first page (by index) of its connected group, None for a page left alone."""
    parent = list(range(len(signatures)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows = np.flatnonzero(usable)
    need = MIN_SHARE * HASHES
    for band in range(HASHES // ROWS):
        part = signatures[rows, band * ROWS:(band + 1) * ROWS]
        _, first, inverse = np.unique(part, axis=0, return_index=True, return_inverse=True)
        heads = rows[first[inverse.ravel()]]
        close = (heads != rows) & (np.count_nonzero(signatures[rows] == signatures[heads], axis=1) >= need)
        for member, head in zip(rows[close].tolist(), heads[close].tolist()):
            a, b = find(head), find(member)
            if a != b:
                parent[max(a, b)] = min(a, b)
    roots = [find(n) for n in range(len(signatures))]
    sizes: dict[int, int] = {}
    for r in roots:
        sizes[r] = sizes.get(r, 0) + 1
    return [r if usable[n] and sizes[r] > 1 else None for n, r in enumerate(roots)]
