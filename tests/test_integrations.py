"""In other pipelines: a real datatrove pipeline and a real `datasets.Dataset.map`, against the CLI's shard path."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cleaner import Options
from cleaner.cli import main

from .conftest import SLICE

SPUTNIK = ("Talks on the new treaty resumed in Geneva on Monday, officials said.\nSputnik\n"
           "The delegations met for three hours and agreed to meet again next week.\nDiscuss\n")


def records() -> list[dict]:
    texts = [p.read_text("utf-8") for p in sorted(SLICE.glob("text-*/*.txt"))[::4]]
    out = [{"id": f"doc-{k}", "text": t, "url": f"https://site{k}.example.com/a"} for k, t in enumerate(texts)]
    out.append({"id": "sputnik", "text": SPUTNIK, "url": "https://sputniknews.com/world/1"})
    out.append({"id": "empty", "text": "Share\nComments\n", "url": "https://e.example.com/"})
    return out


def cli_shard(tmp_path: Path, rows: list[dict]) -> dict[str, dict]:
    """What `cleaner clean` makes of the same records as a JSONL shard: id -> (text, sidecar without its path)."""
    (tmp_path / "cli.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    assert main(["clean", str(tmp_path / "cli.jsonl"), "-o", str(tmp_path / "cli-out"), "--quiet"]) == 0
    got = {}
    for line in (tmp_path / "cli-out" / "cli.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        got[record["id"]] = (record["text"], without_path(record["metadata"]["cleaner"]))
    return got


def without_path(sidecar: dict) -> dict:
    return {**sidecar, "source": {k: v for k, v in sidecar["source"].items() if k != "path"}}


def test_a_datatrove_pipeline_cleans_as_the_cli_does(tmp_path: Path) -> None:
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanerStep

    rows = records()
    (tmp_path / "in").mkdir()
    for part in range(2):
        (tmp_path / "in" / f"{part}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[part::2]), "utf-8")
    step = CleanerStep()
    LocalPipelineExecutor(pipeline=[JsonlReader(str(tmp_path / "in")), step, JsonlWriter(str(tmp_path / "out"))],
                          tasks=2, workers=2, logging_dir=str(tmp_path / "logs")).run()
    got = {}
    for path in sorted((tmp_path / "out").glob("*.jsonl.gz")):
        for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
            doc = json.loads(line)
            got[doc["id"]] = (doc["text"], without_path(doc["metadata"]["cleaner"]))
    expected = cli_shard(tmp_path, rows)
    assert got == expected and "empty" not in got
    assert got["sputnik"][1]["site"] == "sputnik"  # chosen by metadata["url"]
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text("utf-8"))
    counted = {k: v["total"] if isinstance(v, dict) else v
               for s in stats for k, v in s["stats"].items() if "corpus-cleaner" in s["name"]}
    assert counted["sputnik/photo-credit"] == 1 and counted["emptied"] == 1


def test_datasets_map_cleans_as_the_cli_does(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    from cleaner.integrations.hf import clean_batch, clean_dataset, cleaner_for

    rows = records()
    dataset = datasets.Dataset.from_list(rows)
    mapped = dataset.map(clean_batch, batched=True, num_proc=2, batch_size=8)
    assert mapped.column_names == ["id", "text", "url", "cleaner"] and len(mapped) == len(rows)
    expected = cli_shard(tmp_path, rows)
    got = {r["id"]: (r["text"], without_path(json.loads(r["cleaner"]))) for r in mapped if r["text"]}
    assert got == expected
    emptied = json.loads(mapped[-1]["cleaner"])
    assert mapped[-1]["text"] == "" and emptied["dropped"]  # emptied: kept in place, and the sidecar says why
    assert emptied["filtered"] == "no text left: every line was chrome"
    cleaned = clean_dataset(dataset, num_proc=2, batch_size=8)  # the integrations agree: an emptied row is left out
    assert {r["id"]: (r["text"], without_path(json.loads(r["cleaner"]))) for r in cleaned} == expected
    dropped_title = dataset.select(range(3)).map(cleaner_for(options=Options(title="drop")), batched=True)
    assert all(json.loads(r["cleaner"])["options"]["title"] == "drop" for r in dropped_title)


def test_datasets_map_finds_the_site_as_a_jsonl_record_does() -> None:
    """A row's `url`, or where it has none, its `metadata.url`, picks the site (records_in's rule)."""
    datasets = pytest.importorskip("datasets")
    from cleaner.integrations.hf import clean_batch

    rows = [{"text": SPUTNIK, "url": None, "metadata": {"url": "https://sputniknews.com/world/1"}},
            {"text": SPUTNIK, "url": "https://sputniknews.com/world/2", "metadata": {"url": None}},
            {"text": SPUTNIK, "url": None, "metadata": {"url": None}}]
    mapped = datasets.Dataset.from_list(rows).map(clean_batch, batched=True)
    assert [json.loads(r["cleaner"])["site"] for r in mapped] == ["sputnik", "sputnik", None]
