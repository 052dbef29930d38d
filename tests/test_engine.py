"""Rule semantics: zones, blocks, cuts, extraction, and running to a fixed point."""
from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Options, clean_text
from cleaner.rulebook.load import build_ruleset
from cleaner.rulebook.model import RuleError

from .conftest import TEXT_SOURCES, text_lines

BODY = [f"Paragraph {i} of the article says something long enough to be content." for i in range(1, 31)]


def rules(body: str, site: str = "") -> object:
    header = f'[site]\nid = "{site}"\nfingerprints = ["^SITE-{site.upper()}$"]\n' if site else '[generic]\nid = "t"\n'
    return build_ruleset([("t.toml", (header + body).encode())])


def test_zone_head_and_within() -> None:
    rs = rules('[[rule]]\nid = "x"\nmatch = "^MENU$"\nzone = "head"\nwithin = 3\n')
    doc = "\n".join(["MENU", "Title Of The Story", "MENU", "MENU"] + BODY + ["MENU"])
    out = clean_text(doc, rs).text.rstrip("\n").split("\n\n")
    # the first MENU and, once it has gone, the next ones as they move into the first three lines
    assert out[:2] == ["Title Of The Story", BODY[0]]
    assert out[-1] == "MENU"  # outside the head zone


def test_tail_zone_share() -> None:
    rs = rules('[[rule]]\nid = "x"\nmatch = "^Tags$"\nzone = "tail"\nwithin = "10%"\n')
    doc = "\n".join(["Tags"] + BODY + ["Tags", "Last"])
    out = clean_text(doc, rs).text.rstrip("\n").split("\n\n")
    assert out[0] == "Tags" and "Tags" not in out[1:]


def test_block_needs_every_follower() -> None:
    rs = rules('[[rule]]\nid = "b"\naction = "block"\nmatch = "^RELATED:$"\nthen = ["^[^.]+$"]\n')
    kept = clean_text("\n".join(BODY[:2] + ["RELATED:", "A full sentence follows here."] + BODY[2:4]), rs).text
    assert "RELATED:" in kept
    gone = clean_text("\n".join(BODY[:2] + ["RELATED:", "", "Linked Headline Here"] + BODY[2:4]), rs)
    assert "RELATED:" not in gone.text and "Linked Headline Here" not in gone.text
    assert [(d.line, d.rule) for d in gone.record.dropped] == [(3, "generic/b"), (5, "generic/b")]


def test_cut_drops_to_the_end_only_from_the_tail() -> None:
    rs = rules('[[rule]]\nid = "c"\naction = "cut"\nmatch = "^Comments$"\nzone = "tail"\nwithin = 5\n')
    doc = BODY[:20] + ["Comments"] + BODY[20:]
    assert "Comments" in clean_text("\n".join(doc), rs).text
    doc = BODY + ["Comments", "Reader one says hi", "Reader two says bye"]
    out = clean_text("\n".join(doc), rs)
    assert out.text.rstrip("\n").split("\n\n") == BODY
    assert {d.rule for d in out.record.dropped} == {"generic/c"} and len(out.record.dropped) == 3


def test_a_cut_until_prose_ends_where_the_article_goes_on() -> None:
    """A related-stories box set inside the article's last part: its headlines and their one-paragraph teasers
    go, the article's prose under it (two paragraphs or more) stays."""
    box = ["Related Stories", "Markets Slide as Rates Rise",
           "Shares fell across the region on Monday as investors weighed the central bank's latest decision.",
           "What the Vote Means for You", "* A list of the changes that take effect next year for every household."]
    rest = ["The minister said on Friday that the talks would resume next week in Geneva, officials confirmed.",
            "Both sides have agreed to keep the details of the proposal private until the talks are over."]
    until = rules('[[rule]]\nid = "c"\naction = "cut"\nuntil = "prose"\nmatch = "^Related Stories$"\nzone = "tail"\n'
                  'within = "50%"\n')
    out = clean_text("\n".join(BODY[:10] + box + rest + ["Share this"]), until, options=Options(content="rules"))
    assert out.text.rstrip("\n").split("\n\n") == BODY[:10] + rest + ["Share this"]
    assert [d.rule for d in out.record.dropped] == ["generic/c"] * 5
    to_the_end = rules('[[rule]]\nid = "c"\naction = "cut"\nmatch = "^Related Stories$"\nzone = "tail"\nwithin = "50%"\n')
    assert clean_text("\n".join(BODY[:10] + box + rest), to_the_end, options=Options(content="rules")).text.rstrip(
        "\n").split("\n\n") == BODY[:10]
    with pytest.raises(RuleError, match="'until' belongs to cut rules"):
        rules('[[rule]]\nid = "d"\nuntil = "prose"\nmatch = "^x$"\n')
    with pytest.raises(RuleError, match="takes \"prose\""):
        rules('[[rule]]\nid = "d"\naction = "cut"\nuntil = "the end"\nmatch = "^x$"\n')


def test_extract_with_and_without_keeping_the_line() -> None:
    rs = rules(
        '[[rule]]\nid = "by"\naction = "extract"\nfield = "author"\nmatch = "^By (?P<value>[A-Z][a-z]+ [A-Z][a-z]+)$"\nkeep_line = true\n'
        '[[rule]]\nid = "d"\naction = "extract"\nfield = "published"\nmatch = "^Posted (?P<value>\\\\d\\\\d/\\\\d\\\\d/\\\\d{4})$"\n'
        'date_format = ["%d/%m/%Y"]\n'
    )
    out = clean_text("\n".join(["By Jane Doe", "Posted 31/12/2023", "Posted 99/99/2023"] + BODY[:3]), rs)
    assert out.record.fields["author"] == "Jane Doe"
    assert out.record.fields["published"] == "2023-12-31"
    assert out.text.rstrip("\n").split("\n\n")[:2] == ["By Jane Doe", "Posted 99/99/2023"]  # unparsable date: line kept


def test_site_rules_run_only_on_their_site() -> None:
    rs = rules('[[rule]]\nid = "x"\nmatch = "^Subscribe$"\n', site="acme")
    on_site = clean_text("\n".join(["SITE-ACME", "Subscribe"] + BODY[:3]), rs)
    assert on_site.record.site == "acme" and "Subscribe" not in on_site.text
    off_site = clean_text("\n".join(["Subscribe"] + BODY[:3]), rs)
    assert off_site.record.site is None and "Subscribe" in off_site.text


def test_language_tagged_rules_run_on_their_language_only() -> None:
    rs = rules('[[rule]]\nid = "x"\nmatch = "^Kommentar schreiben$"\nlang = "de"\n')
    de = "Die Regierung hat am Montag neue Regeln für den Verkehr in der Stadt beschlossen, sagte ein Sprecher."
    en = "The government adopted new rules for traffic in the city on Monday, a spokesman said on Tuesday."
    assert "Kommentar" not in clean_text(f"{de}\n{de}\nKommentar schreiben\n", rs).text
    assert "Kommentar" in clean_text(f"{en}\n{en}\nKommentar schreiben\n", rs).text


def test_rule_prefilters_never_hide_a_match() -> None:
    """The first-character dispatch, the line-length bound and the needle only skip rules that could not match."""
    import re

    from cleaner.rulebook.patterns import first_chars, line_length_bounds, needles

    cases = {
        r"^(\d+ Comments|Discuss)$": ["12 Comments", "٣ Comments", "Discuss"],
        r"^(- )?(We welcome|Comments are)\b.{0,20}$": ["- We welcome you", "Comments are closed"],
        r"^\|?\s*(Weitere Themen)\s*:?$": ["| Weitere Themen", "Weitere Themen:"],
        r"(?i)^ß?share$": ["SHARE", "share", "ßShare"],
        r"^.{0,200}(PDF|DOCX?)[\s|,(]*\d+ ?(KB|MB)\b": ["Report (PDF, 2 MB)", "x DOC 12KB"],
        r"^(Photo|Image)s?: [^|]+|.{1,40}\s(\|\s*)?©\s?\w+$": ["Photos: AP", "A view | © Reuters", "A view ©Reuters"],
        r"^Read (?i:more)$": ["Read MORE", "Read more"],
        r"^[Cc]redits?:": ["credit:", "Credits:"],
    }
    for source, lines in cases.items():
        pattern = re.compile(source)
        first, (shortest, longest) = first_chars(pattern), line_length_bounds(pattern)
        needle = needles(pattern)
        for line in lines:
            assert pattern.search(line), (source, line)
            assert first is None or line[0] in first or line[0].casefold() in first, (source, line)
            assert shortest <= len(line) <= longest, (source, line)
            assert needle is None or needle.search(line), (source, line)
    assert first_chars(re.compile(r"^.{0,200}x$")) is None
    assert line_length_bounds(re.compile(r"^Opposition"))[1] > 10**9
    # What the needle says: strings every match holds, so a line without them is not tried.
    assert needles(re.compile(r"^.{0,200}(PDF|DOCX?)[\s|,(]*\d+ ?(KB|MB)")).pattern == "DOC|PDF"
    assert not needles(re.compile(r"^(Photo|Image)s?: x")).search("A photo of the day: x")
    assert needles(re.compile(r"(?i)^read more$")).search("READ MORE")
    assert needles(re.compile(r"^\w+$")) is None


@pytest.mark.parametrize("source", TEXT_SOURCES)
def test_needles_keep_every_match_of_the_shipped_rules_on_the_devset(source: Path) -> None:
    """Each shipped rule's needle is found in every devset line (both text dumps) the rule matches."""
    from cleaner.rulebook.load import load_ruleset
    from cleaner.rulebook.patterns import needles

    rules = [(r, needles(r.pattern)) for r in load_ruleset().all_rules()]
    assert sum(needle is not None for _, needle in rules) > 50
    assert any(r.needle for r, _ in rules)  # the engine uses them
    lines = text_lines(source)
    missed = [(r.id, line) for r, needle in rules if needle for line in lines
              if r.pattern.search(line) and not needle.search(line)]
    assert not missed, missed[:5]
