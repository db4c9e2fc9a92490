"""``newswatch run``: crawl on a schedule, serve the feeds and the change log, stop cleanly.

One process holds the HTTP server (its own threads), APScheduler's background scheduler
(one job per schedule, scheduler.service.site_groups) and up to ``MAX_CHILDREN`` crawl
children at a time (scheduler.service.supervisor, forked from a warm fork server:
scheduler.service.crawl_processes), each crawling sites no other child is
crawling: a site that hangs holds up its own child only, never another site's crawls. The
main thread only waits for SIGTERM or SIGINT, then stops everything in order: no new
crawls; the crawls in progress are asked to stop and killed if they do not within a few
seconds (their pages are whole or absent, never half-written); then the server closes.

A stop signal always ends the process: whatever was started is stopped however the start-up
ended (an error in it leaves no thread serving behind), and a stop that takes longer than
``STOP_DEADLINE_SECONDS`` (a database that does not answer) ends the process at once.

A store the service cannot use when it starts (damaged, unreadable) stops the start-up with
one line and exit code 1: the person starting it is there to see it, and a service that
cannot crawl has nothing to do. A store that breaks later is reported by ``/healthz``
instead (scheduler.service.health).

Scheduling: the first crawl of each schedule starts at once; then every interval (or by
cron). A run that comes due while the schedule's previous crawl is still running starts a
second child (``max_instances=2``), which crawls the sites the first is done with (a child
lets go of each site's lock as soon as that site's run is recorded) and leaves out those
still being crawled, as it leaves out a site an on-demand ``newswatch crawl`` holds (its
lock, scheduler.crawl_lock): a site that hangs never holds up its schedule-mates' next
crawls. A third run due while both still run is skipped. Runs missed while the machine slept are coalesced
into one, however late (``misfire_grace_time=None``), and live crawls are jittered a little
(scheduler.service.schedule).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import SQLAlchemyError

from crawler.plan import CrawlPlan
from scheduler.config import Config
from scheduler.notify.messages import notify_through
from scheduler.service.crawl_child import CrawlRequest
from scheduler.service.health import health_report, site_health
from scheduler.service.notifier import BackgroundSender
from scheduler.service.schedule import Schedule
from scheduler.service.settings import ServiceSettings, http_url
from scheduler.service.site_groups import ScheduleGroup, schedule_groups
from scheduler.service.supervisor import CrawlAttempt, CrawlSupervisor
from scheduler.sites import BUILT_IN, WatchedSite, site_destinations
from scheduler.web.app import ServiceApp
from scheduler.web.server import HttpServer
from storage.database import DatabaseError, error_line, redacted_url
from storage.store import Store

log = logging.getLogger(__name__)

MAX_CHILDREN = 4
"""Crawl children at most at once (a child crawls many sites; this bounds the memory)."""
JOB_DEFAULTS = {"max_instances": 2, "coalesce": True, "misfire_grace_time": None}
"""Due again while a schedule's child runs, a second child crawls the sites the first is done
with (see the module docstring); due while both run, the run is skipped."""
STALE_CRAWL_NOTE = "interrupted: the process running it ended before it finished"
STOP_DEADLINE_SECONDS = 15.0
"""A stop signal ends the process within this, however stuck (a crawl child gets 3 s)."""
EXIT_STUCK = 1


class Service:
    """The running service; :meth:`run` blocks until SIGTERM or SIGINT."""

    job_defaults = JOB_DEFAULTS
    """How the scheduler runs a schedule's job (see the module docstring)."""

    def __init__(
        self,
        settings: ServiceSettings,
        config: Config,
        store: Store,
        live_plans: tuple[CrawlPlan, ...],
        *,
        quiet: bool,
        verbose: bool,
        sites: Sequence[WatchedSite] = (BUILT_IN,),
        site_schedules: Mapping[str, Schedule] | None = None,
    ) -> None:
        self.settings = settings
        self.live_plans = live_plans
        """What each live crawl does, one plan per site: start pages and politeness
        (offline crawls read files)."""
        plans = live_plans[:1] if settings.offline else live_plans  # offline: one site's files
        self.groups = schedule_groups(plans, site_schedules or {}, settings.schedule)
        self.config = config
        self.store = store
        self.sites = tuple(sites)
        """Every watched site, crawled now or not: the feeds name them all."""
        self.quiet = quiet
        self.verbose = verbose
        self.stop = threading.Event()
        self.last_attempts: dict[str, CrawlAttempt] = {}
        """How the service's latest crawl of each site went."""
        self.crawling: Counter[str] = Counter()
        """The sites a child of the service is crawling now, with how many children hold
        them (a group's second child, while its first still runs: see the docstring)."""
        self._crawling_lock = threading.Lock()
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=MAX_CHILDREN)},
            job_defaults=self.job_defaults,
        )
        self.app = ServiceApp(store, config.data_dir, config.site_url, self.health, sites)
        self.server = HttpServer(self.app, settings.host, settings.port)
        self.supervisor = CrawlSupervisor(
            store, config, settings.timeout.total_seconds(), self.stop, sites=sites
        )
        self.destinations: tuple = ()
        self.sender = BackgroundSender(store, config.data_dir)

    def notifying(self, destinations: tuple) -> Service:
        """Tell ``destinations`` of each crawl's changes (scheduler.notify)."""
        self.destinations = tuple(destinations)
        return self

    def run(self) -> int:
        """Serve and crawl until a stop signal; returns the exit code (0).

        Raises DatabaseError when the store cannot be used at the start, ListenError when
        the address cannot be listened on; nothing is left running then."""
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, self._on_stop_signal)
        try:
            self._start()
            self.stop.wait()
        finally:
            self._shut_down()
        return 0

    def _start(self) -> None:
        self._refuse_unusable_store()
        host, port = self.server.start()
        self._use_base_url(self.settings.public_base_url(host, port))
        self.sender.start()
        self.supervisor.processes.warm_up()  # imports while the stale crawls are settled
        self.supervisor.settle(STALE_CRAWL_NOTE, [plan.site for plan in self.live_plans])
        self.sender.wake()  # a killed crawl closed just now has its messages now
        if self.supervisor.store_problem:
            raise DatabaseError(self.supervisor.store_problem)
        self._schedule_crawls()
        log.info(
            "listening on %s; feeds: %s{feed.rss,feed.atom,changes.atom}, every feed: %sfeeds.opml, "
            "change log: %schanges",
            http_url(host, port),
            self.config.base_url,
            self.config.base_url,
            self.config.base_url,
        )
        for group in self.groups:
            log.info(
                "crawling %s %s%s; the first crawl starts now",
                ", ".join(group.sites),
                group.schedule.describe(),
                f", offline from {self.settings.fixtures}" if self.settings.offline else "",
            )

    def _refuse_unusable_store(self) -> None:
        """A damaged database file stops the start-up (storage.database.damage_found)."""
        damage = self.store.damage()
        if damage:
            raise DatabaseError(
                f"database {redacted_url(self.config.database_url)} is damaged ({damage}); "
                "restore it from a backup (or salvage what is left with sqlite3's .recover)"
            )

    def health(self) -> dict:
        """The health report; a store that cannot even be read makes it not ok, with the reason."""
        problem = self.supervisor.store_problem
        try:
            last_crawl = self.store.last_crawl()
            sites = {name: self._site_health(name, group) for group in self.groups for name in group.sites}
            notifications = self.store.notification_statuses()
        except SQLAlchemyError as error:
            last_crawl, sites, notifications = None, {}, []
            problem = f"database error: {error_line(error)}"
        attempts = sorted(self.last_attempts.values(), key=lambda attempt: attempt.started_at)
        return health_report(
            sites=sites,
            last_crawl=last_crawl,
            last_attempt=attempts[-1] if attempts else None,
            schedule=self.settings.schedule.describe(),
            store_problem=problem,
            notifications=notifications,
        )

    def _site_health(self, name: str, group: ScheduleGroup) -> dict:
        job = self.scheduler.get_job(group.job_id)
        return site_health(
            last_crawl=self.store.last_crawl(site=name),
            last_attempt=self.last_attempts.get(name),
            crawling=self.crawling[name] > 0,
            next_run=job.next_run_time if job else None,
            schedule=group.schedule.describe(),
        )

    def _use_base_url(self, base_url: str) -> None:
        """The feeds' self links point where they are served (known once the port is bound)."""
        self.config = replace(self.config, base_url=base_url)
        self.supervisor.config = self.config
        self.app.base_url = base_url
        notify_through(self.store, self.destinations, base_url, site_destinations(self.sites))

    def _schedule_crawls(self) -> None:
        now = dt.datetime.now(dt.UTC)
        for group in self.groups:
            trigger = group.schedule.trigger(jitter=not self.settings.offline)
            self.scheduler.add_job(
                self._crawl, trigger, args=(group,), id=group.job_id, name=group.job_id, next_run_time=now
            )
        self.scheduler.start()

    def _crawl(self, group: ScheduleGroup) -> None:
        """The scheduled job: one crawl of the group's sites in a child of its own; nothing
        it does may end the scheduler."""
        if self.stop.is_set():  # queued behind other crawls while the service began to stop
            return
        plans = self._plans(group)
        with self._crawling_lock:
            # the sites no earlier child of the group still holds: this attempt speaks for
            # them (a hanging site's health stays with its own child's attempt)
            mine = [site for site in group.sites if not self.crawling[site]]
            self.crawling.update(group.sites)
        try:
            request = CrawlRequest(
                self.config,
                plans,
                self.sites,
                quiet=self.quiet,
                verbose=self.verbose,
                destinations=self.destinations,
            )
            attempt = self.supervisor.run(request)
            self.last_attempts.update((site, attempt) for site in mine)
        except Exception:
            log.exception("the scheduled crawl could not run")
        finally:
            with self._crawling_lock:
                self.crawling.subtract(group.sites)
        self.sender.wake()

    def _plans(self, group: ScheduleGroup) -> tuple[CrawlPlan, ...]:
        """What to crawl, decided anew each time (a page file added to the fixtures counts)."""
        if not self.settings.offline:
            return group.plans
        from crawler.runner import fixture_urls

        urls = tuple(fixture_urls(self.settings.fixtures))
        return (dataclasses.replace(group.plans[0], start_urls=urls),)

    def _on_stop_signal(self, number: int, _frame: FrameType | None) -> None:
        if not self.stop.is_set():
            self.stop.set()
            threading.Thread(target=_end_if_stuck, name="stop-deadline", daemon=True).start()

    def _shut_down(self) -> None:
        """Stop what was started, in order; safe (and silent) after a start-up that failed."""
        started = self.scheduler.running
        if started:
            log.info("stopping: no new crawls; a crawl in progress is stopped within seconds")
        self.stop.set()
        self.sender.stop()
        if started:
            self.scheduler.shutdown(wait=True)
        self.server.stop()
        if started:
            log.info("stopped")


def _end_if_stuck() -> None:
    """Started by a stop signal: the process ends within STOP_DEADLINE_SECONDS, whatever holds it."""
    time.sleep(STOP_DEADLINE_SECONDS)
    log.error("the service did not stop within %.0fs of the stop signal; exiting now", STOP_DEADLINE_SECONDS)
    logging.shutdown()
    os._exit(EXIT_STUCK)
