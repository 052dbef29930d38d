"""Decoding: BOMs, UTF-8, legacy code pages, binary refusal; always reversible."""
from __future__ import annotations

import codecs

import pytest

from cleaner.text.decode import DecodeError, decode

TEXT = "Le café crème coûte 3 € — «très» cher.\nSecond line.\n"


@pytest.mark.parametrize(
    "data, encoding, bom",
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", True),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", True),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", True),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le", True),
        (TEXT.encode("utf-16-le"), "utf-16-le", False),
        (TEXT.encode("cp1252"), "cp1252", False),
    ],
)
def test_decodes_and_encodes_back(data: bytes, encoding: str, bom: bool) -> None:
    decoded = decode(data)
    assert (decoded.text, decoded.encoding, decoded.bom) == (TEXT, encoding, bom)
    assert decoded.encode(decoded.text) == data


def test_latin1_reads_as_western_text() -> None:
    assert decode("café crème".encode("latin-1")).text == "café crème"


def test_cyrillic_code_page_is_not_taken_for_cp1252() -> None:
    text = "Президент Казахстана объявил чрезвычайное положение в нескольких регионах страны.\n" * 3
    decoded = decode(text.encode("cp1251"))
    assert decoded.encoding != "cp1252"
    assert decoded.encode(decoded.text) == text.encode("cp1251")


@pytest.mark.parametrize("data", [b"abc\x00def\x01\x02" * 10, bytes(range(256)) * 3, b"\x1f\x8b\x08\x00" + b"\x03\x04" * 50])
def test_binary_is_refused_with_reason(data: bytes) -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode(data)


def test_bad_utf16_after_bom_is_refused() -> None:
    with pytest.raises(DecodeError, match="utf-16-le"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8a")
