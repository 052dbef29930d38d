"""Bytes to text: BOMs, UTF-8, legacy encodings, and a clear refusal for binary input.

Decoding is strict and always reversible: `encode(decode(data))` gives `data`
back byte for byte, which `restore` relies on.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from cleaner.errors import CleanerError

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_OF = {name: bom for bom, name in _BOMS}

# C0 controls other than BEL, TAB, LF, VT, FF, CR and ESC: a captured terminal log (colour escapes,
# bells) is text, whose controls ftfy removes.
_CONTROL = re.compile(rb"[\x01-\x06\x08\x0e-\x1a\x1c-\x1f]")
_NOT_CONTROL = bytes(b for b in range(256) if not _CONTROL.match(bytes([b])))
_MAX_CONTROL_SHARE = 0.01
_TEXT_CONTROL = re.compile("[\x00-\x06\x08\x0e-\x1a\x1c-\x1f]")
_MAX_NUL_PER = 1000  # bytes per NUL byte that text may hold
_SURROGATE = re.compile("[\udc80-\udcff]")
# In Western text read as cp1252 few letters are non-ASCII; Cyrillic or Greek
# bytes read the same way turn nearly every letter into Latin-1 accents.
_MAX_LATIN1_LETTER_SHARE = 0.3


class DecodeError(CleanerError):
    """The input cannot be read as text; the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name
    bom: bool

    def encode(self, text: str) -> bytes:
        """Encode `text` exactly as the input was encoded (BOM included, stray bytes of UTF-8 put back)."""
        errors = "surrogateescape" if self.encoding == "utf-8" else "strict"
        return (_BOM_OF[self.encoding] if self.bom else b"") + text.encode(self.encoding, errors)


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode `data`, or raise DecodeError naming why it is not text.

    `declared` is the charset the document names for itself (an HTML meta
    tag); it is tried when the bytes are not UTF-8.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(name), name, True)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {name} after its byte order mark at byte {exc.start + len(bom)}") from None
    if data.count(0) > len(data) // _MAX_NUL_PER:  # a few stray NULs do not make a text binary
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise DecodeError("binary file (NUL bytes)")
        return utf16
    if len(data.translate(None, _NOT_CONTROL)) > _MAX_CONTROL_SHARE * len(data):  # the control bytes, counted in C
        raise DecodeError("binary file (control bytes)")
    utf8 = _utf8(data)
    if utf8 is not None:
        return utf8
    if declared:
        try:
            name = codecs.lookup(declared).name
            return Decoded(data.decode(name), name, False)
        except (LookupError, UnicodeDecodeError):
            pass
    legacy = _legacy(data)
    if legacy is None:
        raise DecodeError("binary file or unknown encoding (not UTF-8, no charset fits)")
    return legacy


def _utf8(data: bytes) -> Decoded | None:
    """UTF-8, also when a few bytes are broken (a cut multi-byte character, say).

    Broken bytes become lone surrogates (surrogateescape), so encoding gives
    the input back exactly; normalization shows them as U+FFFD. Text with more
    broken bytes than a tenth of its good non-ASCII characters is not UTF-8.
    """
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)  # the common case: no broken byte at all
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "surrogateescape")
    broken = len(_SURROGATE.findall(text))
    if broken == 0:
        return Decoded(text, "utf-8", False)
    good = sum(1 for c in text if not c.isascii()) - broken
    return Decoded(text, "utf-8", False) if broken * 10 <= good else None


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
            controls = len(_TEXT_CONTROL.findall(text))
            return None if controls > _MAX_CONTROL_SHARE * len(text) else Decoded(text, name, False)
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
