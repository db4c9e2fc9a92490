"""An HTML page to a ParsedPage: its article by evidence, its teasers by their links.

The page is rendered to the same block text as the seeds
(:func:`extraction.html_text.html_to_block_text`) and read by the text parser, which finds
the site's sidebar teasers and a first reading of the article. The markup then decides what
text cannot: the article itself, by evidence (:mod:`extraction.article_evidence`: title,
date, main content, or no article at all), the article each teaser links to, and the article
links a crawl may follow. On an HTML page a teaser that links to no article is not an item:
a menu, a breadcrumb or a footer line never is one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from urllib.parse import urlsplit

from extraction.article_evidence import read_article
from extraction.blocks import is_navigation
from extraction.foreign_dates import declared_language, reading_language
from extraction.html_text import HtmlReading, read_html
from extraction.listing import HEADLINE_LENGTH
from extraction.metadata import read_metadata
from extraction.normalize import fold
from extraction.parsed import ParsedPage, ParsedTeaser
from extraction.text_page import parse_page
from extraction.urls import CSTO_ARTICLES, NO_ARTICLES, ArticleUrls, is_numbered_listing_page

LISTING_WITHOUT_TEASERS = "a later page of a listing, with no teaser"
"""Why a numbered page of a listing (``?page=2``) with no teaser is not taken as read: the
listing ended, or its cards are no longer read."""

# Shorter link texts or teaser starts ("More", "CSTO") would tie a teaser to any link.
MIN_MATCH_LENGTH = 16
# A teaser's start: enough of its first line to recognise it inside a link's text.
TEASER_START_LENGTH = 100


@dataclasses.dataclass(frozen=True)
class _Link:
    url: str
    folded_text: str


def parse_html_page(
    body: bytes, url: str, encoding: str | None = None, articles: ArticleUrls | None = CSTO_ARTICLES
) -> ParsedPage:
    """Parse an HTML page fetched from ``url`` (a web address or a ``file://`` fixture).

    ``encoding`` is the charset the server declared, if any; the page's own ``<meta>``
    declaration and a byte-order mark are weighed as in :func:`extraction.html_text.read_html`.
    ``articles`` says which of the site's URLs are articles (None: none is known, so no
    teaser is tied to one and the page's own URL promises no article).
    """
    return read_html_page(body, url, encoding, articles)[0]


def read_html_page(
    body: bytes,
    url: str,
    encoding: str | None = None,
    articles: ArticleUrls | None = CSTO_ARTICLES,
    language: str | None = None,
) -> tuple[ParsedPage, list[tuple[str, str]]]:
    """:func:`parse_html_page`, and every link of the page (menus and pager included) for a
    crawl to follow, from one parse of the markup. ``language`` is the site's, if the sites
    file says it; else the page's own ``<html lang>`` tells which language its dates are in."""
    reading = read_html(body, url, encoding=encoding)
    if reading.root is None:
        return ParsedPage(url=url, warning="empty page: no visible text"), reading.every_link
    with reading_language(language or declared_language(reading.root)):
        return _read_html_page(reading, url, articles)


def _read_html_page(
    reading: HtmlReading, url: str, articles: ArticleUrls | None
) -> tuple[ParsedPage, list[tuple[str, str]]]:
    articles = articles or NO_ARTICLES
    page_url = reading.canonical or url
    text_page = parse_page(reading.text, url=page_url, articles=articles)
    web_address = _web_address(url, reading.canonical)
    links = _article_links(reading.links, web_address, articles)
    teasers = tuple(linked for t in text_page.teasers if (linked := _with_url(t, links)).url)
    followed = tuple(dict.fromkeys(link.url for link in links if link.url != page_url))
    if is_numbered_listing_page(url, articles) or is_numbered_listing_page(page_url, articles):
        return _later_listing_page(
            page_url, text_page, teasers, followed, reading.next_page
        ), reading.every_link
    found = read_article(
        reading.root,
        read_metadata(reading.root),
        text_page.article,
        page_url=web_address,
        article_url=page_url if articles.matches(page_url) else None,
        page_text=reading.text,
    )
    article = found.article
    if article is not None:
        teasers = tuple(t for t in teasers if t.url != page_url)
    warning = (
        None
        if found.listing
        else _unsure(found.reason, text_page, teasers, expected_article=articles.matches(page_url))
    )
    page = ParsedPage(
        url=page_url,
        teasers=teasers,
        article=article,
        warning=warning,
        links=followed,
        next_page=reading.next_page,
    )
    return page, reading.every_link


def _later_listing_page(
    page_url: str, text_page: ParsedPage, teasers: tuple, followed: tuple[str, ...], next_page: str | None
) -> ParsedPage:
    """A numbered page of a listing (``?page=2``): its address says it holds no article, so
    none is looked for (the main content's extraction is most of the cost of reading a page,
    and twice as much on a listing, where it finds no article). Its teasers are its items;
    without any, it is not taken as read."""
    warning = None if teasers else (text_page.warning or LISTING_WITHOUT_TEASERS)
    return ParsedPage(page_url, teasers=teasers, warning=warning, links=followed, next_page=next_page)


def _web_address(url: str, canonical: str | None) -> str | None:
    """Where the page lives on the web: where it was fetched, or for a saved file its canonical."""
    return url if url.startswith(("http://", "https://")) else canonical


def _unsure(
    reason: str | None, text_page: ParsedPage, teasers: tuple, *, expected_article: bool
) -> str | None:
    """Why the page is not read whole, when it is not: nothing found at all, or an article
    that the URL or the text promised and the evidence did not confirm (its teasers, if
    any, are still published)."""
    if reason is None:
        return None
    if expected_article or text_page.article is not None:
        return f"article not published: {reason}"
    return None if teasers else (text_page.warning or reason)


def _article_links(
    links: Sequence[tuple[str, str]], web_address: str | None, articles: ArticleUrls
) -> list[_Link]:
    """The page's links to articles of its own site, never the navigation links.

    Another site's URL can have an article's shape (a source link
    ``https://mir24.tv/news/<id>/<slug>``), so when the page's site is known only its host
    counts.
    """
    host = urlsplit(web_address).netloc.lower() if web_address else None
    return [
        _Link(link_url, fold(text))
        for link_url, text in links
        if articles.matches(link_url)
        and (host is None or urlsplit(link_url).netloc.lower() == host)
        and not is_navigation(text)
    ]


def _with_url(teaser: ParsedTeaser, links: Sequence[_Link]) -> ParsedTeaser:
    """The teaser tied to the first article link whose visible text is the teaser's; none
    when the teaser holds the headlines of several articles: a block that merged items (a
    listing read as one paragraph) is no item, whichever of them it would be tied to."""
    folded = fold(teaser.text)
    start = fold(teaser.text.split("\n", 1)[0])[:TEASER_START_LENGTH]
    headlines = {
        link.url for link in links if len(link.folded_text) >= HEADLINE_LENGTH and link.folded_text in folded
    }
    if len(headlines) > 1:
        return teaser
    for link in links:
        if _texts_match(folded, start, link.folded_text):
            return dataclasses.replace(teaser, url=link.url)
    return teaser


def _texts_match(teaser: str, teaser_start: str, link_text: str) -> bool:
    """A link around (part of) the teaser, or a link whose text holds the teaser's start."""
    if len(link_text) >= MIN_MATCH_LENGTH and link_text in teaser:
        return True
    return len(teaser_start) >= MIN_MATCH_LENGTH and teaser_start in link_text
