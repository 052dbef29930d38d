"""HTML pages to article text with trafilatura, offline, with settings chosen by measurement.

On the devset (bench/quality.py), leaving comments out kept more article
snippets and removed more boilerplate than trafilatura's defaults, and
favor_recall / favor_precision traded one for the other; so extraction runs
with trafilatura's defaults but include_comments=False. Nothing is fetched:
trafilatura only ever sees the page's own text.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cleaner.text.pagemeta import META_FIELDS, page_metadata

EXTRACTION: dict[str, Any] = {"include_comments": False}
SUFFIXES = (".html", ".htm", ".xhtml")

_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
# lxml refuses NUL (which some pages carry) and the lone surrogates that stand for bytes that were not UTF-8.
_UNSAFE_FOR_LXML = re.compile("[\x00\udc80-\udcff]")
_HTML_START = re.compile(r"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S)


@dataclass(frozen=True)
class Page:
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML document names in a meta tag near its top."""
    found = _CHARSET.search(data[:8192])
    return found.group(1).decode("ascii").lower() if found else None


def looks_like_html(text: str) -> bool:
    """A document whose first markup is a doctype, <html>, <head> or <body>."""
    return bool(_HTML_START.match(text[:4096]))


def extract(html: str, prune_xpath: Sequence[str] = (), full_metadata: bool = False) -> Page:
    """The page's main text (one paragraph per line) and its metadata; empty text if it finds none.

    The metadata is trafilatura's with `full_metadata` (its search of the whole page: htmldate's
    extensive date search, byline heuristics), else the page's own tags (text.pagemeta), which
    leaves trafilatura the text alone, at about half the time."""
    from trafilatura import bare_extraction

    html = _safe_for_lxml(html)
    doc = bare_extraction(html, with_metadata=full_metadata, prune_xpath=list(prune_xpath) or None, **EXTRACTION)
    if doc is None:
        return Page("")
    if not full_metadata:
        return Page(getattr(doc, "text", None) or "", page_metadata(html))
    meta: dict[str, Any] = {}
    for name in META_FIELDS:
        value = getattr(doc, name, None)
        if isinstance(value, (list, tuple)):
            value = [str(v) for v in value if v]
        meta[name] = value if value not in ("", []) else None
    return Page(getattr(doc, "text", None) or "", meta)


def _safe_for_lxml(html: str) -> str:
    """The page without NUL and with U+FFFD for each lone surrogate. Encoding to UTF-8 fails on any
    surrogate and finds a NUL at memchr speed: most pages have neither, and pay for no regex scan."""
    try:
        if b"\x00" not in html.encode("utf-8"):
            return html
    except UnicodeEncodeError:
        pass
    return _UNSAFE_FOR_LXML.sub(lambda m: "" if m.group(0) == "\x00" else "\ufffd", html)


def format_of(path: str) -> str:
    """html for an .html/.htm/.xhtml name (gzipped or not), else auto: decided from the content."""
    name = path[:-3] if path.endswith(".gz") else path
    return "html" if name.lower().endswith(SUFFIXES) else "auto"
