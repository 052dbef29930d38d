"""Whether a cleaned document's text is written, and if not, why: one decision for files and shards."""
from __future__ import annotations

from cleaner.record.model import Record

EMPTY = "empty input: no text"
EMPTIED = "no text left: every line was chrome"


def withheld(record: Record, langs: frozenset[str] | None) -> str | None:
    """Why a document's text is not written, or None: no text in it, none left (after rules dropped
    lines), or not in a language the run asked for."""
    if not record.counts["chars"]:
        return EMPTIED if record.dropped else EMPTY
    return None if langs is None or record.lang in langs else f"language {record.lang} not in {', '.join(sorted(langs))}"


def status(why: str | None) -> str:
    """written, emptied (no text) or filtered (not a language the run asked for)."""
    return "written" if why is None else "emptied" if why in (EMPTY, EMPTIED) else "filtered"
