"""The package's one error family: every error it raises on purpose is a CleanerError.

Each message is one line that reads after a file name (`a.txt: binary file
(NUL bytes)`). Errors about one document or file stop that file only; errors
about the run itself (usage, configuration, rule files, the cluster) stop the
run before anything is written. The command line maps them to exit codes in
one handler.
"""
from __future__ import annotations


class CleanerError(Exception):
    """Base of the package's errors."""


class UsageError(CleanerError):
    """A problem with what was asked for (a missing input, an output inside its input); nothing is written."""


class LimitExceeded(CleanerError):
    """A document over one of the run's limits; `setting` names the limit (`timeout`, `max_bytes`).

    The message names the setting as `setting=value`, as the library takes it;
    a shell names its own spelling of it (the command line says `--max-bytes`).
    """

    setting = ""
