"""Which links of a page a crawl may follow: articles, listings of the section, pagination.

The live site's markup is unknown to us (docs/architecture.md, "The pages"), so links are told apart only by where
they point and what they say, never by CSS classes or their place in the markup; a new
layout then cannot silently hide the news from the crawler:

* an **article** is ``/news/<section>/<slug>/`` or ``/documents/<section>/<slug>/``
  (:func:`extraction.urls.is_article_url`);
* a **listing** is a start URL's section (``/news/``) or a subsection right below it
  (``/news/news_odkb/``);
* **pagination** is any common pager's (:mod:`crawler.pagination`): the same listing with a
  page parameter or a ``/page/N/`` path, page 1 being the listing itself, and links that say
  "Next" or "Load more" or carry ``rel="next"``. A page of a listing is never an article,
  whatever its path looks like.

Only links to a start URL's host and port are kept: an offsite link is never followed,
whatever its path looks like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from crawler.pagination import is_page_of, page_mark, read_pager
from extraction.urls import canonical, is_article_url

Link = tuple[str, str]
"""``(absolute URL, visible link text)``, as :func:`extraction.html_text.extract_links` gives."""


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
    local = [(url, text) for raw, text in links if (url := site.local(raw)) is not None]
    pager = read_pager(page_url, local)
    pages = set(pager.pages) | {page_url}
    articles: dict[str, None] = {}
    listings: dict[str, None] = {}
    for url, _ in local:
        if url in pages or is_page_of(url, page_url):
            continue
        if is_article_url(url):
            articles[url] = None
        elif site.is_section(url):
            listings[url] = None
    next_page = None if pager.next_page and is_article_url(pager.next_page) else pager.next_page
    return PageLinks(tuple(articles), tuple(listings), pager.pages, next_page)


def followable(links: Iterable[Link], site: Site) -> list[Link]:
    """The on-site links worth remembering, so that a page answered 304 can still be walked."""
    return [(url, text) for url, text in links if site.local(url) is not None]


def page_number(url: str) -> int:
    """The listing page a URL shows as its pager writes it: 1 without a page marker."""
    number = page_mark(url).number
    return 1 if number is None else number
