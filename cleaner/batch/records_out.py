"""Cleaned records written as a shard: JSONL (optionally gzipped) or Parquet, streamed.

JSONL keeps every field of the record and puts the sidecar under
`metadata.cleaner`. Parquet is written with an explicit schema, never
inferred from the first rows: a Parquet input's own columns plus `cleaner`
(the sidecar as a JSON string); for other inputs `id`, `text`, `metadata`
(the record's other fields as a JSON string) and `cleaner`. zstd, one row
group per ROWS_PER_GROUP records as they stream.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import IO, Any

from cleaner.batch.records_in import import_extra
from cleaner.errors import CleanerError
from cleaner.record.sidecar import escape_surrogates

ROWS_PER_GROUP = 500


def output_suffix(kind: str, output_format: str | None, name: str) -> str:
    """The output shard's suffix: as the input for JSONL and Parquet, `.jsonl` for WARC, unless asked."""
    chosen = output_format or ("parquet" if kind == "parquet" else "jsonl")
    if chosen == "parquet":
        return ".parquet"
    return ".jsonl.gz" if kind == "jsonl" and name.endswith(".gz") else ".jsonl"


def _json_default(value: Any) -> Any:
    """Parquet values JSON has no word for (dates, bytes, decimals) are written as text."""
    return value.hex() if isinstance(value, bytes) else str(value)


class UnwritableRecord(CleanerError):
    """A record the output format cannot hold; it is reported and left out, the shard goes on."""


class JsonlWriter:
    """One JSON object per line, the sidecar under `metadata.cleaner`; gzipped (mtime 0) for a .gz name."""

    def __init__(self, raw: IO[bytes], target: Path) -> None:
        self._gzip = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") if target.name.endswith(".gz") else None
        self._out: gzip.GzipFile | IO[bytes] = self._gzip if self._gzip is not None else raw

    def write(self, record: dict[str, Any], sidecar: dict[str, Any]) -> None:
        metadata = record.get("metadata")
        record = {**record, "metadata": {**(metadata if isinstance(metadata, dict) else {}), "cleaner": sidecar}}
        line = escape_surrogates(json.dumps(record, ensure_ascii=False, default=_json_default)) + "\n"
        self._out.write(line.encode("utf-8"))

    def close(self) -> None:
        if self._gzip is not None:
            self._gzip.close()


class ParquetWriter:
    """Rows in row groups of ROWS_PER_GROUP, with the schema fixed before the first row."""

    def __init__(self, raw: IO[bytes], schema: Any | None) -> None:
        pa = import_extra("pyarrow", "parquet")
        pq = import_extra("pyarrow.parquet", "parquet")
        self._native = schema is not None  # a Parquet input's rows keep their columns
        if schema is None:  # records from JSONL or WARC
            schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("metadata", pa.string())])
        if "cleaner" in schema.names:
            schema = schema.remove(schema.get_field_index("cleaner"))
        self.schema = schema.append(pa.field("cleaner", pa.string()))
        self._pa = pa
        self._writer = pq.ParquetWriter(raw, self.schema, compression="zstd")
        self._rows: list[dict[str, Any]] = []

    def write(self, record: dict[str, Any], sidecar: dict[str, Any]) -> None:
        row = dict(record) if self._native else {
            "id": None if record.get("id") is None else str(record["id"]), "text": record["text"],
            "metadata": escape_surrogates(json.dumps({k: v for k, v in record.items() if k not in ("id", "text")},
                                                     ensure_ascii=False, default=_json_default))}
        row["cleaner"] = escape_surrogates(json.dumps(sidecar, ensure_ascii=False))
        try:  # Parquet strings are UTF-8: a text that kept the lone surrogates of broken input cannot be one
            row["text"].encode("utf-8")
        except UnicodeEncodeError as exc:
            raise UnwritableRecord(f"its cleaned text cannot be written to Parquet ({exc})") from None
        self._rows.append(row)
        if len(self._rows) >= ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(self._pa.Table.from_pylist(self._rows, schema=self.schema))
            self._rows = []

    def close(self) -> None:
        self._flush()
        self._writer.close()
