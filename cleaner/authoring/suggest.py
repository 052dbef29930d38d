"""`cleaner suggest`: draft rules for the chrome nobody has written a rule for yet, mined from the corpus.

A line that recurs, word for word, near the start or the end of many
documents of one site is chrome: articles do not repeat each other's
sentences. Documents are grouped by site (a sidecar's or the page's host
name, else the site the rules identify, else the folder), cleaned with the
current rules, and the lines that survive are counted per group and zone.
The draft is a rule file for a person to read, edit and commit: it is never
applied by itself.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cleaner.batch.files import read_input
from cleaner.core import clean_bytes
from cleaner.errors import CleanerError
from cleaner.record.sidecar import sidecar_path
from cleaner.rulebook.load import Ruleset

ZONE_LINES = 5  # lines counted at each end of a document's cleaned text
MIN_DOCS = 3  # a line must recur in at least this many documents of its group...
MIN_SHARE = 0.002  # ...and in this share of them (a large site repeats its chrome on most pages)
MAX_CHARS = 100  # longer lines are too likely to be an article's own (a quote, a syndicated paragraph)
MIN_LETTERS = 2  # a line of digits or punctuation alone is too likely to be data
_SPECIAL = re.compile(r"([.^$*+?{}\[\]\\|()])")


@dataclass(frozen=True)
class Suggestion:
    group: str
    zone: str  # head or tail
    line: str
    documents: int  # how many documents of the group have it in that zone
    group_size: int


def group_of(path: Path, text_lines: list[str], ruleset: Ruleset, host: str | None, root: Path) -> str:
    """Which site a document belongs to: a sidecar's host or site, the page's host, the identified site, its folder."""
    meta = sidecar_path(path)
    if meta.is_file():
        try:
            sidecar = json.loads(meta.read_text("utf-8"))
            named = (sidecar.get("html") or {}).get("hostname") or sidecar.get("site")
            if named:
                return str(named)
        except (OSError, ValueError, AttributeError):
            pass
    if host:
        return host
    site = ruleset.index.identify(text_lines)
    if site:
        return site
    folder = os.path.relpath(path.parent, root)
    return "folder " + (root.name if folder == "." else f"{root.name}/{folder}")


def mine(files: Iterable[tuple[Path, Path]], ruleset: Ruleset) -> list[Suggestion]:
    """Lines that recur in the head or tail of many documents of one group, after the current rules ran.

    `files` are (file, the input directory it was found under).
    """
    seen: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    sizes: Counter[str] = Counter()
    for path, root in files:
        try:
            data, _ = read_input(path)
            result = clean_bytes(data, ruleset, format="auto")
        except (CleanerError, OSError):
            continue
        lines = result.text[:-1].split("\n\n") if result.text else []
        host = (result.record.html or {}).get("hostname")
        group = group_of(path, lines, ruleset, str(host) if host else None, root)
        sizes[group] += 1
        title = result.record.title
        for zone, part in (("head", lines[:ZONE_LINES]), ("tail", lines[-ZONE_LINES:])):
            seen[(group, zone)].update({line for line in part if line != title and _candidate(line)})
    found = []
    for (group, zone), counts in sorted(seen.items()):
        need = max(MIN_DOCS, MIN_SHARE * sizes[group])
        found += [Suggestion(group, zone, line, n, sizes[group]) for line, n in sorted(counts.items()) if n >= need]
    return found


def _candidate(line: str) -> bool:
    return len(line) <= MAX_CHARS and sum(ch.isalpha() for ch in line) >= MIN_LETTERS


def draft(suggestions: list[Suggestion], source: str) -> str:
    """A generic rule file: one exact-line rule per suggestion, zoned where the line was seen."""
    out = [f"# Draft rules mined by `cleaner suggest {source}`: review each before you commit it.",
           "# Each rule drops one line that recurred, word for word, at the same end of many documents.",
           "[generic]", 'id = "suggested"',
           'about = "Drafted by cleaner suggest; read, edit, then move the rules you keep into your own files."', ""]
    used: Counter[str] = Counter()
    for s in suggestions:
        slug = re.sub(r"[^a-z0-9]+", "-", s.line.lower()).strip("-")[:40] or "line"
        used[slug] += 1
        rule_id = f"suggested-{slug}" + (f"-{used[slug]}" if used[slug] > 1 else "")  # clear of shipped ids
        out += [f"# {s.group}: in the {s.zone} of {s.documents} of {s.group_size} documents",
                "[[rule]]", f"id = {_toml(rule_id)}", f"match = {_toml(exact(s.line))}",
                f'zone = "{s.zone}"', f"within = {ZONE_LINES}", f"removes = [{_toml(s.line)}]",
                f"keeps = [{_toml(s.line + ' and more of the article')}]", ""]
    return "\n".join(out)


def exact(line: str) -> str:
    """A pattern matching `line` and nothing else."""
    return "^" + _SPECIAL.sub(r"\\\1", line) + "$"


def _toml(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, for the characters a line can hold)."""
    return json.dumps(value, ensure_ascii=False)
