"""The name a group found from text goes by: the site its pages name, else its most distinctive line.

Pages usually say whose they are: the site's name above every page (`Hacker
Monthly`), an address in the footer or a feed link (`www.zephoria.org`), an
e-mail domain, a copyright line (`© 2012 Eddie Ross`). A name counts on a
page once; the one on most pages wins, if it is on at least two of them (and
a fifth). An address or a line that other groups' pages hold as well is
someone else's (a share button, a platform, a network's footer, a menu every
site has): only what the group has to itself, or nearly, counts.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from cleaner.learning.chrome import Group

MIN_PAGES = 2
MIN_SHARE = 0.2
OWN_SHARE = 0.8  # of the pages naming an address, at least this share in the group
_HOST = re.compile(r"(?<![\w.@-])(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12})(?![\w-])")
_MAIL = re.compile(r"[\w.+-]+@((?:[a-z0-9-]+\.)+[a-z]{2,12})\b")
_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*(?:©\s*)?(?:\d{4}\s*(?:[-–]\s*\d{4}\s*)?)?[,.]?\s*(?:by\s+)?"
                        r"((?:[A-Z0-9][\w&'’.-]*)(?:\s+(?:[A-Z0-9&][\w&'’.-]*|of|the|and|de|la)){0,5})", re.IGNORECASE)
_NOT_A_SITE = {"php", "html", "htm", "asp", "aspx", "jsp", "js", "css", "jpg", "jpeg", "png", "gif", "pdf", "xml",
               "rss", "txt", "cgi", "mp3", "mp4", "zip", "exe", "doc", "swf"}
_TLDS = {"com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "name", "pro", "mobi", "asia", "tel", "travel",
         "museum", "coop", "aero", "jobs", "xxx", "cat", "io", "tv", "me", "fm", "am", "ly", "to", "co"}
_HOSTED_ON = {"blogspot.com", "wordpress.com", "typepad.com", "tumblr.com", "blogger.com", "livejournal.com"}
_NOT_NAMES = {"all rights reserved", "all", "rights", "the", "copyright"}
HEADER_SHARE = 0.6  # a site's name line stands above the article on this share of its pages or more
HEADER_WORDS = 4
_MENU_WORDS = {"home", "about", "about us", "about me", "contact", "contact us", "archives", "archive", "search",
               "menu", "main menu", "login", "log in", "sign in", "register", "subscribe", "blog", "news", "categories",
               "tags", "recent posts", "popular posts", "comments", "skip to content", "navigation", "follow us",
               "share", "print", "email", "next", "previous", "older posts", "newer posts", "sitemap",
               "privacy policy", "terms of use", "advertise", "faq", "help", "rss", "feed", "top", "back to top",
               "search this site", "links", "pages", "recent comments", "meta", "blogroll", "twitter", "facebook"}


@dataclass
class Names:
    """What a corpus's pages name, page by page, per group: addresses and copyright holders."""

    hosts: dict[str, Counter[str]] = field(default_factory=dict)  # group -> host -> pages naming it
    places: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # group -> host -> the lines naming it
    holders: dict[str, Counter[str]] = field(default_factory=dict)  # group -> copyright holder -> pages
    everywhere: Counter[str] = field(default_factory=Counter)  # host -> pages of any group naming it

    def add(self, label: str, lines: tuple[str, ...]) -> None:
        hosts: set[str] = set()
        holders: set[str] = set()
        places = self.places.setdefault(label, {})
        for line in lines:
            lowered = line.lower()
            if "." in lowered:
                here = {h for h in _HOST.findall(lowered) + _MAIL.findall(lowered) if _a_site(h)}
                hosts |= here
                for host in here:
                    if len(places.setdefault(host, set())) < 3:
                        places[host].add(lowered)
            if "©" in line or "opyright" in lowered or "(c)" in lowered:
                holders.update(h for h in (_holder(m) for m in _COPYRIGHT.findall(line)) if h)
        self.hosts.setdefault(label, Counter()).update(hosts)
        self.holders.setdefault(label, Counter()).update(holders)
        self.everywhere.update(hosts)

    def of(self, group: Group) -> str | None:
        """The group's own name: an address the group has nearly to itself that its header line names or
        that its pages name in several places, else the header line (see header_name), else such an
        address on the most pages, else the copyright holder on most; None if none is on enough of them."""
        need = max(MIN_PAGES, MIN_SHARE * group.pages)
        places = self.places.get(group.label, {})
        hosts = sorted((-n, len(host), host) for host, n in self.hosts.get(group.label, Counter()).items()
                       if n >= need and n >= OWN_SHARE * self.everywhere[host])
        header = header_name(group)
        core = "".join(c for c in header.lower() if c.isalnum()) if header else ""
        for _, _, host in hosts:  # the address the header names, or one the pages name in several places
            if (core and core in host.replace(".", "").replace("-", "")) or len(places.get(host, ())) >= 2:
                return host
        if header or hosts:
            return header or hosts[0][2]
        holders = [(n, name) for name, n in self.holders.get(group.label, Counter()).items() if n >= need]
        return min(holders, key=lambda nh: (-nh[0], nh[1]))[1] if holders else None


def header_name(group: Group) -> str | None:
    """A short line above the article on most of the group's pages, on no other group's, that is no menu
    item (nor a list's bullet point) and that other recurring lines of the group name too (`EDDIE ROSS` beside `About Eddie Ross`): the
    site's name as its pages print it. The one nearest the top wins."""
    need = max(MIN_PAGES, HEADER_SHARE * group.pages)
    found = []
    for form, seen in group.seen.items():
        line = seen.line
        words = _WORDS.sub(" ", form).split()
        if (seen.pages >= need and seen.head >= need and group.spread.get(form, 0) <= seen.pages
                and line[:1].isalnum() and 1 <= len(words) <= HEADER_WORDS and sum(c.isalpha() for c in line) >= 3
                and not any(c.isdigit() for c in line) and not menu_item(form)):
            named_in = re.compile(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b")
            if any(named_in.search(other) for other in group.seen if other != form):
                found.append((seen.at / seen.pages, line.strip(" *•|-")))
    return min(found)[1] if found else None


_WORDS = re.compile(r"[^\w\s]+")


def menu_item(form: str) -> bool:
    """Whether a line's form is a menu item every site has (`* Home`, `Contact us`): no site's name."""
    return " ".join(_WORDS.sub(" ", form).split()) in _MENU_WORDS


def _a_site(host: str) -> bool:
    """An address that can name a site: a known top-level domain (not `wp-settings.php`, not `bob.walsh`),
    not a hosting platform alone."""
    tld = host.rsplit(".", 1)[-1]
    return (tld in _TLDS or len(tld) == 2) and tld not in _NOT_A_SITE and host not in _HOSTED_ON and "." in host


def _holder(name: str) -> str | None:
    name = name.strip(" .,-–")
    return name if len(name) >= 3 and name.lower() not in _NOT_NAMES and any(c.isalpha() for c in name) else None
