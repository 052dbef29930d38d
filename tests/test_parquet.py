"""Parquet shards: the same rows as the JSONL path, an explicit schema, bad rows reported by number."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.batch.records_out import ROWS_PER_GROUP
from cleaner.cli import main

from .conftest import SLICE

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def texts(n: int) -> list[str]:
    found = sorted(p.read_text("utf-8") for p in SLICE.glob("text-*/*.txt"))
    return [found[k % len(found)] + ("" if k < len(found) else f"\nCopy {k}.\n") for k in range(n)]


def test_a_parquet_shard_gives_the_rows_of_the_jsonl_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"id": f"doc-{k}", "text": t, "url": f"https://site{k % 7}.example.com/{k}", "n": k}
            for k, t in enumerate(texts(1000))]
    rows[10]["text"] = None  # a row with no text: reported by its number, the shard goes on
    schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("url", pa.string()), ("n", pa.int64())])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp_path / "part.parquet", row_group_size=300)
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    assert main(["clean", str(tmp_path / "part.parquet"), str(tmp_path / "rows.jsonl"), "-o", str(tmp_path / "out"),
                 "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'part.parquet'}: row 11: its `text` is null, not a string" in err
    assert f"{tmp_path / 'rows.jsonl'}: line 11: its `text` is null, not a string" in err
    out = pq.ParquetFile(tmp_path / "out" / "part.parquet")
    assert out.schema_arrow == schema.append(pa.field("cleaner", pa.string()))  # the input's columns, then the sidecar
    assert out.metadata.num_row_groups == -(-out.metadata.num_rows // ROWS_PER_GROUP) > 1  # written as it streams
    assert out.metadata.row_group(0).column(1).compression == "ZSTD"
    got = out.read().to_pylist()
    jsonl = [json.loads(line) for line in (tmp_path / "out" / "rows.jsonl").read_text("utf-8").splitlines()]
    assert len(got) == len(jsonl) > 900
    for row, record in zip(got, jsonl):
        assert (row["id"], row["text"], row["url"], row["n"]) == (record["id"], record["text"], record["url"], record["n"])
        sidecar, expected = json.loads(row["cleaner"]), record["metadata"]["cleaner"]
        assert sidecar["source"].pop("path").endswith(".parquet:" + str(row["n"] + 1))
        assert expected["source"].pop("path").endswith(".jsonl:" + str(record["n"] + 1))
        assert sidecar == expected


def test_jsonl_to_parquet_and_back_keep_the_records(tmp_path: Path) -> None:
    records = [{"id": k, "text": t, "metadata": {"url": "https://a.example.org/x", "tags": ["a"]}}
               for k, t in enumerate(texts(30))]
    (tmp_path / "s.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    assert main(["clean", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "j0"), "--quiet"]) == 0
    assert main(["clean", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "p"), "--quiet", "--output-format", "parquet"]) == 0
    as_jsonl = [json.loads(line) for line in (tmp_path / "j0" / "s.jsonl").read_text("utf-8").splitlines()]
    table = pq.read_table(tmp_path / "p" / "s.parquet")
    assert table.schema == pa.schema([(name, pa.string()) for name in ("id", "text", "metadata", "cleaner")])
    rows = table.to_pylist()
    assert [(r["id"], r["text"]) for r in rows] == [(str(r["id"]), r["text"]) for r in as_jsonl]
    assert all(json.loads(r["metadata"])["metadata"]["tags"] == ["a"] for r in rows)
    assert main(["clean", str(tmp_path / "p" / "s.parquet"), "-o", str(tmp_path / "j"), "--quiet",
                 "--output-format", "jsonl"]) == 0
    back = [json.loads(line) for line in (tmp_path / "j" / "s.jsonl").read_text("utf-8").splitlines()]
    assert [r["text"] for r in back] == [r["text"] for r in rows]  # cleaning is idempotent


def test_a_text_parquet_cannot_hold_is_refused_by_the_writer(tmp_path: Path) -> None:
    """Text decoded from mostly-UTF-8 bytes keeps a stray byte as a lone surrogate (so that restore gives the
    bytes back); a Parquet string cannot hold one: the record is refused (the shard reports it), not the file."""
    from cleaner.batch.records_out import ParquetWriter, UnwritableRecord

    with open(tmp_path / "x.parquet", "wb") as raw:
        writer = ParquetWriter(raw, None)
        writer.write({"id": 1, "text": "fine"}, {"dropped": []})
        with pytest.raises(UnwritableRecord, match="cannot be written to Parquet"):
            writer.write({"id": 2, "text": "stray \udcff byte"}, {"dropped": []})
        writer.write({"id": 3, "text": "fine too"}, {"dropped": []})
        writer.close()
    assert [r["id"] for r in pq.read_table(tmp_path / "x.parquet").to_pylist()] == ["1", "3"]


def test_a_text_column_of_numbers_is_one_line_for_the_shard(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pq.write_table(pa.table({"id": ["a", "b"], "text": [1, 2]}), tmp_path / "n.parquet")
    assert main(["clean", str(tmp_path / "n.parquet"), "-o", str(tmp_path / "out"), "--quiet"]) == 1
    assert capsys.readouterr().err == f"{tmp_path / 'n.parquet'}: the Parquet shard's `text` column holds int64, not strings\n"
