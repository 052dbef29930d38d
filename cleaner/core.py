"""The pure core: text in, cleaned text and the record of every change out. No I/O here."""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from cleaner.content import RULE as MODEL_RULE
from cleaner.options import Options
from cleaner.record.model import Dropped, Extracted, Guard, Record, Repair, Result, Source
from cleaner.rulebook import engine
from cleaner.rulebook.load import load_ruleset
from cleaner.rulebook.model import FIELDS, GENERIC, LEARNED_PREFIX, Rule, Ruleset
from cleaner.text import htmlpage, language, pagemeta
from cleaner.text.decode import decode
from cleaner.text.headline import counts, reads_as_headline
from cleaner.text.normalize import NEWLINE_NAMES, repair_line, split_lines

if TYPE_CHECKING:
    from cleaner.content.model import LineModel

TITLE_RULE = "cleaner/title"
GENERIC_PREFIX = GENERIC + "/"
REDETECT_SHARE = 0.9
GUARD_MIN_WORDS = 50  # below this, a document is mostly chrome anyway: nothing the guard would save
DEFAULTS = Options()


@lru_cache(maxsize=1)
def default_ruleset() -> Ruleset:
    return load_ruleset()


def clean_bytes(data: bytes, ruleset: Ruleset | None = None, *, options: Options = DEFAULTS, format: str = "text",
                host: str | None = None, model: LineModel | None = None, charset: str | None = None) -> Result:
    """Decode (raising DecodeError for binary input) and clean; the record carries the source's identity.

    format: "text", "html" (extract the article with trafilatura first), or
    "auto" (html when the text starts like an HTML document). `charset`: what
    the bytes' own headers declare (an HTTP Content-Type); tried first when
    they are not UTF-8, before an HTML page's meta tag.
    """
    declared = charset or (htmlpage.declared_charset(data) if format != "text" else None)
    decoded = decode(data, declared)
    text, page = decoded.text, None
    if format == "auto":
        format = "html" if htmlpage.looks_like_html(text) else "text"
    if format == "html":
        ruleset = ruleset or default_ruleset()
        host = host or pagemeta.page_host(text)
        site = ruleset.index.site_for_host(host) if host else None
        page = htmlpage.extract(text, ruleset.sites[site].prune_xpath if site else (), options.html_metadata == "full")
        host = host or page.meta.get("hostname")
        text = page.text
    elif format != "text":
        raise ValueError(f"format must be text, html or auto, not {format!r}")
    result = clean_text(text, ruleset, options=options, host=host, model=model, extracted=format == "html")
    record = result.record
    record.source = Source(hashlib.sha256(data).hexdigest(), len(data), decoded.encoding, decoded.bom, format)
    if page is not None:
        record.html = page.meta
        if not any(e.field == "title" for e in record.extracted):  # a site rule's title wins, then the page's
            record.title = page.meta.get("title") or record.title
        for name, key in (("published", "date"), ("author", "author")):
            record.fields[name] = record.fields[name] or page.meta.get(key)
    return result


def clean_text(text: str, ruleset: Ruleset | None = None, *, options: Options = DEFAULTS,
               host: str | None = None, model: LineModel | None = None, extracted: bool = False) -> Result:
    """Clean one document's text. `host`, when known, identifies the site before any fingerprint;
    `model` is the line model `options.content` calls for (default: the shipped one).

    `extracted`: the text is what trafilatura took from an HTML page, which found the article
    in the DOM already; the line model does not run on it (on the devset HTML it cost article
    text and removed next to nothing more: see the README)."""
    ruleset = ruleset or default_ruleset()
    split = split_lines(text)
    normalized: Counter[str] = Counter()
    shown: list[str] = []
    repaired: list[Repair] = []
    for number, piece in enumerate(split.lines, 1):
        line, fixes = repair_line(piece, normalized, options.ftfy)
        shown.append(line)
        if fixes:
            repaired.append(Repair(number, tuple(fixes)))
    at = [n for n, line in enumerate(shown) if line]  # input index of each non-blank line
    lines = [shown[n] for n in at]

    site = (ruleset.index.site_for_host(host) if host else None) or ruleset.index.identify(lines)
    # Where the line model runs, learned rules wait for it: it was trained on whole pages, menus
    # and all, and reads a page whose recurring lines are gone as more of an article than it is.
    model_next = options.content != "rules" and not extracted
    outcome = engine.Outcome()
    engine.run(lines, ruleset.rules_for(site, None, learned=not model_next), outcome)
    detected_on = _joined(lines, outcome)
    lang, prob = language.detect(detected_on)
    # The untagged rules are at their fixed point: run the language's own rules,
    # and only if they drop something, all rules again to a new fixed point.
    # The language is detected again only if that took away a tenth of the text.
    if lang != language.UNDETERMINED and engine.run(lines, ruleset.tagged_rules_for(site, lang, not model_next),
                                                    outcome):
        engine.run(lines, ruleset.rules_for(site, lang, learned=not model_next), outcome)
        remaining = _joined(lines, outcome)
        if len(remaining) < REDETECT_SHARE * len(detected_on):
            lang, prob = language.detect(remaining)

    guarded = _guard(lines, outcome, options.guard)
    model_scores: dict[int, float] = {}  # each line's score, where the model ran
    if model_next:
        from cleaner.content import model as line_model
        from cleaner.content import select

        alive = outcome.alive(len(lines))
        rules = ruleset.rules_for(site, language.known(lang))
        if options.content == "model" or select.reads_as_page([lines[i] for i in alive]):
            model_scores = _model_and_rules(lines, outcome, rules, model or line_model.shipped())
        else:
            engine.run(lines, rules, outcome)
        guarded = _merged(guarded, _guard(lines, outcome, None))

    values: dict[str, list[str]] = {f: [] for f in FIELDS}
    for ex in outcome.extracted:
        values[ex.field].append(ex.value)
    headline = values["title"][0] if values["title"] else None
    alive = outcome.alive(len(lines))
    if headline is None and len(alive) > 1 and reads_as_headline(lines[alive[0]]):
        headline = lines[alive[0]]
        if options.title == "drop":
            outcome.drop(alive[0], TITLE_RULE)
            alive = alive[1:]

    out = "\n\n".join(lines[i] for i in alive) + "\n" if alive else ""
    kept_at = {at[i] for i in alive}
    dropped = [
        Dropped(at[i] + 1, rule, lines[i], None if split.lines[at[i]] == lines[i] else split.lines[at[i]],
                model_scores[i] if rule == MODEL_RULE else None)
        for i, rule in sorted(outcome.dropped.items())
    ]
    dropped_at = {at[i] for i in outcome.dropped}
    raw_lines = [
        (n + 1, piece) for n, piece in enumerate(split.lines)
        if n not in dropped_at and piece != (shown[n] if n in kept_at else "")
    ]
    names = [NEWLINE_NAMES[s] for s in split.separators]
    newline = Counter(names).most_common(1)[0][0] if names else "lf"
    normalized["newline"] = sum(1 for n in names if n != "lf")
    normalized["blank-lines"] = len(split.lines) - len(at)
    record = Record(
        site=site, lang=lang, lang_prob=prob, title=headline,
        fields={f: (values[f][0] if values[f] else None) for f in ("published", "section", "author")},
        captions=values["caption"], options=options, dropped=dropped,
        extracted=[Extracted(at[e.index] + 1, e.field, e.value, e.rule, e.kept) for e in outcome.extracted],
        ftfy=repaired, normalized={k: v for k, v in sorted(normalized.items()) if v},
        lines=len(split.lines), newline=newline,
        newline_exceptions=[(i + 1, n) for i, n in enumerate(names) if n != newline],
        paragraph_lines=[at[i] + 1 for i in alive], raw_lines=raw_lines,
        counts=counts(out, len(alive)), ruleset=ruleset.digest, rules=rules_digest(ruleset, site, options, model),
        guard=guarded, scores={at[i] + 1: score for i, score in sorted(model_scores.items())},
    )
    return Result(out, record)


def _model_and_rules(lines: list[str], outcome: engine.Outcome, rules: Sequence[Rule], model: LineModel) -> dict[int, float]:
    """The line model to its fixed point, then the rules again (a zoned rule sees new neighbours once the
    model's lines are gone), until neither drops a line: cleaning the output again then changes nothing.
    Returns the scores of the lines the model dropped and of the lines left."""
    from cleaner.content.select import model_drops

    dropped: dict[int, float] = {}
    while True:
        by_model, kept = model_drops(lines, outcome.alive(len(lines)), model)
        for i in by_model:
            outcome.drop(i, MODEL_RULE)
        dropped.update(by_model)
        if not engine.run(lines, rules, outcome):  # learned rules run here first, so even where the model drops nothing
            return {**dropped, **{i: s for i, s in kept.items() if i not in outcome.dropped}}


def rules_digest(ruleset: Ruleset, site: str | None, options: Options, model: LineModel | None = None) -> str:
    """What a document's cleaning depends on besides its input and options: its effective rules (see
    Ruleset.effective_digest), and the line model where options.content calls for one."""
    rules = ruleset.effective_digest(site)
    if options.content == "rules":
        return rules
    from cleaner.content.model import shipped

    used = model or shipped()
    return "sha256:" + hashlib.sha256(f"{rules}\n{used.digest}".encode()).hexdigest()


def _guard(lines: list[str], outcome: engine.Outcome, limit: float | None) -> Guard | None:
    """Cap what generic rules take: past `limit` of the words site rules left (in documents of
    GUARD_MIN_WORDS words or more), put back the lines of the generic rules that took most, rule by
    rule, until the rest is within the limit; and let learned rules never take a document's last
    line. Say what was put back, or return None.

    Generic rules are written for the shape of chrome on any site; one that takes most of a document
    has met an article it was not written for. Site rules are the site maintainer's own call and are
    not capped, nor are learned ones, which are the site's own chrome (on whole-page dumps, where
    menus outweigh the article, a cap put back learned lines on 255 of 901 devsites pages). Measured
    against what site rules leave, the guard decides the same when the output is cleaned again.
    """
    taken: Counter[str] = Counter()
    learned: Counter[str] = Counter()
    for i, rule in outcome.dropped.items():
        if rule.startswith(GENERIC_PREFIX):
            taken[rule] += len(lines[i].split())
        elif rule.startswith(LEARNED_PREFIX):
            learned[rule] += len(lines[i].split())
    if not taken and not learned:
        return None
    base = sum(len(lines[i].split()) for i in range(len(lines))
               if i not in outcome.dropped or outcome.dropped[i].startswith(GENERIC_PREFIX))
    total = sum(taken.values())
    back: set[str] = set()
    if limit is not None and base >= GUARD_MIN_WORDS and total > limit * base:
        remaining = total
        for rule, words in sorted(taken.items(), key=lambda kv: (-kv[1], kv[0])):
            if remaining <= limit * base:
                break
            back.add(rule)
            remaining -= words
    if learned and len(outcome.dropped) == len(lines) and not back:  # the learned rule that took most goes back
        back.add(min(learned, key=lambda r: (-learned[r], r)))
    if not back:
        return None
    restored = [i for i, rule in outcome.dropped.items() if rule in back]
    rules = Counter(outcome.dropped.pop(i) for i in restored)
    put_back = set(restored)
    outcome.extracted = [replace(e, kept=True) if e.index in put_back else e for e in outcome.extracted]
    return Guard(1.0 if limit is None else limit, round(total / base, 4) if base else 1.0, len(restored),
                 dict(sorted(rules.items())))


def _merged(first: Guard | None, then: Guard | None) -> Guard | None:
    """One record of what the guard put back before the line model and after it."""
    if first is None or then is None:
        return first or then
    return replace(first, lines=first.lines + then.lines, rules=dict(sorted({**first.rules, **then.rules}.items())))


def _joined(lines: list[str], outcome: engine.Outcome) -> str:
    return "\n".join(lines[i] for i in outcome.alive(len(lines)))
