"""Rebuild a document's exact input from its cleaned text and sidecar: the record, read backwards."""
from __future__ import annotations

import hashlib
from typing import Any

from cleaner.text.decode import Decoded
from cleaner.text.normalize import NEWLINE_CHARS, Split


class RestoreError(ValueError):
    """The cleaned text and its sidecar do not fit together, or do not give the recorded input."""


def restore_text(cleaned: str, sidecar: dict[str, Any]) -> str:
    layout = sidecar["layout"]
    pieces = [""] * layout["lines"]
    paragraphs = cleaned[:-1].split("\n\n") if cleaned else []
    if len(paragraphs) != len(layout["paragraph_lines"]):
        raise RestoreError(
            f"cleaned text has {len(paragraphs)} paragraphs, the sidecar expects {len(layout['paragraph_lines'])}"
        )
    for line, text in zip(layout["paragraph_lines"], paragraphs):
        pieces[line - 1] = text
    for d in sidecar["dropped"]:
        pieces[d["line"] - 1] = d.get("raw", d["text"])
    for line, raw in layout["raw_lines"]:
        pieces[line - 1] = raw
    separators = [NEWLINE_CHARS[layout["newline"]]] * (len(pieces) - 1)
    for line, name in layout["newline_exceptions"]:
        separators[line - 1] = NEWLINE_CHARS[name]
    return Split(pieces, separators).join()


def restore_bytes(cleaned: str, sidecar: dict[str, Any]) -> bytes:
    """The original input bytes, checked against the sha256 the sidecar recorded."""
    source = sidecar["source"]
    if source.get("format", "text") != "text":
        raise RestoreError(f"the input was {source['format']}: its text was extracted and the page is not kept")
    data = Decoded("", source["encoding"], source["bom"]).encode(restore_text(cleaned, sidecar))
    if hashlib.sha256(data).hexdigest() != source["sha256"]:
        raise RestoreError("restored bytes do not match the recorded sha256")
    return data
