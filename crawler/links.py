"""Which links of a page a crawl may follow: articles, listings of the section, pagination.

The live site's markup is unknown to us (docs/architecture.md, "The pages"), so links are told apart only by where
they point and what they say, never by CSS classes or their place in the markup; a new
layout then cannot silently hide the news from the crawler:

* an **article** is a URL the site's rule matches (:class:`extraction.urls.ArticleUrls`):
  the built-in site's ``/news/<section>/<slug>/`` and ``/documents/<section>/<slug>/``, a
  pattern the user gave, or one learnt from a listing page (:mod:`extraction.url_learning`);
  while a site's rule is not known, no link is an article;
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
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit, urlunsplit

from crawler.pagination import is_page_of, page_mark, read_pager
from extraction.urls import CSTO_ARTICLES, NO_ARTICLES, ArticleUrls, UrlVerdicts, canonical

Link = tuple[str, str]
"""``(absolute URL, visible link text)``, as :func:`extraction.html_text.extract_links` gives."""


@dataclass(frozen=True)
class Site:
    """Where a crawl may go: the start URLs' hosts, their sections for listings, and which
    of their URLs are articles."""

    origins: tuple[str, ...]
    """``scheme://host[:port]`` of each start URL."""
    sections: tuple[str, ...]
    """The path of each start URL's section, e.g. ``/news/``."""
    articles: ArticleUrls | None = CSTO_ARTICLES
    """The site's article URLs; None while they are not known (nothing is followed as one)."""
    _local: UrlVerdicts[str | None] = field(init=False, repr=False, compare=False)
    _section: UrlVerdicts[bool] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Every page links the same URLs: each is judged once per site (UrlVerdicts)."""
        object.__setattr__(self, "_local", UrlVerdicts(self._judge_local))
        object.__setattr__(self, "_section", UrlVerdicts(self._judge_section))

    @classmethod
    def of(cls, start_urls: Sequence[str], articles: ArticleUrls | None = CSTO_ARTICLES) -> Site:
        parts = [urlsplit(url) for url in start_urls]
        origins = tuple(dict.fromkeys(f"{part.scheme}://{part.netloc.lower()}" for part in parts))
        sections = tuple(dict.fromkeys(part.path.rsplit("/", 1)[0] + "/" for part in parts))
        return cls(origins, sections, articles)

    def with_articles(self, articles: ArticleUrls) -> Site:
        """The same site, its article URLs now known."""
        return replace(self, articles=articles)

    def is_article(self, url: str | None) -> bool:
        return (self.articles or NO_ARTICLES).matches(url)

    @property
    def host(self) -> str:
        """The site's name in the log: its first start URL's host."""
        return urlsplit(self.origins[0]).netloc if self.origins else ""

    @property
    def domains(self) -> list[str]:
        """Host names, for Scrapy's OffsiteMiddleware (which then drops offsite redirects)."""
        return [host for host in (urlsplit(origin).hostname for origin in self.origins) if host]

    def local(self, url: str) -> str | None:
        """The URL in its one spelling if it is on the site (the start URL's scheme), else None."""
        return self._local(url)

    def _judge_local(self, url: str) -> str | None:
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
        return self._section(url)

    def _judge_section(self, url: str) -> bool:
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
        if site.is_article(url):
            articles[url] = None
        elif site.is_section(url):
            listings[url] = None
    next_page = None if pager.next_page and site.is_article(pager.next_page) else pager.next_page
    return PageLinks(tuple(articles), tuple(listings), pager.pages, next_page)


def followable(links: Iterable[Link], site: Site) -> list[Link]:
    """The on-site links worth remembering, so that a page answered 304 can still be walked."""
    return [(url, text) for url, text in links if site.local(url) is not None]


def page_number(url: str) -> int:
    """The listing page a URL shows as its pager writes it: 1 without a page marker."""
    number = page_mark(url).number
    return 1 if number is None else number
