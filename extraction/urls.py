"""URL rules: one spelling per article URL, and which URLs are a site's articles.

A leaf module: it imports nothing of newswatch, so the parser, the store and the crawler can
all share these rules without depending on one another.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import parse_qsl, urlsplit

PAGE_PARAMETER = re.compile(r"^(?:PAGEN_\d+|page|pg|paged|pagenum|page_no|start|limitstart)$", re.IGNORECASE)
"""A listing's page number in the query, as common pagers spell it (Bitrix ``PAGEN_1``,
Drupal ``page``, Joomla ``start``...). Not ``p``: WordPress's ``?p=123`` is a post."""
PAGE_PATH = re.compile(r"^(?P<listing>.*/)page/(?P<number>\d+)/?$")
"""A listing's page number in the path: WordPress ``/news/page/2/``."""
PLACEHOLDERS = {
    "<number>": r"\d+",
    "<year>": r"(?:19|20)\d\d",
    "<month>": r"(?:0?[1-9]|1[0-2])",
    "<day>": r"(?:0?[1-9]|[12]\d|3[01])",
    "<slug>": r"[^/?#&]+",
    "*": r"[^/?#&]+",
}
"""What each placeholder of an article pattern stands for. ``<slug>`` and ``*`` are the same
(any text inside one path segment or query value); a learnt pattern writes ``*`` where the
values repeat (a section) and ``<slug>`` where each article has its own."""
_PLACEHOLDER = re.compile("|".join(re.escape(name) for name in PLACEHOLDERS) + r"|<[^<>/]*>")
ALTERNATIVES = " | "
"""Between the alternatives of one pattern: ``/news/*/*/ | /documents/*/*/``."""
SPECIAL = frozenset("<>*|?&=")
"""Characters with a meaning in a pattern: a URL's text that holds one is no fixed part."""


_ORIGIN = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*")
_FROM_ROOT = re.compile(r"^(?:/(?!/)|(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/?#])")
"""A path from the site's root, or an address with a host (and maybe a scheme)."""
_DROPPED_BY_URLSPLIT = re.compile(r"[\t\r\n]")
"""Removed before an address is read: ``/<tab>/x`` is ``//x``, another host."""


def joining_base(href: str, base: str) -> str:
    """As much of ``base`` as ``urljoin(base, href)`` depends on, with the same result: its
    origin for an address from the site's root (``/news/a/``) or one with a host, else all
    of it. Joined to the origin, the links every page of a site repeats (menus, the newest
    articles) are joined once per site by a cache, not once per page."""
    origin = _ORIGIN.match(base)
    if origin and _FROM_ROOT.match(href) and not _DROPPED_BY_URLSPLIT.search(href):
        return origin[0]
    return base


Verdict = TypeVar("Verdict")
MAX_JUDGED_URLS = 65_536
"""More URLs than a crawl of one site asks about; past it, the answers start over, so that a
rule kept for a long time holds no more than this."""


class UrlVerdicts(Generic[Verdict]):
    """``judge``'s answer for each URL, asked of it once (until ``MAX_JUDGED_URLS`` are kept).

    Every page of a site links the same menus, sections and newest articles, so a crawl asks
    "is this an article?", "is this on the site?" of the same URLs again and again: a
    twentieth of its CPU when answered afresh each time."""

    __slots__ = ("_judge", "_known")

    def __init__(self, judge: Callable[[str], Verdict]) -> None:
        self._judge = judge
        self._known: dict[str, Verdict] = {}

    def __call__(self, url: str) -> Verdict:
        try:
            return self._known[url]
        except KeyError:
            pass
        if len(self._known) >= MAX_JUDGED_URLS:
            self._known.clear()
        verdict = self._known[url] = self._judge(url)
        return verdict


@dataclass(frozen=True)
class ArticleUrls:
    """Which URLs of a site are its articles: a pattern on their path (and query).

    The pattern is written as the URL's path with placeholders (docs/architecture.md, "Which
    links are articles"): ``/news/<number>-<slug>.html``, ``/<year>/<month>/<day>/<slug>/``,
    ``/view.aspx?ID=<number>``; alternatives are joined by `` | ``. The path must match whole;
    the parameters a pattern names must be in the URL's query, which may hold others too (a
    tracking parameter, a listing's page). The trailing slash counts for nothing, and a
    numbered page of a listing (``/news/page/2/``) is never an article, whatever the pattern.
    """

    pattern: str
    """As a person writes it, and as the crawl log and ``sites add`` show it."""
    alternatives: tuple[tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]], ...]
    """Each alternative: the path as a regular expression, and each query parameter's name
    with its value's."""
    _verdicts: UrlVerdicts[bool] = field(init=False, repr=False, compare=False)

    @classmethod
    def from_pattern(cls, pattern: str) -> ArticleUrls:
        """The rule a pattern describes; a ValueError says what is wrong with the pattern."""
        texts = [part.strip() for part in pattern.split("|")]
        if not all(texts):
            raise ValueError(f"article pattern {pattern!r}: an alternative is empty")
        return cls(ALTERNATIVES.join(texts), tuple(_alternative(text) for text in texts))

    def __post_init__(self) -> None:
        object.__setattr__(self, "_verdicts", UrlVerdicts(self._judge))

    def matches(self, url: str | None) -> bool:
        """True for an article's URL (absolute, or a path)."""
        return bool(url) and self._verdicts(url)

    def _judge(self, url: str) -> bool:
        parts = urlsplit(_SCHEME_AND_HOST.sub("", url.strip()))
        if PAGE_PATH.match(parts.path):
            return False
        query = parse_qsl(parts.query, keep_blank_values=True) if parts.query else []
        return any(
            path.fullmatch(parts.path)
            and all(any(n == name and value.fullmatch(v) for n, v in query) for name, value in parameters)
            for path, parameters in self.alternatives
        )


def _alternative(pattern: str) -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """One alternative of a pattern: its path as a regular expression, its query parameters."""
    if not pattern.startswith("/"):
        raise ValueError(f"article pattern {pattern!r}: it must start with / (the URL's path)")
    path, _, query = pattern.partition("?")
    parameters = []
    for parameter in filter(None, query.split("&")):
        name, equals, value = parameter.partition("=")
        if not name or not equals:
            raise ValueError(f"article pattern {pattern!r}: {parameter!r} is not NAME=VALUE")
        parameters.append((name, re.compile(_regex_of(value, pattern))))
    path_regex = _regex_of(path.rstrip("/"), pattern) + "/?"
    return re.compile(path_regex), tuple(parameters)


def _regex_of(text: str, pattern: str) -> str:
    pieces: list[str] = []
    position = 0
    for placeholder in _PLACEHOLDER.finditer(text):
        if placeholder.group() not in PLACEHOLDERS:
            names = ", ".join(PLACEHOLDERS)
            raise ValueError(f"article pattern {pattern!r}: unknown {placeholder.group()} (known: {names})")
        pieces += [re.escape(text[position : placeholder.start()]), PLACEHOLDERS[placeholder.group()]]
        position = placeholder.end()
    pieces.append(re.escape(text[position:]))
    return "".join(pieces)


_SCHEME_AND_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]*", re.IGNORECASE)
CSTO_HOST = "en.odkb-csto.org"
"""The built-in site, whose article URLs are known: no crawl of it needs to learn them."""
CSTO_ARTICLES = ArticleUrls.from_pattern("/news/*/*/ | /documents/*/*/")
"""The built-in site's articles and documents: ``/news/<section>/<slug>/``; a pager's
``/news/page/2/`` is none."""
NO_ARTICLES = ArticleUrls("", ())
"""A site whose articles are not known (yet): no URL is one."""


@functools.lru_cache(maxsize=8192)
def canonical(url: str | None) -> str | None:
    """One spelling per article URL: sorted query, no fragment, a trailing slash on paths.

    Cached: the same teaser links recur on every page whose sidebar shows them. w3lib is
    imported here: the settings read article patterns through this module, and w3lib.url
    brings urllib.request, which a command such as ``newswatch --help`` has no use for.
    """
    from w3lib.url import canonicalize_url

    if not url:
        return None
    url = canonicalize_url(url.strip(), keep_fragments=False)
    head, sep, query = url.partition("?")
    if not head.endswith("/") and "." not in head.rsplit("/", 1)[-1]:
        head += "/"
    return head + sep + query


def is_numbered_listing_page(url: str | None, articles: ArticleUrls = CSTO_ARTICLES) -> bool:
    """True for a page of a listing after its first (``?page=2``, ``?start=10``,
    ``/news/page/3/``), unless the URL is an article's: such a page is a listing, never an
    article, however few teasers its last page holds. A query with more than page numbers
    (``view.html?idx=8576&page=1``: an item that names the listing page it came from) is not
    known to be a listing."""
    if not url or articles.matches(url):
        return False
    parts = urlsplit(url)
    if PAGE_PATH.match(parts.path):
        return True
    query = parse_qsl(parts.query)
    return bool(query) and all(PAGE_PARAMETER.match(name) and value.isdigit() for name, value in query)
