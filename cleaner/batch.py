"""Batch cleaning: find inputs, clean them in worker processes, write outputs atomically.

A thin shell over `clean_bytes`: everything about a document's text lives in
the core; this module only reads, writes, parallelizes and counts.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import posixpath
import sys
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Callable, Sequence

from . import __version__
from .core import clean_bytes
from .decode import DecodeError
from .files import atomic_writer, content_sha256, read_input, write_atomic
from .html import SUFFIXES as HTML_SUFFIXES
from .rules import Ruleset, load_ruleset
from .shards import SCHEMA as SHARD_SCHEMA
from .shards import SUFFIXES as SHARD_SUFFIXES
from .shards import clean_shard
from .sidecar import SUFFIX, dumps, to_sidecar

MANIFEST = "manifest.jsonl"
Options = dict[str, Any]


class UsageError(ValueError):
    """A problem with the command line itself; nothing has been written."""


@dataclass(frozen=True, slots=True)
class Job:
    """One input and where its outputs go. Plain strings: a run holds one per input."""

    src: str  # the input, as read
    out_rel: str  # the text output, relative to root (POSIX)
    meta_rel: str  # the sidecar, relative to root
    format: str  # text, html, jsonl, or auto: decided from the content
    root: str  # OUTDIR
    label: str  # the input path as given: what sidecars and the manifest say

    @property
    def source(self) -> Path:
        return Path(self.src)

    @property
    def out_root(self) -> Path:
        return Path(self.root)

    @property
    def text_out(self) -> Path:
        return Path(self.root, self.out_rel)

    @property
    def meta_out(self) -> Path:
        return Path(self.root, self.meta_rel)

    def absolute(self) -> "Job":
        """The same job with absolute paths, for workers whose working directory differs."""
        return replace(self, src=str(self.source.resolve()), root=str(self.out_root.resolve()))


@dataclass(frozen=True)
class Settings:
    """What shapes every output of a run besides the rules."""

    options: Options = field(default_factory=dict)  # keyword options of clean_bytes: title, ftfy
    langs: frozenset[str] | None = None  # --lang
    force: bool = False  # redo documents a rerun could reuse


@dataclass
class FileReport:
    source: str
    status: str = "written"  # written, unchanged (reused from an earlier run), filtered, failed
    error: str | None = None
    dropped: Counter[str] = field(default_factory=Counter)
    entry: dict[str, Any] = field(default_factory=dict)  # the manifest line
    bad_records: list[tuple[str, str]] = field(default_factory=list)  # (shard:line, reason)


@dataclass
class Summary:
    read: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)

    def add(self, report: FileReport) -> None:
        self.read += 1
        self.statuses[report.status] += 1
        if report.error is not None:
            self.failures.append((report.source, report.error))
        self.failures += report.bad_records
        self.dropped.update(report.dropped)


def expand(inputs: Sequence[str], globs: Sequence[str] = ("*.txt",)) -> list[tuple[str, str, bool]]:
    """(file, path relative to its input, named directly) for every file named or found below a named directory.

    Directories are walked without following links to other directories,
    names matched against `globs`, in sorted order. Sidecars are never inputs.
    Raises UsageError for an input that does not exist. Strings, not Path
    objects: a run holds one entry per input.
    """
    found: list[tuple[str, str, bool]] = []
    for name in inputs:
        if os.path.isdir(name):
            here: list[str] = []
            for folder, dirs, files in os.walk(name):
                dirs.sort()
                rel_folder = os.path.relpath(folder, name)
                for file in files:
                    if any(fnmatchcase(file, g) for g in globs) and not file.endswith(SUFFIX):
                        rel = file if rel_folder == "." else posixpath.join(rel_folder, file)
                        if os.path.isfile(os.path.join(folder, file)):
                            here.append(rel)
            found += [(posixpath.join(name, rel) if name != "." else rel, rel, False) for rel in sorted(here)]
        elif os.path.isfile(name):
            found.append((name, os.path.basename(name), True))
        else:
            raise UsageError(f"{name}: no such file or directory")
    return found


def plan(inputs: Sequence[str], outdir: str, globs: Sequence[str] = ("*.txt",), format: str = "auto") -> list[Job]:
    """Map every input file to its outputs, mirroring each input directory's tree under `outdir`.

    Raises UsageError for a missing input, an output directory inside an input
    directory (or the reverse), or two inputs that would write the same output.
    """
    out_root = Path(outdir)
    out_resolved = out_root.resolve()
    for name in inputs:
        root = Path(name).resolve()
        if Path(name).is_dir() and (out_resolved == root or root in out_resolved.parents or out_resolved in root.parents):
            raise UsageError(f"{name}: the output directory {outdir} must lie outside the input tree")
    jobs: list[Job] = []
    claimed: dict[str, str] = {}
    for source, rel, named in expand(inputs, globs):
        shard = source.endswith(SHARD_SUFFIXES)
        out_rel = rel if shard else output_name(rel)
        meta_rel = (out_rel.split(".jsonl")[0] if shard else out_rel.rsplit(".", 1)[0]) + SUFFIX
        for out in (out_rel, meta_rel):
            if out in claimed:
                raise UsageError(f"{source} and {claimed[out]} would both be written to {out_root / out}")
            claimed[out] = source
        if named and (out_root / out_rel).resolve() == Path(source).resolve():
            raise UsageError(f"{source}: would be overwritten by its own output")
        if out_rel == MANIFEST:
            raise UsageError(f"{source}: its output would be the run's {MANIFEST}")
        kind = "jsonl" if shard else format if format != "auto" else _format_of(source)
        jobs.append(Job(source, out_rel, meta_rel, kind, outdir, source))
    return jobs


def output_name(rel: str) -> str:
    """`a/x.html.gz` -> `a/x.txt`: compression and format suffixes give way to .txt."""
    if rel.endswith(".gz"):
        rel = rel[:-3]
    folder, name = posixpath.split(rel)
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return posixpath.join(folder, stem + ".txt")


def _format_of(path: str) -> str:
    name = path[:-3] if path.endswith(".gz") else path
    return "html" if name.lower().endswith(HTML_SUFFIXES) else "auto"


def clean_file(job: Job, ruleset: Ruleset, settings: Settings) -> FileReport:
    """Clean one file (a document or a JSONL shard) and write its outputs; any failure becomes a one-line reason.

    Unless settings.force, an input whose sidecar shows the same input bytes,
    cleaner version, options and effective rules is left as it is.
    """
    report = FileReport(job.label)
    try:
        (_clean_shard_file if job.format == "jsonl" else _clean_document)(job, ruleset, settings, report)
    except DecodeError as exc:
        report.error = str(exc)
    except OSError as exc:
        report.error = f"{exc.strerror or exc} ({exc.filename or job.source})"
    except RecursionError:
        report.error = "internal error: recursion too deep"
    except Exception as exc:  # a bug must not stop the other files; say what it was
        report.error = f"internal error: {type(exc).__name__}: {exc}"
    if report.error is not None:
        report.status = "failed"
        report.entry = {"input": job.label, "status": "failed", "error": report.error}
    return report


def _clean_document(job: Job, ruleset: Ruleset, settings: Settings, report: FileReport) -> None:
    """A text or HTML document: its text and sidecar. With settings.langs, a document detected
    in another language gets only its sidecar, which says why, and no text."""
    data, compression = read_input(job.source)
    sidecar = None if settings.force else _reusable(job, data, compression, ruleset, settings)
    if sidecar is not None:
        report.status = "unchanged"
    else:
        result = clean_bytes(data, ruleset, format=job.format, **settings.options)
        filtered = _filter_reason(result.record.lang, settings.langs)
        sidecar = to_sidecar(result, job.label, compression=compression, filtered=filtered)
        if filtered:
            job.text_out.unlink(missing_ok=True)  # an earlier run's output no longer belongs here
        else:
            write_atomic(job.text_out, result.text.encode("utf-8"), sync=False)
        # Last: a sidecar means its text is complete.
        write_atomic(job.meta_out, dumps(sidecar).encode("utf-8"), sync=False)
        report.status = "filtered" if filtered else "written"
    report.dropped.update(d["rule"] for d in sidecar["dropped"])
    report.entry = _manifest_entry(job, sidecar, report.status)


def _clean_shard_file(job: Job, ruleset: Ruleset, settings: Settings, report: FileReport) -> None:
    """A JSONL shard: records cleaned into a shard of the same name, a summary sidecar beside it."""
    summary = None if settings.force else _reusable_shard(job, ruleset, settings)
    if summary is None:
        _, summary = clean_shard(job.source, job.text_out, ruleset, settings.options, settings.langs, job.label)
        write_atomic(job.meta_out, dumps(summary).encode("utf-8"))
    else:
        report.status = "unchanged"
    report.dropped.update(summary["dropped"])
    report.bad_records = [(f"{job.label}:{b['line']}", b["reason"]) for b in summary["bad"]]
    report.entry = {
        "input": job.label, "output": job.out_rel, "sidecar": job.meta_rel, "status": "written",
        "fresh": report.status != "unchanged", "format": "jsonl", "input_sha256": summary["source"]["sha256"],
        "output_sha256": summary["output"]["sha256"],
        **{k: summary[k] for k in ("records", "written", "emptied", "filtered")}, "bad": len(summary["bad"]),
    }


def _reusable_shard(job: Job, ruleset: Ruleset, settings: Settings) -> dict[str, Any] | None:
    """A shard's earlier summary, if the input, version, options, rules and output are as this run would have them."""
    try:
        earlier = json.loads(job.meta_out.read_bytes())
        if (earlier["schema"], earlier["cleaner"], earlier["options"], earlier["ruleset"]) != \
                (SHARD_SCHEMA, __version__, settings.options, ruleset.digest):
            return None
        same = (earlier["source"]["sha256"] == content_sha256(job.source)
                and earlier["source"]["path"] == job.label
                and earlier.get("langs") == (sorted(settings.langs) if settings.langs else None)
                and hashlib.sha256(job.text_out.read_bytes()).hexdigest() == earlier["output"]["sha256"])
    except (OSError, ValueError, KeyError, TypeError, DecodeError):
        return None
    return earlier if same else None


def _filter_reason(lang: str, langs: frozenset[str] | None) -> str | None:
    return None if langs is None or lang in langs else f"language {lang} not in {', '.join(sorted(langs))}"


def _reusable(job: Job, data: bytes, compression: str | None, ruleset: Ruleset,
              settings: Settings) -> dict[str, Any] | None:
    """The sidecar an earlier run wrote for this job, if its output stands as this run would write it."""
    try:
        earlier = json.loads(job.meta_out.read_bytes())
        source = earlier["source"]
        same = (
            earlier["cleaner"] == __version__
            and earlier["options"] == settings.options
            and source["path"] == job.label
            and source["sha256"] == hashlib.sha256(data).hexdigest()
            and source["compression"] == compression
            and job.format in ("auto", source["format"])
            and earlier["rules"] == ruleset.effective_digest(earlier["site"])
            and earlier["filtered"] == _filter_reason(earlier["lang"]["code"], settings.langs)
        )
        if same and earlier["filtered"] is None:
            same = hashlib.sha256(job.text_out.read_bytes()).hexdigest() == earlier["output"]["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return earlier if same else None


def _manifest_entry(job: Job, sidecar: dict[str, Any], status: str) -> dict[str, Any]:
    written = sidecar["filtered"] is None
    return {
        "input": job.label,
        "output": job.out_rel if written else None,
        "sidecar": job.meta_rel,
        "status": "filtered" if not written else "written",
        "fresh": status != "unchanged",
        "input_sha256": sidecar["source"]["sha256"],
        "output_sha256": sidecar["output"]["sha256"] if written else None,
        "format": sidecar["source"]["format"],
        "lang": sidecar["lang"]["code"],
        "site": sidecar["site"],
        "chars": sidecar["output"]["chars"],
        "words": sidecar["output"]["words"],
        "paragraphs": sidecar["output"]["paragraphs"],
        "dropped": len(sidecar["dropped"]),
        "filtered": sidecar["filtered"],
    }


def manifest_line(entry: dict[str, Any]) -> bytes:
    """One line of OUTDIR/manifest.jsonl."""
    return (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


_worker: tuple[Ruleset, Settings] | None = None


def _init_worker(rule_dirs: Sequence[str], settings: Settings) -> None:
    global _worker
    _worker = (load_ruleset(rule_dirs), settings)


def _work(job: Job) -> FileReport:
    assert _worker is not None
    return clean_file(job, *_worker)


def run(
    jobs: Sequence[Job],
    rule_dirs: Sequence[str] = (),
    settings: Settings | None = None,
    *,
    processes: int = 1,
    manifest: Path | None = None,
    on_report: Callable[[FileReport], None] | None = None,
) -> Summary:
    """Clean every job; with processes > 1 in a pool whose workers each load the rules once.

    The rules are loaded here first, so a rule-file error (RuleError) is raised
    before anything is written. With `manifest`, the run's manifest is written
    there, a line per job in job order; it appears whole when the run ends.
    """
    ruleset = load_ruleset(rule_dirs)
    settings = settings or Settings()
    summary = Summary()
    processes = max(1, min(processes, len(jobs)))
    with (atomic_writer(manifest) if manifest is not None else nullcontext()) as lines:
        def take(report: FileReport) -> None:
            summary.add(report)
            if lines is not None:
                lines.write(manifest_line(report.entry))
            if on_report:
                on_report(report)

        if processes == 1:
            for job in jobs:
                take(clean_file(job, ruleset, settings))
            return summary
        # Workers start from a fresh interpreter, not a copy of this process: its job
        # list would otherwise count again in every worker as the corpus grows.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        with multiprocessing.get_context(method).Pool(processes, _init_worker, (list(rule_dirs), settings)) as pool:
            chunk = max(1, min(32, len(jobs) // (processes * 8)))
            # In job order, so the manifest streams out in input order: nothing is collected.
            for report in pool.imap(_work, jobs, chunksize=chunk):
                take(report)
    return summary


def default_processes() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def progress_enabled(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()
