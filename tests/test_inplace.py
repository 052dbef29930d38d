"""check, fix and restore on files in place."""
from __future__ import annotations

import json
import os
import re
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


INDENTED = "tests/data/devsites/text-page/03eb16fa647b1380.txt"  # a whole page whose menus are indented


def _edit_a_kept_line(path: Path) -> bytes:
    """Append a word to the first kept line that the input had indented; the edited bytes."""
    text = path.read_text("utf-8")
    edited = text.replace("\n\n", " (edited)\n\n", 1).encode("utf-8")
    path.write_bytes(edited)
    return edited


def test_restore_refuses_an_edited_indented_page(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An indented line is kept in the sidecar as it came; restore must still see that the file changed."""
    page = corpus / "page.txt"
    shutil.copy(Path(__file__).parent.parent / INDENTED, page)
    raw = page.read_bytes()
    assert any(line.startswith((b" ", b"\t")) for line in raw.splitlines())
    assert main(["fix", "page.txt"]) == 1
    meta = (corpus / "page.meta.json").read_bytes()
    edited = _edit_a_kept_line(page)
    capsys.readouterr()
    assert main(["restore", "page.txt"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("page.txt: edited since it was cleaned") and "nothing written" in err[0]
    assert page.read_bytes() == edited and (corpus / "page.meta.json").read_bytes() == meta
    page.write_bytes(edited.replace(b" (edited)", b"", 1))  # the edit undone: the way back is open again
    assert main(["restore", "page.txt"]) == 0
    assert page.read_bytes() == raw


def test_an_edit_then_fix_again_keeps_the_way_back_to_the_first_input(corpus: Path) -> None:
    """fix, edit a kept line, fix again (what the cleaner-fix hook does on the next commit), restore."""
    raw = (corpus / TELESUR).read_bytes()
    meta = corpus / "001_9949106f77b81d0f.meta.json"
    assert main(["fix", TELESUR]) == 1
    first_fix, first_sidecar = (corpus / TELESUR).read_bytes(), meta.read_bytes()
    edited = first_fix.replace(b"Kazakhstan", b"Kasakhstan", 1)
    (corpus / TELESUR).write_bytes(edited)
    assert main(["fix", TELESUR]) == 0  # the edit is clean: nothing to do, and the sidecar stays
    assert meta.read_bytes() == first_sidecar
    # an edit that brings chrome in: the second fix removes it and keeps the first fix's sidecar
    chrome = edited.replace(b"\n\n", b"\n\nShare this article\n\n", 1)
    (corpus / TELESUR).write_bytes(chrome)
    assert main(["fix", TELESUR]) == 1
    assert (corpus / TELESUR).read_bytes() == edited
    assert json.loads(meta.read_bytes())["previous"] == json.loads(first_sidecar)
    assert main(["restore", TELESUR]) == 0  # one step back: the file as the person left it
    assert (corpus / TELESUR).read_bytes() == chrome and meta.read_bytes() == first_sidecar
    assert main(["restore", TELESUR]) == 1  # further back would lose the edit
    assert (corpus / TELESUR).read_bytes() == chrome
    (corpus / TELESUR).write_bytes(first_fix)  # the person undoes the edit
    assert main(["restore", TELESUR]) == 0
    assert (corpus / TELESUR).read_bytes() == raw and not meta.exists()


def test_fix_never_overwrites_a_file_that_is_not_a_sidecar(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meta = corpus / "001_9949106f77b81d0f.meta.json"
    meta.write_text("my notes on this article\n", "utf-8")
    before = snapshot(corpus)
    assert main(["fix", TELESUR]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"{TELESUR}: 001_9949106f77b81d0f.meta.json beside it is not a sidecar")
    assert snapshot(corpus) == before


@pytest.mark.parametrize("content", ["", "Already clean.\n\nA second paragraph.\n"])
def test_check_and_fix_agree_on_empty_and_clean_files(corpus: Path, content: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (corpus / "x.txt").write_text(content, "utf-8")
    assert main(["check", "x.txt"]) == 0
    assert main(["fix", "x.txt"]) == 0
    assert capsys.readouterr().out == "" and not (corpus / "x.meta.json").exists()


def test_check_applies_the_first_inputs_site_after_its_lines_are_gone(corpus: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Rules written (or learned) after a fix, for a site known by lines that fix removed: check and fix agree."""
    name = "004_2d1796695ef79f70.txt"
    assert main(["fix", name]) == 1
    fixed = (corpus / name).read_text("utf-8")
    sentence = fixed.split("\n\n")[2]
    assert "Please enter your name here" not in fixed  # the comment form that tells the site is gone
    site = corpus / "house"
    site.mkdir()
    (site / "form.toml").write_text(
        "[site]\nid = \"form-site\"\nfingerprints = ['^Please enter your name here$']\n[[rule]]\nid = \"one-line\"\n"
        f"match = '^{re.escape(sentence)}$'\nremoves = [{json.dumps(sentence)}]\nkeeps = [\"Other text.\"]\n",
        "utf-8")
    (corpus / "cleaner.toml").write_text('rules = ["house"]\n', "utf-8")
    capsys.readouterr()
    assert main(["check", name]) == 1
    assert capsys.readouterr().out == f"{name}: form-site/one-line ×1\n"
    assert main(["fix", name]) == 1
    assert sentence not in (corpus / name).read_text("utf-8")
    assert main(["check", name]) == 0
