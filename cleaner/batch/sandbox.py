"""A child process that cleans groups of jobs on its main thread, for executors whose threads get no signals.

A dask worker runs tasks in threads, where no alarm is delivered, so the
per-document time bound could not stop a runaway rule pattern there. The
task hands its jobs to a sandbox instead: a child interpreter that loads the
rules once and cleans on its main thread, where the bound holds as in a
local run. A watchdog replaces a child that stops answering (stuck where
even the alarm cannot reach, say in C code) or dies; the documents of that
group are reported as failed, and the next group gets a fresh child.

Jobs and reports cross the pipe pickled: the child is this package's own
code, started from the same interpreter, and reads nothing else.
"""
from __future__ import annotations

import os
import pickle
import site
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from cleaner.batch.documents import clean_group
from cleaner.batch.planning import Job
from cleaner.batch.reports import FileReport, failed_reports
from cleaner.batch.settings import Settings
from cleaner.errors import CleanerError
from cleaner.rulebook.load import load_ruleset

GRACE = 30.0  # seconds a group may take beyond its documents' time bounds before its child is replaced


class SandboxError(CleanerError):
    """The sandbox process could not start cleaning (its rules did not load)."""


class Sandbox:
    """Cleans groups of jobs in a child process, one group at a time (callers in several threads take turns)."""

    def __init__(self, rule_dirs: Sequence[str], settings: Settings, grace: float = GRACE) -> None:
        self.rule_dirs, self.settings, self.grace = list(rule_dirs), settings, grace
        self._child: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def clean(self, jobs: Sequence[Job]) -> list[FileReport]:
        """One report per job, in order; a group whose child dies or hangs is reported as failed."""
        with self._lock:
            child = self._child if self._child is not None and self._child.poll() is None else self._start()
            bound = self.settings.timeout * len(jobs) + self.grace if self.settings.timeout else None
            watchdog = threading.Timer(bound, child.kill) if bound else None
            if watchdog:
                watchdog.daemon = True
                watchdog.start()
            try:
                _send(child.stdin, list(jobs))
                reports: list[FileReport] = pickle.load(_pipe(child.stdout))
            except (EOFError, OSError, pickle.UnpicklingError):
                self._stop()
                why = (f"stopped answering within {bound:g} s and was replaced" if watchdog and watchdog.finished.is_set()
                       else "died")
                return failed_reports([(job.given, f"the process cleaning it {why}") for job in jobs])
            finally:
                if watchdog:
                    watchdog.cancel()
            return reports

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _start(self) -> subprocess.Popen[bytes]:
        child = subprocess.Popen([sys.executable, "-P", "-c", _BOOT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 env=_child_env())
        self._child = child
        try:
            _send(child.stdin, (self.rule_dirs, self.settings))
        except OSError:
            pass  # a child that could not start has said why, or died: read on
        try:
            error = pickle.load(_pipe(child.stdout))
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            self._stop()
            raise SandboxError(f"the sandbox process did not start ({exc or 'it exited'})") from None
        if error is not None:
            self._stop()
            raise SandboxError(f"the sandbox process did not start: {error}")
        return child

    def _stop(self) -> None:
        child, self._child = self._child, None
        if child is None:
            return
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _pipe(stream: IO[bytes] | None) -> IO[bytes]:
    assert stream is not None
    return stream


def _send(stream: IO[bytes] | None, message: Any) -> None:
    pipe = _pipe(stream)
    pickle.dump(message, pipe)
    pipe.flush()


def _serve() -> None:
    """The child: load the rules, then clean each group of jobs that arrives, until the pipe closes."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to stderr, never into the pipe
    requests = sys.stdin.buffer
    try:
        rule_dirs, settings = pickle.load(requests)
        ruleset = load_ruleset(rule_dirs)
    except CleanerError as exc:
        _send(answers, f"rule file: {exc}")
        return
    except Exception as exc:  # whatever stops the start is said in one line, not lost with the child
        _send(answers, _said(exc))
        return
    _send(answers, None)
    while True:
        try:
            jobs = pickle.load(requests)
        except EOFError:
            return
        _send(answers, clean_group(jobs, ruleset, settings))


def _said(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _child_env() -> dict[str, str]:
    """The child imports the code its parent runs: `-P` keeps the working directory (a checkout's own
    `cleaner/`, say) off its path, and the folder this package came from goes first on it."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    if root not in (*site.getsitepackages(), site.getusersitepackages()):  # an installed package is found anyway
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


# The child's first lines: an import that fails is reported over the pipe like any other failed start.
_BOOT = """
import pickle, sys
try:
    from cleaner.batch.sandbox import _serve
except BaseException as exc:
    pickle.dump(f"{type(exc).__name__}: {exc}", sys.stdout.buffer)
    sys.stdout.flush()
else:
    _serve()
"""
