"""Run one crawl through the real Scrapy engine and return its summary.

Scrapy's Twisted reactor cannot be restarted within a process, so :func:`run_crawl` runs at
most once per process; callers that crawl repeatedly (tests, the service) run it in a child
process.

A crawl stopped by Ctrl-C or SIGTERM (crawler.stop_signals) is recorded as failed, its notes
starting with "interrupted", and its summary says which signal stopped it: it did not walk
the site, and the next crawl must not take it for one that did (scheduler.crawl_job).
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import types
from collections.abc import Callable, Sequence
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from sqlalchemy.exc import SQLAlchemyError
from twisted.internet.interfaces import IReactorTime

from crawler.collector import collecting_less
from crawler.counters import CrawlCounters
from crawler.pipeline import STORE_DAMAGED, STORE_LOCKED
from crawler.plan import CrawlPlan
from crawler.settings import scrapy_settings
from crawler.spider import SiteSpider
from crawler.stop_signals import INTERRUPTED, StopSignals
from crawler.throttled_call import ThrottledCall
from storage.database import error_line
from storage.store import CrawlSummary, Store

log = logging.getLogger(__name__)


PAGE_SUFFIXES = (".txt", ".html", ".htm")


def fixture_urls(directory: Path) -> list[str]:
    """file:// URLs of every page file under ``directory``, in a stable order."""
    pages = sorted(
        path for path in directory.rglob("*") if path.is_file() and path.suffix.lower() in PAGE_SUFFIXES
    )
    return [path.resolve().as_uri() for path in pages]


def run_crawl(
    store: Store, plan: CrawlPlan, *, before_finish: Callable[[], None] | None = None
) -> CrawlSummary:
    """:func:`run_crawls` of one site."""
    after = None if before_finish is None else lambda _plan: before_finish()
    return run_crawls(store, [plan], before_finish=after)[0]


def run_crawls(
    store: Store,
    plans: Sequence[CrawlPlan],
    *,
    before_finish: Callable[[CrawlPlan], None] | None = None,
    after_finish: Callable[[CrawlPlan], None] | None = None,
    after_any: Callable[[], None] | None = None,
) -> list[CrawlSummary]:
    """Crawl each plan's site, all at once in one Scrapy process, storing every page; each
    site's crawl run is recorded either way.

    Each site has its own Scrapy crawler, so its own downloader, politeness and page limit:
    a slow or failing site holds up only itself. A site's run is closed as soon as its
    spider is, and ``before_finish`` (that site's feeds) runs then, before the run is
    marked finished, so whoever sees a finished crawl (``/healthz``) also sees its feeds,
    and the sites that are done are published while another is still being crawled.
    ``after_finish`` runs once the run is recorded, finished or failed (the caller lets
    the site's next crawl start then, while the other sites are still being crawled).
    ``after_any`` is work for every site together (the combined feeds): asked for when a
    site finishes, run at most once every ``AFTER_ANY_INTERVAL`` seconds
    (crawler.throttled_call), and once more at the end if still owed.
    """
    runs = [
        SiteRun(store, plan, store.begin_crawl(plan.mode, plan.site), before_finish, after_finish)
        for plan in plans
    ]
    together = None
    try:
        if not all(plan.offline for plan in plans):
            _import_http_handler()
        process = CrawlerProcess(scrapy_settings(plans[0]))
        _quiet_scrapy(verbose=plans[0].verbose)
        stop = StopSignals([run.schedule(process, first=index == 0) for index, run in enumerate(runs)])
        together = _throttled(after_any)
        for run in runs:
            run.stop, run.after_any = stop, together
        with stop, collecting_less():
            process.start(install_signal_handlers=False)
    except Exception as error:  # every run is recorded as failed, never left "running"
        log.exception("crawl %s failed", ", ".join(str(run.crawl_id) for run in runs))
        for run in runs:
            run.fail(error)
    if together is not None:
        together.flush()
    return [run.summary() for run in runs]


AFTER_ANY_INTERVAL = 10.0
"""Seconds between two runs of the work for every site together (the combined feeds): a
finished site's items reach them within this time."""


def _throttled(after_any: Callable[[], None] | None) -> ThrottledCall | None:
    if after_any is None:
        return None
    return ThrottledCall(after_any, AFTER_ANY_INTERVAL, _reactor_clock(), what="write the combined feeds")


def _reactor_clock() -> IReactorTime:
    from twisted.internet import reactor  # the one the first crawler installed

    return reactor


def _quiet_scrapy(*, verbose: bool) -> None:
    """Scrapy's loggers at the level newswatch shows them (warnings, but with ``--verbose``).

    Scrapy's logging defaults set them to debug when the process is made, and newswatch's
    log drops what is below warning (scheduler.logging_setup); two records a page ("Crawled",
    "Scraped from") were then made only to be dropped."""
    if not verbose:
        logging.getLogger("scrapy").setLevel(logging.WARNING)


def _import_http_handler() -> None:
    """Import Scrapy's HTTP download handler, with a cheap stand-in for the one use of
    ``inspect`` its import makes.

    Its modules define deprecated aliases (``create_deprecated_class``), each of which asks
    ``inspect.stack()`` for its caller's module only to name the alias's ``__module__``:
    that reads the source of every frame on the stack and maps every loaded module to its
    file, about a tenth of a second of CPU, a twelfth of a cold crawl command, for three
    names nobody here uses. The stand-in gives the same caller and module from the frame
    itself (tests/test_scrapy_imports.py checks the aliases are named as Scrapy names them),
    and the real ``inspect`` is put back as soon as the import is done.
    """
    import scrapy.utils.deprecate as deprecate

    real = deprecate.inspect
    deprecate.inspect = _CallerModule
    try:
        import scrapy.core.downloader.handlers.http11  # noqa: F401
    finally:
        deprecate.inspect = real


class _CallerModule:
    """What ``create_deprecated_class`` asks of ``inspect``: its caller's frame and module."""

    @staticmethod
    def stack() -> list:
        caller = sys._getframe(2)  # 0: this, 1: create_deprecated_class, 2: its caller
        return [None, (caller,)]

    @staticmethod
    def getmodule(frame) -> types.ModuleType | None:
        return sys.modules.get(frame.f_globals.get("__name__"))


class SiteRun:
    """One site's crawl within a :func:`run_crawls`: its crawler, its counters, its record."""

    def __init__(
        self,
        store: Store,
        plan: CrawlPlan,
        crawl_id: int,
        before_finish: Callable[[CrawlPlan], None] | None,
        after_finish: Callable[[CrawlPlan], None] | None = None,
    ) -> None:
        self.store, self.plan, self.crawl_id = store, plan, crawl_id
        self.before_finish, self.after_finish = before_finish, after_finish
        self.counters = CrawlCounters()
        self.after_any: ThrottledCall | None = None
        """Asked for once this site finished and its own feeds are written (see :func:`run_crawls`)."""
        self.crawler: Crawler | None = None
        self.stop: StopSignals | None = None
        self._finished: CrawlSummary | None = None
        self._unrecorded: SQLAlchemyError | None = None
        """Why the run's record could not be closed: the store failed."""

    def schedule(self, process: CrawlerProcess, *, first: bool) -> Crawler:
        """Hand the site's crawler to ``process``; the ``first`` one installs the reactor."""
        self.crawler = Crawler(SiteSpider, scrapy_settings(self.plan), init_reactor=first)
        self.crawler.signals.connect(self._on_spider_closed, signal=signals.spider_closed)
        process.crawl(
            self.crawler, plan=self.plan, store=self.store, crawl_id=self.crawl_id, counters=self.counters
        )
        return self.crawler

    def _on_spider_closed(self, spider, reason: str) -> None:
        """The site is done: record its run now, feeds first (see :func:`run_crawls`)."""
        try:
            _report_fetches(
                self.crawl_id, self.crawler.stats.get_stats() | {"finish_reason": reason}, self.counters
            )
            status, notes = self._outcome(reason, spider)
            if status == "finished" and self.before_finish is not None:
                self.before_finish(self.plan)
            if status == "finished" and self.after_any is not None:
                self.after_any()
        except SQLAlchemyError as error:  # the store failed: its message says it all
            log.error("crawl %d failed: database error: %s", self.crawl_id, error_line(error))
            status, notes = "failed", f"database error: {error_line(error)}"
        except Exception as error:
            log.exception("crawl %d failed", self.crawl_id)
            status, notes = "failed", f"{type(error).__name__}: {error}"
        self._finish(status, notes)
        if self._finished is not None and self.after_finish is not None:
            try:
                self.after_finish(self.plan)
            except Exception:  # the site stays held until the process is done: no harm
                log.exception("crawl %d: after its end", self.crawl_id)

    def _outcome(self, reason: str, spider: SiteSpider) -> tuple[str, str | None]:
        if reason == INTERRUPTED or self._stopped_by is not None:
            return "failed", f"interrupted by {self._stopped_by or 'a stop request'} before it finished"
        if reason == STORE_LOCKED:
            return "failed", "stopped: another process held the database's write lock"
        if reason == STORE_DAMAGED:
            return "failed", "stopped: the database file is damaged; restore it from a backup"
        no_start = spider.start_pages.failure()
        if no_start is not None:
            return "failed", no_start  # the crawl could do nothing
        return "finished", None

    def fail(self, error: BaseException) -> None:
        if self._finished is None:
            self._finish("failed", f"{type(error).__name__}: {error}")

    def _finish(self, status: str, notes: str | None) -> None:
        try:
            self._finished = self.store.finish_crawl(
                self.crawl_id,
                status=status,
                pages=self.counters.pages,
                items_seen=self.counters.items_seen,
                errors=self.counters.errors,
                warnings=self.counters.warnings,
                notes=notes,
            )
        except SQLAlchemyError as error:  # raised by summary(): Scrapy's signal would swallow it
            self._unrecorded = error

    @property
    def _stopped_by(self) -> str | None:
        received = self.stop.received if self.stop is not None else None
        return received.name if received is not None else None

    def summary(self) -> CrawlSummary:
        """The run's summary; a run whose spider never closed (the process failed before)
        is recorded as failed now."""
        if self._finished is None and self._unrecorded is None:
            self._finish("failed", "the crawl ended before this site's spider did")
        if self._unrecorded is not None:
            raise self._unrecorded
        summary = self._finished or self.store.crawl_summary(self.crawl_id)
        return dataclasses.replace(summary, stopped_by=self._stopped_by)


def _report_fetches(crawl_id: int, stats: dict, counters: CrawlCounters) -> None:
    """What the crawl cost the site; a crawl stopped by its page limit is a warning."""
    log.info(
        "crawl %d fetched: %d requests, %d not modified (304), %d gone (404/410), %d bytes",
        crawl_id,
        stats.get("downloader/request_count", 0),
        counters.unchanged,
        counters.gone,
        stats.get("downloader/response_bytes", 0),
    )
    if stats.get("finish_reason") == "closespider_pagecount":
        counters.warnings += 1
        log.warning(
            "crawl %d stopped at its page limit (--max-pages): re-checks not reached wait for "
            "the next crawl, older listing pages for a `crawl --full`",
            crawl_id,
        )
