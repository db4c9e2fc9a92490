"""``newswatch run``: crawl on a schedule, serve the feeds and the change log, stop cleanly.

One process holds the HTTP server (its own threads), APScheduler's background scheduler
(one worker thread, so crawls queue rather than overlap), and at most one crawl child at a
time (scheduler.service.supervisor). The main thread only waits for SIGTERM or SIGINT, then
stops everything in order: no new crawls; the crawl in progress is asked to stop and killed
if it does not within a few seconds (its pages are whole or absent, never half-written);
then the server closes.

Scheduling: the first crawl starts at once; then every interval (or by cron). A run that
comes due while a crawl is still running is skipped (``max_instances=1``), runs missed
while the machine slept are coalesced into one, however late (``misfire_grace_time=None``),
and live crawls are jittered a little (scheduler.service.schedule).
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from dataclasses import replace
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from crawler.plan import CrawlPlan
from scheduler.config import Config
from scheduler.service.crawl_child import CrawlRequest
from scheduler.service.health import health_report
from scheduler.service.settings import ServiceSettings, http_url
from scheduler.service.supervisor import CrawlAttempt, CrawlSupervisor
from scheduler.web.app import ServiceApp
from scheduler.web.server import HttpServer
from storage.store import Store

log = logging.getLogger(__name__)

JOB_ID = "crawl"
JOB_DEFAULTS = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
STALE_CRAWL_NOTE = "interrupted: the process running it ended before it finished"


class Service:
    """The running service; :meth:`run` blocks until SIGTERM or SIGINT."""

    def __init__(
        self,
        settings: ServiceSettings,
        config: Config,
        store: Store,
        live_plan: CrawlPlan,
        *,
        quiet: bool,
        verbose: bool,
    ) -> None:
        self.settings = settings
        self.live_plan = live_plan
        """What each live crawl does: start pages and politeness (offline crawls read files)."""
        self.config = config
        self.store = store
        self.quiet = quiet
        self.verbose = verbose
        self.stop = threading.Event()
        self.last_attempt: CrawlAttempt | None = None
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=1)}, job_defaults=JOB_DEFAULTS
        )
        app = ServiceApp(store, config.data_dir, config.site_url, self.health)
        self.server = HttpServer(app, settings.host, settings.port)
        self.supervisor = CrawlSupervisor(store, config, settings.timeout.total_seconds(), self.stop)

    def run(self) -> int:
        """Serve and crawl until a stop signal; returns the exit code (0)."""
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, self._on_stop_signal)
        host, port = self.server.start()
        self._use_base_url(self.settings.public_base_url(host, port))
        self.supervisor.settle(STALE_CRAWL_NOTE)
        self._schedule_crawls()
        log.info(
            "listening on %s; feeds: %s{feed.rss,feed.atom,changes.atom}, change log: %schanges",
            http_url(host, port),
            self.config.base_url,
            self.config.base_url,
        )
        log.info(
            "crawling %s%s; the first crawl starts now",
            self.settings.schedule.describe(),
            f", offline from {self.settings.fixtures}" if self.settings.offline else "",
        )
        self.stop.wait()
        return self._shut_down()

    def health(self) -> dict:
        job = self.scheduler.get_job(JOB_ID)
        return health_report(
            last_crawl=self.store.last_crawl(),
            last_attempt=self.last_attempt,
            crawling=self.supervisor.running.is_set(),
            next_run=job.next_run_time if job else None,
            schedule=self.settings.schedule.describe(),
        )

    def _use_base_url(self, base_url: str) -> None:
        """The feeds' self links point where they are served (known once the port is bound)."""
        self.config = replace(self.config, base_url=base_url)
        self.supervisor.config = self.config

    def _schedule_crawls(self) -> None:
        trigger = self.settings.schedule.trigger(jitter=not self.settings.offline)
        now = dt.datetime.now(dt.UTC)
        self.scheduler.add_job(self._crawl, trigger, id=JOB_ID, name="crawl", next_run_time=now)
        self.scheduler.start()

    def _crawl(self) -> None:
        """The scheduled job: one crawl in a child; nothing it does may end the scheduler."""
        try:
            request = CrawlRequest(self.config, self._plan(), quiet=self.quiet, verbose=self.verbose)
            self.last_attempt = self.supervisor.run(request)
        except Exception:
            log.exception("the scheduled crawl could not run")

    def _plan(self) -> CrawlPlan:
        """What to crawl, decided anew each time (a page file added to the fixtures counts)."""
        if not self.settings.offline:
            return self.live_plan
        from crawler.runner import fixture_urls

        urls = tuple(fixture_urls(self.settings.fixtures))
        return CrawlPlan(urls, offline=True, verbose=self.verbose)

    def _on_stop_signal(self, number: int, _frame: FrameType | None) -> None:
        self.stop.set()

    def _shut_down(self) -> int:
        log.info("stopping: no new crawls; a crawl in progress is stopped within seconds")
        self.scheduler.shutdown(wait=True)
        self.server.stop()
        log.info("stopped")
        return 0
