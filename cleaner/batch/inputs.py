"""Finding inputs: the files named, and those found below named directories, never through a link.

Symbolic links below a named directory are never followed (a link named
directly is): a link can lead out of the tree, loop, or reach a file the walk
cleans under its own name anyway. Special files (pipes, sockets, devices) are
never read: reading a pipe can block for ever. Both are reported, with why.
"""
from __future__ import annotations

import errno
import os
import posixpath
import re
from collections.abc import Sequence
from fnmatch import fnmatchcase

from cleaner.display import shown
from cleaner.errors import UsageError
from cleaner.record.sidecar import SUFFIX

Found = tuple[str, str, bool]  # (file, path relative to its input, named directly)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def refuse_remote(name: str) -> None:
    """UsageError for what names no local file: a URL (s3://, https://...) or `-` (standard input)."""
    if _URL.match(name):
        raise UsageError(f"{shown(name)}: a URL; cleaner reads and writes local paths only (mount it, or copy "
                         "the files here first)")
    if name == "-":
        raise UsageError("-: standard input is not read; give files or folders")


def recorded_path(name: str) -> str:
    """How sidecars and the manifest name an input, however it was typed: relative to the working directory
    if it lies below it (`./a.txt`, `a.txt` and `$PWD/a.txt` are `a.txt`), else absolute; never resolving a
    link. Workers on a cluster get the same name as a local run."""
    whole = os.path.abspath(name)
    here = os.getcwd()
    inside = whole.startswith(here.rstrip(os.sep) + os.sep)
    return posixpath.join(*os.path.relpath(whole, here).split(os.sep)) if inside else whole


def expand(inputs: Sequence[str], globs: Sequence[str] = ("*.txt",)) -> tuple[list[Found], list[tuple[str, str]]]:
    """Every file named, or found below a named directory; and the links and special files found
    below directories, with why each is passed over.

    Names are matched against `globs`, in sorted order. Sidecars are never
    inputs. Raises UsageError for an input that does not exist. Strings, not
    Path objects: a run holds one entry per input.
    """
    found: list[Found] = []
    passed_over: list[tuple[str, str]] = []
    for name in inputs:
        refuse_remote(name)
        if os.path.isdir(name):
            here, skipped = _walk(name, globs)
            found += [(posixpath.join(name, rel) if name != "." else rel, rel, False) for rel in sorted(here)]
            passed_over += skipped
        elif os.path.isfile(name):
            found.append((name, os.path.basename(name), True))
        else:
            raise UsageError(f"{shown(name)}: no such file or directory")
    return found, sorted(passed_over)


def _walk(name: str, globs: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The wanted files below directory `name` (relative paths), and what was passed over, with why."""
    root = os.path.realpath(name)
    here: list[str] = []
    skipped: list[tuple[str, str]] = []
    folders = [(name, "")]
    while folders:  # the file types come with the directory listing: no stat per file
        folder, rel_folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            rel = posixpath.join(rel_folder, entry.name) if rel_folder else entry.name
            wanted = any(fnmatchcase(entry.name, g) for g in globs) and not entry.name.endswith(SUFFIX)
            if entry.is_symlink():
                if wanted or _is_dir(entry):
                    skipped.append((entry.path, _link_reason(entry.path, root)))
            elif entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, rel))
            elif entry.is_file(follow_symlinks=False):
                if wanted:
                    here.append(rel)
            elif wanted:
                skipped.append((entry.path, "not a regular file (a pipe, socket or device): not read"))
    return here, skipped


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop
        return False


def _link_reason(path: str, root: str) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        what = "a symbolic link loop" if exc.errno == errno.ELOOP else "a broken symbolic link"
        return f"{what}: not followed"
    target = os.path.realpath(path)
    if not inside(target, root):
        return "a symbolic link out of the input tree: not followed"
    if os.path.isdir(path) and inside(os.path.realpath(os.path.dirname(path)), target):
        return "a symbolic link loop: not followed"
    return "a symbolic link: not followed (links below an input directory never are; name it to clean it)"


def inside(path: str, root: str) -> bool:
    """Whether `path` is `root` or lies below it (both resolved)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
