"""Every shipped rule carries cases, and every case holds."""
from __future__ import annotations

import pytest

from cleaner.core import default_ruleset
from cleaner.rulebook.cases import case_failures

RULES = list(default_ruleset().all_rules())


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_cases_hold(rule) -> None:
    assert rule.removes, f"{rule.id} has no 'removes' case"
    assert rule.keeps, f"{rule.id} has no 'keeps' case"
    assert case_failures(rule) == []


def test_a_wrong_case_is_reported(tmp_path) -> None:
    from cleaner.rulebook.load import build_ruleset

    rs = build_ruleset([("x.toml", b"""
[generic]
id = "x"
[[rule]]
id = "share"
match = '^Share$'
removes = ["Share", "Tweet"]
keeps = ["Share prices fell.", "Share"]
""")])
    failures = case_failures(rs.generic[0])
    assert len(failures) == 2
    assert failures[0].startswith("removes[1] 'Tweet'")
    assert failures[1].startswith("keeps[1] 'Share'")
