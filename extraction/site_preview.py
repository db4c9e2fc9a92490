"""What newswatch would watch on a site, from one fetched listing page: for `sites add`.

Before a site is added its user should see what the crawl will make of it: how many news items
its listing page links, a few of them (title, date, address), and which of its URLs count as
articles, learnt (:mod:`extraction.url_learning`) or as given, or why none do. The page is read
as a crawl's first listing page is, with the same rule, so what the preview shows is what the
crawl will follow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from extraction.dates import date_of_text
from extraction.decoding import html_charset
from extraction.html_text import read_html
from extraction.listing import HEADLINE_LENGTH, teaser_cards
from extraction.page_reader import learn_articles_of_page, looks_like_a_page_of_html, read_page
from extraction.url_learning import LearntArticleUrls
from extraction.urls import ArticleUrls

EXAMPLES = 3


@dataclass(frozen=True)
class PreviewItem:
    """One news item the listing links: its headline, its date if the card shows one."""

    title: str
    published: dt.date | None
    url: str


@dataclass(frozen=True)
class SitePreview:
    """What a crawl of the site would find on this page, or why it would find nothing."""

    url: str
    items: tuple[PreviewItem, ...] = ()
    articles: ArticleUrls | None = None
    how: str = ""
    """Where the article rule comes from (learnt from how many links, or given)."""
    refusal: str | None = None
    """``no news items: ...`` when the page gives nothing to watch."""

    @property
    def examples(self) -> tuple[PreviewItem, ...]:
        return self.items[:EXAMPLES]


def preview_site(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    article_pattern: str | None = None,
    language: str | None = None,
) -> SitePreview:
    """The preview of a site from its listing page ``body`` fetched from ``url``.

    ``article_pattern`` is the user's, if given (a ValueError says what is wrong with it);
    otherwise the rule is learnt from the page.
    """
    if not looks_like_a_page_of_html(body, content_type, url):
        return SitePreview(url, refusal="no news items: the page is no HTML page, so it links no articles")
    if article_pattern:
        articles = ArticleUrls.from_pattern(article_pattern)
        how = f"{articles.pattern}, as given"
    else:
        learnt: LearntArticleUrls = learn_articles_of_page(body, url=url, content_type=content_type)
        if learnt.articles is None:
            return SitePreview(url, how=learnt.reason, refusal=f"no news items: {learnt.reason}")
        articles, how = learnt.articles, learnt.reason
    items = _items(body, url, content_type, articles, language)
    refusal = None if items else f"no news items: no headline on the page links a URL of {articles.pattern}"
    return SitePreview(url, items, articles, how, refusal)


def _items(
    body: bytes, url: str, content_type: str | None, articles: ArticleUrls, language: str | None
) -> tuple[PreviewItem, ...]:
    """The listing's articles, each once, in page order, with the date their card shows, or
    else the one the crawl's reading of the page gives them (a date line in a language the
    prose rules do not read)."""
    reading = read_html(body, url, encoding=html_charset(body, content_type))
    if reading.root is None:
        return ()
    cards = teaser_cards(reading.root, url)
    page = read_page(body, url=url, content_type=content_type, articles=articles, language=language)
    read_dates = {teaser.url: teaser.published.value for teaser in page.teasers if teaser.published}
    items: dict[str, PreviewItem] = {}
    for link, text in reading.every_link:
        title = " ".join(text.split())
        if link in items or len(title) < HEADLINE_LENGTH or not articles.matches(link):
            continue
        card = cards.get(link)
        named = date_of_text(card.text) if card else None
        items[link] = PreviewItem(title, named.value if named else read_dates.get(link), link)
    return tuple(items.values())
