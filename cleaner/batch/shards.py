"""Shards: many records in one file, cleaned record by record, streamed (records_in reads, records_out writes).

JSONL (the datatrove / dolma convention, `{"id", "text", ...}` per line) and
Parquet (a string `text` column) keep their records in order, `text` cleaned,
every other field kept, the record's sidecar beside it. WARC and WET files
give one output record per HTML response or WET conversion record, with the
WARC's record id, URL and date. A record whose text is cleaned away entirely
is dropped and counted; a record that cannot be read or cleaned is reported
with its line, row or WARC offset, and the shard goes on.
"""
from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cleaner.batch.files import atomic_writer, content_digest
from cleaner.batch.records_in import Item, import_extra, kind_of, read_items
from cleaner.batch.records_out import JsonlWriter, ParquetWriter, UnwritableRecord
from cleaner.batch.withheld import status, withheld
from cleaner.core import clean_bytes
from cleaner.errors import CleanerError
from cleaner.limits import TooLarge, time_limit
from cleaner.options import Options
from cleaner.record.sidecar import to_sidecar
from cleaner.rulebook.model import Ruleset
from cleaner.version import __version__

SCHEMA = "corpus-cleaner/shard/1"
POSITIONS = {"jsonl": "line", "parquet": "row", "warc": "offset"}  # what a record's place in each kind of shard is


@dataclass(frozen=True)
class RecordNote:
    """A record that was not written: its place in the shard (a line, row or byte offset, as the summary's
    `position` says), its id where it has one, why, and whether it failed or was withheld (emptied, filtered)."""

    where: int
    id: str | int | None
    reason: str
    status: str = "failed"

    def to_json(self, position: str) -> dict[str, Any]:
        return {position: self.where, "id": self.id, **({} if self.status == "failed" else {"status": self.status}),
                "reason": self.reason}

    @classmethod
    def from_json(cls, data: dict[str, Any], position: str) -> RecordNote:
        return cls(data[position], data.get("id"), data["reason"], data.get("status", "failed"))


def record_id(fields: dict[str, Any]) -> str | int | None:
    """A record's `id` as the summary names it: a string or a whole number as it is, anything else as text."""
    ident = fields.get("id")
    return ident if ident is None or isinstance(ident, (str, int)) and not isinstance(ident, bool) else str(ident)


@dataclass
class ShardSummary:
    """The summary sidecar of a shard: what was read, what was written, and what each record lost."""

    path: str  # the shard, as sidecars name it
    sha256: str  # of the input: see shard_digest
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
    skipped: int = 0  # WARC records that are neither an HTML response nor a WET conversion
    bad: list[RecordNote] = field(default_factory=list)  # records that could not be read or cleaned
    dropped: Counter[str] = field(default_factory=Counter)
    cleaner: str = __version__
    position: str = "line"  # what a record's `where` is: line (JSONL), row (Parquet) or offset (WARC, in bytes)
    withheld: list[RecordNote] = field(default_factory=list)  # records emptied or filtered, each with why

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
            "skipped": self.skipped,
            "position": self.position,
            "bad": [note.to_json(self.position) for note in self.bad],
            "withheld": [note.to_json(self.position) for note in self.withheld],
            "dropped": dict(sorted(self.dropped.items())),
        }

    @classmethod
    def from_json(cls, data: Any) -> ShardSummary:
        """The summary a JSON object states; ValueError (or KeyError, TypeError) if it is not one."""
        if data["schema"] != SCHEMA:
            raise ValueError(f"not a shard summary ({data['schema']!r})")
        source, output, position = data["source"], data["output"], data.get("position", "line")
        return cls(source["path"], source["sha256"], source["bytes"], source["compression"], output["path"],
                   output["sha256"], data["ruleset"], Options.from_record(data["options"]), data["langs"],
                   data["records"], data["written"], data["emptied"], data["filtered"], data.get("skipped", 0),
                   [RecordNote.from_json(b, position) for b in data["bad"]], Counter(data["dropped"]), data["cleaner"],
                   position, [RecordNote.from_json(w, position) for w in data.get("withheld", [])])

    @classmethod
    def read(cls, path: Path) -> ShardSummary:
        """The summary in file `path`; OSError if it cannot be read, ValueError (KeyError, TypeError) if it is not one."""
        return cls.from_json(json.loads(path.read_bytes()))


def clean_shard(source: Path, target: Path, ruleset: Ruleset, options: Options,
                langs: frozenset[str] | None = None, label: str | None = None, *,
                max_bytes: int | None = None, timeout: float | None = None) -> ShardSummary:
    """Clean shard `source` (JSONL, Parquet, WARC or WET) into `target` (Parquet for a .parquet name,
    JSONL otherwise); return the shard's summary.

    `label` is how sidecars name the shard (default: its path). A record whose
    text is larger than `max_bytes`, or takes longer than `timeout` seconds,
    is reported as bad and left out; so is a record that cannot be read, with
    its line, row or WARC offset."""
    label = label or source.as_posix()
    summary = ShardSummary(label, "", 0, "gzip" if source.name.endswith(".gz") else None, target.name, "",
                           ruleset.digest, options, sorted(langs) if langs is not None else None,
                           position=POSITIONS[kind_of(source.name) or "jsonl"])
    summary.sha256, summary.size = shard_digest(source)
    items = read_items(source)
    first = next(items, None)  # a file that is no shard at all fails here, before anything is written
    with atomic_writer(target) as raw:
        out = _writer(raw, target, source)
        for item in itertools.chain([first] if first is not None else [], items):
            summary.records += 1
            _clean_item(item, out, summary, ruleset, options, langs, label, max_bytes, timeout)
        out.close()
    summary.output_sha256 = hashlib.sha256(target.read_bytes()).hexdigest()
    return summary


def shard_digest(source: Path) -> tuple[str, int]:
    """What identifies a shard's input for reruns: a JSONL shard's content (the same records gzipped or
    not), a WARC or Parquet file's bytes as stored (a WARC.gz is read once, by the records, not twice)."""
    return content_digest(source, gunzip=kind_of(source.name) == "jsonl")


def _writer(raw: BinaryIO, target: Path, source: Path) -> JsonlWriter | ParquetWriter:
    if target.name.endswith(".parquet"):  # a Parquet input's rows keep their columns
        schema = import_extra("pyarrow.parquet", "parquet").read_schema(source) if kind_of(source.name) == "parquet" else None
        return ParquetWriter(raw, schema)
    return JsonlWriter(raw, target)


def _clean_item(item: Item, out: JsonlWriter | ParquetWriter, summary: ShardSummary, ruleset: Ruleset,
                options: Options, langs: frozenset[str] | None, label: str, max_bytes: int | None,
                timeout: float | None) -> None:
    ident = record_id(item.fields)
    if item.data is None:
        if item.reason:
            summary.bad.append(RecordNote(item.where, ident, item.reason))
        else:
            summary.skipped += 1
        return
    try:
        if max_bytes is not None and len(item.data) > max_bytes:
            raise TooLarge(f"text larger than {{limit}} ({len(item.data)} bytes)", max_bytes)
        with time_limit(timeout):
            cleaned = clean_bytes(item.data, ruleset, options=options, format=item.format, host=item.host,
                                  charset=item.charset)
    except CleanerError as exc:
        summary.bad.append(RecordNote(item.where, ident, str(exc)))
        return
    except Exception as exc:  # one bad record must not stop the shard
        summary.bad.append(RecordNote(item.where, ident, f"internal error: {type(exc).__name__}: {exc}"))
        return
    summary.dropped.update(d.rule for d in cleaned.record.dropped)
    why = withheld(cleaned.record, langs)
    fate = status(why)
    if why is not None:
        summary.withheld.append(RecordNote(item.where, ident, why, fate))
        if fate == "emptied":
            summary.emptied += 1
        else:
            summary.filtered += 1
        return
    try:
        out.write({**item.fields, "text": cleaned.text}, to_sidecar(cleaned, f"{label}:{item.where}").to_json())
    except UnwritableRecord as exc:
        summary.bad.append(RecordNote(item.where, ident, str(exc)))
        return
    summary.written += 1
