"""The service runs every crawl in a child process, and makes sure each one ends.

Why a child process per crawl rather than Scrapy's CrawlerRunner on one long-lived reactor:

- Scrapy's Twisted reactor cannot be restarted within a process, and crawler.runner drives
  it with CrawlerProcess, exactly as ``newswatch crawl`` does; a child per crawl runs that
  same, tested code path instead of a second, reactor-sharing one.
- A crawl that hangs (a stuck download, a parser caught in a loop) can only be stopped from
  outside: a child process can be killed, a reactor thread cannot.
- A crash (a segfault in a C extension, the out-of-memory killer, an exception nobody
  catches) ends the child, never the service; whatever a crawl leaked goes with its process.
- The price of a fresh interpreter per crawl (about a second of imports) is paid once: the
  children are forked from a warm fork server that has imported what a crawl needs, never
  from the threaded service itself (scheduler.service.crawl_processes).

If the fork server dies while a crawl runs, nobody can tell how the crawl ended: the crawl
is reported as crashed, its process (now an orphan nobody would time out) is killed, and
the next crawl starts a new fork server.

Killing a child is safe for the data: the store writes each page in one transaction, so a
killed crawl leaves whole pages or nothing. Its crawl runs, left "running", are then closed
as failed here (under the locks of its sites only: other children may be crawling other
sites), and the feeds are rewritten from what it stored. Several children may run at once,
each with a supervisor's :meth:`CrawlSupervisor.run` of its own; nothing here is shared
between them but the store problem, which any of them may learn.

The store can break while the service runs (a damaged file, a full disk, a database server
gone): the clean-up then fails with a database error, or a crawl fails and SQLite's quick
check finds damage. The supervisor keeps that as :attr:`CrawlSupervisor.store_problem`,
which ``/healthz`` reports (scheduler.service.health), and clears it when a crawl finishes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess

from sqlalchemy.exc import SQLAlchemyError

from scheduler.config import Config
from scheduler.crawl_job import publish_feeds
from scheduler.crawl_lock import free_sites_locked
from scheduler.service.crawl_child import (
    EXIT_BUSY,
    EXIT_FINISHED,
    CrawlRequest,
    crawl_in_child,
)
from scheduler.service.crawl_processes import CrawlProcesses, process_exists
from scheduler.sites import BUILT_IN, WatchedSite
from storage.database import error_line
from storage.store import Store

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 3.0
"""How long a child asked to stop (SIGTERM: Scrapy stops gracefully) may take before SIGKILL."""
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class CrawlAttempt:
    """How one crawl of the service went, as the service saw it (for /healthz and the log)."""

    started_at: dt.datetime
    outcome: str
    """``finished``, ``failed``, ``skipped`` (other crawls held its sites), ``crashed``,
    ``timed out`` or ``interrupted`` (the service was stopping)."""
    detail: str = ""

    def as_json(self) -> dict:
        return {"at": self.started_at.isoformat(), "outcome": self.outcome, "detail": self.detail}


class CrawlSupervisor:
    """Starts a crawl child, waits for it within a timeout, and cleans up after a bad end."""

    def __init__(
        self,
        store: Store,
        config: Config,
        timeout: float,
        stop: threading.Event,
        *,
        sites: Sequence[WatchedSite] = (BUILT_IN,),
        processes: CrawlProcesses | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.sites = tuple(sites)
        """The watched sites, whose feeds :meth:`settle` rewrites."""
        self.timeout = timeout
        self.stop = stop
        self.store_problem: str | None = None
        """Why the store cannot be used, as learnt from the last crawl (None: no known problem)."""
        self.processes = processes or CrawlProcesses()
        """How children are started: forked from the warm fork server where there is one."""

    def run(self, request: CrawlRequest) -> CrawlAttempt:
        """One crawl in a child process; returns when the child has ended, one way or another."""
        started = dt.datetime.now(dt.UTC)
        sites = [plan.site for plan in request.plans]
        child = self.processes.start(crawl_in_child, (request,), f"newswatch-crawl {' '.join(sites)}")
        cut_short = self._wait(child)
        if cut_short:
            _end(child)
        outcome, detail = _exit_outcome(child.exitcode)
        if self.processes.lost(child):
            outcome, detail = "crashed", _kill_orphan(child.pid)
        elif cut_short and outcome != "finished":
            outcome, detail = cut_short
        if outcome == "finished":
            self.store_problem = None
        elif outcome == "skipped":
            log.info("crawl of %s skipped: %s", ", ".join(sites), detail)
        else:
            log.warning("crawl of %s %s: %s", ", ".join(sites), outcome, detail)
            self.settle(f"{outcome}: {detail}", sites)
            if outcome in ("failed", "crashed") and not self.store_problem:
                self._check_store()
        return CrawlAttempt(started, outcome, detail)

    def settle(self, reason: str, sites: Collection[str]) -> None:
        """After a crawl of ``sites`` ended badly: close their run records as failed, rewrite
        the feeds.

        Under a site's lock, nobody is crawling it, so its run still marked "running"
        belongs to a process that is gone. A site another crawl holds is left to that
        crawl, which will publish the feeds. A database error is logged on one line and
        kept in :attr:`store_problem`.
        """
        try:
            with free_sites_locked(self.config.data_dir, sites) as free:
                if not free:
                    return
                for crawl_id in self.store.close_abandoned_crawls(reason, free):
                    log.warning("crawl %d closed as failed (%s)", crawl_id, reason)
                publish_feeds(self.store, self.config, self.sites)
        except SQLAlchemyError as error:
            self.store_problem = f"database error: {error_line(error)}"
            log.error("the database cannot be used: %s", error_line(error))

    def _check_store(self) -> None:
        """After a crawl that failed: is the database file itself damaged?"""
        damage = self.store.damage()
        if damage:
            self.store_problem = f"the database is damaged: {damage}"
            log.error("%s; restore it from a backup", self.store_problem)

    def _wait(self, child: BaseProcess) -> tuple[str, str] | None:
        """Wait for the child to exit; the reason to end it early, if it must be."""
        deadline = time.monotonic() + self.timeout
        while True:
            child.join(POLL_SECONDS)
            if child.exitcode is not None:
                return None
            if self.stop.is_set():
                return "interrupted", "the service is stopping"
            if time.monotonic() >= deadline:
                return "timed out", f"still running after {self.timeout:.0f}s, stopped"


def _end(child: BaseProcess) -> None:
    """SIGTERM (Scrapy stops after the pages in flight), then SIGKILL if it does not exit."""
    child.terminate()
    child.join(STOP_GRACE_SECONDS)
    if child.exitcode is None:
        log.warning("crawl process %s did not stop within %.0fs; killing it", child.pid, STOP_GRACE_SECONDS)
        child.kill()
        child.join()


def _kill_orphan(pid: int) -> str:
    """The crawl whose fork server died: kill it (nothing else would stop it at its timeout)
    and wait a little for it to go, so that its sites' locks are free for :meth:`settle`."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while process_exists(pid) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS / 10)
    return f"the crawl fork server ended during the crawl; its process {pid} was killed"


def _exit_outcome(code: int | None) -> tuple[str, str]:
    if code == EXIT_FINISHED:
        return "finished", ""
    if code == EXIT_BUSY:
        return "skipped", "other crawls of its sites were running"
    if code is not None and code < 0:
        return "crashed", f"the crawl process was killed by {_signal_name(-code)}"
    if code is not None and code > 128 and code - 128 in (signal.SIGINT, signal.SIGTERM):
        return "interrupted", f"the crawl was stopped by {_signal_name(code - 128)} before it finished"
    if code == 1:
        return "failed", "the crawl reported an error (see the log above)"
    return "crashed", f"the crawl process exited with code {code}"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
