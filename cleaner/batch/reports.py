"""What a run reports: one FileReport per input, added up in a Summary (and `--stats`)."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cleaner.batch.manifest import failure_entry, manifest_line


@dataclass
class FileReport:
    source: str  # the input as found (real path; messages show it escaped)
    status: str = "written"  # written, unchanged (reused from an earlier run), filtered, emptied, failed
    error: str | None = None
    dropped: Counter[str] = field(default_factory=Counter)
    lifted: Counter[str] = field(default_factory=Counter)  # kept lines an extract rule took a value from
    line: bytes = b""  # the manifest line, made where the document was cleaned
    site: str | None = None
    lang: str | None = None  # None for a shard or a failure: they count under no language
    bad_records: list[tuple[str, str]] = field(default_factory=list)  # (shard, "line 3: reason"), in input order

    def record(self, entry: dict[str, Any]) -> None:
        """Keep what the run needs of the manifest entry: its line, and the document's site and language."""
        self.line = manifest_line(entry)
        self.site, self.lang = entry.get("site"), entry.get("lang")

    def written_now(self) -> None:
        """Found done, but by this run: a task tried again after its worker died finds the outputs its first
        try wrote. Counted, and in the manifest, as this run's work."""
        entry = json.loads(self.line)
        entry["fresh"] = True
        self.status = entry["status"] if self.error is None else "failed"
        self.line = manifest_line(entry)

    def fail(self, reason: str) -> None:
        self.status, self.error = "failed", reason
        self.record(failure_entry(self.source, reason))


def failed_reports(failures: Sequence[tuple[str, str]]) -> list[FileReport]:
    """Reports for inputs that failed outside a worker: (input, reason) each."""
    reports = [FileReport(path) for path, _ in failures]
    for report, (_, reason) in zip(reports, failures):
        report.fail(reason)
    return reports


@dataclass
class Summary:
    read: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (input as found, reason)
    bad_records: int = 0  # records of shards that could not be read or cleaned (among `failures`)
    dropped: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)
    sites: Counter[str] = field(default_factory=Counter)
    langs: Counter[str] = field(default_factory=Counter)
    rules: list[str] = field(default_factory=list)  # every rule loaded, for those that never fired

    def add(self, report: FileReport) -> None:
        self.read += 1
        self.statuses[report.status] += 1
        if report.error is not None:
            self.failures.append((report.source, report.error))
        self.failures += report.bad_records
        self.bad_records += len(report.bad_records)
        self.dropped.update(report.dropped)
        self.hits.update(report.dropped)  # a rule's hits: the lines it dropped, and the kept lines it lifted from
        self.hits.update(report.lifted)
        if report.lang is not None:
            self.sites[report.site or "(none)"] += 1
            self.langs[report.lang] += 1

    def never_fired(self) -> list[str]:
        return [rule for rule in self.rules if not self.hits[rule]]

    def stats(self) -> dict[str, Any]:
        """The run's statistics, as `--stats FILE` writes them."""
        def by_count(counts: Counter[str]) -> dict[str, int]:
            return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

        return {"read": self.read, "statuses": dict(sorted(self.statuses.items())), "hits": by_count(self.hits),
                "dropped": by_count(self.dropped), "never_fired": self.never_fired(), "sites": by_count(self.sites),
                "langs": by_count(self.langs), "failures": [{"input": p, "reason": r} for p, r in self.failures]}
