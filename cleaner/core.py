"""The pure core: text in, cleaned text and the record of every change out. No I/O here."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from cleaner import __version__
from cleaner.rulebook import engine
from cleaner.text import htmlpage as html, language as langid
from cleaner.text.headline import counts, reads_as_headline
from cleaner.text.decode import decode
from cleaner.text.normalize import NEWLINE_NAMES, repair_line, split_lines
from cleaner.rulebook.load import FIELDS, GENERIC, Ruleset, load_ruleset

TITLE_MODES = ("keep", "drop")
TITLE_RULE = "cleaner/title"
REDETECT_SHARE = 0.9
DEFAULT_GUARD = 0.5  # generic rules may take at most this share of a document's words
GUARD_MIN_WORDS = 50  # below this, a document is mostly chrome anyway: nothing the guard would save
DEFAULT_OPTIONS = {"title": "keep", "ftfy": True, "guard": DEFAULT_GUARD}  # as a record states them


@dataclass(frozen=True)
class Dropped:
    line: int  # 1-based input line number
    rule: str
    text: str  # the line as the rules saw it (repaired, spaces folded)
    raw: str | None = None  # the input line exactly, where it differs from `text`


@dataclass(frozen=True)
class Extracted:
    line: int
    field: str
    value: str
    rule: str
    kept: bool


@dataclass
class Record:
    """Everything cleaning did to one document; the sidecar, explain and restore all read this."""

    site: str | None
    lang: str
    lang_prob: float
    title: str | None
    fields: dict[str, str | None]  # published, section, author
    captions: list[str]
    options: dict[str, object]  # the options that shaped the output: title mode, ftfy
    dropped: list[Dropped]
    extracted: list[Extracted]
    ftfy: list[dict[str, object]]  # {"line": n, "fixes": [...]} per repaired line
    normalized: dict[str, int]  # layout changes by kind
    lines: int  # input lines, counting the piece after a final newline
    newline: str
    newline_exceptions: list[list[object]]  # [line, name] where the separator after `line` differs
    paragraph_lines: list[int]  # input line of each output paragraph
    raw_lines: list[list[object]]  # [line, exact input] for kept or blank lines shown differently
    counts: dict[str, int]
    ruleset: str  # every rule file loaded
    rules: str  # the rule files this document's cleaning depends on (see Ruleset.effective_digest)
    guard: dict[str, object] | None = None  # when the guard put back what generic rules took
    cleaner: str = __version__
    source: dict[str, object] = field(default_factory=dict)
    html: dict[str, object] | None = None  # trafilatura's metadata, for HTML input


@dataclass(frozen=True)
class Result:
    text: str
    record: Record


@lru_cache(maxsize=1)
def default_ruleset() -> Ruleset:
    return load_ruleset()


def clean_bytes(data: bytes, ruleset: Ruleset | None = None, *, format: str = "text", title: str = "keep",
                ftfy: bool = True, host: str | None = None, guard: float | None = DEFAULT_GUARD) -> Result:
    """Decode (raising DecodeError for binary input) and clean; the record carries the source's identity.

    format: "text", "html" (extract the article with trafilatura first), or
    "auto" (html when the text starts like an HTML document).
    """
    decoded = decode(data, html.declared_charset(data) if format != "text" else None)
    text, page = decoded.text, None
    if format == "auto":
        format = "html" if html.looks_like_html(text) else "text"
    if format == "html":
        ruleset = ruleset or default_ruleset()
        host = host or html.page_host(text)
        site = ruleset.index.site_for_host(host) if host else None
        page = html.extract(text, ruleset.sites[site].prune_xpath if site else ())
        host = host or page.meta.get("hostname")
        text = page.text
    elif format != "text":
        raise ValueError(f"format must be text, html or auto, not {format!r}")
    result = clean_text(text, ruleset, title=title, ftfy=ftfy, host=host, guard=guard)
    record = result.record
    record.source = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "encoding": decoded.encoding,
        "bom": decoded.bom,
        "format": format,
    }
    if page is not None:
        record.html = page.meta
        if not any(e.field == "title" for e in record.extracted):  # a site rule's title wins, then the page's
            record.title = page.meta.get("title") or record.title
        for name, key in (("published", "date"), ("author", "author")):
            record.fields[name] = record.fields[name] or page.meta.get(key)
    return result


def clean_text(text: str, ruleset: Ruleset | None = None, *, title: str = "keep", ftfy: bool = True,
               host: str | None = None, guard: float | None = DEFAULT_GUARD) -> Result:
    """Clean one document's text. `ftfy=False` leaves encoding damage alone; `host`, when known,
    identifies the site before any fingerprint; `guard` is the largest share of the document's words
    generic rules may remove (None: no limit), see `_guard`."""
    if title not in TITLE_MODES:
        raise ValueError(f"title must be one of {TITLE_MODES}, not {title!r}")
    if guard is not None and not 0 <= guard <= 1:
        raise ValueError(f"guard must be a share between 0 and 1, not {guard!r}")
    ruleset = ruleset or default_ruleset()
    split = split_lines(text)
    normalized: Counter[str] = Counter()
    shown: list[str] = []
    repaired: list[dict[str, object]] = []
    for number, piece in enumerate(split.lines, 1):
        line, fixes = repair_line(piece, normalized, ftfy)
        shown.append(line)
        if fixes:
            repaired.append({"line": number, "fixes": fixes})
    at = [n for n, line in enumerate(shown) if line]  # input index of each non-blank line
    lines = [shown[n] for n in at]

    site = (ruleset.index.site_for_host(host) if host else None) or ruleset.index.identify(lines)
    outcome = engine.Outcome()
    engine.run(lines, ruleset.rules_for(site, None), outcome)
    detected_on = _joined(lines, outcome)
    lang, prob = langid.detect(detected_on)
    # The untagged rules are at their fixed point: run the language's own rules,
    # and only if they drop something, all rules again to a new fixed point.
    # The language is detected again only if that took away a tenth of the text.
    if lang != langid.UNDETERMINED and engine.run(lines, ruleset.tagged_rules_for(site, lang), outcome):
        engine.run(lines, ruleset.rules_for(site, lang), outcome)
        remaining = _joined(lines, outcome)
        if len(remaining) < REDETECT_SHARE * len(detected_on):
            lang, prob = langid.detect(remaining)

    guarded = _guard(lines, outcome, guard) if guard is not None else None

    values: dict[str, list[str]] = {f: [] for f in FIELDS}
    for ex in outcome.extracted:
        values[ex.field].append(ex.value)
    headline = values["title"][0] if values["title"] else None
    alive = outcome.alive(len(lines))
    if headline is None and len(alive) > 1 and reads_as_headline(lines[alive[0]]):
        headline = lines[alive[0]]
        if title == "drop":
            outcome.drop(alive[0], TITLE_RULE)
            alive = alive[1:]

    out = "\n\n".join(lines[i] for i in alive) + "\n" if alive else ""
    kept_at = {at[i] for i in alive}
    dropped = [
        Dropped(at[i] + 1, rule, lines[i], None if split.lines[at[i]] == lines[i] else split.lines[at[i]])
        for i, rule in sorted(outcome.dropped.items())
    ]
    dropped_at = {at[i] for i in outcome.dropped}
    raw_lines: list[list[object]] = [
        [n + 1, piece] for n, piece in enumerate(split.lines)
        if n not in dropped_at and piece != (shown[n] if n in kept_at else "")
    ]
    names = [NEWLINE_NAMES[s] for s in split.separators]
    newline = Counter(names).most_common(1)[0][0] if names else "lf"
    normalized["newline"] = sum(1 for n in names if n != "lf")
    normalized["blank-lines"] = len(split.lines) - len(at)
    record = Record(
        site=site, lang=lang, lang_prob=prob, title=headline,
        fields={f: (values[f][0] if values[f] else None) for f in ("published", "section", "author")},
        captions=values["caption"], options={"title": title, "ftfy": ftfy, "guard": guard}, dropped=dropped,
        extracted=[Extracted(at[e.index] + 1, e.field, e.value, e.rule, e.kept) for e in outcome.extracted],
        ftfy=repaired, normalized={k: v for k, v in sorted(normalized.items()) if v},
        lines=len(split.lines), newline=newline,
        newline_exceptions=[[i + 1, n] for i, n in enumerate(names) if n != newline],
        paragraph_lines=[at[i] + 1 for i in alive], raw_lines=raw_lines,
        counts=counts(out, len(alive)), ruleset=ruleset.digest, rules=ruleset.effective_digest(site),
        guard=guarded,
    )
    return Result(out, record)


def _guard(lines: list[str], outcome: engine.Outcome, limit: float) -> dict[str, object] | None:
    """Cap what generic rules take: past `limit` of the words site rules left (in documents of
    GUARD_MIN_WORDS words or more), put back the lines of the generic rules that took most, rule by
    rule, until the rest is within the limit; say what was put back, or return None.

    Generic rules are written for the shape of chrome on any site; one that
    takes most of a document has met an article it was not written for. Site
    rules are the site maintainer's own call and are not capped. Measured
    against what site rules leave, the guard decides the same when the
    output is cleaned again.
    """
    prefix = GENERIC + "/"
    taken: Counter[str] = Counter()
    for i, rule in outcome.dropped.items():
        if rule.startswith(prefix):
            taken[rule] += len(lines[i].split())
    if not taken:
        return None
    base = sum(len(lines[i].split()) for i in range(len(lines))
               if i not in outcome.dropped or outcome.dropped[i].startswith(prefix))
    total = sum(taken.values())
    if base < GUARD_MIN_WORDS or total <= limit * base:
        return None
    back: set[str] = set()
    remaining = total
    for rule, words in sorted(taken.items(), key=lambda kv: (-kv[1], kv[0])):
        if remaining <= limit * base:
            break
        back.add(rule)
        remaining -= words
    restored = [i for i, rule in outcome.dropped.items() if rule in back]
    rules = Counter(outcome.dropped.pop(i) for i in restored)
    put_back = set(restored)
    outcome.extracted = [replace(e, kept=True) if e.index in put_back else e for e in outcome.extracted]
    return {"limit": limit, "share": round(total / base, 4), "lines": len(restored),
            "rules": dict(sorted(rules.items()))}


def _joined(lines: list[str], outcome: engine.Outcome) -> str:
    return "\n".join(lines[i] for i in outcome.alive(len(lines)))
