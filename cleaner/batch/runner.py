"""Batch cleaning: find inputs, clean them in worker processes, write outputs atomically.

A thin shell over `clean_bytes`: everything about a document's text lives in
the core; this module only reads, writes, parallelizes and counts.
"""
from __future__ import annotations

import errno
import hashlib
import json
import multiprocessing
import os
import posixpath
import re
import sys
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from cleaner import __version__
from cleaner.core import DEFAULT_OPTIONS, clean_bytes
from cleaner.text.decode import DecodeError
from cleaner.batch.files import DEFAULT_MAX_BYTES, Staging, atomic_writer, content_sha256, read_input, remove_stale_temps
from cleaner.text.htmlpage import SUFFIXES as HTML_SUFFIXES
from cleaner.limits import DEFAULT_TIMEOUT, DocumentTimeout, time_limit
from cleaner.rulebook.load import Ruleset, load_ruleset
from cleaner.batch.shards import SCHEMA as SHARD_SCHEMA
from cleaner.batch.shards import SUFFIXES as SHARD_SUFFIXES
from cleaner.batch.shards import clean_shard
from cleaner.record.sidecar import SUFFIX, dumps, to_sidecar

MANIFEST = "manifest.jsonl"
EMPTY = "empty input: no text"
EMPTIED = "no text left: every line was chrome"
GROUP = 32  # documents whose outputs are synced to disk together
Options = dict[str, Any]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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

    options: Options = field(default_factory=dict)  # keyword options of clean_bytes: title, ftfy, guard
    langs: frozenset[str] | None = None  # --lang
    force: bool = False  # redo documents a rerun could reuse
    max_bytes: int | None = DEFAULT_MAX_BYTES  # larger inputs are refused
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per document


@dataclass
class FileReport:
    source: str
    status: str = "written"  # written, unchanged (reused from an earlier run), filtered, emptied, failed
    error: str | None = None
    dropped: Counter[str] = field(default_factory=Counter)
    lifted: Counter[str] = field(default_factory=Counter)  # kept lines an extract rule took a value from
    line: bytes = b""  # the manifest line, made in the worker
    site: str | None = None
    lang: str | None = None  # None for a shard or a failure: they count under no language
    bad_records: list[tuple[str, str]] = field(default_factory=list)  # (shard:line, reason)

    def record(self, entry: dict[str, Any]) -> None:
        """Keep what the run needs of the manifest entry: its line, and the document's site and language."""
        self.line = manifest_line(entry)
        self.site, self.lang = entry.get("site"), entry.get("lang")


@dataclass
class Summary:
    read: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)
    sites: Counter[str] = field(default_factory=Counter)
    langs: Counter[str] = field(default_factory=Counter)
    rules: list[str] = field(default_factory=list)  # every rule loaded, for those that never fired

    def add(self, report: FileReport) -> None:
        self.read += 1
        self.statuses[report.status] += 1
        if report.error is not None:
            self.failures.append((report.source, report.error))
        self.failures += report.bad_records
        self.dropped.update(report.dropped)
        self.hits.update(report.dropped)  # a rule's hits: the lines it dropped, and the kept lines it lifted from
        self.hits.update(report.lifted)
        if report.lang is not None:
            self.sites[report.site or "(none)"] += 1
            self.langs[report.lang] += 1

    def never_fired(self) -> list[str]:
        return [rule for rule in self.rules if not self.hits[rule]]

    def stats(self) -> dict[str, Any]:
        """The run's statistics, as `--stats FILE` writes them."""
        by_count = lambda c: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))  # noqa: E731
        return {"read": self.read, "statuses": dict(sorted(self.statuses.items())), "hits": by_count(self.hits),
                "dropped": by_count(self.dropped), "never_fired": self.never_fired(), "sites": by_count(self.sites),
                "langs": by_count(self.langs), "failures": [{"input": p, "reason": r} for p, r in self.failures]}


@dataclass
class Plan:
    """The jobs of a run, and the inputs refused before anything is written (with why)."""

    jobs: list[Job]
    refused: list[tuple[str, str]] = field(default_factory=list)


def shown(path: str) -> str:
    """A path as messages, sidecars and the manifest show it: bytes that are not UTF-8 and control
    characters escaped, so no file name can break a line of output or a terminal."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def expand(inputs: Sequence[str], globs: Sequence[str] = ("*.txt",)
           ) -> tuple[list[tuple[str, str, bool]], list[tuple[str, str]]]:
    """(file, path relative to its input, named directly) for every file named or found below a named
    directory; and the links found below directories, with why each is not followed.

    Symbolic links below a named directory are never followed (a link named
    directly is): a link can lead out of the tree, loop, or reach a file the
    walk cleans under its own name anyway. Names are matched against `globs`,
    in sorted order. Sidecars are never inputs. Raises UsageError for an input
    that does not exist. Strings, not Path objects: a run holds one entry per input.
    """
    found: list[tuple[str, str, bool]] = []
    links: list[tuple[str, str]] = []
    for name in inputs:
        if os.path.isdir(name):
            root = os.path.realpath(name)
            here: list[str] = []
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
                            links.append((entry.path, _link_reason(entry.path, root)))
                    elif entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, rel))
                    elif wanted and entry.is_file(follow_symlinks=False):
                        here.append(rel)
            found += [(posixpath.join(name, rel) if name != "." else rel, rel, False) for rel in sorted(here)]
        elif os.path.isfile(name):
            found.append((name, os.path.basename(name), True))
        else:
            raise UsageError(f"{shown(name)}: no such file or directory")
    return found, sorted(links)


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
    if not _inside(target, root):
        return "a symbolic link out of the input tree: not followed"
    if os.path.isdir(path) and _inside(os.path.realpath(os.path.dirname(path)), target):
        return "a symbolic link loop: not followed"
    return "a symbolic link: not followed (links below an input directory never are; name it to clean it)"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def plan(inputs: Sequence[str], outdir: str, globs: Sequence[str] = ("*.txt",), format: str = "auto") -> Plan:
    """Map every input file to its outputs, mirroring each input directory's tree under `outdir`.

    Inputs that cannot be cleaned safely are refused here, before anything is
    written: links below directories, and inputs that would write the same
    output (`a.txt` and `a.html`: neither is cleaned). Raises UsageError for a
    missing input, or an output directory inside an input directory (or the reverse).
    """
    out_root = Path(outdir)
    out_resolved = out_root.resolve()
    for name in inputs:
        root = Path(name).resolve()
        if Path(name).is_dir() and (out_resolved == root or root in out_resolved.parents or out_resolved in root.parents):
            raise UsageError(f"{shown(name)}: the output directory {outdir} must lie outside the input tree")
    found, links = expand(inputs, globs)
    refused = [(shown(path), reason) for path, reason in links]
    claimed: dict[str, str] = {}  # output -> the first input that maps to it
    clashes: dict[str, list[str]] = {}  # output -> every input that maps to it, where more than one does
    mapped: list[tuple[str, str, str, bool]] = []
    for source, rel, named in found:
        shard = source.endswith(SHARD_SUFFIXES)
        out_rel = rel if shard else output_name(rel)
        meta_rel = (out_rel.split(".jsonl")[0] if shard else out_rel.rsplit(".", 1)[0]) + SUFFIX
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
            refused.append((shown(source), f"it and {others} would both be written to {shown(str(out_root / clash))}; "
                                           "neither is cleaned"))
            continue
        if out_rel == MANIFEST:
            refused.append((shown(source), f"its output would be the run's {MANIFEST}"))
            continue
        kind = "jsonl" if shard else format if format != "auto" else format_of(source)
        jobs.append(Job(source, out_rel, meta_rel, kind, outdir, shown(source)))
    return Plan(jobs, sorted(set(refused)))


def output_name(rel: str) -> str:
    """`a/x.html.gz` -> `a/x.txt`: compression and format suffixes give way to .txt."""
    if rel.endswith(".gz"):
        rel = rel[:-3]
    folder, name = posixpath.split(rel)
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return posixpath.join(folder, stem + ".txt")


def format_of(path: str) -> str:
    """html for an .html/.htm/.xhtml name (gzipped or not), else auto: decided from the content."""
    name = path[:-3] if path.endswith(".gz") else path
    return "html" if name.lower().endswith(HTML_SUFFIXES) else "auto"


def clean_file(job: Job, ruleset: Ruleset, settings: Settings, staging: Staging | None = None) -> FileReport:
    """Clean one file (a document or a JSONL shard) and stage its outputs; any failure becomes a one-line reason.

    Outputs go to `staging`, which the caller publishes; without one they
    are published here. Unless settings.force, an input whose sidecar shows
    the same input bytes, cleaner version, options and effective rules is left as it is.
    """
    report = FileReport(job.label)
    own = staging is None
    staging = staging or Staging()
    mark = staging.mark()
    try:
        _check_confined(job)
        (_clean_shard_file if job.format == "jsonl" else _clean_document)(job, ruleset, settings, report, staging)
        if own:
            staging.publish()
    except (DecodeError, DocumentTimeout, UnsafeOutput) as exc:
        report.error = str(exc)
    except OSError as exc:
        report.error = f"{exc.strerror or exc} ({shown(str(exc.filename or job.source))})"
    except RecursionError:
        report.error = "internal error: recursion too deep"
    except Exception as exc:  # a bug must not stop the other files; say what it was
        report.error = f"internal error: {type(exc).__name__}: {exc}"
    finally:
        if own or report.error is not None:
            staging.discard(mark)
    if report.error is not None:
        _fail(report, report.error)
    return report


def _fail(report: FileReport, reason: str) -> None:
    report.status, report.error = "failed", reason
    report.record({"input": report.source, "status": "failed", "error": reason})


def clean_group(jobs: Sequence[Job], ruleset: Ruleset, settings: Settings) -> list[FileReport]:
    """Clean consecutive jobs and publish their outputs together: one sync to disk for the group."""
    staging = Staging()
    try:
        reports = [clean_file(job, ruleset, settings, staging) for job in jobs]
        try:
            staging.publish()
        except OSError as exc:
            for report in reports:
                if report.error is None:
                    _fail(report, f"not written: {exc.strerror or exc}")
        return reports
    finally:
        staging.discard()  # nothing is left to discard unless an interruption cut the group short


class UnsafeOutput(ValueError):
    """An output that would land outside OUTDIR (through a link in the output tree)."""


_confined: set[tuple[str, str]] = set()


def _check_confined(job: Job) -> None:
    """Refuse to write where a link inside OUTDIR would take the output out of it."""
    folder = posixpath.dirname(job.out_rel)
    if (job.root, folder) in _confined:
        return
    root = os.path.realpath(job.root)
    if not _inside(os.path.realpath(os.path.join(job.root, folder)), root):
        raise UnsafeOutput(f"its output folder {shown(os.path.join(job.root, folder))} leads out of the output "
                           "directory (a symbolic link): nothing written")
    _confined.add((job.root, folder))


def _clean_document(job: Job, ruleset: Ruleset, settings: Settings, report: FileReport, staging: Staging) -> None:
    """A text or HTML document: its text and sidecar. A document with no text left, or detected in a
    language --lang did not ask for, gets only its sidecar, which says why."""
    data, compression = read_input(job.source, settings.max_bytes)
    sidecar = None if settings.force else _reusable(job, data, compression, ruleset, settings)
    if sidecar is not None:
        report.status = "unchanged"
    else:
        with time_limit(settings.timeout):
            result = clean_bytes(data, ruleset, format=job.format, **settings.options)
        withheld = _withheld(result.record.lang, not result.text, bool(result.record.dropped), settings.langs)
        sidecar = to_sidecar(result, job.label, compression=compression, filtered=withheld)
        if withheld:
            staging.remove(job.text_out)  # an earlier run's output no longer belongs here
        else:
            staging.write(job.text_out, result.text.encode("utf-8"))
        staging.write(job.meta_out, dumps(sidecar).encode("utf-8"))  # last: a sidecar means its text is complete
        report.status = _status(sidecar)
    report.dropped.update(d["rule"] for d in sidecar["dropped"])
    report.lifted.update(e["rule"] for e in sidecar["extracted"] if e["kept"])
    report.record(_manifest_entry(job, sidecar, report.status))


def _status(sidecar: dict[str, Any]) -> str:
    withheld = sidecar["filtered"]
    return "written" if withheld is None else "emptied" if withheld in (EMPTY, EMPTIED) else "filtered"


def _clean_shard_file(job: Job, ruleset: Ruleset, settings: Settings, report: FileReport, staging: Staging) -> None:
    """A JSONL shard: records cleaned into a shard of the same name (streamed, written on its own), a
    summary sidecar beside it."""
    summary = None if settings.force else _reusable_shard(job, ruleset, settings)
    if summary is None:
        _, summary = clean_shard(job.source, job.text_out, ruleset, settings.options, settings.langs, job.label,
                                 max_bytes=settings.max_bytes, timeout=settings.timeout)
        staging.write(job.meta_out, dumps(summary).encode("utf-8"))
    else:
        report.status = "unchanged"
    report.dropped.update(summary["dropped"])
    report.bad_records = [(f"{job.label}:{b['line']}", b["reason"]) for b in summary["bad"]]
    report.record({
        "input": job.label, "output": shown(job.out_rel), "sidecar": shown(job.meta_rel), "status": "written",
        "fresh": report.status != "unchanged", "format": "jsonl", "input_sha256": summary["source"]["sha256"],
        "output_sha256": summary["output"]["sha256"],
        **{k: summary[k] for k in ("records", "written", "emptied", "filtered")}, "bad": len(summary["bad"]),
    })


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


def _withheld(lang: str, empty: bool, dropped: bool, langs: frozenset[str] | None) -> str | None:
    """Why a document's text is not written, or None: no text in it, none left (`empty`, after rules
    `dropped` lines), or not in a language --lang asked for."""
    if empty:
        return EMPTIED if dropped else EMPTY
    return None if langs is None or lang in langs else f"language {lang} not in {', '.join(sorted(langs))}"


def _reusable(job: Job, data: bytes, compression: str | None, ruleset: Ruleset,
              settings: Settings) -> dict[str, Any] | None:
    """The sidecar an earlier run wrote for this job, if its output stands as this run would write it."""
    try:
        earlier = json.loads(job.meta_out.read_bytes())
        source = earlier["source"]
        same = (
            earlier["cleaner"] == __version__
            and earlier["options"] == {**DEFAULT_OPTIONS, **settings.options}
            and source["path"] == job.label
            and source["sha256"] == hashlib.sha256(data).hexdigest()
            and source["compression"] == compression
            and job.format in ("auto", source["format"])
            and earlier["rules"] == ruleset.effective_digest(earlier["site"])
            and earlier["filtered"] == _withheld(earlier["lang"]["code"], not earlier["output"]["chars"],
                                                 bool(earlier["dropped"]), settings.langs)
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
        "output": shown(job.out_rel) if written else None,
        "sidecar": shown(job.meta_rel),
        "status": _status(sidecar),
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


def _work(jobs: Sequence[Job]) -> list[FileReport]:
    assert _worker is not None
    return clean_group(jobs, *_worker)


def failed_reports(failures: Sequence[tuple[str, str]]) -> list[FileReport]:
    """Reports for inputs that failed outside a worker: (input, reason) each."""
    reports = [FileReport(path) for path, _ in failures]
    for report, (_, reason) in zip(reports, failures):
        _fail(report, reason)
    return reports


def prepare_output(jobs: Sequence[Job]) -> None:
    """Remove what killed runs left in the output folders: temporary files of processes no longer running."""
    folders = {os.path.join(job.root, posixpath.dirname(job.out_rel)) for job in jobs}
    remove_stale_temps(Path(f) for f in sorted(folders | {job.root for job in jobs}))


def run(
    jobs: Sequence[Job],
    rule_dirs: Sequence[str] = (),
    settings: Settings | None = None,
    *,
    processes: int = 1,
    manifest: Path | None = None,
    on_report: Callable[[FileReport], None] | None = None,
    refused: Sequence[tuple[str, str]] = (),
) -> Summary:
    """Clean every job; with processes > 1 in a pool whose workers each load the rules once.

    The rules are loaded here first, so a rule-file error (RuleError) is raised
    before anything is written. With `manifest`, the run's manifest is written
    there, a line per refused input and per job in job order; it appears whole
    when the run ends.
    """
    ruleset = load_ruleset(rule_dirs)
    settings = settings or Settings()
    summary = Summary(rules=[rule.id for rule in ruleset.all_rules()])
    prepare_output(jobs)
    processes = max(1, min(processes, len(jobs)))
    with (atomic_writer(manifest) if manifest is not None else nullcontext()) as lines:
        def take(report: FileReport) -> None:
            summary.add(report)
            if lines is not None:
                lines.write(report.line)
            if on_report:
                on_report(report)

        for report in failed_reports(refused):
            take(report)
        if processes == 1:
            for group in _groups(jobs, GROUP):
                for report in clean_group(group, ruleset, settings):
                    take(report)
            return summary
        # Workers start from a fresh interpreter, not a copy of this process: its job
        # list would otherwise count again in every worker as the corpus grows.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        with multiprocessing.get_context(method).Pool(processes, _init_worker, (list(rule_dirs), settings)) as pool:
            size = max(1, min(GROUP, len(jobs) // (processes * 8)))
            # In job order, so the manifest streams out in input order: nothing is collected.
            for reports in pool.imap(_work, _groups(jobs, size)):
                for report in reports:
                    take(report)
    return summary


def _groups(jobs: Sequence[Job], size: int) -> Iterator[Sequence[Job]]:
    return (jobs[i:i + size] for i in range(0, len(jobs), size))


def default_processes() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def progress_enabled(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()
