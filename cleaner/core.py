"""The pure core: text in, cleaned text and the record of every change out. No I/O here."""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from cleaner.content import RULE as MODEL_RULE
from cleaner.content import shipped_digest
from cleaner.options import DEFAULTS, Options
from cleaner.record.build import Layout, Verdict, build_record, lifted
from cleaner.record.model import Guard, Repair, Result, Source
from cleaner.rulebook import engine
from cleaner.rulebook.load import load_ruleset
from cleaner.rulebook.model import GENERIC, LEARNED_PREFIX, Rule, Ruleset
from cleaner.text import htmlpage, language, pagemeta
from cleaner.text.decode import decode
from cleaner.text.headline import reads_as_headline
from cleaner.text.layout import join_paragraphs
from cleaner.text.normalize import repair_line, split_lines

if TYPE_CHECKING:
    from cleaner.content.model import LineModel

TITLE_RULE = "cleaner/title"
GENERIC_PREFIX = GENERIC + "/"
REDETECT_SHARE = 0.9
GUARD_MIN_WORDS = 50  # below this, a document is mostly chrome anyway: nothing the guard would save



@lru_cache(maxsize=1)
def default_ruleset() -> Ruleset:
    return load_ruleset()


def clean_bytes(data: bytes, ruleset: Ruleset | None = None, *, options: Options = DEFAULTS, format: str = "text",
                host: str | None = None, model: LineModel | None = None, charset: str | None = None,
                site: str | None = None) -> Result:
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
    result = clean_text(text, ruleset, options=options, host=host, model=model, extracted=format == "html", site=site)
    record = result.record
    record.source = Source(hashlib.sha256(data).hexdigest(), len(data), decoded.encoding, decoded.bom, format)
    if page is not None:
        record.page_meta = page.meta
        if not any(e.field == "title" for e in record.extracted):  # a site rule's title wins, then the page's
            record.title = page.meta.get("title") or record.title
        for name, key in (("published", "date"), ("author", "author")):
            record.fields[name] = record.fields[name] or page.meta.get(key)
    return result


def clean_text(text: str, ruleset: Ruleset | None = None, *, options: Options = DEFAULTS,
               host: str | None = None, model: LineModel | None = None, extracted: bool = False,
               site: str | None = None) -> Result:
    """Clean one document's text. `site`, a site of `ruleset` known beforehand (`fix` on a file it fixed
    before reads it off the first input), is taken as it is; else `host`, when known, identifies the
    site before any fingerprint;
    `model` is the line model `options.content` calls for (default: the shipped one).

    `extracted`: the text is what trafilatura took from an HTML page, which found the article
    in the DOM already; the line model does not run on it (on the devset HTML it cost article
    text and removed next to nothing more: see docs/line-model.md)."""
    ruleset = ruleset or default_ruleset()
    layout = repaired_layout(text, options.ftfy)
    lines = layout.lines
    if site not in ruleset.sites:
        site = (ruleset.index.site_for_host(host) if host else None) or ruleset.index.identify(lines)
    # Where the line model runs, learned rules wait for it: it was trained on whole pages, menus
    # and all, and reads a page whose recurring lines are gone as more of an article than it is.
    model_next = options.content != "rules" and not extracted
    outcome = engine.Outcome()
    lang, prob = _rules_and_language(lines, outcome, ruleset, site, learned=not model_next)
    guarded = _guard(lines, outcome, options.guard)
    scores: dict[int, float] = {}  # each line's score, where the model ran
    if model_next:  # the guard's word stands: the rules it put back do not run again
        spared = set(guarded.rules) if guarded is not None else set()
        rules = [r for r in ruleset.rules_for(site, language.known(lang)) if r.id not in spared]
        scores = _content(lines, outcome, rules, options.content, model)
        guarded = _merged(guarded, _guard(lines, outcome, None))
    headline = _headline(lines, outcome, options.title)
    alive = outcome.alive(len(lines))
    out = join_paragraphs(lines[i] for i in alive)
    record = build_record(layout, outcome, alive, out, Verdict(site, lang, prob, headline, guarded), options,
                          ruleset.digest, rules_digest(ruleset, site, options, model), scores, MODEL_RULE)
    return Result(out, record)


def repaired_layout(text: str, ftfy: bool) -> Layout:
    """The input's lines, each repaired (encoding, spaces), with what was done to each."""
    split = split_lines(text)
    normalized: Counter[str] = Counter()
    shown: list[str] = []
    repaired: list[Repair] = []
    for number, piece in enumerate(split.lines, 1):
        line, fixes = repair_line(piece, normalized, ftfy)
        shown.append(line)
        if fixes:
            repaired.append(Repair(number, tuple(fixes)))
    at = [n for n, line in enumerate(shown) if line]
    return Layout(split, shown, at, [shown[n] for n in at], repaired, normalized)


def _rules_and_language(lines: list[str], outcome: engine.Outcome, ruleset: Ruleset, site: str | None,
                        learned: bool) -> tuple[str, float]:
    """The rules and the document's language, to their common fixed point: the untagged rules, the
    language detected on what they leave, then the language's own rules, and only if they drop
    something, all rules again to a new fixed point. The language is detected again only if that
    took away a tenth of the text."""
    engine.run(lines, ruleset.rules_for(site, None, learned=learned), outcome)
    detected_on = _joined(lines, outcome)
    lang, prob = language.detect(detected_on)
    if lang != language.UNDETERMINED and engine.run(lines, ruleset.tagged_rules_for(site, lang, learned), outcome):
        engine.run(lines, ruleset.rules_for(site, lang, learned=learned), outcome)
        remaining = _joined(lines, outcome)
        if len(remaining) < REDETECT_SHARE * len(detected_on):
            lang, prob = language.detect(remaining)
    return lang, prob


def _content(lines: list[str], outcome: engine.Outcome, rules: Sequence[Rule], content: str,
             model: LineModel | None) -> dict[int, float]:
    """The line model where `content` calls for it (every document, or one that reads as a whole
    page), then the rules again, learned ones included; the model's scores by line."""
    from cleaner.content import model as line_model
    from cleaner.content import select

    if content == "model" or select.reads_as_page([lines[i] for i in outcome.alive(len(lines))]):
        return _model_and_rules(lines, outcome, rules, model or line_model.shipped())
    engine.run(lines, rules, outcome)
    return {}


def _headline(lines: list[str], outcome: engine.Outcome, title: str) -> str | None:
    """The headline: a site rule's title, else a first kept line that reads as one (dropped to the
    sidecar alone under title "drop")."""
    titles = lifted(outcome)["title"]
    if titles:
        return titles[0]
    alive = outcome.alive(len(lines))
    if len(alive) > 1 and reads_as_headline(lines[alive[0]]):
        if title == "drop":
            outcome.drop(alive[0], TITLE_RULE)
        return lines[alive[0]]
    return None


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
    used = model.digest if model is not None else shipped_digest()  # the file's digest: no model loaded, no numpy
    return "sha256:" + hashlib.sha256(f"{rules}\n{used}".encode()).hexdigest()


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
    back = _over_limit(taken, base, limit) if limit is not None and base >= GUARD_MIN_WORDS else set()
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


def _over_limit(taken: Counter[str], base: int, limit: float) -> set[str]:
    """The generic rules to put back, those that took most first, until the rest take at most `limit` of `base`."""
    remaining = sum(taken.values())
    back: set[str] = set()
    for rule, words in sorted(taken.items(), key=lambda kv: (-kv[1], kv[0])):
        if remaining <= limit * base:
            break
        back.add(rule)
        remaining -= words
    return back


def _merged(first: Guard | None, then: Guard | None) -> Guard | None:
    """One record of what the guard put back before the line model and after it."""
    if first is None or then is None:
        return first or then
    return replace(first, lines=first.lines + then.lines, rules=dict(sorted({**first.rules, **then.rules}.items())))


def _joined(lines: list[str], outcome: engine.Outcome) -> str:
    return "\n".join(lines[i] for i in outcome.alive(len(lines)))
