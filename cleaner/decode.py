"""Bytes to text: BOMs, UTF-8, legacy encodings, and a clear refusal for binary input.

Decoding is strict and always reversible: `encode(decode(data))` gives `data`
back byte for byte, which `restore` relies on.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_OF = {name: bom for bom, name in _BOMS}

# C0 controls other than TAB, LF, VT, FF, CR and ESC (terminal escapes are text).
_CONTROL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")
_MAX_CONTROL_SHARE = 0.01
# In Western text read as cp1252 few letters are non-ASCII; Cyrillic or Greek
# bytes read the same way turn nearly every letter into Latin-1 accents.
_MAX_LATIN1_LETTER_SHARE = 0.3


class DecodeError(ValueError):
    """The input cannot be read as text; the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name
    bom: bool

    def encode(self, text: str) -> bytes:
        """Encode `text` exactly as the input was encoded (BOM included)."""
        return (_BOM_OF[self.encoding] if self.bom else b"") + text.encode(self.encoding)


def decode(data: bytes) -> Decoded:
    """Decode `data`, or raise DecodeError naming why it is not text."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(name), name, True)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {name} after its byte order mark at byte {exc.start + len(bom)}") from None
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise DecodeError("binary file (NUL bytes)")
        return utf16
    if len(_CONTROL.findall(data)) > _MAX_CONTROL_SHARE * len(data):
        raise DecodeError("binary file (control bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    legacy = _legacy(data)
    if legacy is None:
        raise DecodeError("binary file or unknown encoding (not UTF-8, no charset fits)")
    return legacy


def _bomless_utf16(data: bytes) -> Decoded | None:
    """UTF-16 without a BOM shows as NUL in every other byte of ASCII text."""
    if len(data) % 2:
        return None
    for name, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if zeros.count(0) >= 0.6 * len(zeros):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                return None
            return None if "\x00" in text else Decoded(text, name, False)
    return None


def _legacy(data: bytes) -> Decoded | None:
    """cp1252 when it reads as Western text, else charset_normalizer's best guess."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        letters = [c for c in text if c.isalpha()]
        foreign = sum(1 for c in letters if not c.isascii())
        if foreign <= _MAX_LATIN1_LETTER_SHARE * max(len(letters), 1):
            return Decoded(text, "cp1252", False)
    from charset_normalizer import from_bytes  # slow import, needed only here

    best = from_bytes(data).best()
    if best is None:
        return None if text is None else Decoded(text, "cp1252", False)
    name = codecs.lookup(best.encoding).name
    try:
        guessed = data.decode(name)
    except UnicodeDecodeError:
        return None
    if guessed.encode(name) != data:
        return None
    return Decoded(guessed, name, False)
