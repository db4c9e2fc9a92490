"""Which links of a page a crawl may follow: articles, listings of the section, pagination.

The live site's markup is unknown to us (docs/architecture.md, "The pages"), so links are told apart only by where
they point and what they say, never by CSS classes or their place in the markup; a new
layout then cannot silently hide the news from the crawler:

* an **article** is ``/news/<section>/<slug>/`` or ``/documents/<section>/<slug>/``
  (:func:`extraction.urls.is_article_url`);
* a **listing** is a start URL's section (``/news/``) or a subsection right below it
  (``/news/news_odkb/``);
* **pagination** is Bitrix's: the same listing with a ``PAGEN_<n>=<k>`` query parameter,
  page 1 being the listing without it; a link whose whole text says "Next" (or ``»``) also
  leads on.

Only links to a start URL's host and port are kept: an offsite link is never followed,
whatever its path looks like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from extraction.urls import canonical, is_article_url

Link = tuple[str, str]
"""``(absolute URL, visible link text)``, as :func:`extraction.html_text.extract_links` gives."""

_PAGE_PARAMETER = re.compile(r"^PAGEN_\d+$")
_NEXT_TEXT = re.compile(r"^(?:next(?: page)?|older(?: news)?|»|›|→|>>?)$", re.IGNORECASE)


@dataclass(frozen=True)
class Site:
    """Where a crawl may go: the start URLs' hosts, and their sections for listings."""

    origins: tuple[str, ...]
    """``scheme://host[:port]`` of each start URL."""
    sections: tuple[str, ...]
    """The path of each start URL's section, e.g. ``/news/``."""

    @classmethod
    def of(cls, start_urls: Sequence[str]) -> Site:
        parts = [urlsplit(url) for url in start_urls]
        origins = tuple(dict.fromkeys(f"{part.scheme}://{part.netloc.lower()}" for part in parts))
        sections = tuple(dict.fromkeys(part.path.rsplit("/", 1)[0] + "/" for part in parts))
        return cls(origins, sections)

    @property
    def domains(self) -> list[str]:
        """Host names, for Scrapy's OffsiteMiddleware (which then drops offsite redirects)."""
        return [host for host in (urlsplit(origin).hostname for origin in self.origins) if host]

    def local(self, url: str) -> str | None:
        """The URL in its one spelling if it is on the site (the start URL's scheme), else None."""
        part = urlsplit(url)
        if part.scheme not in ("http", "https"):
            return None
        for origin in self.origins:
            scheme, _, netloc = origin.partition("://")
            if part.netloc.lower() == netloc:
                return canonical(urlunsplit((scheme, netloc, part.path or "/", part.query, "")))
        return None

    def is_section(self, url: str) -> bool:
        """A section or a subsection right below it: the listings a crawl walks."""
        part = urlsplit(url)
        return not part.query and any(
            part.path == section or re.fullmatch(re.escape(section) + r"[^/]+/", part.path)
            for section in self.sections
        )


@dataclass(frozen=True)
class PageLinks:
    """The links of one page that a crawl may follow, sorted by what they lead to."""

    articles: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    """Sections and subsections (their first page)."""
    pages: tuple[str, ...] = ()
    """The other pages of this listing."""
    next_page: str | None = None


def page_links(page_url: str, links: Iterable[Link], site: Site) -> PageLinks:
    """Sort a page's links; offsite ones and everything else are dropped."""
    articles: dict[str, None] = {}
    listings: dict[str, None] = {}
    pages: dict[str, None] = {}
    nexts: list[str] = []
    here = urlsplit(page_url).path
    for raw, text in links:
        url = site.local(raw)
        if url is None:
            continue
        if is_article_url(url):
            articles[url] = None
        elif urlsplit(url).path == here and _is_page_of_listing(url):
            pages[_without_page_one(url)] = None
        elif site.is_section(url):
            listings[url] = None
        if _NEXT_TEXT.match(text.strip()) and not is_article_url(url):
            nexts.append(_without_page_one(url))
    pages.pop(_without_page_one(page_url), None)
    return PageLinks(tuple(articles), tuple(listings), tuple(pages), _next_page(page_url, pages, nexts))


def followable(links: Iterable[Link], site: Site) -> list[Link]:
    """The on-site links worth remembering, so that a page answered 304 can still be walked."""
    return [(url, text) for url, text in links if site.local(url) is not None]


def page_number(url: str) -> int:
    """The listing page a URL shows: its ``PAGEN_n`` value, 1 without one."""
    for name, value in parse_qsl(urlsplit(url).query):
        if _PAGE_PARAMETER.match(name) and value.isdigit():
            return int(value)
    return 1


def _is_page_of_listing(url: str) -> bool:
    query = parse_qsl(urlsplit(url).query)
    return not query or any(_PAGE_PARAMETER.match(name) for name, _ in query)


def _without_page_one(url: str) -> str:
    """Page 1 of a Bitrix listing is the listing itself: one URL for one page."""
    part = urlsplit(url)
    query = [
        (name, value)
        for name, value in parse_qsl(part.query)
        if not (_PAGE_PARAMETER.match(name) and value == "1")
    ]
    return urlunsplit(part._replace(query=urlencode(query)))


def _next_page(page_url: str, pages: dict[str, None], nexts: list[str]) -> str | None:
    """The page after this one: page k+1 of the pager, else a "Next" link."""
    wanted = page_number(page_url) + 1
    numbered = [url for url in pages if page_number(url) == wanted]
    return (numbered or nexts or [None])[0]
