"""Planning a run: each input's outputs, mirroring each input directory's tree under OUTDIR.

Inputs that cannot be cleaned safely are refused here, before anything is
written: links and special files below directories, and inputs that would
write the same output (`a.txt` and `a.html`: neither is cleaned).
"""
from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cleaner.batch.inputs import expand, recorded_path
from cleaner.batch.manifest import MANIFEST
from cleaner.batch.records_in import kind_of, stem_of
from cleaner.batch.records_out import output_suffix
from cleaner.display import shown
from cleaner.errors import UsageError
from cleaner.record.sidecar import SUFFIX
from cleaner.text.htmlpage import format_of


@dataclass(frozen=True, slots=True)
class Job:
    """One input and where its outputs go. Plain strings: a run holds one per input."""

    src: str  # the input, as read
    out_rel: str  # the text output, relative to root (POSIX)
    meta_rel: str  # the sidecar, relative to root
    format: str  # text, html, auto (decided from the content); or a shard's kind: jsonl, parquet, warc
    root: str  # OUTDIR
    given: str  # the input path as given: what the manifest says (workers may read `src` made absolute)

    @property
    def label(self) -> str:
        """The input path as given, shown as messages and sidecars show it."""
        return shown(self.given)

    @property
    def source(self) -> Path:
        return Path(self.src)

    @property
    def text_out(self) -> Path:
        return Path(self.root, self.out_rel)

    @property
    def meta_out(self) -> Path:
        return Path(self.root, self.meta_rel)

    def absolute(self) -> Job:
        """The same job with absolute paths, for workers whose working directory differs."""
        return replace(self, src=str(self.source.resolve()), root=str(Path(self.root).resolve()))


@dataclass
class RunPlan:
    """The jobs of a run, and the inputs refused before anything is written (with why)."""

    jobs: list[Job]
    refused: list[tuple[str, str]] = field(default_factory=list)  # (input as found, reason)


def plan(inputs: Sequence[str], outdir: str, globs: Sequence[str] = ("*.txt",), format: str = "auto",
         output_format: str | None = None) -> RunPlan:
    """Map every input file to its outputs. Raises UsageError for a missing input, or an output
    directory inside an input directory (or the reverse)."""
    out_root = Path(outdir)
    out_resolved = out_root.resolve()
    for name in inputs:
        root = Path(name).resolve()
        if Path(name).is_dir() and (out_resolved == root or root in out_resolved.parents or out_resolved in root.parents):
            raise UsageError(f"{shown(name)}: the output directory {outdir} must lie outside the input tree")
    found, passed_over = expand(inputs, globs)
    refused = list(passed_over)
    claimed: dict[str, str] = {}  # output -> the first input that maps to it
    clashes: dict[str, list[str]] = {}  # output -> every input that maps to it, where more than one does
    mapped: list[tuple[str, str, str, str | None]] = []
    for source, rel, named in found:
        shard = kind_of(source)
        out_rel = stem_of(rel) + output_suffix(shard, output_format, rel) if shard else output_name(rel)
        meta_rel = (stem_of(out_rel) if shard else out_rel.rsplit(".", 1)[0]) + SUFFIX
        if named and (out_root / out_rel).resolve() == Path(source).resolve():
            raise UsageError(f"{shown(source)}: would be overwritten by its own output")
        for out in (out_rel, meta_rel):
            if out in claimed:
                clashes.setdefault(out, [claimed[out]]).append(source)
            else:
                claimed[out] = source
        mapped.append((source, out_rel, meta_rel, shard))
    jobs: list[Job] = []
    for source, out_rel, meta_rel, shard in mapped:
        clash = next((out for out in (out_rel, meta_rel) if out in clashes), None)
        if clash is not None:
            others = ", ".join(shown(s) for s in clashes[clash] if s != source)
            refused.append((source, f"it and {others} would both be written to {shown(str(out_root / clash))}; "
                                           "neither is cleaned"))
            continue
        if out_rel == MANIFEST:
            refused.append((source, f"its output would be the run's {MANIFEST}"))
            continue
        kind = shard or (format if format != "auto" else format_of(source))
        jobs.append(Job(source, out_rel, meta_rel, kind, outdir, recorded_path(source)))
    return RunPlan(jobs, sorted(set(refused)))


def output_name(rel: str) -> str:
    """`a/x.html.gz` -> `a/x.txt`: compression and format suffixes give way to .txt."""
    if rel.endswith(".gz"):
        rel = rel[:-3]
    folder, name = posixpath.split(rel)
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return posixpath.join(folder, stem + ".txt")
