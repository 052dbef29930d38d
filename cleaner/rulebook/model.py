"""The rule model: a compiled rule, a site, and the ruleset a run loads.

Rule files are data (rules/README.md describes them); rulebook.load turns
them into these objects, rulebook.engine applies them.
"""
from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cleaner.errors import CleanerError
from cleaner.rulebook.sites import SiteIndex

ACTIONS = ("drop", "block", "cut", "extract")
ZONES = ("head", "tail", "any")
FIELDS = ("title", "published", "section", "caption", "author")
DEFAULT_WITHIN = 15
GENERIC = "generic"
LEARNED = "learned"  # rules `cleaner learn` wrote are known as learned/<site>/<rule id>
LEARNED_PREFIX = LEARNED + "/"
_DATE_TIME_DIRECTIVES = re.compile(r"%[HIMSXcfp]")


class RuleError(CleanerError):
    """A rule file that cannot be used: names the file, the rule and the reason."""

    def __init__(self, path: str, rule: str | None, reason: str) -> None:
        self.path, self.rule, self.reason = path, rule, reason
        super().__init__(f"{path}: {rule}: {reason}" if rule else f"{path}: {reason}")


@dataclass(frozen=True)
class Rule:
    """One compiled rule; `id` is qualified as `<site or generic>/<rule id>`."""

    id: str
    action: str
    pattern: re.Pattern[str]
    zone: str = "any"
    within: int | float = DEFAULT_WITHIN  # lines, or a share of the document's lines
    then: tuple[re.Pattern[str], ...] = ()
    field: str | None = None
    date_formats: tuple[str, ...] = ()
    keep_line: bool = False
    until_prose: bool = False  # a cut that ends where an article's prose goes on after it (rulebook.engine)
    lang: frozenset[str] | None = None
    about: str = ""
    removes: tuple[str, ...] = ()
    keeps: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    source: str = ""
    min_len: int = 0  # the shortest line `pattern` can match
    max_len: int = sys.maxsize  # the longest line `pattern` can match (bounded for ^...$ patterns)
    first: frozenset[str] | None = None  # the characters a matching line can start with; None: any
    needle: re.Pattern[str] | None = None  # literals a matching line holds one of; None: not known or not needed

    def value_of(self, match: re.Match[str]) -> str | None:
        """The value an extract rule lifts from a matching line, ISO 8601 for dates; None if it does not parse."""
        raw = match.groupdict().get("value") or match.group(0)
        raw = raw.strip()
        if not self.date_formats:
            return raw
        from datetime import datetime

        for fmt in self.date_formats:
            try:
                moment = datetime.strptime(raw, fmt)
            except ValueError:
                continue
            return moment.isoformat() if _DATE_TIME_DIRECTIVES.search(fmt) else moment.date().isoformat()
        return None


class RuleList(tuple[Rule, ...]):
    """Rules in the order they apply, with what the engine derives from them (its dispatch tables, the
    rules a later pass needs), made on first use and kept as long as the list: a ruleset keeps its lists."""

    @cached_property
    def derived(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    domains: tuple[str, ...]
    fingerprints: tuple[re.Pattern[str], ...]
    rules: tuple[Rule, ...]
    source: str
    prune_xpath: tuple[str, ...] = ()  # removed from HTML pages before extraction
    learned: tuple[str, ...] = ()  # the files of rules learned for the site, one per rule folder


@dataclass
class Ruleset:
    """All loaded rules. A document runs the generic rules and its own site's rules only."""

    sites: dict[str, Site]
    generic: tuple[Rule, ...]
    files: tuple[str, ...]
    digest: str
    # What a document's cleaning depends on: the generic files, what identifies
    # sites (fingerprints, domains), and its own site's file. A rerun redoes a
    # document when one of these changed.
    generic_digest: str = ""
    identify_digest: str = ""
    site_digests: dict[str, str] = field(default_factory=dict)
    _cache: dict[tuple[str | None, str | None, bool], RuleList] = field(default_factory=dict, repr=False)

    @cached_property
    def index(self) -> SiteIndex:
        return SiteIndex({s.id: s.fingerprints for s in self.sites.values()},
                         {d: s.id for s in self.sites.values() for d in s.domains})

    def effective_digest(self, site: str | None) -> str:
        """Fingerprint of the rules that shape a document of `site` (None: no site); KeyError for an unknown site."""
        parts = [self.generic_digest, self.identify_digest, self.site_digests[site] if site else ""]
        return "sha256:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def rules_for(self, site: str | None, lang: str | None, learned: bool = True) -> RuleList:
        """Site rules first (its learned ones last, unless `learned` is False), then generic ones;
        language-tagged rules only when `lang` is theirs. With lang None, only rules without a language tag run.
        """
        key = (site, lang, learned)
        if key not in self._cache:
            own = self.sites[site].rules if site else ()
            if not learned:
                own = tuple(r for r in own if not r.id.startswith(LEARNED_PREFIX))
            self._cache[key] = RuleList(r for r in own + self.generic
                                        if r.lang is None or (lang is not None and lang in r.lang))
        return self._cache[key]

    def tagged_rules_for(self, site: str | None, lang: str, learned: bool = True) -> RuleList:
        """Only the language-tagged rules for `lang`: what runs after the untagged ones."""
        key = (site, "tagged:" + lang, learned)
        if key not in self._cache:
            self._cache[key] = RuleList(r for r in self.rules_for(site, lang, learned) if r.lang is not None)
        return self._cache[key]

    def all_rules(self) -> Iterable[Rule]:
        for site in self.sites.values():
            yield from site.rules
        yield from self.generic
