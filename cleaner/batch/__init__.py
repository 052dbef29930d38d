"""Running: find inputs, plan outputs, reuse what is done, clean in an executor, write the manifest.

    from cleaner.batch import LocalExecutor, Settings, plan, run
    planned = plan(["corpus/"], "out/")
    summary = run(planned.jobs, LocalExecutor(processes=4), ["my-rules/"], Settings(), refused=planned.refused)
"""
from __future__ import annotations

from cleaner.batch.executors import Executor, LocalExecutor
from cleaner.batch.plan import Job, Plan, plan
from cleaner.batch.runner import run
from cleaner.batch.settings import Settings

__all__ = ["Executor", "Job", "LocalExecutor", "Plan", "Settings", "plan", "run"]
