"""Normalization as the output shows it: spaces, paragraphs, line ends, ftfy repairs."""
from __future__ import annotations

from cleaner import clean_text


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
    assert [f["line"] for f in result.record.ftfy] == [1, 2]
    assert any("sloppy-windows-1252" in fix for fix in result.record.ftfy[0]["fixes"])


def test_nfc_and_control_characters(ruleset) -> None:
    result = clean_text("Cafe\u0301 \x1b[31mred\x1b[0m text\n", ruleset)
    assert result.text == "Café red text\n"


def test_lines_that_skip_ftfy_are_lines_ftfy_leaves_alone() -> None:
    """The shortcut past ftfy is only taken where fix_and_explain would change nothing."""
    from ftfy import TextFixerConfig, fix_and_explain

    from cleaner.normalize import needs_ftfy

    from .conftest import DEVSET

    config = TextFixerConfig(uncurl_quotes=False, explain=True)
    samples = ["Ünïcödé “quotes” – dashes … fine", "Ã©tÃ© mojibake", "ﬁne ligature", "ＦＵＬＬ width", "a &amp; b",
               "e\u0301 not NFC", "\x1b[1mbold", "\x85 C1", "line\u2028sep", "ok"]
    if DEVSET.is_dir():
        for path in sorted((DEVSET / "text-page").glob("*.txt"))[::20]:
            samples += path.read_text("utf-8").splitlines()
    skipped = 0
    for line in samples:
        if not needs_ftfy(line):
            skipped += 1
            assert fix_and_explain(line, config=config).text == line, line
    assert 0 < skipped < len(samples)
