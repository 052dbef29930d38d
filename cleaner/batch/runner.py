"""Running a batch: every job through an executor, every report counted, the manifest in job order."""
from __future__ import annotations

import os
import posixpath
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path

from cleaner.batch import index
from cleaner.batch.executors import Executor, LocalExecutor
from cleaner.batch.files import atomic_writer, remove_stale_temps
from cleaner.batch.manifest import InOrder
from cleaner.batch.planning import Job
from cleaner.batch.reports import FileReport, Summary, failed_reports
from cleaner.batch.settings import Settings
from cleaner.rulebook.load import load_ruleset


def run(
    jobs: Sequence[Job],
    executor: Executor | None = None,
    rule_dirs: Sequence[str] = (),
    settings: Settings | None = None,
    *,
    manifest: Path | None = None,
    on_report: Callable[[FileReport], None] | None = None,
    refused: Sequence[tuple[str, str]] = (),
) -> Summary:
    """Clean every job in `executor` (default: this process) and add up the reports.

    The rules are loaded here first, so a rule-file error (RuleError) is raised
    before anything is written. Refused inputs, (input, reason) each, are
    reported first. With `manifest`, the run's manifest is written there, a
    line per refused input and per job in job order; it appears whole when
    the run ends, with the index beside it (batch.index) that lets a rerun
    know unchanged documents without reading them.
    """
    started_ns = time.time_ns()
    ruleset = load_ruleset(rule_dirs)
    settings = settings or Settings()
    executor = executor or LocalExecutor()
    summary = Summary(rules=[rule.id for rule in ruleset.all_rules()])
    contexts = {kind: index.context(ruleset, settings, kind) for kind in sorted({job.format for job in jobs})}
    known = ({} if manifest is None or settings.force
             else index.unchanged(jobs, index.read_index(manifest.parent), contexts))
    todo = [n for n in range(len(jobs)) if n not in known]
    earlier = {n for n in todo if os.path.lexists(jobs[n].meta_out)}  # what an earlier run may have left

    prepare_output(jobs)
    with (atomic_writer(manifest) if manifest is not None else nullcontext() as out,
          atomic_writer(manifest.parent / index.INDEX) if manifest is not None else nullcontext() as kept):
        if kept is not None:
            kept.write(index.header())

        def counted(report: FileReport) -> None:
            summary.add(report)
            if on_report:
                on_report(report)

        def take(n: int, report: FileReport, indexed: bytes | None = None) -> None:
            if report.status == "unchanged" and n not in known and n not in earlier:
                report.written_now()  # a task run again (its worker died) found what its first try wrote
            counted(report)
            ordered.add(n, (report.line,))
            if kept is not None:
                line = indexed or index.entry_line(jobs[n], report, contexts[jobs[n].format], started_ns)
                if line is not None:
                    kept.write(line)

        for report in failed_reports(refused):
            counted(report)
            if out is not None:
                out.write(report.line)
        ordered = InOrder(out)
        for n, (report, indexed) in known.items():
            take(n, report, indexed)
        if todo:  # an unchanged rerun starts no executor
            for start, reports in executor.execute([jobs[n] for n in todo], rule_dirs, settings):
                for k, report in enumerate(reports):
                    take(todo[start + k], report)
    if summary.statuses["failed"]:
        prepare_output(jobs)  # a worker that died (or was stopped with its pool) left its temporary files
    return summary


def prepare_output(jobs: Sequence[Job]) -> None:
    """Remove what killed runs left in the output folders: temporary files of processes no longer running."""
    folders = {os.path.join(job.root, posixpath.dirname(job.out_rel)) for job in jobs}
    remove_stale_temps(Path(f) for f in sorted(folders | {job.root for job in jobs}))
