"""The record as JSON: the `x.meta.json` written beside each `x.txt`, and its typed reading.

The schema is versioned and shipped as cleaner/record/sidecar-1.schema.json.
This module is the one place that knows the sidecar's keys: `Sidecar.to_json`
writes them and `Sidecar.from_json` reads them back into the record they came from.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError
from cleaner.options import Options
from cleaner.record.model import Dropped, Extracted, Guard, Record, Repair, Result, Source

SCHEMA = "corpus-cleaner/sidecar/1"
SUFFIX = ".meta.json"
_FOUND = ("published", "section", "author")


class SidecarError(CleanerError):
    """A sidecar that does not read as one: names what is missing or wrong."""


def sidecar_path(text_path: Path) -> Path:
    """`a/b.txt` -> `a/b.meta.json`."""
    return text_path.with_name(text_path.with_suffix("").name + SUFFIX)


@dataclass(frozen=True)
class Sidecar:
    """A document's record with what only a written document has: where it was read from (`path`,
    gunzipped first if `compression` is "gzip"), why no text was written (`filtered`, or None) and
    the sha256 of the text that was.

    `previous`: the sidecar an earlier `fix` wrote, when this one's input was that fix's output as a
    person then edited it. Restoring this record gives back the edited file; `previous` then leads
    from there, once the edit is undone, to the first input (see RELIABILITY.md, "Nothing lost")."""

    path: str
    compression: str | None
    filtered: str | None
    output_sha256: str
    record: Record
    previous: Sidecar | None = None

    def to_json(self) -> dict[str, Any]:
        r = self.record
        source: dict[str, Any] = {"path": self.path}
        if r.source is not None:
            source.update(sha256=r.source.sha256, bytes=r.source.bytes, encoding=r.source.encoding,
                          bom=r.source.bom, format=r.source.format)
        return {
            "schema": SCHEMA,
            "cleaner": r.cleaner,
            "ruleset": r.ruleset,
            "rules": r.rules,
            "source": {**source, "compression": self.compression},
            "filtered": self.filtered,
            "output": {"sha256": self.output_sha256, **r.counts},
            "site": r.site,
            "title": r.title,
            **{name: r.fields.get(name) for name in _FOUND},
            "captions": r.captions,
            "lang": {"code": r.lang, "prob": r.lang_prob},
            "html": r.page_meta,
            "options": r.options.as_record(),
            "repairs": {"ftfy": [{"line": f.line, "fixes": list(f.fixes)} for f in r.ftfy], "normalize": r.normalized},
            "guard": None if r.guard is None else {"limit": r.guard.limit, "share": r.guard.share,
                                                   "lines": r.guard.lines, "rules": r.guard.rules},
            "dropped": [
                {"line": d.line, "rule": d.rule, "text": d.text, **({"raw": d.raw} if d.raw is not None else {}),
                 **({"score": d.score} if d.score is not None else {})}
                for d in r.dropped
            ],
            "extracted": [
                {"line": e.line, "field": e.field, "value": e.value, "rule": e.rule, "kept": e.kept}
                for e in r.extracted
            ],
            "layout": {
                "lines": r.lines,
                "newline": r.newline,
                "newline_exceptions": r.newline_exceptions,
                "paragraph_lines": r.paragraph_lines,
                "raw_lines": r.raw_lines,
            },
            **({"previous": self.previous.to_json()} if self.previous is not None else {}),
        }

    @classmethod
    def from_json(cls, data: Any) -> Sidecar:
        """The sidecar a JSON object states; SidecarError names what is missing or of the wrong kind."""
        try:
            if data["schema"] != SCHEMA:
                raise SidecarError(f"not a corpus-cleaner sidecar ({data['schema']!r})")
            source, output, layout = data["source"], data["output"], data["layout"]
            guard = data["guard"]
            record = Record(
                site=data["site"], lang=data["lang"]["code"], lang_prob=data["lang"]["prob"], title=data["title"],
                fields={name: data[name] for name in _FOUND}, captions=list(data["captions"]),
                options=Options.from_record(data["options"]),
                dropped=[Dropped(d["line"], d["rule"], d["text"], d.get("raw"), d.get("score")) for d in data["dropped"]],
                extracted=[Extracted(e["line"], e["field"], e["value"], e["rule"], e["kept"]) for e in data["extracted"]],
                ftfy=[Repair(f["line"], tuple(f["fixes"])) for f in data["repairs"]["ftfy"]],
                normalized=dict(data["repairs"]["normalize"]), lines=layout["lines"], newline=layout["newline"],
                newline_exceptions=[(int(n), str(name)) for n, name in layout["newline_exceptions"]],
                paragraph_lines=list(layout["paragraph_lines"]),
                raw_lines=[(int(n), str(raw)) for n, raw in layout["raw_lines"]],
                counts={k: output[k] for k in ("chars", "words", "paragraphs")},
                ruleset=data["ruleset"], rules=data["rules"],
                guard=None if guard is None else Guard(guard["limit"], guard["share"], guard["lines"], guard["rules"]),
                cleaner=data["cleaner"],
                source=Source(source["sha256"], source["bytes"], source["encoding"], source["bom"], source["format"])
                if "sha256" in source else None,
                page_meta=data["html"],
            )
            previous = cls.from_json(data["previous"]) if data.get("previous") is not None else None
            return cls(source["path"], source["compression"], data["filtered"], output["sha256"], record, previous)
        except SidecarError:
            raise
        except KeyError as exc:
            raise SidecarError(f"the sidecar lacks {exc}") from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise SidecarError(f"the sidecar does not read as one ({exc})") from None

    @classmethod
    def read(cls, path: Path) -> Sidecar:
        """The sidecar in file `path`; OSError if it cannot be read, SidecarError if it is not one."""
        try:
            data = json.loads(path.read_bytes())
        except ValueError as exc:
            raise SidecarError(f"not valid JSON ({exc})") from None
        return cls.from_json(data)


def to_sidecar(result: Result, path: str, *, compression: str | None = None, filtered: str | None = None) -> Sidecar:
    """The sidecar for `result`, whose input was read from `path`; `filtered` says why its text was not written."""
    return Sidecar(path, compression, filtered, hashlib.sha256(result.text.encode("utf-8")).hexdigest(), result.record)


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # no indent: the C encoder, 10x faster


def dumps(sidecar: Sidecar | dict[str, Any]) -> str:
    """Stable bytes: fixed key order, UTF-8, one trailing newline.

    A line per top-level field and per item of a list field (a dropped line,
    a repair), so a sidecar reads and diffs line by line.
    """
    fields = []
    for key, value in (sidecar.to_json() if isinstance(sidecar, Sidecar) else sidecar).items():
        name = _ENCODER.encode(key)
        if isinstance(value, list) and value:
            items = ",\n  ".join(map(_ENCODER.encode, value))
            fields.append(f"{name}: [\n  {items}\n ]")
        else:
            fields.append(f"{name}: {_ENCODER.encode(value)}")
    return escape_surrogates("{\n " + ",\n ".join(fields) + "\n}\n")


_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_surrogates(json_text: str) -> str:
    """JSON text that encodes as UTF-8: lone surrogates (the bytes of broken UTF-8 input, kept for
    restore) written as \\uXXXX escapes, which json.loads reads back as they were."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def schema() -> dict[str, Any]:
    from importlib.resources import files

    return json.loads(files("cleaner.record").joinpath("sidecar-1.schema.json").read_text("utf-8"))
