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
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.batch.files import atomic_writer
from cleaner.core import clean_bytes
from cleaner.errors import CleanerError
from cleaner.limits import TooLarge, time_limit
from cleaner.options import Options
from cleaner.record.sidecar import escape_surrogates, to_sidecar
from cleaner.rulebook.model import Ruleset
from cleaner.text.decode import DecodeError
from cleaner.version import __version__

SUFFIXES = (".jsonl", ".jsonl.gz")
SCHEMA = "corpus-cleaner/shard/1"


@dataclass
class ShardSummary:
    """The summary sidecar of a shard: what was read, what was written, and what each record lost."""

    path: str  # the shard, as sidecars name it
    sha256: str  # of the input's content (gunzipped)
    size: int
    compression: str | None
    output_name: str
    output_sha256: str
    ruleset: str
    options: Options
    langs: list[str] | None
    records: int = 0
    written: int = 0
    emptied: int = 0  # cleaned away entirely: not written
    filtered: int = 0  # in a language the run did not ask for: not written
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    dropped: Counter[str] = field(default_factory=Counter)
    cleaner: str = __version__

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "cleaner": self.cleaner,
            "ruleset": self.ruleset,
            "options": self.options.as_record(),
            "langs": self.langs,
            "source": {"path": self.path, "sha256": self.sha256, "bytes": self.size, "compression": self.compression},
            "output": {"path": self.output_name, "sha256": self.output_sha256},
            "records": self.records,
            "written": self.written,
            "emptied": self.emptied,
            "filtered": self.filtered,
            "bad": [{"line": n, "reason": r} for n, r in self.bad],
            "dropped": dict(sorted(self.dropped.items())),
        }

    @classmethod
    def from_json(cls, data: Any) -> ShardSummary:
        """The summary a JSON object states; ValueError (or KeyError, TypeError) if it is not one."""
        if data["schema"] != SCHEMA:
            raise ValueError(f"not a shard summary ({data['schema']!r})")
        source, output = data["source"], data["output"]
        return cls(source["path"], source["sha256"], source["bytes"], source["compression"], output["path"],
                   output["sha256"], data["ruleset"], Options.from_record(data["options"]), data["langs"],
                   data["records"], data["written"], data["emptied"], data["filtered"],
                   [(b["line"], b["reason"]) for b in data["bad"]], Counter(data["dropped"]), data["cleaner"])


def clean_shard(source: Path, target: Path, ruleset: Ruleset, options: Options,
                langs: frozenset[str] | None = None, label: str | None = None, *,
                max_bytes: int | None = None, timeout: float | None = None) -> ShardSummary:
    """Clean shard `source` into `target` (gzipped if its name ends .gz); return the shard's summary.

    `label` is how sidecars name the shard (default: its path). A record whose
    text is larger than `max_bytes`, or takes longer than `timeout` seconds,
    is reported as bad and left out."""
    label = label or source.as_posix()
    summary = ShardSummary(label, "", 0, "gzip" if source.name.endswith(".gz") else None, target.name, "",
                           ruleset.digest, options, sorted(langs) if langs is not None else None)
    digest = hashlib.sha256()
    with _open_input(source) as lines, atomic_writer(target) as raw, _output(raw, target) as out:
        for number, line in enumerate(lines, 1):
            digest.update(line)
            summary.size += len(line)
            if not line.strip():  # blank lines hold no record
                continue
            summary.records += 1
            record, reason = _record(line)
            if record is None:
                summary.bad.append((number, reason))
                continue
            data = record["text"].encode("utf-8", "surrogatepass")
            try:
                if max_bytes is not None and len(data) > max_bytes:
                    raise TooLarge(f"text larger than {{limit}} ({len(data)} bytes)", max_bytes)
                with time_limit(timeout):
                    cleaned = clean_bytes(data, ruleset, options=options, format="text")
            except CleanerError as exc:
                summary.bad.append((number, str(exc)))
                continue
            except Exception as exc:  # one bad record must not stop the shard
                summary.bad.append((number, f"internal error: {type(exc).__name__}: {exc}"))
                continue
            summary.dropped.update(d.rule for d in cleaned.record.dropped)
            if not cleaned.text:
                summary.emptied += 1
                continue
            if langs is not None and cleaned.record.lang not in langs:
                summary.filtered += 1
                continue
            metadata = record.get("metadata")
            record["text"] = cleaned.text
            record["metadata"] = {**(metadata if isinstance(metadata, dict) else {}),
                                  "cleaner": to_sidecar(cleaned, f"{label}:{number}").to_json()}
            out.write((escape_surrogates(json.dumps(record, ensure_ascii=False)) + "\n").encode("utf-8"))
            summary.written += 1
    summary.sha256 = digest.hexdigest()
    summary.output_sha256 = hashlib.sha256(target.read_bytes()).hexdigest()
    return summary

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

    def __enter__(self) -> _GzipLines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


def _open_input(path: Path) -> Any:
    return _GzipLines(path) if path.name.endswith(".gz") else open(path, "rb")


def _output(raw: BinaryIO, target: Path) -> gzip.GzipFile | nullcontext[BinaryIO]:
    """Write through gzip for a .gz target (mtime 0: the same records give the same bytes); the raw
    file otherwise, left for atomic_writer to close."""
    if target.name.endswith(".gz"):
        return gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="")
    return nullcontext(raw)
