"""The record is enough to rebuild the input byte for byte, whatever its encoding and layout."""
from __future__ import annotations

import codecs
import json
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cleaner import DecodeError, Options, clean_bytes
from cleaner.record.restore import EditedError, RestoreError, restore_bytes
from cleaner.record.sidecar import Sidecar, dumps, to_sidecar

SEED_LIKE = ("• Live\n    • Audio Only\nNews > World\n\nA Headline Here\n\nBody text, with a\u00a0space.  \n"
             "RELATED:\n\nLinked Story\n\nMore body â€œtextâ€\x9d.\nComment\n0\nComments\nPost with no comments.")


def roundtrip(data: bytes, ruleset, title: str = "keep") -> bytes:
    result = clean_bytes(data, ruleset, options=Options(title=title))
    sidecar = Sidecar.from_json(json.loads(dumps(to_sidecar(result, "x.txt"))))  # through JSON, as restore will read it
    return restore_bytes(result.text, sidecar)


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    lambda t: t.encode("cp1252", errors="replace"),
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: t.replace("\n", "\r").encode("utf-8"),
    lambda t: (t + "\n").encode("utf-8"),
])
@pytest.mark.parametrize("title", ["keep", "drop"])
def test_roundtrip(encode, title: str, ruleset) -> None:
    data = encode(SEED_LIKE)
    assert roundtrip(data, ruleset, title) == data


def test_mixed_line_ends_roundtrip(ruleset) -> None:
    data = b"One line\r\nTwo line\rThree\n\nFour\r\n"
    assert roundtrip(data, ruleset) == data


def test_a_tampered_output_is_refused(ruleset) -> None:
    result = clean_bytes(SEED_LIKE.encode("utf-8"), ruleset)
    sidecar = to_sidecar(result, "x.txt")
    for edited in (result.text.replace("Headline", "Heading"), result.text + "\nExtra paragraph\n"):
        with pytest.raises(EditedError, match="^edited since it was cleaned .*sha256"):
            restore_bytes(edited, sidecar)
    short = replace(sidecar, record=replace(sidecar.record, paragraph_lines=sidecar.record.paragraph_lines[:-1]))
    with pytest.raises(RestoreError, match="paragraphs"):  # a sidecar that does not fit its own text
        restore_bytes(result.text, short)


MOJIBAKE = ["â€™", "â€œ", "â€\x9d", "Ã©", "Ã¨", "Ã¼", "Ã¶", "â€”", "Â ", "&amp;", "\x1b[1m"]
plain = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=40)
line_text = st.builds(
    lambda parts, trailing: "".join(parts) + trailing,
    st.lists(st.one_of(plain, st.sampled_from(MOJIBAKE), st.sampled_from(["Share", "RELATED:", "Comments", " • Live"])),
             max_size=4),
    st.sampled_from(["", " ", "  ", "\t", "\u00a0"]),
)
newline = st.sampled_from(["\n", "\r\n", "\r"])


@given(lines=st.lists(st.tuples(line_text, newline), max_size=12), last=line_text,
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_roundtrip_property(lines, last, encoding, ruleset) -> None:
    text = "".join(l + nl for l, nl in lines) + last
    if encoding == "cp1252":
        text = text.encode("cp1252", errors="ignore").decode("cp1252")
    data = text.encode(encoding)
    try:
        result = clean_bytes(data, ruleset)
    except DecodeError:
        assume(False)  # refused as binary: nothing to restore
    assert restore_bytes(result.text, Sidecar.from_json(json.loads(dumps(to_sidecar(result, "x"))))) == data
    assert clean_bytes(result.text.encode("utf-8"), ruleset).text == result.text


@cache
def with_extra_rule(extra: str):
    """The shipped rules and one more that drops the line `extra`."""
    from cleaner.rulebook.load import build_ruleset, shipped_rules_dir

    return build_ruleset([(str(p), p.read_bytes()) for p in sorted(shipped_rules_dir().rglob("*.toml"))]
                         + [("extra.toml", f"[generic]\nid = \"x\"\n[[rule]]\nid = \"extra\"\nmatch = '^{extra}$'\n".encode())])


@given(lines=st.lists(line_text, min_size=1, max_size=10), extra=st.sampled_from(["Share", "Comments", "Tags"]))
def test_fixing_again_with_more_rules_still_restores_the_first_input(lines, extra, ruleset) -> None:
    """fix with the shipped rules, then again with one more rule: the composed record leads back to the input."""
    from cleaner.record.compose import compose

    data = "\n".join(lines + [extra, "A closing paragraph of the article that stays."]).encode("utf-8")
    try:
        first = clean_bytes(data, ruleset)
    except DecodeError:
        assume(False)  # refused as binary: nothing to fix
    earlier = Sidecar.from_json(json.loads(dumps(to_sidecar(first, "x"))))
    more = with_extra_rule(extra)
    second = clean_bytes(first.text.encode("utf-8"), more)
    composed = compose(earlier, first.text, Sidecar.from_json(json.loads(dumps(to_sidecar(second, "x")))), second.text)
    assert restore_bytes(second.text, composed) == data
