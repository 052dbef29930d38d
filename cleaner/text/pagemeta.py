"""A page's address and metadata from its own tags, read with a few regexes: the fast alternative to trafilatura's.

trafilatura's metadata extraction (htmldate's date search in the whole
page, author heuristics over bylines) about doubles the time of extracting a
page's text. Most pages state what a corpus needs in their head: Open Graph
and `article:` meta tags, schema.org JSON-LD, `<title>`, the canonical link.
This reads those, and for the date, where the tags state none, htmldate's
quick search (the URL, `<time>` elements); a page that only shows its date in
its text has none here (`html_metadata = "full"` asks trafilatura).
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import unescape
from typing import Any
from urllib.parse import urlsplit

META_FIELDS = ("title", "author", "date", "url", "hostname", "sitename", "description", "categories", "tags")
HEAD = 300_000  # characters of the page read for its tags
_URL_TAGS = re.compile(
    r"<link\b[^>]*\brel\s*=\s*[\"']?canonical\b[^>]*>|<meta\b[^>]*\bproperty\s*=\s*[\"']og:url[\"'][^>]*>", re.I)
_URL_ATTR = re.compile(r"\b(?:href|content)\s*=\s*[\"']([^\"']+)[\"']", re.I)
_META = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(name|property|itemprop|content)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_JSON_LD = re.compile(r"""<script\b[^>]*type\s*=\s*["']application/ld\+json["'][^>]*>(.*?)</script\s*>""", re.I | re.S)
_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_SPACE = re.compile(r"\s+")
_TITLE_PARTS = re.compile(r"\s+[|•·»:–—-]{1,2}\s+")

TITLE_KEYS = ("og:title", "twitter:title")
AUTHOR_KEYS = ("author", "article:author", "parsely-author", "dc.creator", "sailthru.author")
DATE_KEYS = ("article:published_time", "og:article:published_time", "datepublished", "date", "pubdate",
             "publishdate", "dc.date", "dc.date.issued", "dcterms.date", "parsely-pub-date", "sailthru.date",
             "article:modified_time", "og:updated_time")
SITE_KEYS = ("og:site_name", "application-name")
DESCRIPTION_KEYS = ("description", "og:description", "twitter:description")


def page_url(html: str) -> str | None:
    """The page's canonical or og:url address, from its head."""
    for tag in _URL_TAGS.finditer(html[:200_000]):
        attr = _URL_ATTR.search(tag.group(0))
        if attr and host_of(attr.group(1)):
            return attr.group(1).strip()
    return None


def page_host(html: str) -> str | None:
    """The host of the page's canonical or og:url address, read before extraction (for a site's prune rules)."""
    return host_of(page_url(html))


def host_of(url: object) -> str | None:
    """The host of an absolute URL (a record's, a WARC's, a page's canonical one), lower-cased; else None."""
    if not isinstance(url, str):
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def record_url(record: Mapping[str, Any]) -> str | None:
    """A corpus record's address: its `url` field, else `metadata.url` (the datatrove / dolma conventions)."""
    metadata = record.get("metadata")
    url = record.get("url") or (metadata.get("url") if isinstance(metadata, dict) else None)
    return url if isinstance(url, str) else None


def page_metadata(html: str) -> dict[str, Any]:
    """META_FIELDS from the page's tags; the date, where the tags state none, by htmldate's quick search
    (the URL, `<time>` elements, the tags it knows: about 2 ms); None where a page states nothing."""
    head = html[:HEAD]
    tags = _meta_tags(head)
    ld = _json_ld(head)
    title = _first(tags, TITLE_KEYS) or _clean(ld.get("headline")) or _title_tag(head)
    url = page_url(head)
    found: dict[str, Any] = {
        "title": title,
        "author": _first(tags, AUTHOR_KEYS, skip_urls=True) or _clean(_author(ld.get("author"))),
        "date": _day(_first(tags, DATE_KEYS) or ld.get("datePublished") or ld.get("dateModified")) or _found_date(html),
        "url": url,
        "hostname": host_of(url),
        "sitename": _first(tags, SITE_KEYS),
        "description": _first(tags, DESCRIPTION_KEYS),
        "categories": [v for v in (tags.get("article:section") or []) if v] or None,
        "tags": [v for v in (tags.get("article:tag") or _split(tags.get("keywords"))) if v] or None,
    }
    return {name: found[name] for name in META_FIELDS}


def _found_date(html: str) -> str | None:
    from htmldate import find_date

    try:
        return find_date(html, extensive_search=False, original_date=True)
    except Exception:  # htmldate on a page it cannot parse: no date, not a failed document
        return None


def _meta_tags(head: str) -> dict[str, list[str]]:
    """Each meta tag's name (or property, itemprop), lower-cased, with the contents it was given, in order."""
    tags: dict[str, list[str]] = {}
    for tag in _META.findall(head):
        # a value in double quotes, else in single ones: findall gives "" for the quotes not used
        attrs = {name.lower(): double or single for name, double, single in _ATTR.findall(tag)}
        key = attrs.get("name") or attrs.get("property") or attrs.get("itemprop")
        value = _clean(attrs.get("content"))
        if key and value:
            tags.setdefault(key.strip().lower(), []).append(value)
    return tags


def _json_ld(head: str) -> dict[str, Any]:
    """The first schema.org object with a headline or a date, from the page's JSON-LD blocks."""
    for block in _JSON_LD.finditer(head):
        try:
            data = json.loads(block.group(1))
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack += item
            elif isinstance(item, dict):
                if "headline" in item or "datePublished" in item:
                    return item
                stack += [v for k, v in item.items() if k == "@graph"]
    return {}


def _first(tags: dict[str, list[str]], keys: tuple[str, ...], skip_urls: bool = False) -> str | None:
    for key in keys:
        for value in tags.get(key, []):
            if not (skip_urls and value.startswith(("http://", "https://"))):
                return value
    return None


def _author(value: Any) -> str | None:
    if isinstance(value, list):
        names = [_author(v) for v in value]
        return "; ".join(n for n in names if n) or None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return _SPACE.sub(" ", unescape(value)).strip() or None


def _title_tag(head: str) -> str | None:
    """The `<title>`, without the site's name where a separator sets it off ("Headline | Site")."""
    found = _TITLE.search(head)
    title = _clean(found.group(1)) if found else None
    if title is None:
        return None
    parts = [p.strip() for p in _TITLE_PARTS.split(title) if p.strip()]
    return max(parts, key=len) if len(parts) > 1 else title


def _day(value: Any) -> str | None:
    """YYYY-MM-DD, as trafilatura gives dates; None for a value that does not start with one."""
    found = _DAY.match(value) if isinstance(value, str) else None
    return "-".join(found.groups()) if found else None


def _split(value: list[str] | None) -> list[str]:
    return [part.strip() for v in value or [] for part in v.split(",")]
