"""A learned group written as a site file a person can read: each rule with its evidence and its cases.

Every rule drops one line (its near-duplicates included: another case, other
numbers, another weekday or month where the pages wrote them so) and carries
a `removes` case (the line as the pages wrote it) and, where the pages hold
one, a `keeps` case: a real line of the same site that opens like it and
that no rule of the file takes. The candidates (recurring lines that read as
prose or sit in the body) are written commented out, with the same
evidence, for a person to accept. Everything taken from the corpus is
escaped where it is written: a page's name or a line cannot end a comment
or a string.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from cleaner.display import shown
from cleaner.learning.chrome import Group, Seen
from cleaner.learning.forms import SPLIT, VARYING, kind_of, opener
from cleaner.rulebook.patterns import escape_line

_UNWRITABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")  # no TOML string holds these


@dataclass(frozen=True)
class Identity:
    """Who a group is: its site id and name, and what recognizes its pages."""

    site: str
    name: str
    domains: tuple[str, ...] = ()
    fingerprints: tuple[str, ...] = ()
    extends: bool = False  # the site is defined elsewhere (a [site] file): the learned rules add to it


@dataclass(frozen=True)
class Drafted:
    id: str  # the rule's id within its site
    form: str  # the normalized line it was drafted for
    pattern: str
    ignore_case: bool
    removes: tuple[str, ...]
    keeps: str | None  # a real near miss from the pages, if they hold one
    seen: Seen
    verdict: str  # chrome, or why it is only a candidate


def drafted(group: Group, form: str, verdict: str, used: set[str]) -> Drafted | None:
    """The rule for one recurring form; None if its lines cannot be written as TOML."""
    seen = group.seen[form]
    variants = sorted(seen.variants, key=lambda v: (-seen.variants[v], v))
    if any(_UNWRITABLE.search(v) for v in variants):
        return None
    ignore_case = len({v.casefold() for v in variants}) < len(variants)
    body = _body(variants, ignore_case)
    compiled = re.compile(f"^{body}$", re.IGNORECASE if ignore_case else 0)
    removes = tuple(v for v in variants if compiled.match(v))[:2]
    near = group.near.get(opener(form))
    keeps = near[1] if near and not compiled.match(near[1]) else None
    return Drafted(_rule_id(variants[0], used), form, f"^{body}$", ignore_case, removes, keeps, seen, verdict)


def _body(variants: list[str], ignore_case: bool) -> str:
    """The pattern of the most common variant, where the variants differ by a number, a weekday, a month or
    am/pm, that piece as any of its kind (VARYING); the rest as written."""
    main = variants[0]
    pieces = [list(SPLIT.finditer(v)) for v in variants]
    kinds = [kind_of(m) for m in pieces[0]]
    aligned = all([kind_of(m) for m in p] == kinds for p in pieces)
    out, at = [], 0
    for k, match in enumerate(pieces[0]):
        out.append(escape_line(main[at:match.start()]))
        written = {p[k].group().casefold() if ignore_case else p[k].group() for p in pieces} if aligned else set()
        out.append(VARYING[kinds[k]] if len(written) > 1 else escape_line(match.group()))
        at = match.end()
    out.append(escape_line(main[at:]))
    return "".join(out)


def _rule_id(line: str, used: set[str]) -> str:
    ascii_line = unicodedata.normalize("NFKD", line).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_line).strip("-")[:40].strip("-") or "line"
    rule_id, n = slug, 1
    while rule_id in used:
        n += 1
        rule_id = f"{slug}-{n}"
    used.add(rule_id)
    return rule_id


def site_file(group: Group, who: Identity, rules: list[Drafted], unwritten: int) -> str:
    """The TOML text of one learned site file: a header, then a block per rule, blank lines between."""
    how = {"host": "by the host of their URLs", "site": "by the rules' fingerprints",
           "text": "by the lines their pages share"}[group.way]
    out = [_comment(f"Learned by `cleaner learn` from {group.pages} pages of {who.name}, grouped {how}."),
           "# Each rule drops a line that recurs on the site's pages. Its evidence: on how many pages, where",
           "# (head run: above the page's first line of prose no other page has; tail run: below its last;",
           "# body: between), and two pages that hold it. Candidates, commented out, recur as well but read as",
           "# prose or sit in the body: accept those that are chrome (`cleaner rules accept FILE:ID`, or",
           "# uncomment them). Edit freely: `cleaner learn` keeps what you accept, edit or delete."]
    if unwritten:
        out.append(f"# {unwritten} more recurring lines are not written: the line model drops them already.")
    out += ["[learned]", f"site = {_string(who.site)}", f"name = {_string(who.name)}"]
    if who.extends:
        out.append("# the rules below run after the site's own (its other rule files are loaded beside this one)")
    if who.domains:
        out.append(f"domains = [{', '.join(_string(d) for d in who.domains)}]")
    if who.fingerprints:
        out.append(f"fingerprints = [{', '.join(_pattern(f) for f in who.fingerprints)}]")
    out.append(f"about = {_string(f'{group.pages} pages, grouped {how}')}")
    for rule in rules:
        out += ["", *rule_block(rule, group.pages)]
    return "\n".join(out) + "\n"


def rule_block(rule: Drafted, pages: int) -> list[str]:
    """A rule's lines in its file: its evidence, then its table (commented out for a candidate)."""
    seen = rule.seen
    samples = ", ".join(page for _, page in seen.samples)
    evidence = _comment(f"on {seen.pages} of {pages} pages: head run {seen.head}, tail run {seen.tail}, "
                        f"body {seen.body}; e.g. {samples}")
    table = ["[[rule]]", f"id = {_string(rule.id)}", f"about = {_string(f'recurs on {seen.pages} of {pages} pages')}",
             f"match = {_pattern(rule.pattern)}"]
    if rule.ignore_case:
        table.append("ignore_case = true")
    table.append(f"removes = [{', '.join(_string(r) for r in rule.removes)}]")
    if rule.keeps is not None:
        table.append(f"keeps = [{_string(rule.keeps)}]")
    if rule.verdict == "chrome":
        return [evidence, *table]
    return [f"# candidate ({rule.verdict}): {evidence[2:]}", *(f"# {line}" for line in table)]


def _comment(text: str) -> str:
    """A one-line TOML comment of `text`, whatever it holds: control characters (a newline in a page's
    name) and what is not UTF-8 escaped, so nothing taken from a corpus can end the comment."""
    return "# " + shown(text)


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's for what a line holds)."""
    return json.dumps(value, ensure_ascii=False)


def _pattern(pattern: str) -> str:
    """A TOML literal string where the pattern allows one (no backslashes doubled), else a basic string."""
    return f"'{pattern}'" if "'" not in pattern else _string(pattern)
