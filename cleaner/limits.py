"""The limits a run puts on each document: its size, and the time it may take.

Rule files come from pull requests. Loading rejects the patterns known to
backtrack without end (a repeat inside a repeat, see rulebook.patterns);
the time bound catches whatever slips past: Python's regex engine checks for
signals while it matches, so an alarm stops even a runaway match. Signals
reach a process's main thread only, so every executor cleans documents on
one (batch.executors).
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from cleaner.errors import LimitExceeded

DEFAULT_TIMEOUT = 60.0  # seconds per document: a 10 MB single line takes a few
DEFAULT_MAX_BYTES = 32 << 20  # far above any article or page; a single 10 MB line still passes


class TooLarge(LimitExceeded):
    """An input (or a gzip file's content, or a shard record's text) over the size limit."""

    setting = "max_bytes"

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(what, limit)
        self.what, self.limit = what, limit

    def __str__(self) -> str:
        return self.what.format(limit=f"{self.setting}={self.limit}")


class DocumentTimeout(LimitExceeded):
    """A document took longer than its time bound; `rule` is the rule that was matching, if one was."""

    setting = "timeout"

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds
        self.rule: str | None = None

    def __str__(self) -> str:
        where = f" (rule {self.rule} was matching)" if self.rule else ""
        return f"took longer than {self.setting}={self.seconds:g} s{where}"


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in the block once `seconds` have passed.

    Only in a main thread (signals are delivered there); elsewhere the block
    runs unbounded, which is why executors clean documents on main threads.
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
