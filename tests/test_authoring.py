"""Rule authoring: explain, rules list|lint|test, and the run's statistics."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import clean_bytes
from cleaner.cli import main

from .conftest import SEEDS_RAW, needs_devset

NO_CASES = '''[generic]
id = "mine"

[[rule]]
id = "tested"
match = '^Sponsored$'
removes = ["Sponsored"]
keeps = ["Sponsored by the city, the fair opens today."]

[[rule]]
id = "untested"
match = '^Advertisement$'
'''


def test_shipped_rules_pass_their_cases(capsys) -> None:
    assert main(["rules", "test"]) == 0
    out = capsys.readouterr().out
    assert " 0 failed" in out and "FAILURES" not in out


def test_a_failing_case_is_reported_like_a_test(tmp_path: Path, capsys) -> None:
    (tmp_path / "x.toml").write_text(NO_CASES.replace('removes = ["Sponsored"]', 'removes = ["Sponsored content"]'),
                                     "utf-8")
    assert main(["rules", "test", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "generic/tested" in out and "removes[0] 'Sponsored content': acted on 0 of 1 lines" in out
    assert "1 failed" in out


def test_lint_passes_on_the_shipped_rules(capsys) -> None:
    assert main(["rules", "lint"]) == 0


def test_lint_names_a_rule_without_cases_with_its_file_and_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "mine.toml").write_text(NO_CASES, "utf-8")
    assert main(["rules", "lint", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    where = f"{tmp_path / 'mine.toml'}:11: generic/untested:"
    assert f"{where} no 'removes' case: add a line this rule must remove" in lines
    assert f"{where} no 'keeps' case: add a similar line this rule must keep" in lines
    assert not [line for line in lines if "generic/tested" in line]


def test_lint_reports_every_broken_file_and_duplicate_ids(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.toml").write_text(NO_CASES.split("[[rule]]\nid = \"untested\"")[0], "utf-8")
    (tmp_path / "b.toml").write_text(NO_CASES.split("[[rule]]\nid = \"untested\"")[0], "utf-8")
    (tmp_path / "c.toml").write_text('[generic]\nid = "c"\n[[rule]]\nid = "x"\nmatch = "^(a+)+$"\n', "utf-8")
    (tmp_path / "d.toml").write_text('[generic\nid = "d"\n', "utf-8")
    (tmp_path / "f.toml").write_text('[site]\nid = "telesur"\nfingerprints = ["^Z$"]\n', "utf-8")
    (tmp_path / "e.toml").write_text('[generic]\nid = "e"\n[[rule]]\nid = "z"\nzone = "head"\naction = "cut"\n'
                                     'match = "^Z$ and more"\nlang = "xx"\nremoves = ["Z"]\nkeeps = ["Zed"]\n',
                                     "utf-8")
    assert main(["rules", "lint", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'b.toml'}:5: generic/tested: rule id also used in {tmp_path / 'a.toml'}" in out
    assert f"{tmp_path / 'c.toml'}:4: generic/x: regex '^(a+)+$' can take exponential time" in out
    assert f"{tmp_path / 'd.toml'}:1: -: bad TOML" in out
    assert f"{tmp_path / 'f.toml'}:1: telesur: site id also used in " in out  # by a shipped file
    for problem in ("a cut in zone head drops everything after its line", "'^Z$ and more' cannot match",
                    "lang xx: not a language the detector reports", "case fails: removes[0] 'Z'"):
        assert f"{tmp_path / 'e.toml'}:4: generic/z: {problem}" in out


def test_rules_list_shows_every_rule(capsys) -> None:
    from cleaner.core import default_ruleset

    assert main(["rules", "list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == [rule.id for rule in default_ruleset().all_rules()]


def test_explain_shows_each_dropped_line_with_its_rule(capsys, monkeypatch) -> None:
    seed = SEEDS_RAW / "001_9949106f77b81d0f.txt"
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["explain", str(seed)]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    rows = {int(line.split()[0]): line for line in out.splitlines()[1:-1]}
    record = clean_bytes(seed.read_bytes()).record
    assert record.dropped
    lifted = {e.line for e in record.extracted if not e.kept}
    for d in record.dropped:
        mark = ">" if d.line in lifted else "-"
        assert rows[d.line].split()[1:3] == [mark, d.rule] and rows[d.line].endswith(d.text)
    kept = set(record.paragraph_lines)
    assert all(rows[n].split()[1] == "+" for n in kept)
    assert len(rows) == record.lines
    assert main(["explain", str(seed), "--format", "json"]) == 0
    explained = json.loads(capsys.readouterr().out)
    assert [(x["line"], x["rule"]) for x in explained["lines"] if x["fate"] == "dropped"] == \
        [(d.line, d.rule) for d in record.dropped if not any(e.line == d.line for e in record.extracted)]


def test_explain_colours_only_a_terminal(tmp_path: Path, monkeypatch) -> None:
    from cleaner.record.explain import as_text

    result = clean_bytes(b"Title of the Story Here\n\nBody text of the article.\n\nShare this article\n")
    coloured, plain = as_text(result, "x", True), as_text(result, "x", False)
    assert "\x1b[31m" in coloured and "\x1b[" not in plain
    assert "generic/share-line" in plain


@needs_devset
@pytest.mark.slow
def test_stats_file_counts_hits_sites_languages_and_idle_rules(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    body = "The council met on Tuesday and agreed the budget for next year after a long debate."
    (src / "a.txt").write_text(f"Budget Agreed\n\n{body}\n\nShare this article\n", "utf-8")
    (src / "b.txt").write_text(f"Budget Agreed Again\n\n{body}\n", "utf-8")
    stats = tmp_path / "stats.json"
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "--quiet", "--stats", str(stats)]) == 0
    data = json.loads(stats.read_text("utf-8"))
    assert data["hits"] == {"generic/share-line": 1}
    assert data["sites"] == {"(none)": 2} and data["langs"] == {"en": 2}
    assert "generic/share-line" not in data["never_fired"] and "generic/comment-form" in data["never_fired"]
    assert data["statuses"] == {"written": 2}


@pytest.mark.parametrize("argv", [["rules", "lint", "/nonexistent/rules"], ["rules", "frobnicate"]])
def test_rules_usage_errors(argv: list[str]) -> None:
    assert main(argv) == 2


def test_a_rule_whose_cases_run_away_fails_instead_of_hanging(tmp_path: Path, capsys, monkeypatch) -> None:
    import cleaner.authoring.lint

    monkeypatch.setattr(cleaner.authoring.lint, "CASE_TIMEOUT", 1.0)
    (tmp_path / "slow.toml").write_text('[generic]\nid = "s"\n[[rule]]\nid = "digits"\nmatch = \'^(\\d\\d?)+$\'\n'
                                        f'removes = ["12"]\nkeeps = ["{"1" * 60}!"]\n', "utf-8")
    assert main(["rules", "test", str(tmp_path)]) == 1
    assert "generic/digits" in capsys.readouterr().out
    assert main(["rules", "lint", str(tmp_path)]) == 1
    assert "its cases took longer than 1 s: the pattern backtracks" in capsys.readouterr().out


def test_explain_on_html_shows_the_extracted_lines(tmp_path: Path, capsys, monkeypatch) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Budget Agreed</title></head><body><nav>Home | World | Sport</nav><article>"
                    "<h1>Budget Agreed</h1><p>The council met on Tuesday and agreed the budget for next year after "
                    "a long debate in the chamber.</p><p>Share this article</p></article></body></html>", "utf-8")
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["explain", str(page)]) == 0
    out = capsys.readouterr().out
    assert "(HTML: the lines are the text trafilatura extracted from the page)" in out
    assert "agreed the budget for next year" in out and "Home | World" not in out
    assert any(line.split()[1:3] == ["-", "generic/share-line"] for line in out.splitlines()[2:-1] if line.split())
