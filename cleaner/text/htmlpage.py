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
from urllib.parse import urlsplit

EXTRACTION: dict[str, Any] = {"include_comments": False}
META_FIELDS = ("title", "author", "date", "url", "hostname", "sitename", "description", "categories", "tags")
SUFFIXES = (".html", ".htm", ".xhtml")

_URL_TAGS = re.compile(
    r"<link\b[^>]*\brel\s*=\s*[\"']?canonical\b[^>]*>|<meta\b[^>]*\bproperty\s*=\s*[\"']og:url[\"'][^>]*>", re.I)
_URL_ATTR = re.compile(r"\b(?:href|content)\s*=\s*[\"']([^\"']+)[\"']", re.I)
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


def page_host(html: str) -> str | None:
    """The host of the page's canonical or og:url address, read before extraction (for a site's prune rules)."""
    for tag in _URL_TAGS.finditer(html[:200_000]):
        attr = _URL_ATTR.search(tag.group(0))
        host = host_of(attr.group(1)) if attr else None
        if host:
            return host
    return None


def host_of(url: object) -> str | None:
    """The host of an absolute URL (a record's, a WARC's, a page's canonical one), lower-cased; else None."""
    if not isinstance(url, str):
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def extract(html: str, prune_xpath: Sequence[str] = ()) -> Page:
    """The page's main text (one paragraph per line) and trafilatura's metadata; empty text if it finds none."""
    from trafilatura import bare_extraction

    html = _UNSAFE_FOR_LXML.sub(lambda m: "" if m.group(0) == "\x00" else "\ufffd", html)
    doc = bare_extraction(html, with_metadata=True, prune_xpath=list(prune_xpath) or None, **EXTRACTION)
    if doc is None:
        return Page("")
    meta: dict[str, Any] = {}
    for name in META_FIELDS:
        value = getattr(doc, name, None)
        if isinstance(value, (list, tuple)):
            value = [str(v) for v in value if v]
        meta[name] = value if value not in ("", []) else None
    return Page(getattr(doc, "text", None) or "", meta)


def format_of(path: str) -> str:
    """html for an .html/.htm/.xhtml name (gzipped or not), else auto: decided from the content."""
    name = path[:-3] if path.endswith(".gz") else path
    return "html" if name.lower().endswith(SUFFIXES) else "auto"
