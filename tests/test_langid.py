"""The shipped langdetect table is langdetect's own, and gives langdetect's answers."""
from __future__ import annotations

from importlib.resources import files

import pytest

from cleaner.text import language as langid

from .conftest import devset_sample


def test_shipped_table_is_what_langdetect_loads() -> None:
    assert files("cleaner.text").joinpath("langprofiles.bin").read_bytes() == langid.build_blob(), \
        "rebuild it: python tools/build_langprofiles.py"


def test_same_answers_as_langdetect_itself() -> None:
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    compared = 0
    for path in [*devset_sample(40), *devset_sample(40, "text-page")]:
        text = path.read_text("utf-8")
        ours = langid.detect(text)
        if ours[0] == langid.UNDETERMINED:
            continue
        theirs = detect_langs(text)[0]
        assert ours == (theirs.lang, round(theirs.prob, 4)), path.name
        compared += 1
    assert compared >= 70


@pytest.mark.parametrize("text", ["", "Short.", "12345 67890 !!! ???"])
def test_too_little_text_is_undetermined(text: str) -> None:
    assert langid.detect(text) == ("und", 0.0)


def test_ngram_lists_are_langdetects_own() -> None:
    """The fast n-gram extraction yields exactly the list langdetect's Detector samples from."""
    from langdetect.detector import Detector
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    stock = DetectorFactory()
    stock.load_profile(PROFILES_DIRECTORY)
    for path in devset_sample(60):
        text = path.read_text("utf-8")
        detector = stock.create()
        detector.append(text)
        detector.cleaning_text()
        assert langid.extract_ngrams(langid._prepare(text, Detector), langid.NgramIndex(stock.word_lang_prob_map)) == \
            detector._extract_ngrams(), path.name


def test_acronyms_spaces_and_vietnamese_follow_langdetect() -> None:
    from langdetect.detector import Detector
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    stock = DetectorFactory()
    stock.load_profile(PROFILES_DIRECTORY)
    for text in ["The NATO and UN met  in  NYC, a US city.", "Xin chào thế giới, tôi là người Việt.",
                 "https://example.org mail me@example.org  ÄÖÜ äöü ŞşȘș", "A", " ", "日本語のテキストです。한국어"]:
        detector = stock.create()
        detector.append(text)
        detector.cleaning_text()
        assert langid.extract_ngrams(langid._prepare(text, Detector), langid.NgramIndex(stock.word_lang_prob_map)) == \
            detector._extract_ngrams(), text


def test_every_probability_is_langdetects() -> None:
    """The detector's loop draws five n-grams per pass and folds the normalization into the next product;
    every language langdetect reports must come out, with its probability to 12 places, not only the
    rounded winner (a float's last bit can differ from langdetect's own run, as it did before this loop)."""
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    texts = [p.read_text("utf-8") for p in [*devset_sample(40), *devset_sample(40, "text-page")]]
    texts += ["Der Vertrag wurde am Montag unterzeichnet. The treaty was signed on Monday. Le traité a été signé lundi."]
    compared = 0
    for text in texts:
        if langid.detect(text)[0] == langid.UNDETERMINED:
            continue
        ours, theirs = langid._detect(text), detect_langs(text)
        assert [lang for lang, _ in ours] == [found.lang for found in theirs]
        assert all(abs(p - found.prob) < 1e-12 for (_, p), found in zip(ours, theirs))
        compared += 1
    assert compared >= 70
