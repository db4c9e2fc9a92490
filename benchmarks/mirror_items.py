"""The synthetic mirror's news items as the parser hands them to the store, made directly.

The store benchmarks need millions of items; parsing that many pages would measure the
parser, not the store. These pages carry what the parser reads off a mirror article page
(tests.support.mirror): the article with its canonical URL and date line, and a sidebar of
teasers linked to their articles.
"""

from __future__ import annotations

from collections.abc import Sequence

from extraction.parsed import (
    DateEvidence,
    ParsedArticle,
    ParsedDate,
    ParsedPage,
    ParsedTeaser,
)
from tests.support.mirror import SIGNATURES, article

ORIGIN = "https://en.odkb-csto.org"


def article_url(index: int) -> str:
    return ORIGIN + article(index).path


def parsed_article(index: int) -> ParsedArticle:
    item = article(index)
    body = "\n\n".join([item.lead, *item.paragraphs, SIGNATURES[item.section]])
    date = ParsedDate(item.published, DateEvidence.LINE)
    return ParsedArticle(title=item.title, body=body, published=date, url=article_url(index))


def parsed_teaser(index: int) -> ParsedTeaser:
    item = article(index)
    date = ParsedDate(item.published, DateEvidence.LINE)
    return ParsedTeaser(text=item.lead, published=date, url=article_url(index))


def article_page(index: int, sidebar: Sequence[int] = ()) -> ParsedPage:
    """Article ``index``'s page, with teasers of the articles ``sidebar`` in its sidebar."""
    teasers = tuple(parsed_teaser(teaser) for teaser in sidebar)
    return ParsedPage(url=article_url(index), teasers=teasers, article=parsed_article(index))
