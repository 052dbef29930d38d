"""Executors: where a run's documents are cleaned. The runner hands one the jobs; it yields reports.

Every executor cleans each document on a process's main thread, where the
per-document time bound (limits.time_limit, an alarm signal) holds: the
local executor in this process or in a pool of worker processes; an
executor whose own threads get no signals (a dask worker's) hands its jobs to
a sandbox process (batch.sandbox). That is part of the interface, not of one
executor: a runaway rule pattern is stopped wherever the run goes.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from cleaner.batch.documents import clean_group
from cleaner.batch.planning import Job
from cleaner.batch.reports import FileReport, failed_reports
from cleaner.batch.settings import Settings
from cleaner.rulebook.load import load_ruleset
from cleaner.rulebook.model import Ruleset

GROUP = 32  # documents whose outputs are synced to disk together

Finished = tuple[int, list[FileReport]]  # (index of the group's first job, one report per job of the group)


class Executor(Protocol):
    def execute(self, jobs: Sequence[Job], rule_dirs: Sequence[str], settings: Settings) -> Iterator[Finished]:
        """Clean every job once, each document on a process's main thread; yield groups as they finish.

        Raises a run-level CleanerError (the rules, the cluster) before
        anything is cleaned if the run cannot start.
        """
        ...


def groups(jobs: Sequence[Job], size: int) -> Iterator[tuple[int, Sequence[Job]]]:
    return ((i, jobs[i:i + size]) for i in range(0, len(jobs), size))


def default_processes() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class LocalExecutor:
    """This machine: one process cleans in place; more run a pool of workers that each load the rules once.

    Groups come back in job order, so the manifest streams out as they do.
    """

    def __init__(self, processes: int = 1) -> None:
        self.processes = max(1, processes)

    def execute(self, jobs: Sequence[Job], rule_dirs: Sequence[str], settings: Settings) -> Iterator[Finished]:
        processes = max(1, min(self.processes, len(jobs)))
        if processes == 1 and threading.current_thread() is threading.main_thread():
            ruleset = load_ruleset(rule_dirs)
            for start, group in groups(jobs, GROUP):
                yield start, clean_group(group, ruleset, settings)
            return
        if processes == 1:  # called from another thread: no alarm reaches it, so a sandbox process cleans
            from cleaner.batch.sandbox import Sandbox

            with Sandbox(rule_dirs, settings) as sandbox:
                for start, group in groups(jobs, GROUP):
                    yield start, sandbox.clean(group)
            return
        # Workers start from a fresh interpreter, not a copy of this process: its job
        # list would otherwise count again in every worker as the corpus grows. A
        # worker that dies (a crash in a C library, the OOM killer) breaks the pool:
        # the groups not yet back are reported as failed, and the run ends instead of hanging.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        size = max(1, min(GROUP, len(jobs) // (processes * 8)))
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(processes, context, _init_worker, (list(rule_dirs), settings)) as pool:
            pending = [(start, pool.submit(_work, group)) for start, group in groups(jobs, size)]
            for start, future in pending:  # in job order, so the manifest streams out in input order
                try:
                    yield start, future.result()
                except BrokenProcessPool as exc:
                    yield start, failed_reports([(job.given, f"worker process died ({exc})")
                                                 for job in jobs[start:start + size]])


_worker: tuple[Ruleset, Settings] | None = None


def _init_worker(rule_dirs: Sequence[str], settings: Settings) -> None:
    global _worker
    _worker = (load_ruleset(rule_dirs), settings)


def _work(jobs: Sequence[Job]) -> list[FileReport]:
    assert _worker is not None
    return clean_group(jobs, *_worker)
