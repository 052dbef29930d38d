"""Reruns into the same OUTDIR redo exactly what changed; the manifest describes every document."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cleaner.batch.index import INDEX
from cleaner.cli import main

ACME = "ACME WIRE\n\nThe factory opened on Monday and hired two hundred workers from the region.\n\nACME PROMO LINE\n"
OTHER = "Council Approves Budget\n\nThe council approved the budget on Tuesday after a long debate.\n\nACME PROMO LINE\n"
SITE = ("[site]\nid = \"acme\"\nfingerprints = ['^ACME WIRE$']\n"
        "[[rule]]\nid = \"promo\"\nmatch = '^ACME PROMO LINE$'\nremoves = [\"ACME PROMO LINE\"]\nkeeps = [\"ACME\"]\n")


@pytest.fixture()
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    src, rules, out = tmp_path / "in", tmp_path / "rules", tmp_path / "out"
    src.mkdir()
    rules.mkdir()
    (src / "acme.txt").write_text(ACME, "utf-8")
    (src / "other.txt").write_text(OTHER, "utf-8")
    (rules / "acme.toml").write_text(SITE, "utf-8")
    return src, rules, out


def clean(src: Path, rules: Path, out: Path, *extra: str) -> dict[str, dict]:
    assert main(["clean", str(src), "-o", str(out), "--rules", str(rules), "--quiet", "--jobs", "1", *extra]) == 0
    lines = (out / "manifest.jsonl").read_text("utf-8").splitlines()
    return {Path(e["input"]).name: e for e in map(json.loads, lines)}


def stamps(out: Path) -> dict[str, int]:
    return {p.name: os.stat(p).st_mtime_ns for p in out.iterdir() if p.name not in ("manifest.jsonl", INDEX)}


def test_rerun_reuses_everything_unchanged(setup, capsys) -> None:
    src, rules, out = setup
    first = clean(src, rules, out)
    assert {n: e["fresh"] for n, e in first.items()} == {"acme.txt": True, "other.txt": True}
    assert first["acme.txt"]["site"] == "acme" and first["acme.txt"]["dropped"] == 1
    before, times = {p.name: p.read_bytes() for p in out.iterdir()}, stamps(out)
    assert main(["clean", str(src), "-o", str(out), "--rules", str(rules), "--jobs", "1"]) == 0
    assert "read 2, written 0, unchanged 2, failed 0" in capsys.readouterr().err
    assert stamps(out) == times
    again = {Path(e["input"]).name: e for e in map(json.loads, (out / "manifest.jsonl").read_text().splitlines())}
    assert {n: e["fresh"] for n, e in again.items()} == {"acme.txt": False, "other.txt": False}
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name not in ("manifest.jsonl", INDEX)} == \
        {n: b for n, b in before.items() if n not in ("manifest.jsonl", INDEX)}


def test_a_changed_site_file_redoes_only_its_documents(setup) -> None:
    src, rules, out = setup
    clean(src, rules, out)
    (rules / "acme.toml").write_text(SITE.replace("hired", "x") + "# reviewed\n", "utf-8")
    after = clean(src, rules, out)
    assert after["acme.txt"]["fresh"] is True
    assert after["other.txt"]["fresh"] is False


def test_a_changed_generic_file_or_input_or_output_redoes_what_it_touches(setup) -> None:
    src, rules, out = setup
    clean(src, rules, out)
    (src / "other.txt").write_text(OTHER + "\nOne more paragraph.\n", "utf-8")
    assert {n: e["fresh"] for n, e in clean(src, rules, out).items()} == {"acme.txt": False, "other.txt": True}
    (out / "acme.txt").write_text("tampered\n", "utf-8")
    assert clean(src, rules, out)["acme.txt"]["fresh"] is True
    assert (out / "acme.txt").read_text("utf-8") == ACME.replace("\n\nACME PROMO LINE", "")
    (rules / "house.toml").write_text("[generic]\nid = \"house\"\n[[rule]]\nid = \"x\"\nmatch = '^Zzz$'\n", "utf-8")
    assert {n: e["fresh"] for n, e in clean(src, rules, out).items()} == {"acme.txt": True, "other.txt": True}


def test_options_and_force_redo_everything(setup) -> None:
    src, rules, out = setup
    clean(src, rules, out)
    assert all(e["fresh"] for e in clean(src, rules, out, "--title", "drop").values())
    assert not any(e["fresh"] for e in clean(src, rules, out, "--title", "drop").values())
    assert all(e["fresh"] for e in clean(src, rules, out, "--title", "drop", "--force").values())


def test_manifest_lines(setup) -> None:
    src, rules, out = setup
    (src / "bad.txt").write_bytes(b"\x00\x01" * 50)
    assert main(["clean", str(src), "-o", str(out), "--rules", str(rules), "--quiet", "--jobs", "1"]) == 1
    lines = (out / "manifest.jsonl").read_text("utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert [Path(e["input"]).name for e in entries] == ["acme.txt", "bad.txt", "other.txt"]
    assert entries[1] == {"input": (src / "bad.txt").as_posix(), "status": "failed", "error": "binary file (NUL bytes)"}
    acme = entries[0]
    assert acme["output"] == "acme.txt" and acme["sidecar"] == "acme.meta.json" and acme["status"] == "written"
    sidecar = json.loads((out / "acme.meta.json").read_text("utf-8"))
    assert acme["output_sha256"] == sidecar["output"]["sha256"]
    assert acme["input_sha256"] == sidecar["source"]["sha256"]
    assert (acme["lang"], acme["words"], acme["paragraphs"]) == ("en", sidecar["output"]["words"], 2)


def test_library_reruns_with_default_settings_reuse_outputs(setup) -> None:
    """Settings() holds the default options; the sidecars state them: the same, so nothing is redone."""
    from cleaner import Options
    from cleaner.batch import LocalExecutor, Settings, plan, run

    src, rules, out = setup
    jobs = plan([str(src)], str(out)).jobs
    assert run(jobs, LocalExecutor(), [str(rules)], Settings()).statuses == {"written": 2}
    assert run(jobs, LocalExecutor(), [str(rules)], Settings()).statuses == {"unchanged": 2}
    assert run(jobs, LocalExecutor(), [str(rules)], Settings(Options(title="drop"))).statuses == {"written": 2}


def aged(src: Path) -> None:
    """Inputs last changed a minute ago: not racy, so the index vouches for them."""
    for path in src.iterdir():
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 60 * 10**9))


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The inputs the run reads (documents are cleaned in this process with --jobs 1)."""
    from cleaner.batch import documents

    seen: list[str] = []
    real = documents.read_input

    def counted(path: Path, limit: int | None) -> tuple[bytes, str | None]:
        seen.append(path.name)
        return real(path, limit)

    monkeypatch.setattr(documents, "read_input", counted)
    return seen


def test_an_unchanged_rerun_reads_no_input_and_writes_the_same_manifest(setup, reads: list[str]) -> None:
    src, rules, out = setup
    aged(src)
    clean(src, rules, out)
    first = (out / "manifest.jsonl").read_text("utf-8")
    reads.clear()
    again = clean(src, rules, out)
    assert reads == []  # size, time and inode matched: neither input nor sidecar was read
    assert {n: e["fresh"] for n, e in again.items()} == {"acme.txt": False, "other.txt": False}
    assert (out / "manifest.jsonl").read_text("utf-8") == first.replace('"fresh": true', '"fresh": false')


@pytest.mark.parametrize("which", ["input", "output", "sidecar"])
def test_a_touched_file_is_checked_in_full_never_trusted(setup, reads: list[str], which: str) -> None:
    src, rules, out = setup
    aged(src)
    clean(src, rules, out)
    touched = {"input": src / "acme.txt", "output": out / "acme.txt", "sidecar": out / "acme.meta.json"}[which]
    st = touched.stat()
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns - 10**9))  # the same bytes, another time
    reads.clear()
    again = clean(src, rules, out)
    assert reads == ["acme.txt"]  # the touched document is read and hashed; the other is vouched for
    assert again["acme.txt"]["fresh"] is False  # its bytes are as they were: reused all the same


def test_an_output_edited_behind_the_run_s_back_is_redone(setup, reads: list[str]) -> None:
    src, rules, out = setup
    aged(src)
    clean(src, rules, out)
    (out / "acme.txt").write_text("edited by hand\n", "utf-8")
    reads.clear()
    again = clean(src, rules, out)
    assert reads == ["acme.txt"] and again["acme.txt"]["fresh"] is True
    assert (out / "acme.txt").read_text("utf-8") == "ACME WIRE\n\nThe factory opened on Monday and hired two hundred " \
                                                   "workers from the region.\n"


def test_an_input_changed_just_before_the_run_is_not_vouched_for(setup, reads: list[str]) -> None:
    """Racy: a file changed within a tick of the run's start may change while it is read."""
    src, rules, out = setup
    clean(src, rules, out)  # the inputs were written a moment ago
    reads.clear()
    clean(src, rules, out)
    assert sorted(reads) == ["acme.txt", "other.txt"]


class RetryingExecutor:
    """What a cluster does when a worker dies after writing a group: the group runs again, and the second try
    finds the first try's outputs. Only the second try's reports come back."""

    def execute(self, jobs, rule_dirs, settings):  # type: ignore[no-untyped-def]
        from cleaner.batch.executors import LocalExecutor

        for _ in LocalExecutor().execute(jobs, rule_dirs, settings):
            pass  # the first try: outputs written, reports lost with the worker
        yield from LocalExecutor().execute(jobs, rule_dirs, settings)


def test_a_run_into_a_new_folder_counts_nothing_unchanged_after_a_retry(tmp_path: Path) -> None:
    from cleaner.batch import Settings, plan, run
    from cleaner.batch.manifest import MANIFEST

    from .conftest import SEEDS_RAW

    out = tmp_path / "out"
    planned = plan([str(SEEDS_RAW)], str(out))
    summary = run(planned.jobs, RetryingExecutor(), [], Settings(), manifest=out / MANIFEST)
    assert dict(summary.statuses) == {"written": 5}
    entries = [json.loads(line) for line in (out / MANIFEST).read_text("utf-8").splitlines()]
    assert [(e["status"], e["fresh"]) for e in entries] == [("written", True)] * 5
    again = run(planned.jobs, RetryingExecutor(), [], Settings(), manifest=out / MANIFEST)
    assert dict(again.statuses) == {"unchanged": 5}  # what an earlier run wrote is still unchanged
