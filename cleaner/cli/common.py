"""What every command shares: settings from the configuration file and the flags, and per-file errors."""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from cleaner.cli.config import Config, find_config, load_config
from cleaner.display import shown
from cleaner.errors import CleanerError, UsageError
from cleaner.limits import DocumentTimeout, TooLarge
from cleaner.options import Options

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CRASH = 0, 1, 2, 3
EXIT_PIPE = 128 + 13  # standard output closed early: what a shell reports for a tool SIGPIPE stopped

# Library messages name a limit as the setting it is (`timeout=3`); the command line names its flag.
_SETTING = re.compile(r"\b(" + "|".join(cls.setting for cls in (DocumentTimeout, TooLarge)) + r")=")


def flagged(message: str) -> str:
    """A library message with each limit named by its command-line flag: `timeout=3` -> `--timeout 3`."""
    return _SETTING.sub(lambda m: "--" + m.group(1).replace("_", "-") + " ", message)


@dataclass(frozen=True)
class Chosen:
    """The configuration file's settings with the command line's on top."""

    config: Config
    rules: list[str]  # rule directories: the configuration's, then --rules
    options: Options
    globs: list[str]


def chosen(args: argparse.Namespace) -> Chosen:
    """Read the configuration (ConfigError if it cannot be used) and lay the flags over it."""
    config = load_config(args.config if args.config is not None else find_config())
    options = config.options
    if args.title:
        options = replace(options, title=args.title)
    if args.guard is not None:
        options = replace(options, guard=args.guard)
    if args.content is not None:
        options = replace(options, content=args.content)
    if args.html_metadata is not None:
        options = replace(options, html_metadata=args.html_metadata)
    return Chosen(config, [*config.rules, *args.rules], options, args.globs or list(config.globs))


def writable(path: Path, folder: bool) -> Path:
    """`path`, checked before a run writes anything to it: a path whose nearest existing part is a
    folder this user can write (and, if it exists, a folder for `folder`, else a file). UsageError
    `path: reason` if not."""
    name = shown(str(path))
    if path.exists() and path.is_dir() != folder:
        raise UsageError(f"{name}: {'not a folder' if folder else 'a folder, not a file'}")
    nearest = path if folder and path.exists() else path.parent
    while not nearest.exists() and not nearest.is_symlink() and nearest != nearest.parent:
        nearest = nearest.parent
    if not nearest.is_dir():
        raise UsageError(f"{name}: {shown(str(nearest))} is not a folder")
    if not os.access(nearest, os.W_OK | os.X_OK):
        raise UsageError(f"{name}: {shown(str(nearest))} is not writable (permission denied)")
    return path


def colour_wanted() -> bool:
    """Colour on a terminal, unless NO_COLOR is set (no-color.org) or the terminal is dumb."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def file_failed(name: str, exc: Exception) -> int:
    """Say on one line why one file failed (the others go on); the exit status that makes. A closed standard
    output is no file's failure: it ends the command (see cli.main)."""
    if isinstance(exc, BrokenPipeError):
        raise exc
    reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else flagged(str(exc))
    print(f"{shown(name)}: {reason}", file=sys.stderr)
    return EXIT_FAILED


FILE_ERRORS = (CleanerError, OSError)  # what stops one file, not the command
