"""OUTDIR/.cleaner-index: what a rerun needs to know a document is unchanged without reading it.

As make, rsync and git do, a file whose size, modification time and inode
are as they were is taken as unchanged. The index keeps, per document of the
last run, those of its input and outputs, beside what else shaped its output
(version, options, every rule file, the line model: `context`) and what the
run reported (its manifest line, the rules that fired). A rerun reports a
document whose stats and context all match from here, without reading its
input or sidecar; every other document takes the full check (batch.reuse),
which hashes what the stat says may have changed and never trusts it.

Outputs are looked at as each document's report arrives, just after they
were written. Racy inputs are left out, as git leaves out racily clean
files: one modified less than RACY_NS before the run began may have changed
while it was read, within one tick of the file system's clock.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from cleaner.batch.planning import Job
from cleaner.batch.records_in import KINDS as SHARD_KINDS
from cleaner.batch.reports import FileReport
from cleaner.batch.settings import Settings
from cleaner.content import shipped_digest
from cleaner.rulebook.model import Ruleset
from cleaner.version import __version__

INDEX = ".cleaner-index"
SCHEMA = "corpus-cleaner/index-1"
RACY_NS = 1_000_000_000
REUSED = ("written", "emptied", "filtered", "unchanged")  # statuses whose outputs a rerun may keep

Stat = tuple[int, int, int] | None  # size, mtime_ns, inode; None: no such file


def stat_of(path: str) -> Stat:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def context(ruleset: Ruleset, settings: Settings, job_format: str) -> str:
    """Everything besides the files themselves that shaped a document's output in this run."""
    parts = [__version__, json.dumps(settings.options.as_record(), sort_keys=True),
             ",".join(sorted(settings.langs)) if settings.langs is not None else "*", str(settings.max_bytes),
             job_format, ruleset.digest, shipped_digest() if settings.options.content != "rules" else "-"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def read_index(root: Path) -> dict[bytes, bytes]:
    """The index of the last run into `root`, its lines by document (parsed only where a job asks); empty
    if there is none or it is not one (every document is checked in full then)."""
    try:
        with open(root / INDEX, "rb") as fh:
            if fh.readline() != header():
                return {}
            return {raw[:raw.index(b"\t")]: raw for raw in fh}
    except (OSError, ValueError):
        return {}


def unchanged(jobs: Sequence[Job], index: dict[bytes, bytes], contexts: dict[str, str]) -> dict[int, tuple[FileReport, bytes]]:
    """The jobs the index shows unchanged, by position: same context, same stats. Each with its report,
    and its index line, which stands as it is."""
    found: dict[int, tuple[FileReport, bytes]] = {}
    for n, job in enumerate(jobs):
        raw = index.get(_key(job))
        if raw is None:
            continue
        try:
            stats, ctx, site, lang, dropped, lifted, line = json.loads(raw[raw.index(b"\t") + 1:].decode("ascii"))
        except ValueError:
            continue
        if ctx == contexts[job.format] and [list(s) if s else None for s in _stats(job)] == stats:
            found[n] = (FileReport(job.given, "unchanged", dropped=Counter(dropped), lifted=Counter(lifted),
                                   line=line.encode("utf-8"), site=site, lang=lang), raw)
    return found


def entry_line(job: Job, report: FileReport, ctx: str, started_ns: int) -> bytes | None:
    """The index line of a job whose report just arrived, or None where a rerun must check it in full."""
    if report.status not in REUSED or job.format in SHARD_KINDS:  # a shard's summary is checked whole
        return None
    stats = _stats(job)
    source, _, meta = stats
    if source is None or meta is None or source[1] >= started_ns - RACY_NS:
        return None
    line = report.line.replace(b'"fresh": true', b'"fresh": false', 1).decode("utf-8")
    row = [stats, ctx, report.site, report.lang, dict(report.dropped), dict(report.lifted), line]
    return _key(job) + f"\t{json.dumps(row)}\n".encode("ascii")


def header() -> bytes:
    return (json.dumps(SCHEMA) + "\n").encode()


def _key(job: Job) -> bytes:
    """A document's key in the index: its input as given and its output, as JSON (ASCII: no tab, no newline)."""
    return json.dumps(f"{job.given}\0{job.out_rel}").encode("ascii")


def _stats(job: Job) -> tuple[Stat, Stat, Stat]:
    return stat_of(job.src), stat_of(f"{job.root}/{job.out_rel}"), stat_of(f"{job.root}/{job.meta_rel}")
