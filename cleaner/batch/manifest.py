"""OUTDIR/manifest.jsonl: one line per input, in input order, for downstream tools.

Paths are the real ones (JSON escapes any character; bytes that are not
UTF-8 are written as \\udcXX escapes, which os.fsencode turns back into the
name's bytes); terminal messages show them escaped instead.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from cleaner.errors import CleanerError
from cleaner.record.sidecar import Sidecar, escape_surrogates

if TYPE_CHECKING:
    from cleaner.batch.shards import ShardSummary

MANIFEST = "manifest.jsonl"  # this module is the one place that knows its keys


class NotARun(CleanerError):
    """A directory that holds no finished `cleaner clean` run: what report and learn read."""


def check_run(root: Path) -> Path:
    """`root`, if it holds a finished run (its manifest); NotARun if not."""
    if not (root / MANIFEST).is_file():
        raise NotARun(f"{root}: no {MANIFEST} (not the output directory of a `cleaner clean` run)")
    return root


def read_manifest(root: Path) -> Iterator[dict[str, Any]]:
    """The entries of the run in `root`, in order; NotARun if it has no manifest or a line is not JSON."""
    manifest = check_run(root) / MANIFEST
    with manifest.open("rb") as lines:
        for number, raw in enumerate(lines, 1):
            try:
                yield json.loads(raw)
            except ValueError:
                raise NotARun(f"{manifest}:{number}: not a JSON line") from None


def document_entry(src: str, out_rel: str, meta_rel: str, sidecar: Sidecar, status: str, fresh: bool) -> dict[str, Any]:
    written = sidecar.filtered is None
    record = sidecar.record
    return {
        "input": src,
        "output": out_rel if written else None,
        "sidecar": meta_rel,
        "status": status,
        "fresh": fresh,
        "input_sha256": record.source.sha256 if record.source else None,
        "output_sha256": sidecar.output_sha256 if written else None,
        "format": record.source.format if record.source else "text",
        "lang": record.lang,
        "site": record.site,
        "chars": record.counts["chars"],
        "words": record.counts["words"],
        "paragraphs": record.counts["paragraphs"],
        "dropped": len(record.dropped),
        "filtered": sidecar.filtered,
    }


def shard_entry(src: str, out_rel: str, meta_rel: str, summary: ShardSummary, fresh: bool, kind: str) -> dict[str, Any]:
    return {
        "input": src, "output": out_rel, "sidecar": meta_rel, "status": "written", "fresh": fresh,
        "format": kind, "input_sha256": summary.sha256, "output_sha256": summary.output_sha256,
        "records": summary.records, "written": summary.written, "emptied": summary.emptied,
        "filtered": summary.filtered, "skipped": summary.skipped, "bad": len(summary.bad),
    }


def failure_entry(src: str, reason: str) -> dict[str, Any]:
    return {"input": src, "status": "failed", "error": reason}


def manifest_line(entry: dict[str, Any]) -> bytes:
    """One line of the manifest."""
    return (escape_surrogates(json.dumps(entry, ensure_ascii=False, sort_keys=True)) + "\n").encode("utf-8")


class InOrder:
    """Writes groups of manifest lines in job order, whatever order the groups finish in.

    A group that finishes early waits here; a local pool finishes them in
    order, so nothing waits and the manifest streams out.
    """

    def __init__(self, out: IO[bytes] | None) -> None:
        self._out = out
        self._next = 0
        self._waiting: dict[int, tuple[int, bytes]] = {}

    def add(self, start: int, lines: Iterable[bytes]) -> None:
        """The lines of the group whose first job is job `start`."""
        block = list(lines)
        self._waiting[start] = (len(block), b"".join(block))
        while self._next in self._waiting:
            count, data = self._waiting.pop(self._next)
            if self._out is not None:
                self._out.write(data)
            self._next += count
