from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from cleaner.batch.index import INDEX
from cleaner.core import default_ruleset
from cleaner.rulebook.model import Ruleset

REPO = Path(__file__).resolve().parent.parent
SEEDS_RAW = REPO / "samples" / "raw"
SEEDS_EXPECTED = REPO / "samples" / "expected"
DATA = REPO / "tests" / "data"
SLICE = DATA / "devset"  # 40 devset pages shipped with the tests
DEVSET = REPO.parent / "shared" / "devset"  # the whole devset: only whole-devset measurements need it

# Property tests: `ci` (the default) runs 2,000 examples per test within CI's budget;
# HYPOTHESIS_PROFILE=long runs 50,000 (see RELIABILITY.md).
settings.register_profile("ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=50000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# A whole-devset measurement: skipped where ../shared/devset is absent, but a failure under CI,
# which always has it: a missing devset must not pass for a green run.
needs_devset = pytest.mark.devset


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("devset") and not DEVSET.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the devset is not at {DEVSET}: this measurement cannot run", pytrace=False)
        pytest.skip(f"whole-devset measurement: {DEVSET} is not beside this checkout")


@pytest.fixture(scope="session")
def ruleset() -> Ruleset:
    return default_ruleset()


@pytest.fixture(scope="session")
def seed_meta() -> dict:
    return json.loads((SEEDS_EXPECTED / "meta.json").read_text("utf-8"))


def devset_sample(n: int, mode: str = "text-recall") -> list[Path]:
    """n documents of the shipped devset slice, spread over its sites and languages."""
    files = sorted((SLICE / mode).glob("*.txt"))
    step = max(1, len(files) // n)
    return files[::step][:n]


def tree_bytes(root: Path) -> dict[str, bytes]:
    """A run's outputs; the rerun index is left out (it holds file stats: inodes, times)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != INDEX}


# Real lines for tests that hold a shortcut to the full computation: the shipped slice always, the whole
# devset as a slow measurement.
TEXT_SOURCES = [pytest.param(SLICE, id="slice"),
                pytest.param(DEVSET, id="devset", marks=[needs_devset, pytest.mark.slow])]


def text_lines(source: Path, ascii_too: bool = True) -> set[str]:
    """Every distinct non-blank line of the text dumps below `source`."""
    return {line for path in sorted(source.glob("text-*/*.txt"))
            for line in path.read_text("utf-8", "replace").splitlines()
            if line.strip() and (ascii_too or not line.isascii())}


def checkout_copy(folder: Path) -> Path:
    """The package's source and the rules beside it, as a checkout has them (no cleaner/builtin_rules)."""
    ignore = shutil.ignore_patterns("__pycache__", "builtin_rules")
    shutil.copytree(REPO / "cleaner", folder / "cleaner", ignore=ignore)
    shutil.copytree(REPO / "rules", folder / "rules", ignore=ignore)
    return folder
