"""Site identification whose cost does not grow with the number of site files.

Each fingerprint regex is indexed by one whole word it cannot match without
(read from the parsed pattern). A document looks up the words of its head and
tail lines in that index and tries only the fingerprints found there; the few
fingerprints with no such word are always tried.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from cleaner.rulebook.patterns import key_word

WINDOW = 20  # non-blank lines read at each end of a document
_WORD = re.compile(r"\w+")


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

    def candidates(self, text: str) -> list[tuple[str, re.Pattern[str]]]:
        """The (site, fingerprint) pairs worth trying on `text`: those keyed by one of its words, each once."""
        found = list(self._always)
        for word in set(_WORD.findall(text.lower())):
            found += self._by_word.get(word, ())
        return found

    def identify(self, lines: Sequence[str]) -> str | None:
        """The site with most distinct fingerprints matching the first and last WINDOW lines; ties by id.

        The window's words are looked up once: a fingerprint keyed by a word
        can match no line without that word, so trying it on every line of
        the window finds what trying it on the lines with its word finds.
        """
        window = list(lines[:WINDOW]) + list(lines[max(WINDOW, len(lines) - WINDOW):])
        hits: dict[str, int] = defaultdict(int)
        for site, pattern in self.candidates("\n".join(window)):
            if any(pattern.search(line) for line in window):
                hits[site] += 1
        if not hits:
            return None
        return min(hits, key=lambda s: (-hits[s], s))
