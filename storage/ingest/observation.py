"""One sighting of a news item on one page, in the form the store compares and keeps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from extraction.normalize import tidy
from extraction.parsed import DateEvidence, ParsedArticle, ParsedPage, ParsedTeaser
from extraction.urls import canonical


@dataclass(frozen=True)
class Observation:
    """A teaser or an article as seen on a page: the store's unit of input."""

    is_article: bool
    url: str | None
    title: str | None
    summary: str | None
    body: str | None
    published: dt.date | None
    evidence: DateEvidence
    page: str | None = None
    position: int | None = None
    """Where a teaser stood in its page's sidebar (0 = newest); None for an article."""

    def conflicts_with(self, url: str | None) -> bool:
        """Two different article URLs are two news items, however alike their texts."""
        return bool(self.url and url and self.url != url)

    @property
    def identity_text(self) -> str:
        """The text that names the item when keys fail: the teaser, or the article's lead."""
        return self.summary if not self.is_article else lead_of(self.body)

    @classmethod
    def of_teaser(
        cls, teaser: ParsedTeaser, page: str | None = None, position: int | None = None
    ) -> Observation:
        date = teaser.published
        return cls(
            is_article=False,
            url=canonical(teaser.url),
            title=None,
            summary=tidy(teaser.text),
            body=None,
            published=date.value if date else None,
            evidence=date.evidence if date else DateEvidence.NONE,
            page=page,
            position=position,
        )

    @classmethod
    def of_article(cls, article: ParsedArticle, page: str | None = None) -> Observation:
        date = article.published
        return cls(
            is_article=True,
            url=canonical(article.url),
            title=tidy(article.title),
            summary=None,
            body=tidy(article.body),
            published=date.value if date else None,
            evidence=date.evidence if date else DateEvidence.NONE,
            page=page,
        )


def observations_of(page: ParsedPage) -> list[Observation]:
    """A page's items in page order: the teasers, then the article."""
    found = [
        Observation.of_teaser(teaser, page.url, position) for position, teaser in enumerate(page.teasers)
    ]
    if page.article:
        found.append(Observation.of_article(page.article, page.url))
    return found


LEAD_PARAGRAPHS = 2


def lead_of(body: str | None) -> str:
    """The first paragraphs of an article: what a teaser of it usually repeats."""
    return "\n\n".join((body or "").split("\n\n")[:LEAD_PARAGRAPHS])
