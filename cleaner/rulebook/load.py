"""Rule files: load TOML, validate every key, compile patterns once per run.

Rule files are data. Loading one never runs code; every problem is reported
as `RuleError` naming the file and the rule before any document is touched.
The format is documented in rules/README.md.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import replace
from importlib.resources import files
from pathlib import Path
from typing import Any

from cleaner.rulebook.model import ACTIONS, DEFAULT_WITHIN, FIELDS, GENERIC, LEARNED, ZONES, Rule, RuleError, Ruleset, Site
from cleaner.rulebook.patterns import backtracking_risk, shortcuts

_HEADER_KEYS = {
    "site": {"id", "name", "domains", "fingerprints", "prune_xpath", "lang", "about"},
    "generic": {"id", "lang", "about"},
    # rules `cleaner learn` drafted for a site: added to that site's own rules when a [site] file
    # defines it, else they make the site (which then needs domains or fingerprints)
    "learned": {"site", "name", "domains", "fingerprints", "lang", "about"},
}
_RULE_KEYS = {
    "id", "about", "action", "match", "zone", "within", "then", "ignore_case",
    "field", "date_format", "keep_line", "lang", "removes", "keeps", "values", "until",
}
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_LEARNED_HEADER = re.compile(rb"^\s*\[learned\]", re.MULTILINE)


def is_learned_file(data: bytes) -> bool:
    """Whether a rule file's text has a [learned] header: rules `cleaner learn` wrote, which may add to a site."""
    return _LEARNED_HEADER.search(data) is not None


def shipped_rules_dir() -> Path:
    """The rules shipped with the code that is running: inside an installed package, or beside
    `cleaner/` in a source tree (a checkout imported from its root, whose `cleaner/` has none)."""
    package = Path(__file__).resolve().parent.parent
    for folder in (package / "builtin_rules", package.parent / "rules"):
        if (folder / "generic").is_dir():
            return folder
    return Path(str(files("cleaner.builtin_rules")))  # elsewhere, as a package loader has it


def load_ruleset(extra_dirs: Iterable[str | Path] = (), shipped: bool = True) -> Ruleset:
    """Load the shipped rules (unless `shipped` is False) and every `*.toml` below `extra_dirs`."""
    dirs = ([shipped_rules_dir()] if shipped else []) + [Path(d) for d in extra_dirs]
    paths: list[Path] = []
    for d in dirs:
        if not d.is_dir():
            raise RuleError(str(d), None, "not a directory of rule files")
        paths += rule_files_below(d)
    return build_ruleset([(str(p), p.read_bytes()) for p in paths])


def rule_files_below(folder: Path) -> list[Path]:
    """The rule files below `folder`, in order; none below a hidden folder (a learned folder's base)."""
    return sorted(p for p in folder.rglob("*.toml")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts[:-1]))


def build_ruleset(sources: list[tuple[str, bytes]]) -> Ruleset:
    """Compile rule files given as (name, TOML bytes); raise RuleError on the first problem."""
    sites: dict[str, Site] = {}
    generic: list[Rule] = []
    seen_generic: dict[str, str] = {}
    generic_hashes: list[str] = []
    site_digests: dict[str, str] = {}
    learned: dict[str, list[tuple[str, bytes, dict[str, Any], tuple[Rule, ...]]]] = {}
    for path, data in sources:
        doc = _parse(path, data)
        kind = _header_kind(path, doc)
        header = doc[kind]
        _check_keys(path, None, header, _HEADER_KEYS[kind], f"[{kind}]")
        key = "site" if kind == "learned" else "id"
        ns_id = _req_str(path, None, header, key)
        if not _ID.fullmatch(ns_id):
            raise RuleError(path, None, f"[{kind}] {key} {ns_id!r} must be lowercase letters, digits and '-'")
        file_lang = _lang(path, None, header.get("lang"))
        namespace = {"site": ns_id, "generic": GENERIC, "learned": f"{LEARNED}/{ns_id}"}[kind]
        rules = tuple(_rule(path, namespace, i, raw, file_lang) for i, raw in enumerate(_rule_tables(path, doc)))
        if kind == "learned":
            _check_learned(path, ns_id, rules, learned.setdefault(ns_id, []))
            learned[ns_id].append((path, data, header, rules))
            continue
        if kind == "generic":
            for r in rules:
                if r.id in seen_generic:
                    raise RuleError(path, r.id, f"duplicate rule id (also in {seen_generic[r.id]})")
                seen_generic[r.id] = path
            generic += rules
            generic_hashes.append(hashlib.sha256(data).hexdigest())
            continue
        if ns_id in sites:
            raise RuleError(path, None, f"duplicate site id {ns_id!r} (also in {sites[ns_id].source})")
        site_digests[ns_id] = "sha256:" + hashlib.sha256(data).hexdigest()
        sites[ns_id] = Site(ns_id, str(header.get("name", ns_id)), *_recognized(path, ns_id, header, "[site]"),
                            rules, path, _xpaths(path, ns_id, _str_list(path, None, header, "prune_xpath")))
    for ns_id, learned_files in sorted(learned.items()):
        for path, data, header, rules in sorted(learned_files, key=lambda f: f[0]):
            own = sites.get(ns_id)
            domains, fingerprints = _recognized(path, ns_id, header, "[learned] for a site no [site] file defines",
                                                needed=own is None)
            digest = hashlib.sha256(data).hexdigest()
            if own is None:
                sites[ns_id] = Site(ns_id, str(header.get("name", ns_id)), domains, fingerprints, rules, path,
                                    learned=(path,))
                site_digests[ns_id] = "sha256:" + digest
            else:  # the site's own rules first, then what was learned for it, folder by folder
                sites[ns_id] = replace(own, domains=own.domains + tuple(d for d in domains if d not in own.domains),
                                       fingerprints=own.fingerprints + fingerprints, rules=own.rules + rules,
                                       learned=(*own.learned, path))
                site_digests[ns_id] = _digest([site_digests[ns_id], digest])
    _check_domains(sites)
    identify = sorted((s.id, [f.pattern for f in s.fingerprints], list(s.domains), list(s.prune_xpath))
                      for s in sites.values())
    return Ruleset(sites, tuple(generic), tuple(p for p, _ in sources),
                   _digest(sorted(hashlib.sha256(data).hexdigest() for _, data in sources)),
                   generic_digest=_digest(sorted(generic_hashes)),
                   identify_digest=_digest([json.dumps(identify, ensure_ascii=False)]),
                   site_digests=site_digests)


def _check_learned(path: str, site: str, rules: tuple[Rule, ...],
                   earlier: list[tuple[str, bytes, dict[str, Any], tuple[Rule, ...]]]) -> None:
    """Learned files for one site combine when they lie in different rule folders (a reviewed folder and a
    new learning); two in one folder, or one rule id in both, are refused, naming both files."""
    for other, _, _, other_rules in earlier:
        if Path(other).parent == Path(path).parent:
            raise RuleError(path, None, f"learned rules for site {site!r} also in {other}")
        clash = sorted({r.id for r in rules} & {r.id for r in other_rules})
        if clash:
            raise RuleError(path, clash[0], f"rule id also in {other}")


def _recognized(path: str, site: str, header: dict[str, Any], where: str,
                needed: bool = True) -> tuple[tuple[str, ...], tuple[re.Pattern[str], ...]]:
    """A site header's domains and compiled fingerprints; one of them is `needed` to recognize the site."""
    fingerprints = tuple(_compile(path, f"{site} fingerprint", p, False)
                         for p in _str_list(path, None, header, "fingerprints"))
    domains = tuple(d.lower() for d in _str_list(path, None, header, "domains"))
    if needed and not fingerprints and not domains:
        raise RuleError(path, None, f"{where} needs fingerprints or domains to be recognized")
    return domains, fingerprints


def _check_domains(sites: dict[str, Site]) -> None:
    """A domain belongs to one site: a second claim would silently take the first site's documents."""
    owner: dict[str, Site] = {}
    for site in sites.values():
        for domain in site.domains:
            other = owner.setdefault(domain, site)
            if other is not site:
                raise RuleError(site.learned[-1] if site.learned else site.source, None,
                                f"domain {domain!r} of site {site.id!r} is already claimed by site {other.id!r} "
                                f"({other.source})")


def _digest(parts: list[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
    return "sha256:" + digest.hexdigest()


def _parse(path: str, data: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RuleError(path, None, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(path, None, f"bad TOML: {exc}") from None


def _header_kind(path: str, doc: dict[str, Any]) -> str:
    kinds = [k for k in _HEADER_KEYS if k in doc]
    if len(kinds) != 1:
        raise RuleError(path, None, "a rule file needs exactly one [site], [generic] or [learned] table")
    unknown = set(doc) - {kinds[0], "rule"}
    if unknown:
        raise RuleError(path, None, f"unknown top-level key(s): {', '.join(sorted(unknown))}")
    if not isinstance(doc[kinds[0]], dict):
        raise RuleError(path, None, f"{kinds[0]} must be a table")
    return kinds[0]


def _rule_tables(path: str, doc: dict[str, Any]) -> list[dict[str, Any]]:
    tables = doc.get("rule", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise RuleError(path, None, "rules must be [[rule]] tables")
    return tables


def _rule(path: str, namespace: str, index: int, raw: dict[str, Any], file_lang: frozenset[str] | None) -> Rule:
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
        raise RuleError(path, f"rule #{index + 1}", "needs an id of lowercase letters, digits and '-'")
    qid = f"{namespace}/{rule_id}"
    _check_keys(path, qid, raw, _RULE_KEYS, "rule")
    action = raw.get("action", "drop")
    if action not in ACTIONS:
        raise RuleError(path, qid, f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    zone = raw.get("zone", "any")
    if zone not in ZONES:
        raise RuleError(path, qid, f"zone must be one of {', '.join(ZONES)}, not {zone!r}")
    ignore_case = raw.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise RuleError(path, qid, "ignore_case must be true or false")
    pattern = _compile(path, qid, _req_str(path, qid, raw, "match"), ignore_case)
    then = tuple(_compile(path, qid, p, ignore_case) for p in _str_list(path, qid, raw, "then"))
    if then and action != "block":
        raise RuleError(path, qid, "'then' belongs to block rules")
    if action == "block" and not then:
        raise RuleError(path, qid, "a block rule needs 'then': patterns for the lines after its start")
    fld = raw.get("field")
    date_formats = raw.get("date_format", ())
    date_formats = (date_formats,) if isinstance(date_formats, str) else tuple(date_formats)
    if action == "extract":
        if fld not in FIELDS:
            raise RuleError(path, qid, f"an extract rule needs field = one of {', '.join(FIELDS)}")
        if not all(isinstance(f, str) for f in date_formats):
            raise RuleError(path, qid, "date_format must be a string or a list of strings")
    else:
        for key in ("field", "date_format", "keep_line", "values"):
            if key in raw:
                raise RuleError(path, qid, f"'{key}' belongs to extract rules")
    keep_line = raw.get("keep_line", False)
    if not isinstance(keep_line, bool):
        raise RuleError(path, qid, "keep_line must be true or false")
    until = raw.get("until")
    if until is not None and (action != "cut" or until != "prose"):
        raise RuleError(path, qid, "'until' belongs to cut rules, and takes \"prose\": the cut ends where an "
                        "article's prose goes on after it")
    removes = tuple(_str_list(path, qid, raw, "removes"))
    values = tuple(_str_list(path, qid, raw, "values"))
    if values and len(values) != len(removes):
        raise RuleError(path, qid, "'values' must give one value per 'removes' case")
    rule_lang = _lang(path, qid, raw.get("lang"))
    min_len, max_len, first, needle = shortcuts(pattern)
    return Rule(
        id=qid, action=action, pattern=pattern, min_len=min_len, max_len=max_len, first=first,
        # A pattern whose first character is known fails at once where it cannot match; one that
        # can start anywhere scans the line, and a needle spares most of those scans.
        needle=needle, zone=zone, within=_within(path, qid, raw.get("within")),
        then=then, field=fld, date_formats=date_formats, keep_line=keep_line, until_prose=until == "prose",
        lang=rule_lang if rule_lang is not None else file_lang, about=str(raw.get("about", "")),
        removes=removes, keeps=tuple(_str_list(path, qid, raw, "keeps")), values=values, source=path,
    )


def _compile(path: str, rule: str, pattern: str, ignore_case: bool) -> re.Pattern[str]:
    """Compile a rule file's pattern; one that is known to backtrack without end is refused."""
    try:
        compiled = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise RuleError(path, rule, f"bad regex {pattern!r}: {exc}") from None
    risk = backtracking_risk(compiled)
    if risk:
        raise RuleError(path, rule, f"regex {pattern!r} can take exponential time on some lines: {risk}")
    return compiled


def _xpaths(path: str, site: str, expressions: list[str]) -> tuple[str, ...]:
    if expressions:
        from lxml.etree import XPath, XPathSyntaxError

        for expression in expressions:
            try:
                XPath(expression)
            except XPathSyntaxError as exc:
                raise RuleError(path, f"{site} prune_xpath", f"bad XPath {expression!r}: {exc}") from None
    return tuple(expressions)


def _within(path: str, rule: str, value: Any) -> int | float:
    if value is None:
        return DEFAULT_WITHIN
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,3}%", value) and 0 < int(value[:-1]) <= 100:
        return int(value[:-1]) / 100
    raise RuleError(path, rule, f"within must be a positive number of lines or a share like \"50%\", not {value!r}")


def _lang(path: str, rule: str | None, value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise RuleError(path, rule, "lang must be a language code or a list of them")
    return frozenset(value)


def _check_keys(path: str, rule: str | None, table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise RuleError(path, rule, f"unknown key(s) in {where}: {', '.join(sorted(unknown))}")


def _req_str(path: str, rule: str | None, table: dict[str, Any], key: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise RuleError(path, rule, f"'{key}' must be a non-empty string")
    return value


def _str_list(path: str, rule: str | None, table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(path, rule, f"'{key}' must be a list of strings")
    return value
