"""Reading inputs and writing outputs safely: gunzip on the way in, whole-or-nothing on the way out."""
from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from .decode import DecodeError

TMP_PREFIX = ".cleaner-tmp-"


def read_input(path: Path) -> tuple[bytes, str | None]:
    """The file's bytes, gunzipped for a .gz name; and the compression undone."""
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        try:
            return gzip.decompress(data), "gzip"
        except (OSError, EOFError, zlib.error) as exc:
            raise DecodeError(f"not a readable gzip file ({exc})") from None
    return data, None


def content_sha256(path: Path) -> str:
    """sha256 of the file's content (gunzipped for a .gz name), read in chunks."""
    digest = hashlib.sha256()
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DecodeError(f"not a readable gzip file ({exc})") from None
    return digest.hexdigest()


@contextmanager
def atomic_writer(path: Path, *, sync: bool = True) -> Iterator[BinaryIO]:
    """A file to write `path` through: it appears whole when the block ends (rename), or not at all.

    `sync` flushes the data to disk before the rename, so that it survives a
    power cut too. Batch outputs skip it: a rerun checks every output against
    the hash its sidecar records and redoes what a power cut damaged, and one
    fsync per file would cost a tenth of the run.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{TMP_PREFIX}{os.getpid()}-{path.name}")
    try:
        with open(tmp, "wb") as fh:
            yield fh
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write `data` to `path` whole or not at all."""
    with atomic_writer(path, sync=sync) as fh:
        fh.write(data)
