"""The shipped langdetect table is langdetect's own, and gives langdetect's answers."""
from __future__ import annotations

from importlib.resources import files

import pytest

from cleaner import langid

from .conftest import devset_sample, needs_shared


def test_shipped_table_is_what_langdetect_loads() -> None:
    assert files("cleaner").joinpath("langprofiles.bin").read_bytes() == langid.build_blob(), \
        "rebuild it: python tools/build_langprofiles.py"


@needs_shared
def test_same_answers_as_langdetect_itself() -> None:
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    compared = 0
    for path in devset_sample(120):
        text = path.read_text("utf-8")
        ours = langid.detect(text)
        if ours[0] == langid.UNDETERMINED:
            continue
        theirs = detect_langs(text)[0]
        assert ours == (theirs.lang, round(theirs.prob, 4)), path.name
        compared += 1
    assert compared >= 100


@pytest.mark.parametrize("text", ["", "Short.", "12345 67890 !!! ???"])
def test_too_little_text_is_undetermined(text: str) -> None:
    assert langid.detect(text) == ("und", 0.0)
