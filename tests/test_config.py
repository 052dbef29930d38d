"""cleaner.toml and [tool.cleaner]: found from the working directory, overridden by flags."""
from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.cli.config import ConfigError, find_config, load_config
from cleaner.options import Options

DOC = "A Short Headline Here\n\nThe article text is long enough to be a paragraph of its own, it says.\n\nSHOUT LINE\n"
RULE = ("[generic]\nid = \"house\"\n[[rule]]\nid = \"shout\"\nmatch = '^SHOUT LINE$'\n"
        "removes = [\"SHOUT LINE\"]\nkeeps = [\"Shout line\"]\n")


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "house.toml").write_text(RULE, "utf-8")
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text(DOC, "utf-8")
    monkeypatch.chdir(tmp_path / "texts")
    return tmp_path


def test_cleaner_toml_found_upward_with_relative_rules(repo: Path) -> None:
    (repo / "cleaner.toml").write_text('rules = ["rules"]\ntitle = "drop"\n', "utf-8")
    assert find_config() == repo / "cleaner.toml"
    assert main(["clean", "a.txt", "-o", str(repo / "out"), "--quiet"]) == 0
    assert (repo / "out" / "a.txt").read_text("utf-8") == \
        "The article text is long enough to be a paragraph of its own, it says.\n"


def test_flags_override_the_file(repo: Path) -> None:
    (repo / "cleaner.toml").write_text('rules = ["rules"]\ntitle = "drop"\n', "utf-8")
    assert main(["clean", "a.txt", "-o", str(repo / "out"), "--quiet", "--title", "keep"]) == 0
    assert (repo / "out" / "a.txt").read_text("utf-8").startswith("A Short Headline Here\n\n")


def test_pyproject_tool_table(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "corpus"\n\n[tool.cleaner]\nrules = "rules"\n', "utf-8")
    assert find_config() == repo / "pyproject.toml"
    assert main(["check", "a.txt"]) == 1
    (repo / "pyproject.toml").write_text('[project]\nname = "corpus"\n', "utf-8")
    assert find_config() is None
    assert main(["check", "a.txt"]) == 0


def test_search_stops_at_the_repository_root(repo: Path) -> None:
    (repo.parent / "cleaner.toml").write_text('title = "drop"\n', "utf-8")
    try:
        assert find_config() is None
    finally:
        (repo.parent / "cleaner.toml").unlink()


@pytest.mark.parametrize("text, reason", [
    ('titel = "drop"\n', "unknown key"),
    ('title = "sometimes"\n', "title must be"),
    ('rules = [1]\n', "rules must be"),
    ('[normalize]\nftfy = "yes"\n', "ftfy"),
    ('title = \n', "cleaner.toml"),
])
def test_bad_configuration_is_a_usage_error(repo: Path, text: str, reason: str, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "cleaner.toml").write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=reason):
        load_config(repo / "cleaner.toml")
    assert main(["clean", "a.txt", "-o", str(repo / "out")]) == 2
    assert "cleaner.toml" in capsys.readouterr().err
    assert not (repo / "out").exists()


def test_ftfy_can_be_turned_off(repo: Path) -> None:
    (repo / "texts" / "a.txt").write_text("The Councilâ€™s note was sent on Thursday to all member states.\n", "utf-8")
    assert main(["clean", "a.txt", "-o", str(repo / "on"), "--quiet"]) == 0
    (repo / "cleaner.toml").write_text("[normalize]\nftfy = false\n", "utf-8")
    assert main(["clean", "a.txt", "-o", str(repo / "off"), "--quiet"]) == 0
    assert "Council’s" in (repo / "on" / "a.txt").read_text("utf-8")
    assert "Councilâ€™s" in (repo / "off" / "a.txt").read_text("utf-8")


def test_a_configuration_leaves_unnamed_options_at_their_defaults(repo: Path) -> None:
    (repo / "cleaner.toml").write_text('title = "drop"\nguard = 1\n', "utf-8")
    options = load_config(repo / "cleaner.toml").options
    assert options == Options(title="drop", guard=None)  # guard 1 is no limit; content stays the default
