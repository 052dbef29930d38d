"""The five seed documents: exact expected texts and the facts their sidecars must carry."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from cleaner.cli import main
from cleaner.record.sidecar import schema

from .conftest import SEEDS_EXPECTED, SEEDS_RAW, tree_bytes

SEED_NAMES = sorted(p.name for p in SEEDS_RAW.glob("*.txt"))


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds") / "OUT"
    assert main(["clean", str(SEEDS_RAW), "-o", str(out), "--quiet"]) == 0
    return out


def test_five_seeds_are_written(cleaned: Path) -> None:
    assert sorted(p.name for p in cleaned.glob("*.txt")) == SEED_NAMES
    assert sorted(p.name for p in cleaned.glob("*.meta.json")) == [n[:-4] + ".meta.json" for n in SEED_NAMES]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_text_is_byte_identical_to_expected(cleaned: Path, name: str) -> None:
    assert (cleaned / name).read_bytes() == (SEEDS_EXPECTED / name).read_bytes()


@pytest.mark.parametrize("name", SEED_NAMES)
def test_sidecar_carries_expected_facts(cleaned: Path, name: str, seed_meta: dict) -> None:
    facts = seed_meta[name]
    sidecar = json.loads((cleaned / (name[:-4] + ".meta.json")).read_text("utf-8"))
    jsonschema.validate(sidecar, schema())
    assert sidecar["site"] == facts["site"]
    assert sidecar["title"] == facts["title"]
    assert sidecar["published"] == facts["published"]
    assert sidecar["section"] == facts["section"]
    assert sidecar["lang"]["code"] == facts["lang"]
    if "captions" in facts:
        assert sidecar["captions"] == facts["captions"]
    assert len(sidecar["dropped"]) == facts["removed_lines"]
    # every non-blank input line missing from the output is listed, with its rule
    raw_lines = [l.strip() for l in (SEEDS_RAW / name).read_text("utf-8").splitlines()]
    out_paras = set((cleaned / name).read_text("utf-8").rstrip("\n").split("\n\n"))
    listed = {d["line"]: d for d in sidecar["dropped"]}
    for number, line in enumerate(raw_lines, 1):
        normalized = " ".join(line.split())
        if normalized and normalized not in out_paras:
            assert number in listed, f"line {number} {line!r} dropped without a record"
            assert listed[number]["text"] == normalized
            assert "/" in listed[number]["rule"]


def test_second_run_gives_identical_bytes(cleaned: Path, tmp_path: Path) -> None:
    again = tmp_path / "OUT"
    assert main(["clean", str(SEEDS_RAW), "-o", str(again), "--quiet", "--jobs", "2"]) == 0
    assert tree_bytes(again) == tree_bytes(cleaned)


def test_cleaning_the_output_changes_no_text(cleaned: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in SEED_NAMES:
        shutil.copy(cleaned / name, inputs / name)
    assert main(["clean", str(inputs), "-o", str(tmp_path / "again"), "--quiet"]) == 0
    for name in SEED_NAMES:
        assert (tmp_path / "again" / name).read_bytes() == (cleaned / name).read_bytes()


def test_title_drop_moves_headline_to_sidecar_only(tmp_path: Path, seed_meta: dict) -> None:
    name = "001_9949106f77b81d0f.txt"
    assert main(["clean", str(SEEDS_RAW / name), "-o", str(tmp_path), "--title", "drop", "--quiet"]) == 0
    text = (tmp_path / name).read_text("utf-8")
    sidecar = json.loads((tmp_path / (name[:-4] + ".meta.json")).read_text("utf-8"))
    assert sidecar["title"] == seed_meta[name]["title"]
    assert not text.startswith(seed_meta[name]["title"])
    assert text == (SEEDS_EXPECTED / name).read_text("utf-8").split("\n\n", 1)[1]
    assert {"line": 8, "rule": "cleaner/title", "text": seed_meta[name]["title"]} in sidecar["dropped"]

