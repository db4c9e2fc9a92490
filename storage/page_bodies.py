"""The bytes of each fetched page, and which extractor read them (see extraction.version).

Kept compressed, one row per page (the latest fetch with content), so that a newer extractor
can read a page again without asking the site, and so that its corrections are told apart
from edits on the site: a re-read is written silently.

A page fetched before bytes were kept has a page record but no bytes: when it is next
fetched whole, the current extractor's reading of it is the *baseline*, also written
silently, as the old reading cannot be compared with the new one.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.orm import Session

from storage.keyed_rows import write_row
from storage.models import BUILT_IN_SITE, Page, PageBody

TABLE = PageBody.__table__
COMPRESSION_LEVEL = 1
"""zlib's fastest level. On the 178 real news pages of benchmarks/body_compression.py (165
KiB on average) it takes 0.41x the time of the default level 6 (0.97 against 2.34 ms a page,
a sixteenth of reading the page) and stores 1.18x the bytes (24% of the raw page against
21%): the crawl pays the compression on every page it fetches, the disk the difference once.
Any level decompresses the same way, so bodies kept at another level stay readable."""


@dataclass(frozen=True)
class StoredBody:
    url: str
    content_type: str | None
    body: bytes
    site: str = BUILT_IN_SITE
    """The site whose crawl fetched the page: its rules read it, its entries get its items."""


def keep(
    connection: Connection,
    url: str,
    body: bytes,
    content_type: str | None,
    now: dt.datetime,
    extractor: int,
    site: str = BUILT_IN_SITE,
    *,
    new: bool = False,
) -> None:
    """Remember ``body`` as the page's latest bytes, fetched for ``site``, read by ``extractor``
    (``new``: the page has no bytes kept yet, so there is no row to look up)."""
    values = {"body": zlib.compress(body, COMPRESSION_LEVEL), "content_type": content_type, "site": site,
              "fetched_at": now, "extractor": extractor}  # fmt: skip
    write_row(connection, TABLE, url, values, new=new)


_PAGE_STATUS = select(Page.last_status).where(Page.url == bindparam("url"))
_HAS_BODY = select(TABLE.c.url).where(TABLE.c.url == bindparam("url"))


def is_baseline(connection: Connection, url: str) -> bool:
    """Whether this fetch is the first whole one of a page read before bytes were kept."""
    status = connection.execute(_PAGE_STATUS, {"url": url}).scalar()
    fetched_whole = status is not None and 200 <= status < 300
    return fetched_whole and connection.execute(_HAS_BODY, {"url": url}).first() is None


def read_by_other_extractors(session: Session, extractor: int) -> list[tuple[str, str]]:
    """The pages whose bytes were last read by another extractor version than ``extractor``,
    with their sites."""
    query = select(TABLE.c.url, TABLE.c.site).where(TABLE.c.extractor != extractor)
    return [tuple(row) for row in session.execute(query.order_by(TABLE.c.url))]


def every_page(session: Session) -> list[tuple[str, str]]:
    """Every page whose bytes are kept, with its site."""
    return [tuple(row) for row in session.execute(select(TABLE.c.url, TABLE.c.site).order_by(TABLE.c.url))]


class DamagedBody(ValueError):
    """A page's stored bytes cannot be decompressed (a damaged store, a bad restore)."""


def load(session: Session, url: str) -> StoredBody | None:
    """The page's stored bytes; raises DamagedBody when they cannot be read back."""
    row = session.get(PageBody, url)
    if row is None:
        return None
    try:
        return StoredBody(url, row.content_type, zlib.decompress(row.body), row.site)
    except (zlib.error, TypeError) as error:
        raise DamagedBody(f"its stored bytes are damaged ({error})") from error


def forget_damaged(session: Session, url: str) -> None:
    """Drop damaged bytes and the page's validators: the next crawl fetches it whole, and
    its reading then is a baseline, taken silently (:func:`is_baseline`)."""
    forget(session, url)
    session.execute(update(Page.__table__).where(Page.url == url).values(etag=None, last_modified=None))


def mark_read(session: Session, url: str, extractor: int) -> None:
    session.execute(update(TABLE).where(TABLE.c.url == url).values(extractor=extractor))


def forget(session: Session, url: str) -> None:
    """A page that is gone: its old bytes must never bring its entry back."""
    session.execute(delete(TABLE).where(TABLE.c.url == url))
