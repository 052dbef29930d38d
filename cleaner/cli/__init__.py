"""The `cleaner` command line: one module per command group, thin shells over the library."""
from __future__ import annotations

from cleaner.cli.commands import main

__all__ = ["main"]
