"""Normalization as the output shows it: spaces, paragraphs, line ends, ftfy repairs."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import clean_text

from .conftest import SLICE, TEXT_SOURCES, text_lines


def test_spaces_and_paragraphs(ruleset) -> None:
    raw = "  First\u00a0 paragraph\there.  \r\n\r\n\r\n\tSecond\u2003line \u200a end\r\nThird\n\n   \n"
    result = clean_text(raw, ruleset)
    assert result.text == "First paragraph here.\n\nSecond line end\n\nThird\n"
    normalized = result.record.normalized
    assert normalized["unicode-space"] >= 4 and normalized["newline"] == 4 and normalized["strip"] >= 2


def test_one_final_newline_and_empty_input(ruleset) -> None:
    assert clean_text("Only line without newline", ruleset).text == "Only line without newline\n"
    assert clean_text("", ruleset).text == ""
    assert clean_text(" \n\t\n", ruleset).text == ""


def test_mojibake_is_repaired_and_explained_curly_quotes_kept(ruleset) -> None:
    result = clean_text("The Councilâ€™s â€œnoteâ€\x9d was sent.\nâ€œPlainâ€\x9d and “curly” quotes.\n", ruleset)
    assert result.text == "The Council’s “note” was sent.\n\n“Plain” and “curly” quotes.\n"
    assert [f.line for f in result.record.ftfy] == [1, 2]
    assert any("sloppy-windows-1252" in fix for fix in result.record.ftfy[0].fixes)


def test_nfc_and_control_characters(ruleset) -> None:
    result = clean_text("Cafe\u0301 \x1b[31mred\x1b[0m text\n", ruleset)
    assert result.text == "Café red text\n"


def test_lines_that_skip_ftfy_are_lines_ftfy_leaves_alone() -> None:
    """The shortcut past ftfy is only taken where fix_and_explain would change nothing."""
    from ftfy import TextFixerConfig, fix_and_explain

    from cleaner.text.normalize import needs_ftfy

    config = TextFixerConfig(uncurl_quotes=False, explain=True)
    samples = ["Ünïcödé “quotes” – dashes … fine", "Ã©tÃ© mojibake", "ﬁne ligature", "ＦＵＬＬ width", "a &amp; b",
               "e\u0301 not NFC", "\x1b[1mbold", "\x85 C1", "line\u2028sep", "ok"]
    for path in sorted((SLICE / "text-page").glob("*.txt")):
        samples += path.read_text("utf-8").splitlines()
    skipped = 0
    for line in samples:
        if not needs_ftfy(line):
            skipped += 1
            assert fix_and_explain(line, config=config).text == line, line
    assert 0 < skipped < len(samples)


MOJIBAKE_ALPHABET = "aeoAZ ÂÃÎÐØÙŒœ©®°±²³µ¶·»¼½¾×÷ƒˆ˜†‡‰•–—‘’‚“”„…€™¢£¥¦¨¬¯¸ßàáâãäåæçèéêëìíîïñòóôõöùúûüÀÁÈÉÑÖÜ│┌═▀░√∞≈≠≤≥вЂЃ\xa0\xad"


@given(st.text(st.sampled_from(MOJIBAKE_ALPHABET), max_size=12))
def test_the_mojibake_prefilter_finds_every_line_is_bad_flags(text: str) -> None:
    """needs_ftfy calls ftfy's is_bad only where a cheap regex read from it finds something: never missing one."""
    from ftfy.badness import is_bad

    from cleaner.text.normalize import _mojibake_prefilter

    assert not is_bad(text) or _mojibake_prefilter().search(text)


@pytest.mark.parametrize("source", TEXT_SOURCES)
def test_the_mojibake_prefilter_on_every_devset_line(source: Path) -> None:
    from ftfy.badness import is_bad

    from cleaner.text.normalize import _mojibake_prefilter

    prefilter = _mojibake_prefilter()
    lines = sorted(text_lines(source, ascii_too=False))
    misread = [line.encode("utf-8").decode("cp1252", "replace") for line in lines]  # the same lines, mojibake
    flagged = [line for line in lines + misread if is_bad(line)]
    assert flagged and all(prefilter.search(line) for line in flagged)
    assert sum(1 for line in lines if prefilter.search(line)) < len(lines) / 5  # it spares most real lines


# Encoding damage whose bytes read as NBSP, NEL or other odd spaces: ftfy must see the line before
# spaces are folded, or it cannot put the characters back.
SPACE_MOJIBAKE = [
    "G\u00c3\u00a0idhlig is spoken here",  # à as UTF-8 read as Latin-1: Ã + NBSP
    "Hi guys \u00ed\u00a0\u00bd\u00ed\u00b8\u008d",  # an emoji as CESU-8 read as Latin-1
    "parl\u00e9\u0085 Tu sais",  # cp1252's … read as Latin-1: NEL
    "caf\u00c3\u00a9\u00a0cr\u00c3\u00a8me",  # mojibake beside a real NBSP
]


@pytest.mark.parametrize("line", SPACE_MOJIBAKE)
def test_repair_sees_the_line_as_it_came(line: str, ruleset) -> None:
    """The cleaned line is ftfy's own repair of it, with white space folded afterwards."""
    import re

    from ftfy import fix_text

    from cleaner.rulebook.load import build_ruleset

    expected = re.sub(r"\s+", " ", fix_text(line, uncurl_quotes=False)).strip() + "\n"
    result = clean_text(line, build_ruleset([]))
    assert result.text == expected
    assert "\u00c3" not in result.text and "\u0085" not in result.text
    assert clean_text(result.text, build_ruleset([])).text == result.text  # and it stays repaired
