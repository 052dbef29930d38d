"""Site identification: by fingerprint or host, and at a cost that does not grow with the site files loaded."""
from __future__ import annotations

import re

from cleaner.rulebook.load import build_ruleset
from cleaner.rulebook.patterns import key_word
from cleaner.rulebook.sites import SiteIndex

from .conftest import SEEDS_RAW


def test_key_words_are_whole_words_every_match_contains() -> None:
    assert key_word(re.compile(r"^\s*• Audio Only$")) == "audio"
    assert key_word(re.compile(r"^[A-Z ]+ \(Sputnik\) - ")) == "sputnik"
    assert key_word(re.compile(r"Audio\w*")) is None  # 'Audio' may be part of a longer word
    assert key_word(re.compile(r"^(foo|bar)$")) is None


def test_host_identifies_site_including_subdomains(ruleset) -> None:
    assert ruleset.index.site_for_host("www.telesurenglish.net") == "telesur"
    assert ruleset.index.site_for_host("example.org") is None


def _many_sites(n: int) -> list[tuple[str, bytes]]:
    """n site files whose fingerprints never match a real article, three rules each."""
    files = []
    for i in range(n):
        rules = "".join(f'[[rule]]\nid = "r{j}"\nmatch = \'^Zzqx{i}r{j}$\'\nremoves = ["Zzqx{i}r{j}"]\nkeeps = ["x"]\n'
                        for j in range(3))
        files.append((f"s{i}.toml", f'[site]\nid = "s{i}"\nfingerprints = [\'^Zzqx{i} Portal$\']\n{rules}'.encode()))
    return files


class CountingIndex(SiteIndex):
    tried = 0

    def candidates(self, line):  # count the fingerprints identify() tries
        found = super().candidates(line)
        CountingIndex.tried += len(found)
        return found


def test_cost_per_document_does_not_grow_with_site_files(ruleset) -> None:
    from cleaner.rulebook.load import shipped_rules_dir

    shipped = [(str(p), p.read_bytes()) for p in sorted(shipped_rules_dir().rglob("*.toml"))]
    big = build_ruleset(shipped + _many_sites(1000))
    doc = [l.strip() for l in (SEEDS_RAW / "001_9949106f77b81d0f.txt").read_text("utf-8").splitlines() if l.strip()]
    tried = []
    for rs in (ruleset, big):
        index = CountingIndex({s.id: s.fingerprints for s in rs.sites.values()}, {})
        CountingIndex.tried = 0
        assert index.identify(doc) == "telesur"
        tried.append(CountingIndex.tried)
        assert len(rs.rules_for("telesur", "en")) == len(ruleset.rules_for("telesur", "en"))
    assert tried[0] == tried[1] > 0
