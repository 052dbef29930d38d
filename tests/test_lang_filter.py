"""--lang writes only documents in the languages asked for; the others get a sidecar saying why."""
from __future__ import annotations

import json
from pathlib import Path

from cleaner.cli import main

EN = "The council approved the budget on Tuesday after a long debate about buses and roads in the city.\n"
DE = "Der Stadtrat hat am Dienstag nach einer langen Debatte über Busse und Straßen den Haushalt beschlossen.\n"


def test_language_filter(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "en.txt").write_text(EN, "utf-8")
    (src / "de.txt").write_text(DE, "utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--lang", "en,fr"]) == 0
    assert "read 2, written 1, filtered by language 1, failed 0" in capsys.readouterr().err
    assert (out / "en.txt").read_text("utf-8") == EN
    assert not (out / "de.txt").exists()
    sidecar = json.loads((out / "de.meta.json").read_text("utf-8"))
    assert sidecar["lang"]["code"] == "de"
    assert sidecar["filtered"] == "language de not in en, fr"
    assert json.loads((out / "en.meta.json").read_text("utf-8"))["filtered"] is None
