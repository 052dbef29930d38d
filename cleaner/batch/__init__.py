"""Running: find inputs, plan outputs, reuse what is done, clean in an executor, write the manifest."""
from __future__ import annotations

from cleaner.batch.runner import Settings, plan, run

__all__ = ["Settings", "plan", "run"]
