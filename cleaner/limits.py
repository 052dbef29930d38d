"""A time bound per document, so that no rule pattern can hang a run.

Rule files come from pull requests. Loading rejects the patterns known to
backtrack without end (a repeat inside a repeat, see patterns.backtracking_risk);
this bound catches whatever slips past: Python's regex engine checks for
signals while it matches, so an alarm stops even a runaway match.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

DEFAULT_TIMEOUT = 60.0  # seconds per document: a 10 MB single line takes a few


class DocumentTimeout(Exception):
    """A document took longer than its time bound; `rule` is the rule that was matching, if one was."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds
        self.rule: str | None = None

    def __str__(self) -> str:
        where = f" (rule {self.rule} was matching)" if self.rule else ""
        return f"took longer than --timeout {self.seconds:g} s{where}"


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in the block once `seconds` have passed.

    Only in a main thread (signals are delivered there): where the block
    runs in another thread, as on a dask worker, it runs unbounded.
    """
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
