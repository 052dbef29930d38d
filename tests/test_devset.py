"""Determinism, idempotence and losslessness on real devset documents: the shipped slice, and the whole devset."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cleaner import clean_bytes
from cleaner.cli import main
from cleaner.record.restore import restore_bytes
from cleaner.record.sidecar import to_sidecar

from .conftest import DEVSET, SLICE, needs_devset, tree_bytes


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("devset") / "in"
    src.mkdir()
    for mode in ("text-recall", "text-page"):  # article dumps and whole pages
        for path in sorted((SLICE / mode).glob("*.txt")):
            shutil.copy(path, src / f"{mode}-{path.name}")
    return src


def test_two_runs_give_identical_bytes(sample_dir: Path, tmp_path: Path) -> None:
    assert main(["clean", str(sample_dir), "-o", str(tmp_path / "one"), "--quiet", "--jobs", "1"]) == 0
    assert main(["clean", str(sample_dir), "-o", str(tmp_path / "two"), "--quiet", "--jobs", "2"]) == 0
    one = tree_bytes(tmp_path / "one")
    assert len(one) == 2 * len(list(sample_dir.iterdir())) + 1  # texts, sidecars and the manifest
    assert one == tree_bytes(tmp_path / "two")


def test_cleaning_a_cleaned_text_changes_nothing(sample_dir: Path, ruleset) -> None:
    changed = []
    for path in sorted(sample_dir.iterdir()):
        once = clean_bytes(path.read_bytes(), ruleset).text
        if clean_bytes(once.encode("utf-8"), ruleset).text != once:
            changed.append(path.name)
    assert changed == []


def test_restore_gives_back_every_input(sample_dir: Path, ruleset) -> None:
    for path in sorted(sample_dir.iterdir()):
        data = path.read_bytes()
        result = clean_bytes(data, ruleset)
        assert restore_bytes(result.text, to_sidecar(result, path.name)) == data, path.name


@needs_devset
@pytest.mark.slow
def test_restore_of_fix_is_every_devset_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """restore(fix(x)) == x for every file of devset/text-recall, through the commands themselves."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / ".git").mkdir()
    originals = sorted((DEVSET / "text-recall").glob("*.txt"))
    for path in originals:
        shutil.copy(path, corpus / path.name)
    monkeypatch.chdir(tmp_path)
    assert main(["fix", "corpus"]) == 1
    assert main(["fix", "corpus"]) == 0
    assert main(["restore", *(f"corpus/{p.name}" for p in originals), "--to", "back"]) == 0
    for path in originals:
        assert (tmp_path / "back" / "corpus" / path.name).read_bytes() == path.read_bytes(), path.name
