"""`cleaner rules lint|test|list`: keep rule files correct, the way a linter and a test runner keep code correct.

Every problem is `file:line: rule-id: message`. Lint reads each file on its
own, so one broken file does not hide the problems of the others.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.limits import DocumentTimeout, time_limit
from cleaner.rulebook.cases import case_failures
from cleaner.rulebook.load import GENERIC, Rule, RuleError, build_ruleset, is_learned_file, rule_files_below, shipped_rules_dir
from cleaner.rulebook.model import LEARNED_PREFIX

_TOML_LINE = re.compile(r"at line (\d+)")
CASE_TIMEOUT = 10.0  # seconds for one rule's cases
_NEWLINE_IN_PATTERN = re.compile(r"(?<!\\)(\\n|\\r)")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


def rule_files(dirs: Sequence[str]) -> list[Path]:
    """The rule files below `dirs`, or the shipped ones when none are given."""
    roots = [Path(d) for d in dirs] if dirs else [shipped_rules_dir()]
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found += rule_files_below(root)
        else:
            raise RuleError(str(root), None, "no such file or directory of rule files")
    return found


def _learned_sites(files: dict[Path, bytes]) -> dict[Path, str]:
    """The site each learned file among `files` adds to, where it reads."""
    sites = {}
    for path, data in files.items():
        if is_learned_file(data):
            try:
                sites[path] = str(tomllib.loads(data.decode("utf-8"))["learned"]["site"])
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError, TypeError):
                continue
    return sites


def rule_line(text: str, rule: str | None) -> int:
    """The line where `rule` (qualified id) is defined in a rule file's text; 1 if it cannot be found."""
    if not rule:
        return 1
    short = re.escape(rule.rsplit("/", 1)[-1])
    found = re.search(rf"^\s*id\s*=\s*[\"']{short}[\"']", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def lint(paths: Iterable[Path], loaded_with: Iterable[Path] = ()) -> list[Problem]:
    """Every problem in the rule files, sorted by file and line.

    `loaded_with` are the files a run loads beside them (the shipped rules):
    an id they already use is a clash, though their own problems are not reported.
    """
    problems: list[Problem] = []
    owners: dict[str, str] = {}  # rule or site id -> the file that defines it
    beside = [(str(path), path.read_bytes()) for path in loaded_with]
    for source in beside:
        ruleset = build_ruleset([source])
        owners.update({**{site: source[0] for site in ruleset.sites},
                       **{r.id: source[0] for r in ruleset.generic}})
    files = {path: path.read_bytes() for path in paths}
    sites = _learned_sites(files)
    for path, data in files.items():
        name = str(path)
        text = data.decode("utf-8", "replace")
        try:
            # a learned file may add to a site the files loaded beside it define, or the site's learned file in
            # another folder (a reviewed one): read it with them
            companions = [(str(p), files[p]) for p, site in sites.items()
                          if path in sites and site == sites[path] and p.parent != path.parent]
            ruleset = build_ruleset(beside + companions + [(name, data)] if is_learned_file(data) else [(name, data)])
        except RuleError as exc:
            match = _TOML_LINE.search(exc.reason)
            line = int(match.group(1)) if match and "TOML" in exc.reason else rule_line(text, exc.rule)
            problems.append(Problem(name, line, exc.rule or "-", exc.reason))
            continue
        for site in (s.id for s in ruleset.sites.values() if s.source == name):
            if site in owners:
                problems.append(Problem(name, 1, site, f"site id also used in {owners[site]}"))
            owners.setdefault(site, name)
        for rule in (r for r in ruleset.all_rules() if r.source == name):
            at = rule_line(text, rule.id)
            if rule.id.startswith(GENERIC + "/"):
                if rule.id in owners:
                    problems.append(Problem(name, at, rule.id, f"rule id also used in {owners[rule.id]}"))
                owners.setdefault(rule.id, name)
            problems += [Problem(name, at, rule.id, m) for m in rule_problems(rule)]
    return sorted(problems)


def rule_problems(rule: Rule) -> list[str]:
    """What is wrong with one compiled rule: missing cases, cases that fail, zones or patterns that cannot match."""
    problems = []
    if not rule.removes:
        problems.append("no 'removes' case: add a line this rule must remove")
    if not rule.keeps and not rule.id.startswith(LEARNED_PREFIX):  # a learned rule has one where its pages did
        problems.append("no 'keeps' case: add a similar line this rule must keep")
    problems += [f"case fails: {failure}" for failure in bounded_case_failures(rule)]
    if rule.action == "cut" and rule.zone != "tail":
        problems.append(f"a cut in zone {rule.zone} drops everything after its line, the article too: "
                        "cuts belong in the tail zone")
    for pattern in (rule.pattern, *rule.then):
        if _NEWLINE_IN_PATTERN.search(pattern.pattern):
            problems.append(f"{pattern.pattern!r} needs a line break, but rules see one line at a time")
        if not anchors_can_match(pattern):
            problems.append(f"{pattern.pattern!r} cannot match: it needs text before ^ or after $")
    unknown = sorted((rule.lang or set()) - set(known_languages()))
    if unknown:
        problems.append(f"lang {', '.join(unknown)}: not a language the detector reports, so the rule never runs")
    return problems


def known_languages() -> list[str]:
    from cleaner.text.language import factory

    return list(factory().langlist)


def anchors_can_match(pattern: re.Pattern[str]) -> bool:
    """False when the top level of the pattern puts required text before ^ or after $ (a line has no other lines)."""
    from cleaner.reparse import constants as c
    from cleaner.reparse import items as parsed_items
    from cleaner.rulebook.patterns import min_width

    items = parsed_items(pattern)
    if pattern.flags & re.MULTILINE or items is None:
        return True  # nothing known against it
    try:
        for k, (op, arg) in enumerate(items):
            if op is c.AT and arg in (c.AT_END, c.AT_END_STRING) and min_width(items[k + 1:]) > 0:
                return False
            if op is c.AT and arg in (c.AT_BEGINNING, c.AT_BEGINNING_STRING) and min_width(items[:k]) > 0:
                return False
    except Exception:  # a parsed form laid out otherwise
        return True
    return True


@dataclass
class CaseReport:
    rule: Rule
    failures: list[str]


def run_cases(paths: Sequence[Path], loaded_with: Sequence[Path] = ()) -> list[CaseReport]:
    """Every rule's cases run; a RuleError if the files do not load."""
    return [CaseReport(rule, bounded_case_failures(rule)) for rule in _rules_of(paths, loaded_with)]


def _rules_of(paths: Sequence[Path], loaded_with: Sequence[Path]) -> list[Rule]:
    """The rules `paths` define, loaded beside `loaded_with` (the shipped rules), to which learned files may add."""
    mine = [(str(p), p.read_bytes()) for p in paths]
    if not any(is_learned_file(data) for _, data in mine):
        loaded_with = ()
    names = {name for name, _ in mine}
    ruleset = build_ruleset([(str(p), p.read_bytes()) for p in loaded_with if str(p) not in names] + mine)
    return [rule for rule in ruleset.all_rules() if rule.source in names]


def bounded_case_failures(rule: Rule) -> list[str]:
    """The rule's failing cases; a rule whose cases run away fails instead of hanging the linter."""
    try:
        with time_limit(CASE_TIMEOUT):
            return case_failures(rule)
    except DocumentTimeout:
        return [f"its cases took longer than {CASE_TIMEOUT:g} s: the pattern backtracks"]


def describe(paths: Sequence[Path], loaded_with: Sequence[Path] = ()) -> list[dict[str, object]]:
    """One row per rule, for `cleaner rules list`."""
    return [{"id": r.id, "action": r.action, "zone": r.zone if r.zone == "any" else f"{r.zone} {r.within}",
             "lang": ",".join(sorted(r.lang)) if r.lang else "any", "cases": len(r.removes) + len(r.keeps),
             "file": r.source, "about": r.about} for r in _rules_of(paths, loaded_with)]
