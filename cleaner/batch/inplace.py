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
from cleaner.batch.inputs import recorded_path
from cleaner.core import DEFAULTS, clean_bytes
from cleaner.errors import CleanerError
from cleaner.limits import DEFAULT_TIMEOUT, time_limit
from cleaner.options import Options
from cleaner.record.compose import compose
from cleaner.record.restore import restore_bytes
from cleaner.record.sidecar import Sidecar, SidecarError, dumps, sidecar_path, to_sidecar
from cleaner.rulebook.model import Ruleset
from cleaner.text.layout import paragraphs


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


def _sidecar_beside(path: Path) -> Sidecar | None:
    """The sidecar an earlier fix wrote beside `path`, if there is one; a file there that does not read
    as a sidecar is someone's, never overwritten (InPlaceError)."""
    meta = sidecar_path(path)
    if not meta.exists() and not meta.is_symlink():
        return None
    try:
        return Sidecar.read(meta)
    except SidecarError as exc:
        raise InPlaceError(f"{meta.name} beside it is not a sidecar cleaner can read ({exc}); "
                           "move it away to fix this file") from None


def first_input_site(sidecar: Sidecar, text: str, ruleset: Ruleset) -> str | None:
    """The site the first input behind a fixed file's `text` reads as under `ruleset`: its dropped and
    kept lines in their order (the lines that named its site may be gone from the file), else the
    site the sidecar recorded, if the rules still have it."""
    record = sidecar.record
    lines = dict(zip(record.paragraph_lines, paragraphs(text)))
    lines.update((d.line, d.text) for d in record.dropped)
    site = ruleset.index.identify([line for _, line in sorted(lines.items())])
    return site or (record.site if record.site in ruleset.sites else None)


def plan_fix(path: Path, ruleset: Ruleset, options: Options = DEFAULTS, *,
             timeout: float | None = DEFAULT_TIMEOUT) -> FilePlan:
    """Clean `path` as `fix` would; raises InPlaceError or DecodeError (binary input).

    A file an earlier fix wrote is cleaned as its first input's site, and the new record is folded
    into the earlier one. A file edited since an earlier fix keeps that fix's sidecar as `previous`.
    A file that cleaning leaves as it is gets no sidecar: there is nothing to restore.
    """
    if path.is_symlink():
        raise InPlaceError("a symbolic link; fix works on regular files only")
    data = path.read_bytes()
    earlier = _sidecar_beside(path)
    fixed_before = earlier is not None and earlier.output_sha256 == hashlib.sha256(data).hexdigest()
    site = None
    if earlier is not None and fixed_before:
        site = first_input_site(earlier, data.decode("utf-8", "replace"), ruleset)
        if earlier.record.options.title == "drop" and earlier.record.title is not None:
            options = replace(options, title="keep")  # the headline already went: the next line is not one to drop
    with time_limit(timeout):
        result = clean_bytes(data, ruleset, options=options, site=site)
    fixed = result.text.encode("utf-8")
    fresh = to_sidecar(result, recorded_path(str(path)))
    fired: Counter[str] = Counter(d.rule for d in result.record.dropped)
    if result.record.ftfy:
        fired["ftfy"] = len(result.record.ftfy)
    if fixed != data and not fired:
        fired["normalization"] = 1
    sidecar: str | None = None
    if fixed == data:
        pass  # nothing to do, and nothing to restore: a sidecar already there stays as it is
    elif earlier is None:
        sidecar = dumps(fresh)
    elif fixed_before:
        sidecar = dumps(compose(earlier, data.decode("utf-8"), fresh, result.text))
    else:  # edited since the earlier fix: that fix's sidecar is the way on to the first input
        sidecar = dumps(replace(fresh, previous=earlier))
    return FilePlan(path, data, fixed, fixed != data, sidecar, fired)


def apply_fix(plan: FilePlan) -> bool:
    """Write what the plan says; True if anything was written."""
    if plan.text_changes:
        write_atomic(plan.path, plan.text)
    if plan.sidecar is not None:
        write_atomic(sidecar_path(plan.path), plan.sidecar.encode("utf-8"))
    return plan.text_changes or plan.sidecar is not None


def restore_file(path: Path, to: Path | None = None) -> Path:
    """Rebuild the input of cleaned file `path` from its sidecar and write it; return where.

    Without `to`, the file is restored in place and its sidecar, which no longer
    describes it, is removed, or replaced by the earlier fix's sidecar it kept
    (`Sidecar.previous`: this fix's input was that fix's output, edited). Nothing
    is written unless the file is the text the sidecar describes and the rebuilt
    bytes match the sha256 it recorded.
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
    if to is None and sidecar.previous is not None:
        write_atomic(meta, dumps(sidecar.previous).encode("utf-8"))
    elif to is None:
        meta.unlink()
    return target
