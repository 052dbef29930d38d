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
from dataclasses import dataclass, field, replace
from pathlib import Path

from cleaner.batch.files import write_atomic
from cleaner.display import shown
from cleaner.learning.chrome import MIN_PAGES, Group, count
from cleaner.learning.corpus import read_run
from cleaner.learning.draft import Drafted, Identity, drafted, site_file
from cleaner.learning.forms import letters
from cleaner.learning.groups import Grouping, group
from cleaner.learning.naming import Names, menu_item
from cleaner.learning.repeats import repeats
from cleaner.learning.review import BASE, LearnedText, ReviewError, merge, parse
from cleaner.learning.spool import Spool
from cleaner.rulebook.load import is_learned_file
from cleaner.rulebook.model import LEARNED_PREFIX, Ruleset

GROUPS = "groups.tsv"
FINGERPRINTS = 5  # per group found from text: its most widespread chrome lines near a page's ends...
FINGERPRINT_CHARS = 80  # ...short enough to be a template's...
FINGERPRINT_LETTERS = 8  # ...long enough to be the site's own, not a word every site has (`Home`)...
FINGERPRINT_SPREAD = 1.5  # ...and held by few pages of the corpus besides the group's (pages of the same site
#                           the grouping left alone hold them too)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class SiteFile:
    """One site file a learning wrote: its site, how its pages were grouped, and what it holds."""

    site: str
    way: str  # host, site or text
    pages: int
    rules: int  # active
    candidates: int  # commented out, for a person to accept
    unwritten: int  # recurring chrome the line model drops already: counted in the file's notes


@dataclass
class Learned:
    """What one learning did: its site files; pages by how they were grouped."""

    sites: list[SiteFile] = field(default_factory=list)
    ways: Counter[str] = field(default_factory=Counter)  # pages per way they were grouped: host, site, text, none
    pages: int = 0
    covered: int = 0  # pages of a site a file was written for
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def learn(run: Path, target: Path, ruleset: Ruleset) -> Learned:
    """Learn from the run in `run` into the rule directory `target`, with the rules the run used."""
    learned = Learned()
    with Spool(read_run(run)) as spool:
        grouping = group(spool, ruleset, repeats(spool))
        groups = count(spool, grouping)
        names = _names(spool, grouping) if any(g.way == "text" for g in groups) else Names()
        keys = spool.keys
    sites: dict[str, str] = {}  # group label -> site id
    texts: dict[str, str] = {}
    for g in sorted(groups, key=_order):
        drafted_file = _file(g, ruleset, set(sites.values()), names)
        if drafted_file is None:
            continue
        made, text = drafted_file
        sites[g.label] = made.site
        texts[f"{made.site}.toml"] = text
        learned.sites.append(made)
    rows = []
    for page, label, original in zip(keys, grouping.labels, grouping.repeats):
        named = sites.get(label) if label else None
        way = grouping.ways[label] if label else "none"
        learned.ways[way if original is None else "repeat"] += 1
        learned.covered += named is not None
        if original is not None:
            way = f"repeats {keys[original]}"
        rows.append(f"{_cell(page)}\t{named or '-'}\t{_cell(way)}\n")
    learned.pages = len(keys)
    texts[GROUPS] = "page\tsite\tgrouped by\n" + "".join(rows)
    elsewhere = {f"{s.site}.toml": Path(p) for s in learned.sites if s.site in ruleset.sites
                 for p in ruleset.sites[s.site].learned[:1] if Path(p).parent.resolve() != target.resolve()}
    _write(target, texts, learned, elsewhere)
    return learned


def _names(spool: Spool, grouping: Grouping) -> Names:
    """What each group's pages name (addresses, copyright holders), every counted page once."""
    names = Names()
    for page, label, original in zip(spool, grouping.labels, grouping.repeats):
        if original is None:
            names.add(label or "", page.lines)
    return names


def _order(g: Group) -> tuple[int, str]:
    """Known sites and hosts by name, then the groups found from text in the order of their first page."""
    if g.label.startswith("text:"):
        return 1, f"{int(g.label[5:]):012d}"
    return 0, g.label


def _file(g: Group, ruleset: Ruleset, taken: set[str], names: Names) -> tuple[SiteFile, str] | None:
    """The site file of a group, and its text; None if it learned nothing it could be known by.

    Every recurring line is drafted; a rule is written only where the pages kept the line (the line
    model drops the others already), and those are counted in the file's notes."""
    used = {r.id.rsplit("/", 1)[-1] for r in ruleset.sites[g.label].rules  # a reviewed file's, elsewhere
            if r.id.startswith(LEARNED_PREFIX)} if g.label in ruleset.sites else set()
    drafts = [rule for form in sorted(g.seen, key=lambda f: (-g.seen[f].pages, f))
              if (verdict := g.verdict(form)) and (rule := drafted(g, form, verdict, used)) is not None
              and rule.removes]
    chrome = [r for r in drafts if r.verdict == "chrome"]
    if not chrome:
        return None
    identity = _identity(g, ruleset, chrome, names)
    if identity is None:
        return None
    site, n = identity.site, 1
    while site in taken or (site in ruleset.sites and not identity.extends):
        n += 1
        site = f"{identity.site}-{n}"
    written = [r for r in drafts if r.seen.kept]
    text = site_file(g, replace(identity, site=site), written, len(drafts) - len(written))
    active = sum(r.verdict == "chrome" for r in written)
    return SiteFile(site, g.way, g.pages, active, len(written) - active, len(drafts) - len(written)), text


def _identity(g: Group, ruleset: Ruleset, chrome: list[Drafted], names: Names) -> Identity | None:
    """A known site's, a host's, or for a group found from text: the site its pages name (else its most
    distinctive line) and the fingerprints that tell its pages: chrome near the pages' ends that few pages
    of the corpus besides the group's hold."""
    if g.label in ruleset.sites:
        return Identity(g.label, ruleset.sites[g.label].name, extends=True)
    if g.way == "host":
        return Identity(_slug(g.label), g.label, (g.label,))
    name = names.of(g)
    core = _SLUG.sub("", name.lower().split(".")[0]) if name else ""
    near_ends = [r for r in chrome if 2 * r.seen.window >= g.pages and len(r.seen.line) <= FINGERPRINT_CHARS
                 and letters(r.seen.line) >= FINGERPRINT_LETTERS and not menu_item(r.form)
                 and g.spread[r.form] <= FINGERPRINT_SPREAD * r.seen.pages]
    ranked = sorted(near_ends, key=lambda r: (-r.seen.window, core not in _SLUG.sub("", r.seen.line.lower()),
                                              -r.seen.pages, r.id))
    fingerprints = tuple(r.pattern for r in ranked[:FINGERPRINTS])
    if not fingerprints:
        return None
    if name:
        return Identity(_slug(name), name, fingerprints=fingerprints)
    top = ranked[0].seen.line
    return Identity("text-" + _slug(top)[:40].strip("-"), f"pages sharing {top!r}", fingerprints=fingerprints)


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "site"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _write(target: Path, texts: dict[str, str], learned: Learned, elsewhere: dict[str, Path]) -> None:
    """Write each site file as the merge of what was proposed last time (the base, kept in BASE), the file
    as a person left it, and the new proposal (see learning.review), and the base anew; write what changed.
    A site file whose group is gone goes with its base, unless a person changed it. A file deleted by a
    person stays deleted. `elsewhere`: a site's reviewed file in another rule folder, by file name."""
    bases = target / BASE
    bases.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(texts.items()):
        path, base_path = target / name, bases / name
        if name != GROUPS:
            base = _read(base_path)
            current = _read(elsewhere[name]) if name in elsewhere else _read(path)
            if base is not None and current is None:
                continue  # the person deleted the file: they decided
            _put(base_path, text, None)
            text = merge(base, current, parse(text), elsewhere=name in elsewhere)
        _put(path, text, learned.written)
    for path in sorted(target.glob("*.toml")):
        if path.name in texts or not is_learned_file(path.read_bytes()):
            continue
        base = _read(bases / path.name)
        current = _read(path)
        if base is None or (current is not None and current.render() == base.render()):
            path.unlink()  # a group that is gone, and the file as learn proposed it (or from before bases)
            (bases / path.name).unlink(missing_ok=True)
            learned.removed.append(path)


def _read(path: Path) -> LearnedText | None:
    if not path.is_file():
        return None
    try:
        return parse(path.read_text("utf-8"))
    except ReviewError as exc:
        raise ReviewError(f"{shown(str(path))}: {exc}") from None


def _put(path: Path, text: str, written: list[Path] | None) -> None:
    """Write `text` to `path` if it differs from what is there."""
    data = text.encode("utf-8")
    if not path.is_file() or path.read_bytes() != data:
        write_atomic(path, data)
        if written is not None:
            written.append(path)


__all__ = ["GROUPS", "MIN_PAGES", "Learned", "learn"]
