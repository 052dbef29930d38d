"""Property tests on any input: the core never raises, is idempotent and reversible; the decoder takes any bytes.

Run under the hypothesis profile `ci` (2,000 examples each, the default) or
`long` (HYPOTHESIS_PROFILE=long, 50,000 each; see RELIABILITY.md).
"""
from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from cleaner import DecodeError, clean_bytes, clean_text
from cleaner.record.restore import restore_bytes
from cleaner.record.sidecar import Sidecar, dumps, to_sidecar
from cleaner.text.decode import decode

CHROME = ["• Live", "• Audio Only", "News > World", "Share this article", "RELATED: Other news", "Comments",
          "Post with no comments.", "Please enter your comment!", "Published 6 January 2022", "Photo: AP", "Tags"]
line = st.one_of(st.text(max_size=60), st.sampled_from(CHROME),
                 st.text(st.characters(codec="latin-1"), max_size=30).map(lambda t: t.encode("utf-8").decode("latin-1")))
document = st.builds(lambda lines, seps: "".join(l + s for l, s in zip(lines, seps)),
                     st.lists(line, max_size=15), st.lists(st.sampled_from(["\n", "\r\n", "\r", "\n\n", ""]),
                                                           min_size=15, max_size=15))


@given(text=st.one_of(st.text(), document))
def test_clean_text_never_raises_and_is_idempotent(text: str, ruleset) -> None:
    result = clean_text(text, ruleset)
    assert clean_text(result.text, ruleset).text == result.text


@given(text=document)
def test_any_text_round_trips_through_restore(text: str, ruleset) -> None:
    data = text.encode("utf-8")
    try:
        result = clean_bytes(data, ruleset)
    except DecodeError:
        return  # refused (control characters read as binary): nothing to restore
    assert restore_bytes(result.text, Sidecar.from_json(json.loads(dumps(to_sidecar(result, "x"))))) == data


@given(data=st.binary(max_size=400))
def test_the_decoder_takes_any_bytes_and_gives_them_back(data: bytes) -> None:
    try:
        decoded = decode(data)
    except DecodeError as exc:
        assert str(exc)  # a reason, on one line
        assert "\n" not in str(exc)
        return
    assert decoded.encode(decoded.text) == data


@given(data=st.binary(max_size=400))
def test_cleaning_any_bytes_gives_text_or_a_decode_error_and_restores(data: bytes, ruleset) -> None:
    try:
        result = clean_bytes(data, ruleset)
    except DecodeError:
        return
    result.text.encode("utf-8")  # valid UTF-8 out, whatever came in
    assert clean_text(result.text, ruleset).text == result.text
    sidecar = dumps(to_sidecar(result, "x")).encode("utf-8")  # as written to disk: broken input bytes escaped
    assert restore_bytes(result.text, Sidecar.from_json(json.loads(sidecar))) == data
