"""JSONL shards: records cleaned in order, other fields kept, the sidecar under metadata.cleaner."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from cleaner import clean_bytes
from cleaner.cli import main

from .conftest import devset_sample


def write_shard(path: Path, lines: list[str]) -> None:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)


def read_shard(path: Path) -> list[dict]:
    data = path.read_bytes()
    data = gzip.decompress(data) if path.name.endswith(".gz") else data
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def test_gz_shard_equals_cleaning_each_record_as_a_file(tmp_path: Path, ruleset) -> None:
    texts = [p.read_text("utf-8") for p in devset_sample(40)]
    records = [{"id": f"doc-{i}", "text": t, "source": "devset", "metadata": {"url": f"https://x.test/{i}"}}
               for i, t in enumerate(texts)]
    write_shard(tmp_path / "part-000.jsonl.gz", [json.dumps(r, ensure_ascii=False) for r in records])
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "part-000.jsonl.gz"), "-o", str(out), "--quiet"]) == 0
    cleaned = read_shard(out / "part-000.jsonl.gz")
    expected = [(r, clean_bytes(r["text"].encode("utf-8"), ruleset)) for r in records]
    expected = [(r, c) for r, c in expected if c.text]
    assert [c["id"] for c in cleaned] == [r["id"] for r, _ in expected]
    for got, (record, result) in zip(cleaned, expected):
        assert got["text"] == result.text
        assert list(got) == ["id", "text", "source", "metadata"]
        assert got["source"] == "devset" and got["metadata"]["url"] == record["metadata"]["url"]
        assert got["metadata"]["cleaner"]["dropped"] == [
            {"line": d.line, "rule": d.rule, "text": d.text, **({"raw": d.raw} if d.raw is not None else {}),
             **({"score": d.score} if d.score is not None else {})}
            for d in result.record.dropped]
    again = tmp_path / "again"
    assert main(["clean", str(tmp_path / "part-000.jsonl.gz"), "-o", str(again), "--quiet"]) == 0
    assert (again / "part-000.jsonl.gz").read_bytes() == (out / "part-000.jsonl.gz").read_bytes()


def test_bad_and_emptied_records(tmp_path: Path, capsys) -> None:
    lines = [
        json.dumps({"id": 1, "text": "A Real Headline Here\n\nA paragraph of article text that stays in place."}),
        "{not json",
        json.dumps({"id": 3, "body": "no text field"}),
        "",
        json.dumps({"id": 5, "text": "Share\nComments"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": 7, "text": "Another paragraph that is long enough to stay in the output."}),
    ]
    write_shard(tmp_path / "s.jsonl", lines)
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "s.jsonl"), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    shard = tmp_path / "s.jsonl"
    assert err[:3] == [f"{shard}: line 2: not JSON (Expecting property name enclosed in double quotes: line 1 column 2 "
                       "(char 1))", f"{shard}: line 3: no `text` field", f"{shard}: line 6: not a JSON object"]
    assert err[3] == "read 1, written 1, failed 0, bad records 3 (in shards, named above)"  # as the exit code says
    assert [r["id"] for r in read_shard(out / "s.jsonl")] == [1, 7]
    summary = json.loads((out / "s.meta.json").read_text("utf-8"))
    assert (summary["records"], summary["written"], summary["emptied"]) == (6, 2, 1)
    assert summary["position"] == "line"
    assert [(b["line"], b["id"]) for b in summary["bad"]] == [(2, None), (3, 3), (6, None)]
    assert summary["withheld"] == [{"line": 5, "id": 5, "status": "emptied",
                                    "reason": "no text left: every line was chrome"}]
    entry = json.loads((out / "manifest.jsonl").read_text("utf-8"))
    assert (entry["format"], entry["records"], entry["written"], entry["bad"]) == ("jsonl", 6, 2, 3)
    assert main(["clean", str(tmp_path / "s.jsonl"), "-o", str(out), "--quiet"]) == 1  # still reports, reused
    assert json.loads((out / "manifest.jsonl").read_text("utf-8"))["fresh"] is False


def test_a_gzipped_shard_that_breaks_off_keeps_the_records_before(tmp_path: Path, capsys) -> None:
    lines = [json.dumps({"id": k, "text": f"Paragraph number {k} of an article that is long enough to stay in."})
             for k in range(200)]
    whole = gzip.compress("".join(line + "\n" for line in lines).encode("utf-8"))
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "cut.jsonl.gz"), "-o", str(out)]) == 1
    broke = [line for line in capsys.readouterr().err.splitlines() if "breaks off" in line]
    kept = read_shard(out / "cut.jsonl.gz")
    assert len(broke) == 1 and broke[0].startswith(f"{tmp_path / 'cut.jsonl.gz'}: line {len(kept) + 1}: the file breaks off")
    assert 0 < len(kept) < 200 and [r["id"] for r in kept] == list(range(len(kept)))


def test_bad_records_are_named_in_input_order(tmp_path: Path, capsys) -> None:
    lines = [json.dumps({"id": k, "text": f"Paragraph number {k} of an article that is long enough to stay in."})
             if k % 4 else json.dumps({"id": k, "text": k}) for k in range(1, 13)]
    write_shard(tmp_path / "s.jsonl", lines)
    assert main(["clean", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{tmp_path / 's.jsonl'}: line {k}: its `text` is a number, not a string" for k in (4, 8, 12)]


def test_filtered_records_are_named_with_their_language(tmp_path: Path) -> None:
    english = "The council met on Monday and agreed on the budget for the coming year after a long debate."
    german = "Der Gemeinderat hat sich am Montag getroffen und den Haushalt für das kommende Jahr beschlossen."
    write_shard(tmp_path / "s.jsonl", [json.dumps({"id": "en-1", "text": english}),
                                       json.dumps({"id": "de-1", "text": german})])
    assert main(["clean", str(tmp_path / "s.jsonl"), "-o", str(tmp_path / "out"), "--quiet", "--lang", "en"]) == 0
    summary = json.loads((tmp_path / "out" / "s.meta.json").read_text("utf-8"))
    assert summary["withheld"] == [{"line": 2, "id": "de-1", "status": "filtered", "reason": "language de not in en"}]
