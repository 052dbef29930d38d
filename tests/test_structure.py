"""The pieces the layers share: the options type, the typed sidecar, the error family, the regex-parser guard."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleaner import CleanerError, DecodeError, Options, RuleError, clean_bytes
from cleaner.cli import main
from cleaner.limits import DocumentTimeout, TooLarge
from cleaner.record.sidecar import Sidecar, SidecarError, dumps, to_sidecar
from cleaner.rulebook.load import build_ruleset, shipped_rules_dir
from cleaner.rulebook.patterns import escape_line, literal_line

from .conftest import REPO, SEEDS_RAW, SLICE


@pytest.mark.parametrize("bad", [{"title": "middle"}, {"ftfy": "yes"}, {"guard": 1.5}, {"guard": True}])
def test_options_refuse_what_they_cannot_mean(bad: dict) -> None:
    with pytest.raises(ValueError):
        Options(**bad)


def test_the_sidecar_reads_back_as_the_record_it_was_written_from(ruleset) -> None:
    """to_json(from_json(x)) is x for real sidecars: one module writes and reads the keys."""
    paths = [*sorted(SEEDS_RAW.glob("*.txt")), *sorted((SLICE / "text-page").glob("*.txt"))[:10]]
    for path in paths:
        written = json.loads(dumps(to_sidecar(clean_bytes(path.read_bytes(), ruleset), path.name)))
        read = Sidecar.from_json(written)
        assert json.loads(dumps(read)) == written, path.name
        assert read.record.options == Options()


def test_a_sidecar_that_lacks_a_field_says_which(ruleset) -> None:
    written = to_sidecar(clean_bytes(b"A Headline Here\n\nSome text of the article.\n", ruleset), "x").to_json()
    del written["layout"]
    with pytest.raises(SidecarError, match="layout"):
        Sidecar.from_json(written)


def test_every_error_is_a_cleaner_error() -> None:
    for error in (DecodeError, RuleError, TooLarge, DocumentTimeout, SidecarError):
        assert issubclass(error, CleanerError)


def test_library_messages_name_settings_and_the_command_line_names_flags(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert str(TooLarge("larger than {limit} (20 bytes)", 10)) == "larger than max_bytes=10 (20 bytes)"
    assert str(DocumentTimeout(3)) == "took longer than timeout=3 s"
    (tmp_path / "big.txt").write_text("A Headline Here\n\n" + "word " * 100, "utf-8")
    assert main(["clean", str(tmp_path / "big.txt"), "-o", str(tmp_path / "out"), "--max-bytes", "100", "--quiet"]) == 1
    assert "big.txt: larger than --max-bytes 100 (" in capsys.readouterr().err
    manifest = (tmp_path / "out" / "manifest.jsonl").read_text("utf-8")
    assert "max_bytes=100" in manifest and "--max-bytes" not in manifest


def test_without_the_regex_parser_every_shortcut_is_off_and_outputs_stay_the_same(monkeypatch, ruleset) -> None:
    """On a Python whose re internals differ, rules load with no shortcut read from the parser (a plain
    ^line$ keeps those read off its text) and clean exactly as before."""
    import cleaner.reparse

    sources = [(str(p), p.read_bytes()) for p in sorted(shipped_rules_dir().rglob("*.toml"))]
    documents = [p.read_bytes() for p in [*sorted(SEEDS_RAW.glob("*.txt")), *sorted(SLICE.glob("text-*/*.txt"))]]
    expected = [clean_bytes(d, ruleset).text for d in documents]
    monkeypatch.setattr(cleaner.reparse, "_READY", False)
    plain = build_ruleset(sources)
    assert all(r.first is None and r.needle is None and r.min_len == 0
               for r in plain.all_rules() if literal_line(r.pattern) is None)
    assert [clean_bytes(d, plain).text for d in documents] == expected


def test_every_package_ships_in_a_wheel() -> None:
    """pyproject.toml lists the packages (the rules ship under another name); a package left out works in an
    editable install and is missing from `pip install .`."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "cleaner").rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)


def test_a_plain_line_s_shortcuts_read_off_its_text_are_the_parser_s() -> None:
    """`^line$` patterns (what learning writes) skip the parse; their shortcuts must be what it would give."""
    from cleaner.rulebook.patterns import first_chars, line_length_bounds, shortcuts

    for source, flags in [(r"^Share this:$", 0), (r"^\* Home \(2\)$", 0), (r"^Über uns$", re.IGNORECASE),
                          (r"^Mehr zum Thema$", re.IGNORECASE), (r"^a\.b\?c$", 0)]:
        pattern = re.compile(source, flags)
        assert literal_line(pattern) is not None
        low, high, first, needle = shortcuts(pattern)
        assert (low, high) == line_length_bounds(pattern) and needle is None
        assert set(first) == set(first_chars(pattern) or ())
    for source in (r"^Share\s+this$", r"^Share this", r"^(a|b)$", r"^\d+ comments$"):
        assert literal_line(re.compile(source)) is None
    for line in ("* Home (2)", "a.b?c [x]", "back\\slash | pipe", "Über uns"):  # what learning writes reads back
        assert literal_line(re.compile(f"^{escape_line(line)}$")) == line


def test_the_core_reads_as_named_stages() -> None:
    """clean_text is a sequence of steps a newcomer can follow: no function of the core runs past a screen."""
    import ast

    tree = ast.parse((REPO / "cleaner" / "core.py").read_text("utf-8"))
    long = {node.name: node.end_lineno - node.lineno + 1 for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and (node.end_lineno or 0) - node.lineno + 1 > 40}
    assert not long, long
