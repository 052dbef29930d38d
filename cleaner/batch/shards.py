"""JSONL shards (the datatrove / dolma convention): one record per line, `{"id", "text", ...}`.

A shard is cleaned record by record, streamed: the output shard has the same
records in the same order, `text` cleaned, every other field kept, and the
record's sidecar under `metadata.cleaner`. A record whose text is cleaned
away entirely is dropped and counted; a line that is not a JSON object with a
string `text` is reported with its line number, and the shard goes on.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, Iterator

from cleaner import __version__
from cleaner.core import clean_bytes
from cleaner.text.decode import DecodeError
from cleaner.batch.files import atomic_writer
from cleaner.limits import DocumentTimeout, time_limit
from cleaner.rulebook.load import Ruleset
from cleaner.record.sidecar import escape_surrogates, to_sidecar

SUFFIXES = (".jsonl", ".jsonl.gz")
SCHEMA = "corpus-cleaner/shard/1"


@dataclass
class ShardResult:
    records: int = 0
    written: int = 0
    emptied: int = 0  # cleaned away entirely: not written
    filtered: int = 0  # in a language --lang did not ask for: not written
    bad: list[tuple[int, str]] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)


def clean_shard(source: Path, target: Path, ruleset: Ruleset, options: dict[str, Any],
                langs: frozenset[str] | None = None, label: str | None = None, *,
                max_bytes: int | None = None, timeout: float | None = None) -> tuple[ShardResult, dict[str, Any]]:
    """Clean shard `source` into `target` (gzipped if its name ends .gz); return the counts and the shard's sidecar.

    `label` is how sidecars name the shard (default: its path). A record whose
    text is larger than `max_bytes`, or takes longer than `timeout` seconds,
    is reported as bad and left out."""
    label = label or source.as_posix()
    result = ShardResult()
    digest = hashlib.sha256()
    size = 0
    with _open_input(source) as lines, atomic_writer(target) as raw, _output(raw, target) as out:
        for number, line in enumerate(lines, 1):
            digest.update(line)
            size += len(line)
            if not line.strip():  # blank lines hold no record
                continue
            result.records += 1
            record, reason = _record(line)
            if record is None:
                result.bad.append((number, reason))
                continue
            data = record["text"].encode("utf-8", "surrogatepass")
            if max_bytes is not None and len(data) > max_bytes:
                result.bad.append((number, f"text larger than --max-bytes {max_bytes} ({len(data)} bytes)"))
                continue
            try:
                with time_limit(timeout):
                    cleaned = clean_bytes(data, ruleset, format="text", **options)
            except DocumentTimeout as exc:
                result.bad.append((number, str(exc)))
                continue
            except Exception as exc:  # one bad record must not stop the shard
                result.bad.append((number, f"internal error: {type(exc).__name__}: {exc}"))
                continue
            result.dropped.update(d.rule for d in cleaned.record.dropped)
            if not cleaned.text:
                result.emptied += 1
                continue
            if langs is not None and cleaned.record.lang not in langs:
                result.filtered += 1
                continue
            metadata = record.get("metadata")
            record["text"] = cleaned.text
            record["metadata"] = {**(metadata if isinstance(metadata, dict) else {}),
                                  "cleaner": to_sidecar(cleaned, f"{label}:{number}")}
            out.write((escape_surrogates(json.dumps(record, ensure_ascii=False)) + "\n").encode("utf-8"))
            result.written += 1
    summary = {
        "schema": SCHEMA,
        "cleaner": __version__,
        "ruleset": ruleset.digest,
        "options": options,
        "langs": sorted(langs) if langs is not None else None,
        "source": {"path": label, "sha256": digest.hexdigest(), "bytes": size,
                   "compression": "gzip" if source.name.endswith(".gz") else None},
        "output": {"path": target.name, "sha256": hashlib.sha256(target.read_bytes()).hexdigest()},
        "records": result.records,
        "written": result.written,
        "emptied": result.emptied,
        "filtered": result.filtered,
        "bad": [{"line": n, "reason": r} for n, r in result.bad],
        "dropped": dict(sorted(result.dropped.items())),
    }
    return result, summary


def _record(line: bytes) -> tuple[dict[str, Any] | None, str]:
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"not JSON ({exc})"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    if not isinstance(record.get("text"), str):
        return None, "no text field (a string)"
    return record, ""


class _GzipLines:
    """Lines of a gzipped file, with gzip's errors told as DecodeError."""

    def __init__(self, path: Path) -> None:
        self.fh = gzip.open(path, "rb")

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self.fh
        except (OSError, EOFError, zlib.error) as exc:
            raise DecodeError(f"not a readable gzip file ({exc})") from None

    def __enter__(self) -> "_GzipLines":
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


def _open_input(path: Path) -> Any:
    return _GzipLines(path) if path.name.endswith(".gz") else open(path, "rb")


def _output(raw: BinaryIO, target: Path) -> IO[bytes]:
    """Write through gzip for a .gz target; mtime 0 so the same records give the same bytes."""
    if target.name.endswith(".gz"):
        return gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="")
    return _Unclosing(raw)


class _Unclosing:
    """The raw file as a context manager that leaves closing to atomic_writer."""

    def __init__(self, raw: BinaryIO) -> None:
        self.write = raw.write

    def __enter__(self) -> "_Unclosing":
        return self

    def __exit__(self, *exc: object) -> None:
        return None
