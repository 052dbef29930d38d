"""samples/ ships with the project, so this holds even without ../shared."""
from __future__ import annotations

from pathlib import Path

from cleaner.cli import main

from .conftest import REPO


def test_samples_clean_to_their_expected_output(tmp_path: Path) -> None:
    assert main(["clean", str(REPO / "samples" / "raw"), "-o", str(tmp_path), "--quiet"]) == 0
    expected = sorted((REPO / "samples" / "expected").glob("*.txt"))
    assert len(expected) == 5
    for path in expected:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes()
