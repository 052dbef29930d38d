from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from cleaner.core import default_ruleset
from cleaner.rulebook.load import Ruleset

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS_RAW = SHARED / "seeds" / "raw"
SEEDS_EXPECTED = SHARED / "seeds" / "expected"
DEVSET = SHARED / "devset"

# Property tests: `ci` (the default) runs 2,000 examples per test within CI's budget;
# HYPOTHESIS_PROFILE=long runs 50,000 (see RELIABILITY.md).
settings.register_profile("ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=50000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

needs_shared = pytest.mark.skipif(not SEEDS_RAW.is_dir(), reason="../shared (seeds and devset) is not beside this checkout")


@pytest.fixture(scope="session")
def ruleset() -> Ruleset:
    return default_ruleset()


@pytest.fixture(scope="session")
def seed_meta() -> dict:
    return json.loads((SEEDS_EXPECTED / "meta.json").read_text("utf-8"))


def devset_sample(n: int) -> list[Path]:
    """Every k-th devset text-recall file, n in all: a spread over sites and languages."""
    files = sorted((DEVSET / "text-recall").glob("*.txt"))
    step = max(1, len(files) // n)
    return files[::step][:n]


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
