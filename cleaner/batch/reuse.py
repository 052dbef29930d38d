"""Reruns: an output an earlier run wrote is reused when nothing that shaped it has changed.

What shaped a document's output is recorded in its sidecar: the input's
bytes, the cleaner's version, the options, and the effective rules (see
Ruleset.effective_digest). An output edited since, or gone, is redone.
"""
from __future__ import annotations

import hashlib

from cleaner.batch.planning import Job
from cleaner.batch.settings import Settings
from cleaner.batch.shards import ShardSummary, shard_digest
from cleaner.batch.withheld import withheld
from cleaner.core import rules_digest
from cleaner.errors import CleanerError
from cleaner.record.sidecar import Sidecar
from cleaner.rulebook.model import Ruleset
from cleaner.version import __version__


def reusable(job: Job, data: bytes, compression: str | None, ruleset: Ruleset, settings: Settings) -> Sidecar | None:
    """The sidecar an earlier run wrote for this job, if its output stands as this run would write it."""
    try:
        earlier = Sidecar.read(job.meta_out)
        record, source = earlier.record, earlier.record.source
        same = (
            source is not None
            and record.cleaner == __version__
            and record.options == settings.options
            and earlier.path == job.label
            and source.sha256 == hashlib.sha256(data).hexdigest()
            and earlier.compression == compression
            and job.format in ("auto", source.format)
            and record.rules == rules_digest(ruleset, record.site, settings.options)
            and earlier.filtered == withheld(record, settings.langs)
        )
        if same and earlier.filtered is None:
            same = hashlib.sha256(job.text_out.read_bytes()).hexdigest() == earlier.output_sha256
    except (OSError, CleanerError, KeyError):
        return None
    return earlier if same else None


def reusable_shard(job: Job, ruleset: Ruleset, settings: Settings) -> ShardSummary | None:
    """A shard's earlier summary, if the input, version, options, rules and output are as this run would have them."""
    try:
        earlier = ShardSummary.read(job.meta_out)
        same = (earlier.cleaner == __version__ and earlier.options == settings.options
                and earlier.ruleset == ruleset.digest
                and earlier.sha256 == shard_digest(job.source)[0]
                and earlier.path == job.label
                and earlier.langs == (sorted(settings.langs) if settings.langs else None)
                and hashlib.sha256(job.text_out.read_bytes()).hexdigest() == earlier.output_sha256)
    except (OSError, ValueError, KeyError, TypeError, CleanerError):
        return None
    return earlier if same else None
