"""A finished run's documents as the learner reads them: the lines the rules left, in order.

Learning reads a `cleaner clean` run's manifest, outputs and sidecars (as the
report does), so the cleaning itself ran under the real executors and their
limits. A document's lines are those its output kept plus those the line
model dropped: what recurs among them is what the rules do not know yet.
Each line's form and key are made here, once: every later pass reads them.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from cleaner.batch.manifest import read_manifest
from cleaner.batch.records_in import kind_of, read_items
from cleaner.content import RULE as MODEL_RULE
from cleaner.errors import CleanerError
from cleaner.learning.forms import forms_and_keys
from cleaner.record.model import Record
from cleaner.record.sidecar import Sidecar, SidecarError
from cleaner.text.layout import paragraphs
from cleaner.text.pagemeta import host_of, record_url


@dataclass(frozen=True, slots=True)
class Page:
    key: str  # the input as the manifest names it; `shard#id` for a shard's record (`shard#@12`: line 12, no id)
    url: str | None  # the page's address, where one is known, as `host/path?query` (see same_address)
    host: str | None  # of the page's URL, where one is known
    site: str | None  # the site the run's rules identified
    lines: tuple[str, ...]  # the lines the rules left, in order
    kept: tuple[bool, ...]  # per line: in the output (False: the line model dropped it)
    close: tuple[bool, ...]  # per line: kept, or dropped by the model by a narrow margin (see CLOSE)
    forms: tuple[str, ...]  # per line: its form (learning.forms)
    keys: np.ndarray  # per line: its form's key (uint64)
    gone: np.ndarray  # the keys of the lines rules dropped: they tell where else a line stands (a fingerprint's test)


def read_run(root: Path) -> Iterator[Page]:
    """Every written or emptied document of the run in `root`, in manifest order; unreadable ones are skipped."""
    for entry in read_manifest(root):
        if entry.get("status") == "failed" or entry.get("filtered"):
            continue
        if "records" in entry:
            yield from _shard_pages(root, entry)
        else:
            page = _document_page(root, entry)
            if page is not None:
                yield page


def _document_page(root: Path, entry: dict[str, Any]) -> Page | None:
    try:
        sidecar = Sidecar.read(root / entry["sidecar"])
        text = (root / entry["output"]).read_text("utf-8", "surrogateescape") if entry.get("output") else ""
    except (OSError, SidecarError, KeyError):
        return None
    return page_of(str(entry["input"]), sidecar.record, text, None)


def same_address(url: object) -> str | None:
    """A URL as two copies of one page share it: the host lower-cased without `www.`, the path without a
    trailing slash, the query; no scheme, no fragment. None for what is no absolute URL."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}" if host else None


def record_key(shard: str, fields: dict[str, Any], where: int) -> str:
    """How a shard's record is named to a reviewer: `shard#id`, by its position where it has no id."""
    ident = fields.get("id")
    return f"{shard}#{ident}" if isinstance(ident, (str, int)) and not isinstance(ident, bool) else f"{shard}#@{where}"


def _shard_pages(root: Path, entry: dict[str, Any]) -> Iterator[Page]:
    output = root / entry["output"]
    if kind_of(output.name) is None:
        return
    try:
        for item in read_items(output):
            sidecar = _record_sidecar(item.fields)
            text = item.fields.get("text")
            if sidecar is not None and isinstance(text, str):
                yield page_of(record_key(str(entry["input"]), item.fields, item.where), sidecar.record, text,
                              item.host, record_url(item.fields))
    except CleanerError:
        return


def _record_sidecar(fields: dict[str, Any]) -> Sidecar | None:
    """A shard record's sidecar: under `metadata.cleaner` (JSONL) or in the `cleaner` column (Parquet)."""
    found = fields.get("cleaner")
    if found is None and isinstance(fields.get("metadata"), dict):
        found = fields["metadata"].get("cleaner")
    try:
        return Sidecar.from_json(json.loads(found) if isinstance(found, str) else found)
    except (SidecarError, ValueError, TypeError):
        return None


def page_of(key: str, record: Record, text: str, host: str | None, url: str | None = None) -> Page:
    """A document's lines in input order: its output's paragraphs where they stood, and what the model dropped."""
    placed = [(n, line, True, True) for n, line in zip(record.paragraph_lines, paragraphs(text))]
    placed += [(d.line, d.text, False, d.score is not None and d.score >= _close_to())
               for d in record.dropped if d.rule == MODEL_RULE]
    placed.sort()
    meta = record.page_meta or {}
    html_host = host_of(meta.get("url")) or meta.get("hostname")
    lines = tuple(line for _, line, _, _ in placed)
    _, gone = forms_and_keys(tuple(d.text for d in record.dropped if d.rule != MODEL_RULE))
    return Page(key, same_address(url or meta.get("url")), host or (str(html_host) if html_host else None),
                record.site, lines, tuple(kept for _, _, kept, _ in placed), tuple(c for *_, c in placed),
                *forms_and_keys(lines), gone)


CLOSE = 0.1  # a line the model dropped scoring within this of its threshold may stay once learned rules ran


@lru_cache(maxsize=1)
def _close_to() -> float:
    from cleaner.content.model import shipped

    return shipped().threshold - CLOSE
