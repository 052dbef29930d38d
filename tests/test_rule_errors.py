"""A broken rule file stops the run before anything is written, naming the file and the rule."""
from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.cli import main

GOOD_RULE = """
[[rule]]
id = "ok"
match = '^Fine$'
removes = ["Fine"]
keeps = ["Fine words."]
"""
BAD = {
    "bad-regex": ('[site]\nid = "s"\nfingerprints = ["^S$"]\n' + GOOD_RULE
                  + '\n[[rule]]\nid = "broken"\nmatch = \'^(unclosed$\'\n', "s/broken", "bad regex"),
    "bad-toml": ('[site\nid = "s"\n', None, "bad TOML"),
    "unknown-key": ('[generic]\nid = "g"\n[[rule]]\nid = "typo"\nmatch = "^x$"\nzoen = "head"\n', "generic/typo", "zoen"),
    "duplicate-id": ('[generic]\nid = "g"\n' + GOOD_RULE + GOOD_RULE, "generic/ok", "duplicate rule id"),
    "bad-zone": ('[generic]\nid = "g"\n[[rule]]\nid = "z"\nmatch = "^x$"\nzone = "middle"\n', "generic/z", "zone"),
    "block-without-then": ('[generic]\nid = "g"\n[[rule]]\nid = "b"\naction = "block"\nmatch = "^x$"\n', "generic/b", "then"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_rule_file_error_exits_2_and_writes_nothing(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text, rule, reason = BAD[case]
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / f"{case}.toml").write_text(text, "utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Headline here\n\nSome article text that is long enough.\n", "utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert f"{case}.toml" in err
    assert reason in err
    if rule:
        assert rule in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_duplicate_site_id_with_shipped_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.toml").write_text('[site]\nid = "telesur"\nfingerprints = ["^X$"]\n', "utf-8")
    assert main(["clean", str(tmp_path / "rules"), "-o", str(tmp_path / "out"), "--rules", str(rules)]) == 2
    assert "duplicate site id 'telesur'" in capsys.readouterr().err


def test_missing_rules_dir_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("x\n", "utf-8")
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--rules", str(tmp_path / "nope")]) == 2
    assert "nope" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
