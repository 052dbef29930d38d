"""Rebuild a document's exact input from its cleaned text and sidecar: the record, read backwards."""
from __future__ import annotations

import hashlib

from cleaner.errors import CleanerError
from cleaner.record.sidecar import Sidecar
from cleaner.text.decode import Decoded
from cleaner.text.layout import paragraphs
from cleaner.text.normalize import NEWLINE_CHARS, Split


class RestoreError(CleanerError):
    """The cleaned text and its sidecar do not fit together, or do not give the recorded input."""


def restore_text(cleaned: str, sidecar: Sidecar) -> str:
    record = sidecar.record
    pieces = [""] * record.lines
    shown = paragraphs(cleaned)
    if len(shown) != len(record.paragraph_lines):
        raise RestoreError(
            f"cleaned text has {len(shown)} paragraphs, the sidecar expects {len(record.paragraph_lines)}"
        )
    try:
        for line, text in zip(record.paragraph_lines, shown):
            pieces[line - 1] = text
        for d in record.dropped:
            pieces[d.line - 1] = d.raw if d.raw is not None else d.text
        for line, raw in record.raw_lines:
            pieces[line - 1] = raw
        separators = [NEWLINE_CHARS[record.newline]] * (len(pieces) - 1)
        for line, name in record.newline_exceptions:
            separators[line - 1] = NEWLINE_CHARS[name]
    except (IndexError, KeyError) as exc:
        raise RestoreError(f"the sidecar's layout does not fit its own line count ({exc!r})") from None
    return Split(pieces, separators).join()


class EditedError(RestoreError):
    """The cleaned text is not the one the sidecar describes: a person edited it after cleaning."""


def restore_bytes(cleaned: str, sidecar: Sidecar) -> bytes:
    """The original input bytes, checked against the sha256 the sidecar recorded.

    Only from the very text cleaning wrote: the record accounts for that text, not for an edit
    made to it since, and rebuilding from the record alone would silently drop the edit."""
    if hashlib.sha256(cleaned.encode("utf-8", "surrogatepass")).hexdigest() != sidecar.output_sha256:
        raise EditedError("edited since it was cleaned (its sha256 is not the sidecar's output.sha256): restoring "
                          "would lose the edit; undo it, or keep a copy of it, then restore")
    source = sidecar.record.source
    if source is None:
        raise RestoreError("the sidecar does not record the input's bytes (it was cleaned as text)")
    if source.format != "text":
        raise RestoreError(f"the input was {source.format}: its text was extracted and the page is not kept")
    data = Decoded("", source.encoding, source.bom).encode(restore_text(cleaned, sidecar))
    if hashlib.sha256(data).hexdigest() != source.sha256:
        raise RestoreError("restored bytes do not match the recorded sha256")
    return data
