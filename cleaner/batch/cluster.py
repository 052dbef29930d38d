"""Running a batch on a dask.distributed cluster: the same jobs, the same bytes, more machines.

Workers read inputs and write outputs at the same paths as this machine
(absolute paths of a shared file system) and load the rules from the same
directories; each worker loads them once. Only job descriptions and reports
cross the wire. The manifest is written here, as in a local run.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Sequence

from cleaner import __version__
from cleaner.batch.runner import FileReport, Job, Settings, Summary, clean_group, failed_reports, prepare_output
from cleaner.batch.files import write_atomic
from cleaner.rulebook.load import Ruleset, load_ruleset

CHUNK = 16  # documents per task: enough to amortize a task's overhead, small enough to spread the work
CONNECT_TIMEOUT = 30.0  # seconds to reach the scheduler
INSTALL_HINT = "the --scheduler option needs dask.distributed: pip install 'corpus-cleaner[dask]'"


class ClusterError(RuntimeError):
    """The cluster cannot run this job (unreachable, or workers with another corpus-cleaner)."""


@lru_cache(maxsize=4)
def _ruleset(rule_dirs: tuple[str, ...]) -> Ruleset:
    return load_ruleset(rule_dirs)


def _clean_chunk(jobs: Sequence[Job], rule_dirs: tuple[str, ...], settings: Settings) -> list[FileReport]:
    """One task on a worker: its rules are loaded once per worker process; its outputs are synced together."""
    return clean_group(jobs, _ruleset(rule_dirs), settings)


def _worker_version() -> str:
    return __version__


def run_on_cluster(
    jobs: Sequence[Job],
    rule_dirs: Sequence[str],
    settings: Settings,
    address: str,
    *,
    manifest=None,
    on_report: Callable[[FileReport], None] | None = None,
    refused: Sequence[tuple[str, str]] = (),
) -> Summary:
    """Clean `jobs` on the cluster whose scheduler is at `address`; reports as chunks finish.

    Refused inputs are reported first, as in a local run. A document's time
    bound does not hold here: workers run tasks in threads, where no alarm
    reaches them (patterns known to backtrack are still refused at load)."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ClusterError(INSTALL_HINT) from None
    from pathlib import Path

    ruleset = load_ruleset(rule_dirs)  # a rule-file error stops the run here, before anything is sent
    dirs = tuple(str(Path(d).resolve()) for d in rule_dirs)
    absolute = [job.absolute() for job in jobs]
    chunks = [absolute[i:i + CHUNK] for i in range(0, len(absolute), CHUNK)]
    summary = Summary(rules=[rule.id for rule in ruleset.all_rules()])
    early = failed_reports(refused)
    for report in early:
        summary.add(report)
        if on_report:
            on_report(report)
    prepare_output(jobs)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)  # as_completed needs it as the default client
    except OSError as exc:
        raise ClusterError(f"cannot reach the scheduler at {address}: {exc}") from None
    with client:
        versions = set(client.run(_worker_version).values())
        if versions - {__version__}:
            raise ClusterError(f"workers run corpus-cleaner {', '.join(sorted(versions))}, this is {__version__}")
        futures = {client.submit(_clean_chunk, chunk, dirs, settings, pure=False, retries=1): n
                   for n, chunk in enumerate(chunks)}
        done: dict[int, list[FileReport]] = {}
        for future in as_completed(futures):
            try:
                reports = future.result()
            except Exception as exc:  # a worker died twice on this chunk: its documents failed
                reports = failed_reports([(job.label, f"worker failed: {exc}") for job in chunks[futures[future]]])
            done[futures[future]] = reports
            for report in reports:
                summary.add(report)
                if on_report:
                    on_report(report)
    if manifest is not None:  # in job order, as a local run writes it
        write_atomic(manifest, b"".join(r.line for r in early) + b"".join(r.line for n in sorted(done) for r in done[n]))
    return summary
