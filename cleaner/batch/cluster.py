"""The dask.distributed executor: the same jobs, the same bytes, more machines.

Workers read inputs and write outputs at the same paths as this machine
(absolute paths of a shared file system) and load the rules from the same
directories. Only job descriptions and reports cross the wire. Dask runs
tasks in worker threads, where no alarm signal arrives, so each worker
process hands its tasks to one sandbox process (batch.sandbox) that loads the
rules once and cleans on its main thread: the per-document time bound holds
on the cluster as it does locally.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from cleaner.batch.executors import Finished
from cleaner.batch.planning import Job
from cleaner.batch.reports import FileReport, failed_reports
from cleaner.batch.sandbox import Sandbox
from cleaner.batch.settings import Settings
from cleaner.errors import CleanerError
from cleaner.version import __version__

CHUNK = 16  # documents per task: enough to amortize a task's overhead, small enough to spread the work
CONNECT_TIMEOUT = 30.0  # seconds to reach the scheduler
INSTALL_HINT = "the --scheduler option needs dask.distributed: pip install 'corpus-cleaner[dask]'"


class ClusterError(CleanerError):
    """The cluster cannot run this job (not installed, unreachable, or workers with another corpus-cleaner)."""


_sandbox_lock = threading.Lock()


@lru_cache(maxsize=4)
def _sandbox(rule_dirs: tuple[str, ...], settings: Settings) -> Sandbox:
    """One sandbox per worker process and run settings: the rules load once per worker."""
    return Sandbox(rule_dirs, settings)


def _clean_chunk(jobs: Sequence[Job], rule_dirs: tuple[str, ...], settings: Settings) -> list[FileReport]:
    """One task on a worker."""
    with _sandbox_lock:
        sandbox = _sandbox(rule_dirs, settings)
    return sandbox.clean(jobs)


def _worker_version() -> str:
    return __version__


class DaskExecutor:
    """A dask.distributed cluster whose scheduler is at `address`; groups come back as tasks finish."""

    def __init__(self, address: str) -> None:
        self.address = address

    def execute(self, jobs: Sequence[Job], rule_dirs: Sequence[str], settings: Settings) -> Iterator[Finished]:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise ClusterError(INSTALL_HINT) from None
        dirs = tuple(str(Path(d).resolve()) for d in rule_dirs)
        absolute = [job.absolute() for job in jobs]
        try:
            client = Client(self.address, timeout=CONNECT_TIMEOUT)  # as_completed needs it as the default client
        except OSError as exc:
            raise ClusterError(f"cannot reach the scheduler at {self.address}: {exc}") from None
        with client:
            versions = set(client.run(_worker_version).values())
            if versions - {__version__}:
                raise ClusterError(f"workers run corpus-cleaner {', '.join(sorted(versions))}, this is {__version__}")
            starts = range(0, len(absolute), CHUNK)
            futures = {client.submit(_clean_chunk, absolute[start:start + CHUNK], dirs, settings, pure=False,
                                     retries=1): start for start in starts}
            for future in as_completed(futures):
                start = futures[future]
                try:
                    reports = future.result()
                except Exception as exc:  # a worker died twice on this chunk: its documents failed
                    reports = failed_reports([(job.given, f"worker failed: {exc}") for job in jobs[start:start + CHUNK]])
                yield start, reports
