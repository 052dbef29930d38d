"""In-place work on a corpus: check, fix and restore files that live beside their sidecars.

`fix` is safe because it is reversible: the sidecar always leads back to the
very first input, however often the file is fixed again, and `restore` puts
that input back byte for byte.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from cleaner.batch.files import write_atomic
from cleaner.core import DEFAULTS, clean_bytes
from cleaner.errors import CleanerError
from cleaner.limits import DEFAULT_TIMEOUT, time_limit
from cleaner.options import Options
from cleaner.record.compose import compose
from cleaner.record.restore import restore_bytes
from cleaner.record.sidecar import Sidecar, SidecarError, dumps, sidecar_path, to_sidecar
from cleaner.rulebook.model import Ruleset


class InPlaceError(CleanerError):
    """A file that cannot be checked, fixed or restored; the message says why."""


@dataclass(frozen=True)
class FilePlan:
    """What fixing one file would do, worked out without writing anything."""

    path: Path
    before: bytes  # the file as it is
    text: bytes  # the fixed text
    text_changes: bool
    sidecar: str | None  # the sidecar to write, None when the one on disk stays
    fired: Counter[str]  # why the text changes: rule ids, "ftfy", "normalization"


def _matching_sidecar(path: Path, data: bytes) -> Sidecar | None:
    """The sidecar beside `path` if it describes `path` as it is now (an earlier fix's output)."""
    meta = sidecar_path(path)
    if not meta.is_file():
        return None
    try:
        sidecar = Sidecar.read(meta)
    except SidecarError:
        return None
    return sidecar if sidecar.output_sha256 == hashlib.sha256(data).hexdigest() else None


def plan_fix(path: Path, ruleset: Ruleset, options: Options = DEFAULTS, *,
             timeout: float | None = DEFAULT_TIMEOUT) -> FilePlan:
    """Clean `path` as `fix` would; raises InPlaceError or DecodeError (binary input)."""
    if path.is_symlink():
        raise InPlaceError("a symbolic link; fix works on regular files only")
    data = path.read_bytes()
    earlier = _matching_sidecar(path, data)
    if earlier is not None and earlier.record.options.title == "drop" and earlier.record.title is not None:
        options = replace(options, title="keep")  # the headline already went: the next line is not one to drop
    with time_limit(timeout):
        result = clean_bytes(data, ruleset, options=options)
    fixed = result.text.encode("utf-8")
    fresh = to_sidecar(result, path.as_posix())
    fired: Counter[str] = Counter(d.rule for d in result.record.dropped)
    if result.record.ftfy:
        fired["ftfy"] = len(result.record.ftfy)
    if fixed != data and not fired:
        fired["normalization"] = 1
    if earlier is None:
        sidecar: str | None = dumps(fresh)
        meta = sidecar_path(path)
        if meta.is_file() and meta.read_text("utf-8") == sidecar:
            sidecar = None
    elif fixed == data:
        sidecar = None  # fixed before and nothing more to do: leave the sidecar as it is
    else:
        sidecar = dumps(compose(earlier, data.decode("utf-8"), fresh, result.text))
    return FilePlan(path, data, fixed, fixed != data, sidecar, fired)


def apply_fix(plan: FilePlan) -> bool:
    """Write what the plan says; True if anything was written."""
    if plan.text_changes:
        write_atomic(plan.path, plan.text)
    if plan.sidecar is not None:
        write_atomic(sidecar_path(plan.path), plan.sidecar.encode("utf-8"))
    return plan.text_changes or plan.sidecar is not None


def restore_file(path: Path, to: Path | None = None) -> Path:
    """Rebuild the first input of cleaned file `path` from its sidecar and write it; return where.

    Without `to`, the file is restored in place and its sidecar, which no longer
    describes it, is removed. Nothing is written unless the rebuilt bytes match
    the sha256 the sidecar recorded.
    """
    meta = sidecar_path(path)
    try:
        sidecar = Sidecar.read(meta)
    except FileNotFoundError:
        raise InPlaceError(f"no sidecar {meta.name} beside it") from None
    except SidecarError as exc:
        raise InPlaceError(f"sidecar {meta.name}: {exc}") from None
    try:
        cleaned = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InPlaceError("not the UTF-8 text cleaner writes") from None
    try:
        data = restore_bytes(cleaned, sidecar)
    except CleanerError as exc:  # RestoreError
        raise InPlaceError(f"{exc}; nothing written") from None
    inside = not path.is_absolute() and ".." not in path.parts
    target = path if to is None else to / (path if inside else Path(path.name))
    write_atomic(target, data)
    if to is None:
        meta.unlink()
    return target
