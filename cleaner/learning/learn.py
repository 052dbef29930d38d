"""`learn`: read a finished run, group its pages, and write one site file per group into a folder.

The folder is an ordinary rule directory (`--rules DIR`). Files are written
only when their text changed, so a rerun that learns the same rules leaves
them (and the runs that depend on them) as they were; files an earlier
learning wrote for groups that are gone are removed. `groups.tsv` says, per page,
the site file it counted for ("-": none, its group being too small or with
nothing recurring) and how its group was found.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.batch.files import write_atomic
from cleaner.learning.chrome import MIN_PAGES, Group, count
from cleaner.learning.corpus import read_run
from cleaner.learning.draft import Drafted, drafted, site_file
from cleaner.learning.groups import group
from cleaner.learning.spool import Spool
from cleaner.rulebook.load import is_learned_file
from cleaner.rulebook.model import Ruleset

GROUPS = "groups.tsv"
FINGERPRINTS = 3  # per group found from text: its most widespread chrome lines near a page's ends
FINGERPRINT_SPREAD = 1.5
FINGERPRINT_CHARS = 80  # ...held by at most this many times as many pages of the corpus as of the group
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Learned:
    """What one learning did: per site its file, pages, rules and candidates; pages by how they were grouped."""

    sites: list[tuple[str, str, int, int, int]] = field(default_factory=list)  # (site, way, pages, rules, candidates)
    ways: Counter[str] = field(default_factory=Counter)  # pages per way they were grouped: host, site, text, none
    pages: int = 0
    covered: int = 0  # pages of a site a file was written for
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def learn(run: Path, target: Path, ruleset: Ruleset) -> Learned:
    """Learn from the run in `run` into the rule directory `target`, with the rules the run used."""
    learned = Learned()
    with Spool(read_run(run)) as spool:
        grouping = group(spool, ruleset)
        groups = count(spool, grouping)
        keys = spool.keys
    names: dict[str, str] = {}  # group label -> site id
    texts: dict[str, str] = {}
    for g in sorted(groups, key=_order):
        drafted_file = _file(g, ruleset, set(names.values()))
        if drafted_file is None:
            continue
        site, text, rules, candidates = drafted_file
        names[g.label] = site
        texts[f"{site}.toml"] = text
        learned.sites.append((site, g.way, g.pages, rules, candidates))
    rows = []
    for page, label in zip(keys, grouping.labels):
        named = names.get(label) if label else None
        way = grouping.ways[label] if label else "none"
        learned.ways[way] += 1
        learned.covered += named is not None
        rows.append(f"{_cell(page)}\t{named or '-'}\t{way}\n")
    learned.pages = len(keys)
    texts[GROUPS] = "page\tsite\tgrouped by\n" + "".join(rows)
    _write(target, texts, learned)
    return learned


def _order(g: Group) -> tuple[int, str]:
    """Known sites and hosts by name, then the groups found from text in the order of their first page."""
    if g.label.startswith("text:"):
        return 1, f"{int(g.label[5:]):012d}"
    return 0, g.label


def _file(g: Group, ruleset: Ruleset, taken: set[str]) -> tuple[str, str, int, int] | None:
    """(site id, file text, rules, candidates) for a group; None if it learned nothing it could be known by."""
    used: set[str] = set()
    rules: list[Drafted] = []
    for form in sorted(g.seen, key=lambda f: (-g.seen[f].pages, f)):
        verdict = g.verdict(form)
        rule = drafted(g, form, verdict, used) if verdict else None
        if rule is not None and rule.removes:
            rules.append(rule)
    chrome = [r for r in rules if r.verdict == "chrome"]
    if not chrome:
        return None
    domains: list[str] = []
    fingerprints: list[str] = []
    extends = g.label in ruleset.sites
    if extends:
        site, name = g.label, ruleset.sites[g.label].name
    elif g.way == "host":
        site, name, domains = _slug(g.label), g.label, [g.label]
    else:
        near_ends = [r for r in chrome if 2 * r.seen.window >= g.pages and len(r.seen.line) <= FINGERPRINT_CHARS
                     and g.spread[r.form] <= FINGERPRINT_SPREAD * r.seen.pages]
        fingerprints = [r.pattern for r in sorted(near_ends, key=lambda r: (-r.seen.window, -r.seen.pages, r.id))]
        fingerprints = fingerprints[:FINGERPRINTS]
        if not fingerprints:
            return None
        top = next(r.seen.line for r in chrome if r.pattern == fingerprints[0])
        site = "text-" + _slug(top)[:40].strip("-")
        name = f"pages sharing {top!r}"
    base, n = site, 1
    while site in taken or (site in ruleset.sites and not extends):
        n += 1
        site = f"{base}-{n}"
    text = site_file(g, site, name, domains, fingerprints, rules, extends)
    return site, text, len(chrome), len(rules) - len(chrome)


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "site"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _write(target: Path, texts: dict[str, str], learned: Learned) -> None:
    """Write what changed; remove the site files an earlier learning wrote that this one did not."""
    target.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(texts.items()):
        path = target / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            write_atomic(path, data)
            learned.written.append(path)
    for path in sorted(target.glob("*.toml")):
        if path.name not in texts and is_learned_file(path.read_bytes()):
            path.unlink()
            learned.removed.append(path)


__all__ = ["GROUPS", "MIN_PAGES", "Learned", "learn"]
