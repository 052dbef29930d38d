"""Quality on the whole devset, scored by the devset's own score.py (the figures bench/quality.py prints)."""
from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import main

from .conftest import DEVSET, needs_devset

pytestmark = [needs_devset, pytest.mark.slow]


def score(inputs: Path, outputs: Path) -> tuple[int, int, int, int]:
    """(kept, with, removed, without) counts from score.py."""
    out = subprocess.run([sys.executable, str(DEVSET / "score.py"), str(inputs), str(outputs), "--show", "0"],
                         capture_output=True, text=True, check=True).stdout
    found = re.search(r"kept [\d.]+ \((\d+)/(\d+)\)\s+removed [\d.]+ \((\d+)/(\d+)\)", out)
    assert found, out
    return tuple(int(g) for g in found.groups())  # type: ignore[return-value]


def test_text_recall_keeps_content_and_removes_half_the_chrome(tmp_path: Path) -> None:
    assert main(["clean", str(DEVSET / "text-recall"), "-o", str(tmp_path), "--quiet", "--jobs", "2"]) == 0
    kept, with_, removed, without = score(DEVSET / "text-recall", tmp_path)
    assert kept / with_ >= 0.995
    assert removed / without >= 0.50


def test_html_does_at_least_as_well_as_trafilatura_alone(tmp_path: Path) -> None:
    from trafilatura import extract

    alone = tmp_path / "trafilatura"
    alone.mkdir()
    for page in sorted((DEVSET / "html").glob("*.html.gz")):
        text = extract(gzip.decompress(page.read_bytes())) or ""
        (alone / (page.name[: -len(".html.gz")] + ".txt")).write_text(text + "\n", "utf-8")
    ours = tmp_path / "ours"
    assert main(["clean", str(DEVSET / "html"), "--glob", "*.html.gz", "-o", str(ours), "--quiet", "--jobs", "2"]) == 0
    t_kept, t_with, t_removed, t_without = score(DEVSET / "text-page", alone)
    kept, with_, removed, without = score(DEVSET / "text-page", ours)
    assert (with_, without) == (t_with, t_without)
    assert kept >= t_kept, f"kept {kept}/{with_} < trafilatura's {t_kept}"
    assert removed >= t_removed, f"removed {removed}/{without} < trafilatura's {t_removed}"
