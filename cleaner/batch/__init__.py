"""Running: find inputs, plan outputs, reuse what is done, clean in an executor, write the manifest.

    from cleaner.batch import LocalExecutor, Settings, plan, run
    planned = plan(["corpus/"], "out/")
    summary = run(planned.jobs, LocalExecutor(processes=4), ["my-rules/"], Settings(), refused=planned.refused)

The names load on first use, so that `cleaner check` (a pre-commit hook),
which needs only this package's file helpers, does not start with the pool.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {"Executor": "executors", "LocalExecutor": "executors", "Job": "planning", "RunPlan": "planning", "plan": "planning",
          "run": "runner", "Settings": "settings"}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'cleaner.batch' has no attribute {name!r}")
    return getattr(import_module(f"cleaner.batch.{_WHERE[name]}"), name)
