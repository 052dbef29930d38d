"""Reading inputs and writing outputs safely: gunzip on the way in, whole-or-nothing on the way out.

Every output is written to a temporary file in its own directory, flushed to
disk, and renamed over its name: a reader sees the old file or the new one,
never part of one, whenever the writer is killed or the power goes.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from cleaner.limits import TooLarge
from cleaner.text.decode import DecodeError

TMP_PREFIX = ".cleaner-tmp-"
TMP_SUFFIX = ".part"  # no glob of outputs (*.txt, *.meta.json) matches a half-written file


def read_input(path: Path, max_bytes: int | None = None) -> tuple[bytes, str | None]:
    """The file's bytes, gunzipped for a .gz name; and the compression undone.

    A file (or a gzip file's content) larger than `max_bytes` is refused
    before it is read whole: a gzip bomb never unpacks past the limit.
    """
    if max_bytes is not None:
        size = path.stat().st_size
        if size > max_bytes:
            raise TooLarge(f"larger than {{limit}} ({size} bytes)", max_bytes)
    if not path.name.endswith(".gz"):
        return path.read_bytes(), None
    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read(-1 if max_bytes is None else max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DecodeError(f"not a readable gzip file ({exc})") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise TooLarge("unpacks to more than {limit}", max_bytes)
    return data, "gzip"


def content_digest(path: Path, gunzip: bool = True) -> tuple[str, int]:
    """sha256 and size of the file's content (gunzipped for a .gz name unless `gunzip` is False), read
    in chunks. A gzip file that breaks off after some content gives the digest of what could be read
    (its records up to there are still cleaned, the break reported)."""
    digest, size = hashlib.sha256(), 0
    opener = gzip.open if gunzip and path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            for chunk in iter(lambda: fh.read1(1 << 20), b""):  # read1: what a cut gzip holds is still read
                digest.update(chunk)
                size += len(chunk)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        if not size:
            raise DecodeError(f"not a readable gzip file ({exc})") from None
    return digest.hexdigest(), size


def _temp_for(path: Path) -> tuple[Path, BinaryIO]:
    """A new temporary file beside `path`, opened for writing.

    Created exclusively and without following links: a file or link planted
    under the temporary name is replaced, never written through.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{TMP_PREFIX}{os.getpid()}-{path.name}{TMP_SUFFIX}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(tmp, flags, 0o666)
    except FileExistsError:  # left by an earlier process with this pid
        tmp.unlink()
        fd = os.open(tmp, flags, 0o666)
    return tmp, os.fdopen(fd, "wb")


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A file to write `path` through: it appears whole when the block ends (fsync, rename), or not at all."""
    tmp, fh = _temp_for(path)
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all."""
    with atomic_writer(path) as fh:
        fh.write(data)


class Staging:
    """Outputs of a group of documents: written to temporary files, then made durable and renamed together.

    One filesystem sync for the group instead of one fsync per file: the
    same guarantee (nothing is renamed into place before its data is on disk)
    at a fraction of the cost. Steps are published in the order they were
    staged, so a document's text is in place before its sidecar.
    """

    def __init__(self) -> None:
        self._steps: list[tuple[Path, Path | None]] = []  # (target, temporary file or None to remove target)

    def write(self, path: Path, data: bytes) -> None:
        tmp, fh = _temp_for(path)
        self._steps.append((path, tmp))
        with fh:
            fh.write(data)

    def remove(self, path: Path) -> None:
        self._steps.append((path, None))

    def mark(self) -> int:
        return len(self._steps)

    def discard(self, since: int = 0) -> None:
        """Drop the steps staged after `since`, removing their temporary files."""
        for _, tmp in self._steps[since:]:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        del self._steps[since:]

    def publish(self) -> None:
        """Sync the staged files to disk, then rename each into place (or remove what was to go)."""
        _sync([tmp for _, tmp in self._steps if tmp is not None])
        for target, tmp in self._steps:
            if tmp is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(tmp, target)
        self._steps.clear()


def _sync(files: list[Path]) -> None:
    """Put the data of `files` on disk: one syncfs per file system on Linux, else an fsync per file."""
    if not files:
        return
    syncfs = _syncfs()
    devices: dict[int, Path] = {}
    for file in files:
        devices.setdefault(file.stat().st_dev, file)
    for file in devices.values() if syncfs else files:
        fd = os.open(file, os.O_RDONLY)
        try:
            if syncfs is None or syncfs(fd) != 0:
                os.fsync(fd)
        finally:
            os.close(fd)


@lru_cache(maxsize=1)
def _syncfs() -> Callable[[int], int] | None:
    """libc's syncfs(2), or None where there is none."""
    import ctypes  # only runs that write in groups need it: `cleaner check` starts without

    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


def remove_stale_temps(folders: Iterable[Path]) -> int:
    """Remove temporary files that killed runs left in `folders`; return how many.

    A temporary file names the process that wrote it; one whose process is
    still running (another run at work) is left alone.
    """
    removed = 0
    for folder in folders:
        try:
            entries = [e for e in os.scandir(folder) if e.name.startswith(TMP_PREFIX)]
        except OSError:
            continue
        for entry in entries:
            pid = entry.name[len(TMP_PREFIX):].split("-", 1)[0]
            if pid.isdigit() and not _running(int(pid)):
                try:
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this run's own temporary files are not live yet: a leftover of a process before it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed process nobody has reaped yet still answers kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")
