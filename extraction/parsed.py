"""The typed objects that the parser produces and the store consumes.

A page of the site holds a sidebar of teasers and, usually, one article. The parser turns
a page into a :class:`ParsedPage`; nothing downstream sees raw dicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum


class DateEvidence(IntEnum):
    """How strongly a page supports an item's publication date (higher wins).

    A ``dd.mm.yyyy`` line is the site's own publication date; a date read from the prose is
    the event's day; an inferred year is a guess backed only by the neighbouring teasers.
    """

    NONE = 0
    INFERRED = 1
    TEXT = 2
    LINE = 3


@dataclass(frozen=True)
class ParsedDate:
    """A publication date and the evidence behind it."""

    value: dt.date
    evidence: DateEvidence

    @property
    def inferred(self) -> bool:
        return self.evidence == DateEvidence.INFERRED


@dataclass(frozen=True)
class ParsedTeaser:
    """One sidebar or listing teaser: a short text, perhaps a date, perhaps a link."""

    text: str
    published: ParsedDate | None = None
    url: str | None = None


@dataclass(frozen=True)
class ParsedArticle:
    """The main article of a page."""

    title: str
    body: str
    published: ParsedDate | None = None
    url: str | None = None


@dataclass(frozen=True)
class ParsedPage:
    """Everything the parser extracted from one page.

    ``warning`` is set when the page could not be read (empty, binary, undecodable, no
    recognizable structure: no items), or when its article was not read with confidence (no
    article; the teasers that are sure are kept). Such a page is reported and read again by
    the next crawl.
    """

    url: str | None
    teasers: tuple[ParsedTeaser, ...] = ()
    article: ParsedArticle | None = None
    warning: str | None = None
    links: tuple[str, ...] = field(default=())
    next_page: str | None = None
    """The next page of a listing as the markup names it (``rel="next"``)."""

    @property
    def item_count(self) -> int:
        return len(self.teasers) + (1 if self.article else 0)
