"""A folder of good, empty, binary and Latin-1 files: the run goes on and says what failed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from cleaner.cli import main

ARTICLE = "Cafés Reopen Across Paris\n\nThe café crème is back on the terraces this week, owners said on Monday.\n"


def test_mixed_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(ARTICLE, "utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (src / "latin1.txt").write_bytes(ARTICLE.encode("latin-1"))
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(out)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    failed = [l for l in proc.stderr.splitlines() if "binary.txt" in l]
    assert len(failed) == 1 and "binary" in failed[0].split(": ", 1)[1]
    assert "read 4, written 2, no text 1 (empty or all chrome: sidecar only), failed 1" in proc.stderr
    for name in ("good", "latin1"):
        assert (out / f"{name}.txt").read_text("utf-8") == ARTICLE
        assert "café crème" in (out / f"{name}.txt").read_text("utf-8")
    assert json.loads((out / "latin1.meta.json").read_text("utf-8"))["source"]["encoding"] == "cp1252"
    assert not (out / "empty.txt").exists()
    assert json.loads((out / "empty.meta.json").read_text("utf-8"))["filtered"] == "empty input: no text"
    assert not (out / "binary.txt").exists() and not (out / "binary.meta.json").exists()
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before
    assert not [p for p in out.iterdir() if p.name.startswith(".cleaner-tmp-")]


def test_output_inside_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    from cleaner.cli import main

    assert main(["clean", str(tmp_path), "-o", str(tmp_path / "out"), "--quiet"]) == 2
    assert not (tmp_path / "out").exists()


def test_two_inputs_for_one_output_are_refused(tmp_path: Path, capsys) -> None:
    """Neither input is cleaned, each is named once, and the other files go on."""
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "y" / "b.txt").write_text(ARTICLE, "utf-8")
    from cleaner.cli import main

    x, y, b = (str(tmp_path / "x" / "a.txt"), str(tmp_path / "y" / "a.txt"), str(tmp_path / "y" / "b.txt"))
    assert main(["clean", x, y, b, "-o", str(tmp_path / "out")]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert [e.split(": ")[0] for e in errors if "would both be written" in e] == [x, y]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".cleaner-index", "b.meta.json", "b.txt",
                                                                     "manifest.jsonl"]


def test_tree_is_mirrored_and_glob_applies(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "a" / "b").mkdir(parents=True)
    (src / "a" / "b" / "doc.txt").write_text(ARTICLE, "utf-8")
    (src / "a" / "doc.md").write_text(ARTICLE, "utf-8")
    from cleaner.cli import main

    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if p.is_file()) == [
        ".cleaner-index", "a/b/doc.meta.json", "a/b/doc.txt", "manifest.jsonl"]
    assert main(["clean", str(src), "-o", str(tmp_path / "md"), "--glob", "*.md", "--quiet"]) == 0
    assert (tmp_path / "md" / "a" / "doc.txt").read_text("utf-8") == ARTICLE


def test_an_input_is_recorded_the_same_however_its_path_was_typed(tmp_path: Path, monkeypatch) -> None:
    """Relative, ./relative, absolute: the same sidecars and manifest, as a cluster's workers must give too."""
    from .conftest import SEEDS_RAW, tree_bytes

    shutil.copytree(SEEDS_RAW, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    typed = {"plain": "corpus", "dotted": "./corpus/", "absolute": str(tmp_path / "corpus")}
    for name, path in typed.items():
        assert main(["clean", path, "-o", f"out-{name}", "--quiet", "--jobs", "1"]) == 0
    runs = [tree_bytes(tmp_path / f"out-{name}") for name in typed]
    assert runs[0] == runs[1] == runs[2]
    assert json.loads(runs[0]["001_9949106f77b81d0f.meta.json"])["source"]["path"] == "corpus/001_9949106f77b81d0f.txt"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)  # an input outside the working directory is named by its absolute path
    assert main(["clean", "../corpus", "-o", "out", "--quiet", "--jobs", "1"]) == 0
    sidecar = json.loads((outside / "out" / "001_9949106f77b81d0f.meta.json").read_text("utf-8"))
    assert sidecar["source"]["path"] == str(tmp_path / "corpus" / "001_9949106f77b81d0f.txt")
