"""check, fix and restore on files in place."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from cleaner import __version__
from cleaner.cli import main

from .conftest import SEEDS_EXPECTED, SEEDS_RAW

TELESUR = "001_9949106f77b81d0f.txt"


@pytest.fixture()
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seeds, with the working directory in it (and no configuration above it)."""
    (tmp_path / ".git").mkdir()  # the search for a configuration stops at the repository root
    for p in SEEDS_RAW.glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}



@pytest.mark.parametrize("command", ["check", "fix", "explain"])
def test_an_unexpected_error_is_one_line_and_exit_3_with_the_trace_kept(
        command: str, corpus: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A bug of ours, not a bad input: pre-commit's shape, the version and where the whole trace went."""
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected\nsecond line")

    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr("cleaner.core.repaired_layout", broken)
    before = snapshot(corpus)
    assert main([command, TELESUR]) == 3
    err = capsys.readouterr().err.splitlines()
    log = cache / "corpus-cleaner" / "crash.log"
    assert err == [f"cleaner: unexpected error in corpus-cleaner {__version__}: RuntimeError: injected; "
                   f"the full trace is in {log}"]
    trace = log.read_text("utf-8")
    assert "Traceback (most recent call last)" in trace and "in broken" in trace
    assert snapshot(corpus) == before

def test_check_is_read_only_and_names_the_rules(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(corpus)
    assert main(["check", TELESUR, "004_2d1796695ef79f70.txt"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{TELESUR}: telesur/share-bar ×5, telesur/comment-widget ×4")
    assert out[1] == "004_2d1796695ef79f70.txt: generic/comment-form ×2"
    assert snapshot(corpus) == before


def test_fix_then_fix_again_changes_nothing(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(p.name for p in corpus.glob("*.txt"))
    assert main(["fix", *files]) == 1
    assert capsys.readouterr().out.splitlines() == [f"fixed {f}" for f in files]
    for name in files:
        assert (corpus / name).read_bytes() == (SEEDS_EXPECTED / name).read_bytes()
    state = snapshot(corpus)
    stamps = {p: os.stat(p).st_mtime_ns for p in corpus.iterdir()}
    assert main(["fix", *files]) == 0
    assert capsys.readouterr().out == ""
    assert snapshot(corpus) == state
    assert {p: os.stat(p).st_mtime_ns for p in corpus.iterdir()} == stamps
    assert main(["check", *files]) == 0


def test_restore_in_place_and_to_a_directory(corpus: Path, tmp_path: Path) -> None:
    raw = (corpus / TELESUR).read_bytes()
    assert main(["fix", TELESUR]) == 1
    assert main(["restore", TELESUR, "--to", "elsewhere"]) == 0
    assert (corpus / "elsewhere" / TELESUR).read_bytes() == raw
    assert (corpus / "001_9949106f77b81d0f.meta.json").is_file()
    assert main(["restore", TELESUR]) == 0
    assert (corpus / TELESUR).read_bytes() == raw
    assert not (corpus / "001_9949106f77b81d0f.meta.json").exists()


def test_restore_refuses_an_edited_file_and_writes_nothing(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fix", TELESUR]) == 1
    edited = (corpus / TELESUR).read_text("utf-8").replace("Kazakhstan", "Kasakhstan", 1).encode()
    (corpus / TELESUR).write_bytes(edited)
    assert main(["restore", TELESUR, "--to", "out"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{TELESUR}: ") and "sha256" in err and "nothing written" in err
    assert (corpus / TELESUR).read_bytes() == edited
    assert not (corpus / "out").exists()


def test_restore_without_sidecar_is_an_error(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["restore", TELESUR]) == 1
    assert "no sidecar" in capsys.readouterr().err


def test_fix_after_a_new_rule_keeps_the_first_input(corpus: Path) -> None:
    """A rule added later drops one more line; the sidecar still leads back to the very first input."""
    raw = (corpus / TELESUR).read_bytes()
    assert main(["fix", TELESUR]) == 1
    rules = corpus / "house-rules"
    rules.mkdir()
    (rules / "house.toml").write_text(
        "[generic]\nid = \"house\"\n[[rule]]\nid = \"quote-line\"\n"
        "match = '^Security officials have reported .* Almaty\\.'\n"
        "removes = [\"Security officials have reported x in Almaty.\"]\nkeeps = [\"Officials said.\"]\n", "utf-8")
    (corpus / "cleaner.toml").write_text('rules = ["house-rules"]\n', "utf-8")
    assert main(["fix", TELESUR]) == 1
    sidecar = json.loads((corpus / "001_9949106f77b81d0f.meta.json").read_text("utf-8"))
    assert "Security officials" not in (corpus / TELESUR).read_text("utf-8")
    house = [d for d in sidecar["dropped"] if d["rule"] == "generic/quote-line"]
    assert len(house) == 1 and house[0]["line"] == 27
    assert house[0]["raw"] == raw.decode("utf-8").splitlines()[26]  # the first input, trailing NBSP and all
    assert sidecar["source"]["sha256"] == __import__("hashlib").sha256(raw).hexdigest()
    assert len(sidecar["dropped"]) == 17
    assert main(["fix", TELESUR]) == 0
    assert main(["restore", TELESUR, "--to", "first"]) == 0
    assert (corpus / "first" / TELESUR).read_bytes() == raw


def test_title_drop_is_idempotent_too(corpus: Path) -> None:
    (corpus / "cleaner.toml").write_text('title = "drop"\n', "utf-8")
    raw = (corpus / TELESUR).read_bytes()
    assert main(["fix", TELESUR]) == 1
    once = (corpus / TELESUR).read_bytes()
    assert not once.startswith(b"Kazakhstan Reports Casualties")
    assert main(["fix", TELESUR]) == 0
    assert main(["check", TELESUR]) == 0
    assert (corpus / TELESUR).read_bytes() == once
    assert main(["restore", TELESUR, "--to", "back"]) == 0
    assert (corpus / "back" / TELESUR).read_bytes() == raw


def test_fix_refuses_symlinks_and_binary(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (corpus / "link.txt").symlink_to(corpus / TELESUR)
    (corpus / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)
    assert main(["fix", "link.txt", "blob.txt"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("link.txt: ") and "symbolic link" in err[0]
    assert err[1].startswith("blob.txt: ") and "binary" in err[1]
    assert (corpus / TELESUR).read_bytes() == (SEEDS_RAW / TELESUR).read_bytes()
