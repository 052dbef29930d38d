"""A learned group written as a site file a person can read: each rule with its evidence and its cases.

Every rule drops one line (its near-duplicates with other numbers or
another case included) and carries a `removes` case (the line as the pages
wrote it) and a `keeps` case: a line of the same site that opens like it
and that the pages kept, else a shortened form of the line itself. The
candidates (recurring lines that read as prose or sit in the body) are
written commented out, with the same evidence, for a person to accept.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from cleaner.learning.chrome import MIN_LETTERS, Group, Seen
from cleaner.learning.forms import letters, opener
from cleaner.rulebook.patterns import escape_line

_DIGITS = re.compile(r"\d+")
_UNWRITABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")  # no TOML string holds these


@dataclass(frozen=True)
class Drafted:
    id: str  # the rule's id within its site
    form: str  # the normalized line it was drafted for
    pattern: str
    ignore_case: bool
    removes: tuple[str, ...]
    keeps: str
    seen: Seen
    verdict: str  # chrome, or why it is only a candidate


def drafted(group: Group, form: str, verdict: str, used: set[str]) -> Drafted | None:
    """The rule for one recurring form; None if its lines cannot be written as TOML."""
    seen = group.seen[form]
    variants = sorted(seen.variants, key=lambda v: (-seen.variants[v], v))
    if any(_UNWRITABLE.search(v) for v in variants):
        return None
    main = variants[0]
    numbers_vary = len({_DIGITS.sub("0", v) for v in variants}) < len(set(variants))
    pieces = re.split(r"(\d+)", main)
    body = "".join((r"\d+" if numbers_vary else p) if n % 2 else escape_line(p) for n, p in enumerate(pieces))
    ignore_case = len({v.casefold() for v in variants}) < len(variants)
    compiled = re.compile(f"^{body}$", re.IGNORECASE if ignore_case else 0)
    removes = tuple(v for v in variants if compiled.match(v))[:2]
    return Drafted(_rule_id(main, used), form, f"^{body}$", ignore_case, removes, _near_miss(group, form, compiled),
                   seen, verdict)


def _near_miss(group: Group, form: str, compiled: re.Pattern[str]) -> str:
    """A kept line of the group that opens like the chrome, else the chrome less its last word, else it in a sentence."""
    found = group.near.get(opener(form))
    if found and not compiled.match(found[1]):
        return found[1]
    line = group.seen[form].line
    words = line.split()
    opening = " ".join(words[:-1])
    if letters(opening) >= MIN_LETTERS and not compiled.match(opening):
        return opening
    return f"{line} and the rest of the sentence"


def _rule_id(line: str, used: set[str]) -> str:
    ascii_line = unicodedata.normalize("NFKD", line).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_line).strip("-")[:40].strip("-") or "line"
    rule_id, n = slug, 1
    while rule_id in used:
        n += 1
        rule_id = f"{slug}-{n}"
    used.add(rule_id)
    return rule_id


def site_file(group: Group, site: str, name: str, domains: list[str], fingerprints: list[str],
              rules: list[Drafted], extends: bool) -> str:
    """The TOML text of one learned site file."""
    how = {"host": "by the host of their URLs", "site": "by the shipped rules' fingerprints",
           "text": "by the lines their pages share"}[group.way]
    out = [f"# Learned by `cleaner learn` from {group.pages} pages of {name}, grouped {how}.",
           "# Each rule drops a line that recurs on the site's pages. Its evidence: on how many pages, where",
           "# (head run: above the page's first line of prose no other page has; tail run: below its last;",
           "# body: between), and two pages that hold it. Candidates, commented out, recur as well but read as",
           "# prose or sit in the body: uncomment those that are chrome. Edit freely; `cleaner learn` rewrites it.",
           "[learned]", f"site = {_string(site)}", f"name = {_string(name)}"]
    if extends:
        out.append("# the rules below run after the site's own (its [site] file is loaded beside this one)")
    if domains:
        out.append(f"domains = [{', '.join(_string(d) for d in domains)}]")
    if fingerprints:
        out.append(f"fingerprints = [{', '.join(_pattern(f) for f in fingerprints)}]")
    out.append(f"about = {_string(f'{group.pages} pages, grouped {how}')}")
    for rule in rules:
        seen = rule.seen
        samples = ", ".join(page for _, page in seen.samples)
        evidence = (f"on {seen.pages} of {group.pages} pages: head run {seen.head}, tail run {seen.tail}, "
                    f"body {seen.body}; e.g. {samples}")
        table = ["[[rule]]", f"id = {_string(rule.id)}",
                 f"about = {_string(f'recurs on {seen.pages} of {group.pages} pages')}",
                 f"match = {_pattern(rule.pattern)}"]
        if rule.ignore_case:
            table.append("ignore_case = true")
        table += [f"removes = [{', '.join(_string(r) for r in rule.removes)}]", f"keeps = [{_string(rule.keeps)}]"]
        out.append("")
        if rule.verdict == "chrome":
            out += [f"# {evidence}", *table]
        else:
            out += [f"# candidate ({rule.verdict}): {evidence}", *(f"# {line}" for line in table)]
    return "\n".join(out) + "\n"


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's for what a line holds)."""
    return json.dumps(value, ensure_ascii=False)


def _pattern(pattern: str) -> str:
    """A TOML literal string where the pattern allows one (no backslashes doubled), else a basic string."""
    return f"'{pattern}'" if "'" not in pattern else _string(pattern)
