"""What an incremental crawl fetches, and what a full one adds.

The site lists its news newest first, so a crawl that walks a listing page by page can stop
at the first page that holds nothing new: every older page was seen by an earlier crawl.
The articles a page links are fetched when new; known ones are re-checked (conditionally,
see crawler.middlewares.conditional) once they are due, from the store's list rather than from the
listings. ``--full`` walks every listing page and re-checks every known article: the
backfill after a capped first crawl, and the audit.

That early stop is right only when the crawl before walked to the end: one that was
interrupted (Ctrl-C, SIGTERM, a kill) may have left older pages unread although the first
page holds nothing new now. The crawl after it walks every listing page (``walk``), still
fetching only the articles it does not know.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from crawler.links import PageLinks


@dataclass(frozen=True)
class Follow:
    """The requests one page leads to."""

    articles: tuple[str, ...]
    listings: tuple[str, ...]


def to_follow(links: PageLinks, known: Collection[str], *, full: bool, walk: bool = False) -> Follow:
    """New articles, the section's listings, and the next page while pages hold news; every
    page when ``full`` or ``walk`` (after a crawl that did not finish, see CrawlPlan)."""
    new = tuple(url for url in links.articles if url not in known)
    listings = list(links.listings)
    if full or walk:
        listings += [*links.pages, *([links.next_page] if links.next_page else [])]
    elif new and links.next_page:
        listings.append(links.next_page)
    return Follow(articles=links.articles if full else new, listings=tuple(dict.fromkeys(listings)))


def recheck_cutoff(now: dt.datetime, recheck_after: dt.timedelta, *, full: bool) -> dt.datetime:
    """Known pages fetched before this moment are re-checked by this crawl."""
    return now if full else now - recheck_after
