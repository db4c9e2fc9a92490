"""An HTML page of the site to a ParsedPage: the text parser, plus what only markup carries.

The page is first rendered to the same block text as the seeds
(:func:`extraction.html_text.html_to_block_text`), so HTML and text pages go through one parser
and give the same items. The markup then adds the URLs that text cannot show: the canonical
URL of the article, the article each sidebar teaser links to, and the article links a crawl
may follow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlsplit

from extraction.blocks import is_navigation
from extraction.html_text import read_html
from extraction.normalize import fold
from extraction.parsed import (
    DateEvidence,
    ParsedArticle,
    ParsedDate,
    ParsedPage,
    ParsedTeaser,
)
from extraction.text_page import parse_page
from extraction.urls import is_article_url

# Shorter link texts or teaser starts ("More", "CSTO") would tie a teaser to any link.
MIN_MATCH_LENGTH = 16
# A teaser's start: enough of its first line to recognise it inside a link's text.
TEASER_START_LENGTH = 100


@dataclasses.dataclass(frozen=True)
class _Link:
    url: str
    folded_text: str


def parse_html_page(body: bytes, url: str, encoding: str | None = None) -> ParsedPage:
    """Parse an HTML page fetched from ``url`` (a web address or a ``file://`` fixture).

    ``encoding`` is the charset the server declared, if any; the page's own ``<meta>``
    declaration and a byte-order mark are weighed as in :func:`extraction.html_text.read_html`.
    """
    return read_html_page(body, url, encoding)[0]


def read_html_page(
    body: bytes, url: str, encoding: str | None = None
) -> tuple[ParsedPage, list[tuple[str, str]]]:
    """:func:`parse_html_page`, and every link of the page (menus and pager included) for a
    crawl to follow, from one parse of the markup."""
    reading = read_html(body, url, encoding=encoding)
    page_url = reading.canonical or url
    page = parse_page(reading.text, url=page_url)
    if page.warning:
        return page, reading.every_link
    links = _article_links(reading.links, _web_address(url, reading.canonical))
    teasers = tuple(_with_url(teaser, links) for teaser in page.teasers)
    followed = tuple(dict.fromkeys(link.url for link in links if link.url != page_url))
    article = _dated_by_markup(page.article, reading.published)
    return dataclasses.replace(page, teasers=teasers, links=followed, article=article), reading.every_link


def _dated_by_markup(article: ParsedArticle | None, published: str | None) -> ParsedArticle | None:
    """A publication date in the markup is as strong as the site's date line."""
    if article is None or published is None:
        return article
    if article.published and article.published.evidence == DateEvidence.LINE:
        return article
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return article
    return dataclasses.replace(article, published=ParsedDate(day, DateEvidence.LINE))


def _web_address(url: str, canonical: str | None) -> str | None:
    """Where the page lives on the web: where it was fetched, or for a saved file its canonical."""
    return url if url.startswith(("http://", "https://")) else canonical


def _article_links(links: Sequence[tuple[str, str]], web_address: str | None) -> list[_Link]:
    """The page's links to articles of its own site, never the navigation links.

    Another site's URL can have an article's shape (a source link
    ``https://mir24.tv/news/<id>/<slug>``), so when the page's site is known only its host
    counts.
    """
    host = urlsplit(web_address).netloc.lower() if web_address else None
    return [
        _Link(link_url, fold(text))
        for link_url, text in links
        if is_article_url(link_url)
        and (host is None or urlsplit(link_url).netloc.lower() == host)
        and not is_navigation(text)
    ]


def _with_url(teaser: ParsedTeaser, links: Sequence[_Link]) -> ParsedTeaser:
    """The teaser tied to the first article link whose visible text is the teaser's."""
    folded = fold(teaser.text)
    start = fold(teaser.text.split("\n", 1)[0])[:TEASER_START_LENGTH]
    for link in links:
        if _texts_match(folded, start, link.folded_text):
            return dataclasses.replace(teaser, url=link.url)
    return teaser


def _texts_match(teaser: str, teaser_start: str, link_text: str) -> bool:
    """A link around (part of) the teaser, or a link whose text holds the teaser's start."""
    if len(link_text) >= MIN_MATCH_LENGTH and link_text in teaser:
        return True
    return len(teaser_start) >= MIN_MATCH_LENGTH and teaser_start in link_text
