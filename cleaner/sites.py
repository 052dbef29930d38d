"""Site identification whose cost does not grow with the number of site files.

Each fingerprint regex is indexed by one whole word it cannot match without
(read from the parsed pattern). A document looks up the words of its head and
tail lines in that index and tries only the fingerprints found there; the few
fingerprints with no such word are always tried.
"""
from __future__ import annotations

import re
from collections import defaultdict
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Mapping, Sequence

WINDOW = 20  # non-blank lines read at each end of a document
_WORD = re.compile(r"\w+")
_KEY_WORD = re.compile(r"(?<!\w)\w{3,}(?!\w)")


class SiteIndex:
    def __init__(self, fingerprints: Mapping[str, Sequence[re.Pattern[str]]], domains: Mapping[str, str]) -> None:
        self._by_word: dict[str, list[tuple[str, re.Pattern[str]]]] = defaultdict(list)
        self._always: list[tuple[str, re.Pattern[str]]] = []
        self._domains = dict(domains)
        for site in sorted(fingerprints):
            for pattern in fingerprints[site]:
                word = key_word(pattern)
                (self._by_word[word] if word else self._always).append((site, pattern))

    def site_for_host(self, host: str) -> str | None:
        """The site whose domain is `host` or a parent domain of it."""
        parts = host.lower().rstrip(".").split(".")
        for i in range(len(parts) - 1):
            site = self._domains.get(".".join(parts[i:]))
            if site:
                return site
        return None

    def candidates(self, line: str) -> list[tuple[str, re.Pattern[str]]]:
        """The (site, fingerprint) pairs worth trying on `line`: those keyed by one of its words."""
        found = list(self._always)
        for word in set(_WORD.findall(line.lower())):
            found += self._by_word.get(word, ())
        return found

    def identify(self, lines: Sequence[str]) -> str | None:
        """The site with most distinct fingerprints matching the first and last WINDOW lines; ties by id."""
        window = list(lines[:WINDOW]) + list(lines[max(WINDOW, len(lines) - WINDOW):])
        hits: dict[str, set[int]] = defaultdict(set)
        for line in window:
            for site, pattern in self.candidates(line):
                if pattern.search(line):
                    hits[site].add(id(pattern))
        if not hits:
            return None
        return min(hits, key=lambda s: (-len(hits[s]), s))


def key_word(pattern: re.Pattern[str]) -> str | None:
    """A lower-cased word every match of `pattern` contains as a whole word, or None."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # an odd pattern is simply always tried
        return None
    best: str | None = None
    for run in _literal_runs(list(parsed)):
        for m in _KEY_WORD.finditer(run):
            word = m.group(0).lower()
            if best is None or len(word) > len(best):
                best = word
    return best


def _literal_runs(items: list) -> list[str]:
    """Literal text runs of a required sequence, without words cut at an unsafe edge.

    A run's edge word counts only where an anchor (^, $, \\b) bounds it, so a
    literal 'Audio' followed by `\\w*` is not taken as the whole word 'audio'.
    """
    runs: list[str] = []
    current: list[str] = []
    left_safe = False
    for op, arg in [*items, (None, None)]:
        if op is sre_c.LITERAL:
            current.append(chr(arg))
            continue
        if current:
            text = "".join(current)
            if not left_safe:
                text = re.sub(r"^\w+", "", text)
            if not _is_anchor(op, arg):
                text = re.sub(r"\w+$", "", text)
            runs.append(text)
            current = []
        if op is sre_c.SUBPATTERN:
            runs += _literal_runs(list(arg[-1]))
        left_safe = _is_anchor(op, arg)
    return runs


def _is_anchor(op: object, arg: object) -> bool:
    return op is sre_c.AT and arg is not sre_c.AT_NON_BOUNDARY
