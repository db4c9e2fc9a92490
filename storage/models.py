"""The SQLAlchemy schema: entries, their identity keys, versions, change events, crawl runs,
the notification outbox.

Invariants kept by unique constraints (so that two crawls at once cannot break them):
* an identity key (canonical URL, text fingerprint) names at most one entry;
* an entry gets at most one change event per crawl run;
* an entry's feed id is unique and never rewritten.

A new store is created from these declarations, an older one is brought to them by the
migrations (storage.database): both must give the same schema, down to the column order, the
server defaults and the indexes, which tests/test_migrations.py compares.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.built_in_site import BUILT_IN_SITE


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset of its own)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC-aware datetimes")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        return value.replace(tzinfo=dt.UTC) if value is not None else None


class Base(DeclarativeBase):
    pass


def _site_column() -> Mapped[str]:
    """The site a row is of. Added by migration 0007 to tables that had rows already: it
    comes last in them and says the built-in site by default, on the server too."""
    return mapped_column(String(80), default=BUILT_IN_SITE, server_default=BUILT_IN_SITE, sort_order=1)


def _feed_order_indexes(name: str, *leading: str) -> tuple[Index, Index]:
    """An index of entries in the news feed's order (migrations 0004 and 0007 say why),
    spelled for each database: PostgreSQL needs ``NULLS LAST`` (its descending order puts
    NULLs first), which SQLite's CREATE INDEX refuses (its descending order puts them last)."""

    def index(nulls_last: str) -> Index:
        columns = (*leading, "first_crawl_id DESC", f"published DESC{nulls_last}", "id DESC")
        return Index(name, *(text(column) for column in columns))

    return (
        index("").ddl_if(dialect="sqlite"),
        index(" NULLS LAST").ddl_if(callable_=lambda *_, dialect, **__: dialect.name != "sqlite"),
    )


REREAD_MODE = "reread"
"""The mode of a run that read stored pages again (storage.page_bodies): not a crawl of the
site, so neither the last crawl nor the one whose failures the next crawl retries."""


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    __table_args__ = (Index("ix_crawl_runs_site", "site", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = _site_column()
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    mode: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="running")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class Entry(Base):
    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_published", "published"),
        Index("ix_entries_last_page", "last_page", "last_position"),
        *_feed_order_indexes("ix_entries_feed_order"),
        *_feed_order_indexes("ix_entries_site_feed_order", "site"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = _site_column()
    """The name of the site the entry is of (see storage.ingest.identity.scoped)."""
    feed_id: Mapped[str] = mapped_column(String(80), unique=True)
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True, index=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    body: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    published_evidence: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    first_crawl_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), nullable=True, index=True)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    last_page: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    last_position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """Where the entry was last seen as a teaser: a hint for matching an edited teaser."""


class EntryKey(Base):
    """One name under which an entry is known: its URL, its teaser text, its article lead."""

    __tablename__ = "entry_keys"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    entry: Mapped[Entry] = relationship()


class EntryVersion(Base):
    __tablename__ = "entry_versions"
    __table_args__ = (UniqueConstraint("entry_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    crawl_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), nullable=True)
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    url: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    published: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    body: Mapped[str | None] = mapped_column(Text, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    extractor: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The extractor version that read this version (extraction.version); None: before
    versions were recorded."""
    page: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    """The page it was read on: a listing for a teaser, the article's own page for an
    article (None: before pages were recorded, migration 0009)."""
    entry: Mapped[Entry] = relationship()


class ChangeEvent(Base):
    __tablename__ = "change_events"
    __table_args__ = (UniqueConstraint("entry_id", "crawl_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    crawl_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    fields: Mapped[str] = mapped_column(String(200), default="")
    from_version_id: Mapped[int | None] = mapped_column(ForeignKey("entry_versions.id"), nullable=True)
    to_version_id: Mapped[int | None] = mapped_column(ForeignKey("entry_versions.id"), nullable=True)
    diff: Mapped[str | None] = mapped_column(Text, nullable=True)
    entry: Mapped[Entry] = relationship()
    from_version: Mapped[EntryVersion | None] = relationship(foreign_keys=[from_version_id])
    to_version: Mapped[EntryVersion | None] = relationship(foreign_keys=[to_version_id])


class Page(Base):
    """What the crawler last learned about one fetched page (for conditional GET)."""

    __tablename__ = "pages"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(300), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(100), nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_fetched: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    links: Mapped[str | None] = mapped_column(Text, nullable=True)
    """A listing's on-site links as JSON ``[[url, text], ...]``, walked again on a 304."""


class FetchFailure(Base):
    """A page a crawl asked for and did not get, and why (see storage.fetch_failures)."""

    __tablename__ = "fetch_failures"
    __table_args__ = (UniqueConstraint("crawl_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    reason: Mapped[str] = mapped_column(Text)
    retry: Mapped[bool] = mapped_column(Boolean, default=True)
    """A fault (retried by the next crawl) rather than a link deliberately not followed."""
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class PageBody(Base):
    """The bytes of a page as last fetched with content, kept so that a better extractor can
    read them again without asking the site (see extraction.version)."""

    __tablename__ = "page_bodies"

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    site: Mapped[str] = _site_column()
    """Whose crawl fetched the page: a re-read stores its items as that site's."""
    content_type: Mapped[str | None] = mapped_column(String(200), nullable=True)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    """zlib-compressed."""
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    extractor: Mapped[int] = mapped_column(Integer)
    """The extractor version that last read these bytes."""


class OutboxMessage(Base):
    """One notification: a crawl's changes for one destination, written in the transaction
    that closes the crawl run, and sent from here until the channel accepts it
    (storage.outbox, docs/architecture.md "Notifications")."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("message_id"),  # before the next one, as in migration 0008 (SQLite numbers them)
        UniqueConstraint("crawl_id", "destination"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64))
    """Sent with every attempt (a header for webhooks and e-mail): a receiver drops a repeat."""
    crawl_id: Mapped[int] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    destination: Mapped[str] = mapped_column(String(2000))
    """The destination as configured (an Apprise URL and newswatch's filter)."""
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    body_format: Mapped[str] = mapped_column(String(10))
    """``text``, ``markdown`` or ``html``: what the channel takes."""
    changes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    """``pending``, ``sent`` or ``failed`` (given up)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
