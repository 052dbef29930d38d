"""What a run did, gathered from its manifest and sidecars alone (nothing is cleaned again).

One pass over the manifest; memory and the report's size stay bounded
however many documents the run had: per rule a few sampled documents and its
longest dropped lines, per site and language running totals, the most-reduced
documents in a small heap. Samples are chosen by a hash of the input's path,
so the same run always gives the same report.
"""
from __future__ import annotations

import hashlib
import heapq
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.batch.manifest import read_manifest
from cleaner.batch.shards import ShardSummary
from cleaner.record.sidecar import Sidecar, SidecarError

BINS = 20  # histogram of the share removed per document: 0-5%, 5-10%, ...
LONGEST = 3  # longest dropped lines kept per rule


@dataclass(frozen=True)
class Doc:
    """One written (or filtered, or emptied) document, as the report lists it."""

    key: str  # stable name of its page in the report
    input: str
    output: str | None  # relative to the run's directory
    sidecar: str
    status: str
    site: str | None
    lang: str | None
    chars_in: int  # kept and dropped lines, as the rules saw them
    chars_out: int
    dropped: int  # lines

    @property
    def share(self) -> float:
        return share_removed(self.chars_in, self.chars_out)


@dataclass
class RuleStats:
    hits: int = 0  # lines dropped, and kept lines a value was lifted from (as --stats counts)
    dropped: int = 0
    docs: int = 0
    chars: int = 0  # characters of the lines it dropped
    longest: list[tuple[int, str, str]] = field(default_factory=list)  # (length, line, doc key), longest first
    samples: list[tuple[str, str]] = field(default_factory=list)  # heap of (-hash, doc key): the smallest hashes


@dataclass
class GroupStats:
    """A site's or a language's documents."""

    docs: int = 0
    chars_in: int = 0
    chars_out: int = 0
    rules: Counter[str] = field(default_factory=Counter)

    @property
    def share(self) -> float:
        return share_removed(self.chars_in, self.chars_out)


@dataclass
class Run:
    root: Path
    sample: int  # documents sampled per rule
    statuses: Counter[str] = field(default_factory=Counter)
    chars_in: int = 0
    chars_out: int = 0
    records: Counter[str] = field(default_factory=Counter)  # of shards: records, written, emptied, filtered, bad
    histogram: list[int] = field(default_factory=lambda: [0] * BINS)
    rules: dict[str, RuleStats] = field(default_factory=dict)
    sites: dict[str, GroupStats] = field(default_factory=dict)
    langs: dict[str, GroupStats] = field(default_factory=dict)
    guarded: list[tuple[str, str, float, dict[str, int]]] = field(default_factory=list)  # (key, input, share, rules)
    guard_count: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (input, reason), the first MAX_LISTED
    failure_count: int = 0
    reduced: list[tuple[float, str]] = field(default_factory=list)  # heap of the most-reduced (share, key)
    docs: dict[str, Doc] = field(default_factory=dict)  # only those a page will be written for
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (sidecar, reason)

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())

    @property
    def share(self) -> float:
        return share_removed(self.chars_in, self.chars_out)

    def to_json(self) -> dict[str, Any]:
        """stats.json: the counts per rule, site and language, and the overview."""
        def group(groups: dict[str, GroupStats]) -> dict[str, Any]:
            return {name: {"documents": g.docs, "chars_in": g.chars_in, "chars_out": g.chars_out,
                           "share_removed": round(g.share, 4), "rules": dict(g.rules.most_common())}
                    for name, g in sorted(groups.items(), key=lambda kv: (-kv[1].docs, kv[0]))}

        return {
            "documents": self.documents, "statuses": dict(sorted(self.statuses.items())),
            "chars_in": self.chars_in, "chars_out": self.chars_out, "share_removed": round(self.share, 4),
            "shard_records": dict(sorted(self.records.items())),
            "histogram": {"bins": BINS, "counts": self.histogram},
            "guard": self.guard_count, "failures": self.failure_count,
            "rules": {name: {"hits": r.hits, "dropped": r.dropped, "documents": r.docs, "chars": r.chars}
                      for name, r in sorted(self.rules.items(), key=lambda kv: (-kv[1].hits, kv[0]))},
            "sites": group(self.sites), "langs": group(self.langs),
        }


MAX_LISTED = 200  # failures and guard activations listed by name
MOST_REDUCED = 20


def share_removed(chars_in: int, chars_out: int) -> float:
    return 1.0 - chars_out / chars_in if chars_in else 0.0


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def gather(root: Path, sample: int = 5) -> Run:
    """Read OUTDIR's manifest and the sidecars it names."""
    run = Run(root, sample)
    for entry in read_manifest(root):
        _add_entry(run, entry)
    keep = _kept_keys(run)
    run.docs = {key: doc for key, doc in run.docs.items() if key in keep}
    return run


def _kept_keys(run: Run) -> set[str]:
    keys = {key for _, key in run.reduced}
    for rule in run.rules.values():
        keys.update(key for _, key in rule.samples)
    keys.update(key for key, *_ in run.guarded)
    return keys


def _add_entry(run: Run, entry: dict[str, Any]) -> None:
    status = entry.get("status", "failed")
    run.statuses[status] += 1
    if status == "failed":
        run.failure_count += 1
        if len(run.failures) < MAX_LISTED:
            run.failures.append((entry.get("input", "?"), entry.get("error", "")))
        return
    if "records" in entry:  # a shard: its summary counts, by rule
        _add_shard(run, entry)
        return
    try:
        sidecar = Sidecar.read(run.root / entry["sidecar"])
    except (OSError, SidecarError, KeyError) as exc:
        run.unreadable.append((str(entry.get("sidecar")), str(exc)))
        return
    _add_document(run, entry, sidecar)


def _add_shard(run: Run, entry: dict[str, Any]) -> None:
    for name in ("records", "written", "emptied", "filtered", "bad"):
        run.records[name] += int(entry.get(name) or 0)
    try:
        dropped = ShardSummary.read(run.root / entry["sidecar"]).dropped
    except (OSError, ValueError, KeyError, TypeError) as exc:
        run.unreadable.append((str(entry.get("sidecar")), str(exc)))
        return
    for rule, count in dropped.items():
        stats = run.rules.setdefault(rule, RuleStats())
        stats.hits += count
        stats.dropped += count


def _add_document(run: Run, entry: dict[str, Any], sidecar: Sidecar) -> None:
    record = sidecar.record
    src = str(entry["input"])
    rank = _hash(src)  # orders the samples; its head names the document's page
    key = rank[:16]
    out_chars = record.counts["chars"] if sidecar.filtered is None else 0
    dropped_chars = sum(len(d.text) for d in record.dropped)
    kept_chars = record.counts["chars"]
    doc = Doc(key, src, entry.get("output"), entry["sidecar"], entry["status"], record.site, record.lang,
              kept_chars + dropped_chars, out_chars, len(record.dropped))
    run.chars_in += doc.chars_in
    run.chars_out += doc.chars_out
    run.histogram[min(BINS - 1, int(doc.share * BINS))] += 1
    run.docs[key] = doc
    fired: Counter[str] = Counter(d.rule for d in record.dropped)
    lifted: Counter[str] = Counter(e.rule for e in record.extracted if e.kept)
    for rule in sorted(set(fired) | set(lifted)):
        stats = run.rules.setdefault(rule, RuleStats())
        stats.hits += fired[rule] + lifted[rule]
        stats.dropped += fired[rule]
        stats.docs += 1
        item = (_negated(rank), key)
        if len(stats.samples) < run.sample:
            heapq.heappush(stats.samples, item)
        elif item > stats.samples[0]:
            heapq.heapreplace(stats.samples, item)
    for d in record.dropped:
        stats = run.rules[d.rule]
        stats.chars += len(d.text)
        if len(stats.longest) < LONGEST or len(d.text) > stats.longest[-1][0]:
            stats.longest = sorted([*stats.longest, (len(d.text), d.text, key)], key=lambda t: (-t[0], t[1]))[:LONGEST]
    for groups, name in ((run.sites, record.site or "(none)"), (run.langs, record.lang)):
        group = groups.setdefault(name, GroupStats())
        group.docs += 1
        group.chars_in += doc.chars_in
        group.chars_out += doc.chars_out
        group.rules.update(fired)
    if record.guard is not None:
        run.guard_count += 1
        if len(run.guarded) < MAX_LISTED:
            run.guarded.append((key, src, record.guard.share, dict(record.guard.rules)))
    item2 = (doc.share, key)
    if len(run.reduced) < MOST_REDUCED:
        heapq.heappush(run.reduced, item2)
    elif item2 > run.reduced[0]:
        heapq.heapreplace(run.reduced, item2)
    if len(run.docs) > 4 * (MOST_REDUCED + run.sample * max(1, len(run.rules)) + MAX_LISTED):
        keep = _kept_keys(run)
        run.docs = {k: v for k, v in run.docs.items() if k in keep}


def _negated(digest: str) -> str:
    """A string that sorts in the opposite order of the hex digest, so a min-heap keeps the smallest hashes."""
    return digest.translate(_FLIP)


_FLIP = str.maketrans("0123456789abcdef", "fedcba9876543210")
