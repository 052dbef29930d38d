"""Determinism, idempotence and losslessness on a few hundred real devset documents."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cleaner import clean_bytes
from cleaner.cli import main
from cleaner.restore import restore_bytes
from cleaner.sidecar import to_sidecar

from .conftest import devset_sample, needs_shared, tree_bytes

pytestmark = needs_shared
SAMPLE = 300


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("devset") / "in"
    src.mkdir()
    for path in devset_sample(SAMPLE):
        shutil.copy(path, src / path.name)
    return src


def test_two_runs_give_identical_bytes(sample_dir: Path, tmp_path: Path) -> None:
    assert main(["clean", str(sample_dir), "-o", str(tmp_path / "one"), "--quiet", "--jobs", "1"]) == 0
    assert main(["clean", str(sample_dir), "-o", str(tmp_path / "two"), "--quiet", "--jobs", "2"]) == 0
    one = tree_bytes(tmp_path / "one")
    assert len(one) == 2 * SAMPLE
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
