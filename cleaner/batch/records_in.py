"""Records to clean, read from the files corpora come in: JSONL shards, Parquet shards, WARC and WET files.

Every reader streams: one record at a time, whatever the file's size. Each
record comes as an `Item`: where it is (a JSONL line, a Parquet row, a WARC
record's byte offset), the fields to keep beside its text, the bytes to
clean and how (text or HTML, the charset its headers declare, the host that
picks a site's rules), or why it cannot be cleaned.
"""
from __future__ import annotations

import gzip
import importlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError
from cleaner.text.decode import DecodeError
from cleaner.text.pagemeta import host_of, record_url

KINDS = {"jsonl": (".jsonl", ".jsonl.gz"), "parquet": (".parquet",), "warc": (".warc", ".warc.gz", ".wet", ".wet.gz")}
SUFFIXES = sorted((s for suffixes in KINDS.values() for s in suffixes), key=len, reverse=True)  # longest first
ROWS_PER_BATCH = 1000  # Parquet rows read at a time


class MissingExtra(CleanerError):
    """A shard format whose library is not installed: says which extra brings it."""


def import_extra(module: str, extra: str) -> Any:
    """`module`, imported; MissingExtra naming the extra to install if it is not there."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"needs {module.split('.')[0]}: pip install 'corpus-cleaner[{extra}]'") from None


@dataclass
class Item:
    where: int  # JSONL line, Parquet row (1-based), or WARC record offset in bytes
    fields: dict[str, Any] = field(default_factory=dict)  # the record as read, its text included
    data: bytes | None = None  # what to clean; None: a bad record (see `reason`) or one skipped (no reason)
    format: str = "text"  # text or html
    charset: str | None = None  # declared by the record's headers
    host: str | None = None  # of the record's URL: picks a site's rules before any fingerprint
    reason: str = ""


def kind_of(name: str) -> str | None:
    """jsonl, parquet or warc for a shard's file name; None for a document."""
    for kind, suffixes in KINDS.items():
        if name.endswith(suffixes):
            return kind
    return None


def stem_of(name: str) -> str:
    """The name without its shard suffix: `a/x.warc.gz` -> `a/x`."""
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def read_items(path: Path) -> Iterator[Item]:
    """The records of shard `path`, one at a time. A file that cannot be read at all raises DecodeError;
    a file that breaks off (a truncated gzip or WARC) yields a bad item at the place it broke."""
    kind = kind_of(path.name)
    if kind == "parquet":
        return _parquet_items(path)
    if kind == "warc":
        return _warc_items(path)
    return _jsonl_items(path)


# ---------------------------------------------------------------- JSONL

def _jsonl_items(path: Path) -> Iterator[Item]:
    opener = gzip.open if path.name.endswith(".gz") else open
    number = 0
    try:
        with opener(path, "rb") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():  # blank lines hold no record
                    yield _jsonl_item(number, line)
    except (OSError, EOFError, zlib.error) as exc:
        if number == 0:
            raise DecodeError(f"not a readable gzip file ({exc})") from None
        yield Item(number + 1, reason=f"the file breaks off after line {number} ({exc})")


def _jsonl_item(number: int, line: bytes) -> Item:
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return Item(number, reason=f"not JSON ({exc})")
    if not isinstance(record, dict):
        return Item(number, reason="not a JSON object")
    return _text_item(number, record)


_JSON_KINDS = ((type(None), "null"), (bool, "a boolean"), ((int, float), "a number"), (list, "a list"),
               (dict, "an object"))


def _text_item(where: int, record: dict[str, Any]) -> Item:
    """A record with a string `text`; its `url` (or `metadata.url`) picks the site."""
    if "text" not in record:
        return Item(where, record, reason="no `text` field")
    text = record["text"]
    if not isinstance(text, str):
        kind = next((name for kinds, name in _JSON_KINDS if isinstance(text, kinds)), type(text).__name__)
        return Item(where, record, reason=f"its `text` is {kind}, not a string")
    return Item(where, record, text.encode("utf-8", "surrogatepass"), host=host_of(record_url(record)))


# ---------------------------------------------------------------- Parquet

def _parquet_items(path: Path) -> Iterator[Item]:
    pq = import_extra("pyarrow.parquet", "parquet")
    pa = import_extra("pyarrow", "parquet")
    try:
        shard = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow's errors are of many kinds
        raise DecodeError(f"not a readable Parquet file ({exc})") from None
    if "text" not in shard.schema_arrow.names:
        raise DecodeError("a Parquet shard needs a `text` column")
    kind = shard.schema_arrow.field("text").type
    if not any(test(kind) for test in (pa.types.is_string, pa.types.is_large_string,
                                       getattr(pa.types, "is_string_view", lambda _: False))):
        raise DecodeError(f"the Parquet shard's `text` column holds {kind}, not strings")
    row = 0
    for batch in shard.iter_batches(batch_size=ROWS_PER_BATCH):
        for record in batch.to_pylist():
            row += 1
            yield _text_item(row, record)


# ---------------------------------------------------------------- WARC / WET

def _warc_items(path: Path) -> Iterator[Item]:
    """`response` records with an HTML payload, WET `conversion` records as text; every other record is
    yielded with no data (skipped). A record that breaks off is reported at its offset."""
    ArchiveIterator = import_extra("warcio.archiveiterator", "warc").ArchiveIterator
    ArchiveLoadFailed = import_extra("warcio.exceptions", "warc").ArchiveLoadFailed
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        records.loader = _loader()
        offset, read = 0, 0
        while True:
            try:
                record = next(records)
                item = _warc_item(record)  # reads the payload first: asking the offset reads past it
                item.where = offset = records.get_record_offset()
            except StopIteration:
                return
            except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
                if not read and not isinstance(exc, EOFError):  # no WARC at all, rather than one cut short
                    raise DecodeError(f"not a readable WARC file ({exc})") from None
                offset = _offset(records, offset)
                yield Item(offset, reason=f"the WARC breaks off in this record ({exc}); the records before it are kept")
                return
            read += 1
            yield item


def _loader() -> Any:
    """warcio's record loader, except that a record without a WARC-Target-URI is read (with no HTTP headers)
    instead of stopping the whole file (warcio tests the URI's scheme before it looks whether there is one)."""
    loader = import_extra("warcio.recordloader", "warc").ArcWarcRecordLoader

    class UriOptional(loader):  # type: ignore[misc, valid-type]
        def load_http_headers(self, rec_type: str, uri: str | None, stream: Any, length: int | None) -> Any:
            return None if uri is None else super().load_http_headers(rec_type, uri, stream, length)

    return UriOptional(verify_http=False, arc2warc=False)  # as ArchiveIterator makes its own


def _warc_item(record: Any) -> Item:
    headers = record.rec_headers
    if record.format != "warc":  # warcio reads anything else as an old ARC file
        raise ValueError("a record with no WARC header")
    uri = headers.get_header("WARC-Target-URI")
    fields: dict[str, Any] = {"id": headers.get_header("WARC-Record-ID"), "text": None,  # keeps its place: id, text, metadata
                              "metadata": {"url": uri, "date": headers.get_header("WARC-Date")}}
    if uri is None and record.rec_type == "response":
        return _whole(record, Item(0, fields, reason="a response record without WARC-Target-URI: "
                                                     "its HTTP headers cannot be read"))
    if record.rec_type == "response" and record.http_headers is not None:
        content_type = record.http_headers.get_header("Content-Type") or ""
        if "html" not in content_type.lower():
            return _whole(record, Item(0, fields))
        fmt = "html"
    elif record.rec_type == "conversion":
        content_type = headers.get_header("Content-Type") or "text/plain"
        fmt = "text"
    else:
        return _whole(record, Item(0, fields))
    data = record.content_stream().read()
    return _whole(record, Item(0, fields, data, fmt, _charset(content_type), host_of(uri)))


def _whole(record: Any, item: Item) -> Item:
    """The item, once the record's block has been read to its Content-Length; EOFError if the file ends first
    (warcio itself returns a short block without a word)."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    if getattr(raw, "limit", 0) > 0:
        raise EOFError(f"{raw.limit} bytes short of its Content-Length")
    return item


def _offset(records: Any, last: int) -> int:
    """The offset of the record being read, where warcio can still tell it; else the last one known."""
    try:
        return int(records.get_record_offset())
    except Exception:  # the stream is broken: keep what we know
        return last


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None
