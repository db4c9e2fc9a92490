"""The store: ingest parsed pages, keep every entry once, log every change once per crawl.

Each page is written in one transaction, so a crawl killed mid-way leaves whole pages or
nothing. Unique constraints (see models) make a concurrent writer fail loudly instead of
duplicating; such a page is retried from scratch, and then finds what the other wrote.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from extraction.parsed import DateEvidence, ParsedPage
from extraction.version import EXTRACTOR_VERSION
from storage import change_log, fetch_failures, history, outbox, page_bodies
from storage.change_log import ChangeFilter
from storage.database import damage_found, open_engine, waited_for_lock
from storage.fetch_failures import FailedFetch
from storage.history import EntryHistory
from storage.ingest.identity import scoped, url_key
from storage.ingest.observation import observations_of
from storage.ingest.page_ingest import PageWriter, log_removal
from storage.keyed_rows import write_row
from storage.location import DEFAULT_BUSY_TIMEOUT_SECONDS
from storage.models import (
    BUILT_IN_SITE,
    REREAD_MODE,
    ChangeEvent,
    CrawlRun,
    Entry,
    EntryKey,
    EntryVersion,
    FetchFailure,
    Page,
    PageBody,
)
from storage.outbox import Composer, DestinationStatus, QueuedMessage
from storage.page_bodies import StoredBody
from storage.records import ChangeRecord, StoredEntry

log = logging.getLogger(__name__)

WRITE_ATTEMPTS = 10
RETRY_PAUSE_SECONDS = 0.05

_PAGES_BY_URL = select(Page.__table__).where(Page.url.in_(bindparam("urls", expanding=True)))
"""Built once: a crawl asks for a batch of pages' records before each batch of re-checks."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class CrawlSummary:
    crawl_id: int
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    pages: int
    items_seen: int
    new: int
    updated: int
    removed: int
    errors: int
    warnings: int
    notes: str | None = None
    failures: tuple[FailedFetch, ...] = ()
    """The pages the crawl did not get, and why."""
    stopped_by: str | None = None
    """The signal that stopped the crawl half-way (``SIGINT``, ``SIGTERM``), known only to the
    process that ran it (for its exit code); not stored."""
    site: str = BUILT_IN_SITE


@dataclass(frozen=True)
class PageFetch:
    """What the crawler learned about a page beyond its text (kept for conditional GET)."""

    url: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    body: bytes | None = None
    """The page's bytes, kept so that a newer extractor can read them again."""
    content_type: str | None = None
    new_page: bool = False
    """The store had no record of the page when the crawl asked for it (crawler.spider):
    its page and bytes rows are inserted without being looked up first (three queries per
    page of a first crawl). Trusted on the first attempt only: if another write got there
    first, the insert fails and the retry looks them up."""
    links: Sequence[tuple[str, str]] = ()
    """The page's on-site links ``(URL, text)``, remembered with its record so that a page
    answered 304 can still be walked (crawler.spider); none leaves those remembered before."""


# -- crawl frontier records (crawler/: conditional GET, incremental crawls) ----------------

GONE_STATUSES = (404, 410)


@dataclass(frozen=True)
class KnownPage:
    """What the store remembers of a fetched page: its validators for a conditional GET, how
    many items it gave (a drop to zero is a warning) and, for a listing, its on-site links,
    which are walked again when the page answers 304 and brings no body."""

    url: str
    status: int
    etag: str | None
    last_modified: str | None
    item_count: int
    links: tuple[tuple[str, str], ...] = ()


class Store:
    """All reads and writes of newswatch's data go through here."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._sites: dict[int, str] = {}
        """The site of each crawl run met: a run's site never changes."""
        self._compose: Composer | None = None

    def notify_with(self, compose: Composer | None) -> None:
        """Who is told of each crawl's changes: ``compose`` makes the messages a crawl run's
        closing writes into the outbox (storage.outbox); None: nobody."""
        self._compose = compose

    @classmethod
    def open(cls, url: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS) -> Store:
        """Open (and migrate) the database at ``url``; raises storage.database.DatabaseError."""
        return cls(open_engine(url, busy_timeout))

    def close(self) -> None:
        self.engine.dispose()

    def damage(self) -> str | None:
        """The first damage found in the database file (storage.database.damage_found), or None."""
        return damage_found(self.engine)

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # -- crawl runs -------------------------------------------------------------------

    def begin_crawl(self, mode: str, site: str = BUILT_IN_SITE) -> int:
        with self._transaction() as session:
            run = CrawlRun(started_at=utcnow(), mode=mode, status="running", site=site)
            session.add(run)
            session.flush()
            self._sites[run.id] = site
            return run.id

    def site_of(self, crawl_id: int) -> str:
        """The site a crawl run is of."""
        if crawl_id not in self._sites:
            with self._sessions() as session:
                self._sites[crawl_id] = session.scalar(select(CrawlRun.site).where(CrawlRun.id == crawl_id))
        return self._sites[crawl_id]

    def finish_crawl(
        self,
        crawl_id: int,
        *,
        status: str,
        pages: int,
        items_seen: int,
        errors: int,
        warnings: int,
        notes: str | None = None,
    ) -> CrawlSummary:
        with self._transaction() as session:
            run = session.get(CrawlRun, crawl_id)
            run.finished_at = utcnow()
            run.status, run.pages, run.items_seen = status, pages, items_seen
            run.errors, run.warnings, run.notes = errors, warnings, notes
            self._write_messages(session, run)
        return self.crawl_summary(crawl_id)

    def _write_messages(self, session: Session, run: CrawlRun) -> None:
        """The run's messages, in the transaction that closes it (storage.outbox)."""
        if self._compose is not None:
            outbox.write_for_crawl(session, run.id, self._compose, run.finished_at)

    def close_abandoned_crawls(self, reason: str, sites: Collection[str]) -> list[int]:
        """Mark the crawl runs of ``sites`` still "running" as failed; call only while
        holding those sites' crawl locks (scheduler.crawl_lock).

        Under a site's lock nobody else is crawling it, so such a run belongs to a process
        that was killed: its pages are whole (one transaction each), only its record was
        left open, with none of its counts. They are counted now from what it stored. The
        runs of other sites may be very much alive, in another process.
        """
        with self._transaction() as session:
            query = select(CrawlRun).where(CrawlRun.status == "running", CrawlRun.site.in_(list(sites)))
            runs = session.scalars(query).all()
            for run in runs:
                run.status, run.finished_at, run.notes = "failed", utcnow(), reason
                run.pages, run.items_seen, run.errors = _stored_by(session, run)
                self._write_messages(session, run)
            return [run.id for run in runs]

    def crawl_summary(self, crawl_id: int) -> CrawlSummary:
        with self._sessions() as session:
            run = session.get(CrawlRun, crawl_id)
            counts = dict(
                session.execute(
                    select(ChangeEvent.kind, func.count())
                    .where(ChangeEvent.crawl_id == crawl_id)
                    .group_by(ChangeEvent.kind)
                ).all()
            )
            return CrawlSummary(
                crawl_id=run.id,
                site=run.site,
                status=run.status,
                started_at=run.started_at,
                finished_at=run.finished_at,
                pages=run.pages,
                items_seen=run.items_seen,
                new=counts.get("new", 0),
                updated=counts.get("updated", 0),
                removed=counts.get("removed", 0),
                errors=run.errors,
                warnings=run.warnings,
                notes=run.notes,
                failures=fetch_failures.of_crawl(session.connection(), crawl_id),
            )

    def last_crawl(self, modes: Collection[str] = (), site: str | None = None) -> CrawlSummary | None:
        """The latest crawl (of one of ``modes``, of ``site``, if given); re-readings of
        stored pages are not crawls."""
        query = select(func.max(CrawlRun.id)).where(CrawlRun.mode != REREAD_MODE)
        if modes:
            query = query.where(CrawlRun.mode.in_(list(modes)))
        if site is not None:
            query = query.where(CrawlRun.site == site)
        with self._sessions() as session:
            crawl_id = session.scalar(query)
        return self.crawl_summary(crawl_id) if crawl_id else None

    # -- ingest -----------------------------------------------------------------------

    def record_page(
        self,
        crawl_id: int,
        page: ParsedPage,
        fetch: PageFetch | None = None,
        *,
        extractor: int = EXTRACTOR_VERSION,
        silent: bool = False,
    ) -> None:
        """Store every item of one page in one transaction, retrying on a concurrent write.

        ``extractor`` read the page; ``silent`` (a stored page read again) logs no
        ``updated`` event (storage.page_bodies)."""
        observations = observations_of(page)
        site = self.site_of(crawl_id)
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.engine.begin() as connection:  # Core alone: no ORM session to pay for
                    now = utcnow()
                    new_page = fetch is not None and fetch.new_page and attempt == 1
                    baseline = (
                        fetch is not None
                        and fetch.body is not None
                        and not new_page
                        and page_bodies.is_baseline(connection, fetch.url)
                    )
                    if baseline:
                        log.info(
                            "page %s: first reading by extractor %d, taken silently", fetch.url, extractor
                        )
                    writer = PageWriter(
                        connection, crawl_id, now, extractor=extractor, site=site, silent=silent or baseline
                    )
                    writer.write(observations)
                    if fetch:
                        self._remember_fetch(connection, fetch, page.item_count, now, new_page)
                    if fetch and fetch.body is not None:
                        page_bodies.keep(
                            connection, fetch.url, fetch.body, fetch.content_type, now, extractor, site,
                            new=new_page,
                        )  # fmt: skip
                return
            except (IntegrityError, OperationalError) as error:
                if attempt == WRITE_ATTEMPTS or waited_for_lock(error):
                    raise
                log.debug("page %s: concurrent write (%s); retrying", page.url, error)
                time.sleep(RETRY_PAUSE_SECONDS * attempt)

    def record_removed(self, crawl_id: int, url: str) -> bool:
        """An article answered 404/410: one ``removed`` event; nothing is deleted."""
        with self._transaction() as session:
            key = session.get(EntryKey, scoped(self.site_of(crawl_id), url_key(url)))
            entry = key.entry if key else None
            if entry is None or entry.removed:
                return False
            entry.removed = True
            log_removal(session, entry.id, crawl_id, utcnow())
            return True

    def _remember_fetch(
        self, connection: Connection, fetch: PageFetch, items: int, now: dt.datetime, new_page: bool
    ) -> None:
        values = {"etag": fetch.etag, "last_modified": fetch.last_modified, "last_status": fetch.status,
                  "last_fetched": now, "item_count": items}  # fmt: skip
        if fetch.links:
            values["links"] = json.dumps([list(link) for link in fetch.links], ensure_ascii=False)
        write_row(connection, Page.__table__, fetch.url, values, new=new_page)

    def reread_pages(
        self,
        read: Callable[[StoredBody], ParsedPage],
        extractor: int,
        *,
        every_page: bool = False,
        sites: Collection[str] = (BUILT_IN_SITE,),
    ) -> CrawlSummary | None:
        """Read the stored pages of ``sites`` again with ``read`` (the extractor
        ``extractor``), silently: those last read by another version, or ``every_page``
        (the caller holds those sites' crawl locks). None when there was none."""
        with self._sessions() as session:
            urls = (
                page_bodies.every_page(session)
                if every_page
                else page_bodies.read_by_other_extractors(session, extractor)
            )
        urls = [(url, of) for url, of in urls if sites is None or of in sites]
        summaries = [
            self._reread_site(site, [url for url, of in urls if of == site], read, extractor)
            for site in dict.fromkeys(of for _, of in urls)
            if site in sites
        ]
        return _totals(summaries) if summaries else None

    def _reread_site(
        self, site: str, urls: list[str], read: Callable[[StoredBody], ParsedPage], extractor: int
    ) -> CrawlSummary:
        """:meth:`reread_pages` for one site's pages, as one run of that site."""
        crawl_id = self.begin_crawl(REREAD_MODE, site)
        pages = items = warnings = 0
        for url in urls:
            stored = self._stored_body(url)
            if stored is None:
                warnings += 1
                continue
            page = read(stored)
            pages += 1
            warnings += page.warning is not None
            items += page.item_count
            self.record_page(crawl_id, page, extractor=extractor, silent=True)
            with self._transaction() as session:
                page_bodies.mark_read(session, url, extractor)
        return self.finish_crawl(
            crawl_id,
            status="finished",
            pages=pages,
            items_seen=items,
            errors=0,
            warnings=warnings,
            notes=f"stored pages read again by extractor {extractor}",
        )

    def _stored_body(self, url: str) -> StoredBody | None:
        """A page's stored bytes; None, with one warning, when they are damaged (the next
        crawl then fetches the page whole) or gone."""
        try:
            with self._sessions() as session:
                return page_bodies.load(session, url)
        except page_bodies.DamagedBody as damaged:
            log.warning("stored page %s: %s; the next crawl fetches it whole", url, damaged)
            with self._transaction() as session:
                page_bodies.forget_damaged(session, url)
            return None

    # -- reading ----------------------------------------------------------------------

    def latest_entries(self, limit: int = 50, site: str | None = None) -> list[StoredEntry]:
        """The newest entries (of ``site``, or of every site): latest crawl first, then by
        publication date."""
        query = select(Entry)
        if site is not None:
            query = query.where(Entry.site == site)
        query = query.order_by(
            Entry.first_crawl_id.desc(), Entry.published.desc().nulls_last(), Entry.id.desc()
        ).limit(limit)
        with self._sessions() as session:
            return [_stored(entry) for entry in session.scalars(query).all()]

    def changes(
        self,
        since: dt.datetime | None = None,
        kinds: tuple[str, ...] = (),
        limit: int | None = None,
        site: str | None = None,
        *,
        search: str = "",
        offset: int = 0,
    ) -> list[ChangeRecord]:
        """The change log (of ``site``, or of every site), newest first (storage.change_log:
        filters and search)."""
        with self._sessions() as session:
            return change_log.read_changes(
                session, ChangeFilter(since, kinds, search, site), limit=limit, offset=offset
            )

    def change_count(self, kinds: tuple[str, ...] = (), search: str = "", site: str | None = None) -> int:
        """How many events :meth:`changes` would give for these filters, without a limit."""
        with self._sessions() as session:
            return change_log.count_changes(session, ChangeFilter(kinds=kinds, search=search, site=site))

    def entry_history(self, entry_id: str) -> EntryHistory | None:
        """Every version and event of the entry whose feed id is ``entry_id``; None if unknown."""
        with self._sessions() as session:
            return history.load(session, entry_id)

    def corrections(self, crawl_id: int) -> int:
        """Entries a run corrected without an event: its versions past the first, silently."""
        with self._sessions() as session:
            return session.scalar(
                select(func.count(func.distinct(EntryVersion.entry_id))).where(
                    EntryVersion.crawl_id == crawl_id, EntryVersion.number > 1
                )
            )

    def purge_site(self, site: str) -> int:
        """Delete every entry of ``site`` with its keys, versions and events, its crawl
        runs and its stored pages (``sites remove --purge``); returns how many entries went.
        Nothing else refers to them: other sites' entries are untouched."""
        with self._transaction() as session:
            entries = select(Entry.id).where(Entry.site == site)
            runs = select(CrawlRun.id).where(CrawlRun.site == site)
            count = session.scalar(select(func.count()).select_from(entries.subquery())) or 0
            for model in (ChangeEvent, EntryVersion, EntryKey):
                session.execute(delete(model).where(model.entry_id.in_(entries)))
            session.execute(delete(Entry).where(Entry.site == site))
            session.execute(delete(FetchFailure).where(FetchFailure.crawl_id.in_(runs)))
            bodies = select(PageBody.url).where(PageBody.site == site)
            session.execute(delete(Page).where(Page.url.in_(bodies)))  # re-added, it is read anew
            session.execute(delete(PageBody).where(PageBody.site == site))
            session.execute(delete(CrawlRun).where(CrawlRun.site == site))
            return count

    def entry_count(self, site: str | None = None) -> int:
        query = select(func.count()).select_from(Entry)
        if site is not None:
            query = query.where(Entry.site == site)
        with self._sessions() as session:
            return session.scalar(query) or 0

    def event_count(self, site: str | None = None) -> int:
        query = select(func.count()).select_from(ChangeEvent)
        if site is not None:
            query = query.join(Entry, Entry.id == ChangeEvent.entry_id).where(Entry.site == site)
        with self._sessions() as session:
            return session.scalar(query) or 0

    def page_validators(self, url: str) -> PageFetch | None:
        """The ETag and Last-Modified remembered for a page, for a conditional GET."""
        with self._sessions() as session:
            page = session.get(Page, url)
            if page is None:
                return None
            return PageFetch(page.url, page.last_status or 0, page.etag, page.last_modified)

    # -- crawl frontier: what the live crawler remembers about pages (crawler/) ----------
    # Only the ``pages`` table is read and written here; entries and events are the
    # ingest's. A page is *known* once fetched, whatever the answer was.

    def known_page(self, url: str) -> KnownPage | None:
        """Asked before every request of a live crawl: plain columns, no ORM instance."""
        return self.known_pages([url]).get(url)

    def known_pages(self, urls: Collection[str]) -> dict[str, KnownPage]:
        """:meth:`known_page` of many pages in one query (a batch of re-checks)."""
        if not urls:
            return {}
        with self.engine.connect() as connection:
            rows = connection.execute(_PAGES_BY_URL, {"urls": list(urls)})
            return {
                page.url: KnownPage(
                    page.url,
                    page.last_status or 0,
                    page.etag,
                    page.last_modified,
                    page.item_count,
                    tuple(tuple(link) for link in json.loads(page.links or "[]")),
                )
                for page in rows
            }

    def pages_to_recheck(
        self,
        prefix: str,
        fetched_before: dt.datetime,
        *,
        include_gone: bool = False,
        site: str = BUILT_IN_SITE,
    ) -> list[str]:
        """Known pages under ``prefix`` last fetched before ``fetched_before``, the longest
        unchecked first (a crawl cut short by its page limit resumes with the others). Not
        the pages another ``site`` fetched: two sites on one host (a site and its bodies'
        sub-sites) each re-check their own, and an article never turns into another site's."""
        others = select(PageBody.url).where(PageBody.site != site)
        query = select(Page.url).where(
            Page.url.startswith(prefix, autoescape=True),
            Page.last_fetched < fetched_before,
            Page.url.not_in(others),
        )
        if not include_gone:
            query = query.where(func.coalesce(Page.last_status, 0).not_in(GONE_STATUSES))
        with self._sessions() as session:
            return list(session.scalars(query.order_by(Page.last_fetched, Page.url)))

    def mark_unchanged(self, urls: Collection[str]) -> None:
        """304s: the pages were checked now, and nothing else about them changes (one
        UPDATE for a batch: a re-crawl answers 304 for almost every page)."""
        if not urls:
            return
        with self.engine.begin() as connection:
            connection.execute(
                update(Page.__table__).where(Page.url.in_(list(urls))).values(last_fetched=utcnow())
            )

    def mark_gone(self, url: str, status: int) -> None:
        """A 404/410: kept, so the page is not re-checked as a live page (``--full`` does)."""
        with self._transaction() as session:
            _bodiless_page(session.connection(), url, status)
            page_bodies.forget(session, url)

    def record_redirected_away(self, crawl_id: int, failure: FailedFetch) -> None:
        """A redirect to another host, kept with the crawl like a failure (not retried), in
        one transaction with the page: the page is known from now on (a listing linking it
        does not count it as new), and re-checked when due, like any known page."""
        with self.engine.begin() as connection:
            fetch_failures.record(connection, crawl_id, failure, utcnow())
            _bodiless_page(connection, failure.url, None)

    # -- the notification outbox (storage.outbox) -------------------------------------------

    def due_messages(self, now: dt.datetime | None = None) -> list[QueuedMessage]:
        with self._sessions() as session:
            return outbox.due(session, now or utcnow())

    def next_message_due(self) -> dt.datetime | None:
        with self._sessions() as session:
            return outbox.next_due(session)

    def pending_message_count(self) -> int:
        with self._sessions() as session:
            return outbox.pending_count(session)

    def mark_message_sent(self, message_id: int) -> None:
        with self._transaction() as session:
            outbox.mark_sent(session, message_id, utcnow())

    def mark_message_failed(self, message_id: int, error: str, retry_at: dt.datetime | None) -> None:
        with self._transaction() as session:
            outbox.mark_failed(session, message_id, utcnow(), error, retry_at)

    def notification_statuses(self) -> list[DestinationStatus]:
        with self._sessions() as session:
            return outbox.statuses(session)

    # -- fetch failures: kept with the crawl run, retried by the next crawl ---------------

    def record_failure(self, crawl_id: int, failure: FailedFetch) -> None:
        with self.engine.begin() as connection:
            fetch_failures.record(connection, crawl_id, failure, utcnow())

    def failures_to_retry(self, crawl_id: int, prefix: str) -> list[str]:
        """Pages under ``prefix`` that earlier crawls failed to get and none got since."""
        with self.engine.connect() as connection:
            return fetch_failures.outstanding(connection, crawl_id, prefix)


def _totals(summaries: list[CrawlSummary]) -> CrawlSummary:
    """One summary for the runs of a re-reading of several sites' pages: the last run's,
    with the counts of all."""
    counted = ("pages", "items_seen", "new", "updated", "removed", "errors", "warnings")
    totals = {name: sum(getattr(summary, name) for summary in summaries) for name in counted}
    return dataclasses.replace(summaries[-1], **totals)


def _stored_by(session: Session, run: CrawlRun) -> tuple[int, int, int]:
    """Pages, items and errors of a crawl whose process died before it could count them:
    the pages whose bytes were stored since it started (no crawl ran after it: it is
    closed before the next one starts), their items, and the failures kept with it."""
    stored = select(PageBody.url).where(PageBody.fetched_at >= run.started_at)
    pages = session.scalar(select(func.count()).select_from(stored.subquery()))
    items = session.scalar(select(func.coalesce(func.sum(Page.item_count), 0)).where(Page.url.in_(stored)))
    errors = session.scalar(
        select(func.count()).where(FetchFailure.crawl_id == run.id, FetchFailure.retry.is_(True))
    )
    return pages or 0, items or 0, errors or 0


def _bodiless_page(connection: Connection, url: str, status: int | None) -> None:
    """The page answered without a body to keep (gone, or redirected away): known, checked now."""
    values = {
        "etag": None,
        "last_modified": None,
        "links": None,
        "last_status": status,
        "last_fetched": utcnow(),
    }
    write_row(connection, Page.__table__, url, values)


def _stored(entry: Entry) -> StoredEntry:
    return StoredEntry(
        site=entry.site,
        entry_id=entry.feed_id,
        title=entry.title,
        url=entry.url,
        published=entry.published,
        summary=entry.summary,
        body=entry.body,
        first_seen=entry.first_seen,
        updated=entry.updated_at,
        removed=entry.removed,
        published_inferred=entry.published_evidence == DateEvidence.INFERRED,
    )
