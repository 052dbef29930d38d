"""Everyday mistakes get one line that names the flag or file and the reason, the right exit code, and no crash."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Options
from cleaner.cli import main

from .conftest import SEEDS_RAW

CLEANER = [sys.executable, "-m", "cleaner"]


@pytest.fixture(autouse=True)
def no_crash_log(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Every test here ends with no crash report written: a mistake is not a bug."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    yield
    assert not list(cache.rglob("crash.log"))


@pytest.fixture()
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # no configuration above it is read
    (tmp_path / "afile").write_text("a file, not a folder\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert "Traceback" not in "\n".join(err) and "unexpected error" not in "\n".join(err)
    return err[-1]


def test_an_unknown_language_code_is_a_usage_error_listing_the_codes(here: Path, capsys) -> None:
    assert main(["clean", str(SEEDS_RAW), "-o", "out", "--lang", "english"]) == 2
    line = one_error(capsys)
    assert line.startswith("cleaner clean: error: argument --lang: unknown language code 'english'; known: af, ar,")
    assert " en, " in line and " und, " in line and not (here / "out").exists()
    assert main(["clean", str(SEEDS_RAW), "-o", "out", "--lang", "en,und", "--quiet"]) == 0


@pytest.mark.parametrize("flags, named", [
    (["-o", "afile/out"], "afile/out: afile is not a folder"),
    (["-o", "afile"], "afile: not a folder"),
    (["-o", "out", "--stats", "afile/x.json"], "afile/x.json: afile is not a folder"),
    (["-o", "out", "--stats", "."], ".: a folder, not a file"),
    (["-o", "out", "--learn", "afile/learned"], "afile/learned: afile is not a folder"),
])
def test_an_output_that_cannot_be_written_is_refused_before_the_run(here: Path, capsys, flags: list[str],
                                                                    named: str) -> None:
    assert main(["clean", str(SEEDS_RAW), *flags]) == 2
    assert one_error(capsys) == f"cleaner: error: {named}"
    assert not (here / "out").exists()


@pytest.mark.parametrize("command", [["clean", str(SEEDS_RAW), "-o", "s3://bucket/out"],
                                     ["learn", str(SEEDS_RAW), "-o", "https://example.org/rules"],
                                     ["restore", "x.txt", "--to", "gs://bucket/x"]])
def test_a_url_is_refused_as_one(here: Path, capsys, command: list[str]) -> None:
    assert main(command) == 2
    assert "a URL; cleaner reads and writes local paths only" in one_error(capsys)
    assert sorted(p.name for p in here.iterdir()) == [".git", "afile"]


@pytest.mark.parametrize("command", [["clean", "-", "-o", "out"], ["check", "-"], ["clean", "s3://bucket/in", "-o", "out"]])
def test_an_input_that_is_no_local_file_is_named(here: Path, capsys, command: list[str]) -> None:
    assert main(command) == 2
    line = one_error(capsys)
    assert line.startswith("cleaner: error: ") and ("standard input is not read" in line or "a URL" in line)


@pytest.mark.parametrize("command", [["rules", "list"], ["check", *sorted(str(p) for p in SEEDS_RAW.glob("*.txt"))],
                                     ["explain", str(SEEDS_RAW / "001_9949106f77b81d0f.txt")]])
def test_a_closed_pipe_ends_the_command_quietly(here: Path, command: list[str]) -> None:
    """As `yes | head -1`: the reader went away (here before the first line), nothing is said, and the shell
    sees SIGPIPE's status."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        ran = subprocess.run([*CLEANER, *command], stdout=write_end, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write_end)
    assert ran.stderr == b"" and ran.returncode == 141


def test_equal_settings_are_equal_options() -> None:
    """A library run and a command-line run must not redo each other's work over how a setting was spelled."""
    assert Options(guard=1.0) == Options(guard=None) == Options(guard=1)
    assert Options(guard=0) == Options(guard=0.0) and Options(guard=0).as_record()["guard"] == 0.0
    assert Options(guard=0.5) != Options(guard=None)


def test_a_report_of_what_is_no_run_says_so_first(here: Path, capsys) -> None:
    assert main(["report", "afile"]) == 2
    assert one_error(capsys) == "cleaner: error: afile: no manifest.jsonl (not the output directory of a `cleaner clean` run)"
