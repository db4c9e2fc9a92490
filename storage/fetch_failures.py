"""What a crawl failed to fetch, and which of it the next crawl asks for again.

A failed page is kept with its crawl run (which URL, why), for the crawl's summary and for
people, and so that the next crawl retries it: an incremental crawl stops paginating at
the first listing page with nothing new and re-checks known articles only once they are
due, so a listing page that failed, or an article behind it, would otherwise never be
asked for again. A table rather than a flag on the page: a page that never answered has
no page record, and a crawl's failures are a fact of that crawl.

A URL is retried while it is *outstanding*: it failed in the latest finished crawl of its
site or in a later one of that site (each site's crawls keep their own count: another
site's crawl never makes them old) (a crawl killed before retrying it leaves it outstanding), and no crawl has
fetched it since. A redirect to another host is recorded too, with ``retry`` false: it is
the site's answer, not a fault, so the page is remembered as known instead and re-checked
when due, like any known page (every crawl would otherwise ask again for an old address
that has long moved away).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, func, insert, or_, select, update

from storage.models import REREAD_MODE, CrawlRun, FetchFailure, Page

TABLE = FetchFailure.__table__


@dataclass(frozen=True)
class FailedFetch:
    """One page a crawl did not get."""

    url: str
    reason: str
    retry: bool = True
    """Whether the next crawl asks for it again (see the module docstring)."""


_UPDATE = update(TABLE).where(TABLE.c.crawl_id == bindparam("crawl"), TABLE.c.url == bindparam("failed_url"))
_INSERT = insert(TABLE)
"""Both built once, like every statement a crawl runs per page (a statement built per call costs
as much again as running it)."""


def record(connection: Connection, crawl_id: int, failure: FailedFetch, now: dt.datetime) -> None:
    """Keep ``failure`` with its crawl; a URL failing twice in one crawl keeps the latest reason."""
    values = {"reason": failure.reason, "retry": failure.retry, "at": now}
    changed = connection.execute(_UPDATE, {"crawl": crawl_id, "failed_url": failure.url, **values})
    if changed.rowcount == 0:
        connection.execute(_INSERT, {"crawl_id": crawl_id, "url": failure.url, **values})


def of_crawl(connection: Connection, crawl_id: int) -> tuple[FailedFetch, ...]:
    """A crawl's failures, in the order they happened."""
    rows = connection.execute(
        select(TABLE.c.url, TABLE.c.reason, TABLE.c.retry)
        .where(TABLE.c.crawl_id == crawl_id)
        .order_by(TABLE.c.id)
    )
    return tuple(FailedFetch(row.url, row.reason, row.retry) for row in rows)


def outstanding(connection: Connection, crawl_id: int, prefix: str) -> list[str]:
    """URLs under ``prefix`` that crawl ``crawl_id`` should retry (see the module docstring)."""
    site = select(CrawlRun.site).where(CrawlRun.id == crawl_id).scalar_subquery()
    since = connection.scalar(
        select(func.coalesce(func.max(CrawlRun.id), 0)).where(
            CrawlRun.status == "finished",
            CrawlRun.id < crawl_id,
            CrawlRun.mode != REREAD_MODE,
            CrawlRun.site == site,
        )
    )
    pages = Page.__table__
    runs = CrawlRun.__table__
    query = (
        select(TABLE.c.url)
        .join(runs, runs.c.id == TABLE.c.crawl_id)
        .outerjoin(pages, pages.c.url == TABLE.c.url)
        .where(
            runs.c.site == site,
            TABLE.c.retry,
            TABLE.c.crawl_id >= since,
            TABLE.c.crawl_id < crawl_id,
            TABLE.c.url.startswith(prefix, autoescape=True),
            or_(pages.c.last_fetched.is_(None), pages.c.last_fetched < TABLE.c.at),
        )
        .group_by(TABLE.c.url)
        .order_by(func.min(TABLE.c.id))
    )
    return list(connection.scalars(query))
