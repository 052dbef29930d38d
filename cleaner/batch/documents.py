"""Cleaning one job: read the input, clean it with the core, stage its outputs; any failure becomes one line.

A thin shell over `clean_bytes`: everything about a document's text lives
in the core; this module reads, writes and counts.
"""
from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence

from cleaner.batch.files import Staging, read_input
from cleaner.batch.inputs import inside
from cleaner.batch.manifest import document_entry, shard_entry
from cleaner.batch.planning import Job
from cleaner.batch.records_in import KINDS as SHARD_KINDS
from cleaner.batch.reports import FileReport
from cleaner.batch.reuse import reusable, reusable_shard
from cleaner.batch.settings import Settings
from cleaner.batch.shards import clean_shard
from cleaner.batch.withheld import status, withheld
from cleaner.core import clean_bytes
from cleaner.display import shown
from cleaner.errors import CleanerError
from cleaner.limits import time_limit
from cleaner.record.sidecar import dumps, to_sidecar
from cleaner.rulebook.model import Ruleset


class UnsafeOutput(CleanerError):
    """An output that would land outside OUTDIR (through a link in the output tree)."""


def clean_group(jobs: Sequence[Job], ruleset: Ruleset, settings: Settings) -> list[FileReport]:
    """Clean consecutive jobs and publish their outputs together: one sync to disk for the group."""
    staging = Staging()
    try:
        reports = [clean_file(job, ruleset, settings, staging) for job in jobs]
        try:
            staging.publish()
        except OSError as exc:
            for report in reports:
                if report.error is None:
                    report.fail(f"not written: {exc.strerror or exc}")
        return reports
    finally:
        staging.discard()  # nothing is left to discard unless an interruption cut the group short


def clean_file(job: Job, ruleset: Ruleset, settings: Settings, staging: Staging | None = None) -> FileReport:
    """Clean one file (a document or a JSONL shard) and stage its outputs; any failure becomes a one-line reason.

    Outputs go to `staging`, which the caller publishes; without one they
    are published here. Unless settings.force, an input whose sidecar shows
    the same input bytes, cleaner version, options and effective rules is left as it is.
    """
    report = FileReport(job.given)
    own = staging is None
    staging = staging or Staging()
    mark = staging.mark()
    try:
        _check_confined(job)
        (_clean_shard_file if job.format in SHARD_KINDS else _clean_document)(job, ruleset, settings, report, staging)
        if own:
            staging.publish()
    except CleanerError as exc:
        report.error = str(exc)
    except OSError as exc:
        report.error = f"{exc.strerror or exc} ({shown(str(exc.filename or job.source))})"
    except RecursionError:
        report.error = "internal error: recursion too deep"
    except Exception as exc:  # a bug must not stop the other files; say what it was
        report.error = f"internal error: {type(exc).__name__}: {exc}"
    finally:
        if own or report.error is not None:
            staging.discard(mark)
    if report.error is not None:
        report.fail(report.error)
    return report


_confined: set[tuple[str, str]] = set()  # (OUTDIR, folder) pairs already checked by this process


def _check_confined(job: Job) -> None:
    """Refuse to write where a link inside OUTDIR would take the output out of it."""
    folder = posixpath.dirname(job.out_rel)
    if (job.root, folder) in _confined:
        return
    root = os.path.realpath(job.root)
    if not inside(os.path.realpath(os.path.join(job.root, folder)), root):
        raise UnsafeOutput(f"its output folder {shown(os.path.join(job.root, folder))} leads out of the output "
                           "directory (a symbolic link): nothing written")
    _confined.add((job.root, folder))


def _clean_document(job: Job, ruleset: Ruleset, settings: Settings, report: FileReport, staging: Staging) -> None:
    """A text or HTML document: its text and sidecar. A document with no text left, or detected in a
    language the run did not ask for, gets only its sidecar, which says why."""
    data, compression = read_input(job.source, settings.max_bytes)
    sidecar = None if settings.force else reusable(job, data, compression, ruleset, settings)
    fresh = sidecar is None
    if sidecar is None:
        with time_limit(settings.timeout):
            result = clean_bytes(data, ruleset, options=settings.options, format=job.format)
        record = result.record
        why = withheld(record, settings.langs)
        sidecar = to_sidecar(result, job.label, compression=compression, filtered=why)
        if why:
            staging.remove(job.text_out)  # an earlier run's output no longer belongs here
        else:
            staging.write(job.text_out, result.text.encode("utf-8"))
        staging.write(job.meta_out, dumps(sidecar).encode("utf-8"))  # last: a sidecar means its text is complete
    report.status = status(sidecar.filtered) if fresh else "unchanged"
    report.dropped.update(d.rule for d in sidecar.record.dropped)
    report.lifted.update(e.rule for e in sidecar.record.extracted if e.kept)
    report.record(document_entry(job.given, job.out_rel, job.meta_rel, sidecar, status(sidecar.filtered), fresh))


def _clean_shard_file(job: Job, ruleset: Ruleset, settings: Settings, report: FileReport, staging: Staging) -> None:
    """A shard (JSONL, Parquet, WARC/WET): records cleaned into a shard (streamed, written on its own), a
    summary sidecar beside it."""
    summary = None if settings.force else reusable_shard(job, ruleset, settings)
    fresh = summary is None
    if summary is None:
        summary = clean_shard(job.source, job.text_out, ruleset, settings.options, settings.langs, job.label,
                              max_bytes=settings.max_bytes, timeout=settings.timeout)
        staging.write(job.meta_out, dumps(summary.to_json()).encode("utf-8"))
    else:
        report.status = "unchanged"
    report.dropped.update(summary.dropped)
    report.bad_records = [(job.label, f"{summary.position} {note.where}: {note.reason}") for note in summary.bad]
    report.record(shard_entry(job.given, job.out_rel, job.meta_rel, summary, fresh, job.format))
