"""Never two crawls of the same site at once, across processes: one lock file per site.

The service's scheduled crawls and an on-demand ``newswatch crawl`` both hold the locks of
the sites they crawl around crawl -> store -> feeds (scheduler.crawl_job), so two crawls of
one site never interleave its pages, while crawls of different sites run side by side: a
site that hangs holds its own lock only. A crawl of sites A and B holds A's and B's locks.

One short lock guards what crawls of different sites share, the feed files: each crawl
rewrites the combined feeds from the store, and the last writer must have read the newest
store. It is held for a moment, never for a crawl.

Each is an advisory ``flock`` on a file in the data directory (``crawl-SITE.lock``,
``feeds.lock``), not a pid file: the kernel releases it when its holder exits however it
exits (a crash, a SIGKILL after a timeout), so a dead crawl never leaves a stale lock
behind. A crawl's holder writes its pid and start time into the file only to tell a waiting
user whom they wait for. The locks serialise the processes of one machine that share a data
directory; crawls on different machines sharing one PostgreSQL database are kept consistent
by the store's unique constraints instead. POSIX only.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import time
from collections.abc import Collection, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

DEFAULT_WAIT_SECONDS = 600.0
"""How long an on-demand crawl waits for a running one (``newswatch crawl --wait``)."""
POLL_SECONDS = 0.2
FEEDS_LOCK = "feeds"


class CrawlBusy(RuntimeError):
    """Another crawl of a site holds its lock, and it was not released within the wait."""


def lock_path(data_dir: Path, site: str) -> Path:
    """The lock file of ``site``'s crawls (site names are slugs: safe in a file name)."""
    return data_dir / f"crawl-{site}.lock"


@contextmanager
def crawl_lock(data_dir: Path, sites: Collection[str], wait: float = DEFAULT_WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock of every site in ``sites`` for the ``with`` block, waiting up to
    ``wait`` seconds in all for them.

    Raises :class:`CrawlBusy` when another crawl still holds one after ``wait`` seconds
    (at once when ``wait`` is 0); none is held then. Waiting is announced with a warning,
    so a person who runs ``newswatch crawl`` while the service crawls knows why nothing
    happens yet. The locks are taken in name order, so two crawls waiting for each
    other's sites cannot deadlock.
    """
    deadline = time.monotonic() + wait
    with ExitStack() as held:
        for site in sorted(set(sites)):
            held.enter_context(_one_lock(data_dir, site, max(0.0, deadline - time.monotonic()), wait))
        yield


class FreeSites:
    """The locks :func:`free_sites_held` took: :attr:`sites` (in name order), each released
    at the end of the ``with`` block, or earlier by :meth:`release`."""

    def __init__(self) -> None:
        self._held: dict[str, ExitStack] = {}

    @property
    def sites(self) -> tuple[str, ...]:
        return tuple(self._held)

    def take(self, data_dir: Path, site: str) -> None:
        with ExitStack() as held:
            held.enter_context(_one_lock(data_dir, site, 0.0, 0.0))
            self._held[site] = held.pop_all()

    def release(self, site: str) -> None:
        """Let another crawl of ``site`` start now: this one is done with it (its run is
        recorded), while it goes on with the others."""
        held = self._held.pop(site, None)
        if held is not None:
            held.close()

    def release_all(self) -> None:
        for site in self.sites:
            self.release(site)


@contextmanager
def free_sites_held(data_dir: Path, sites: Collection[str]) -> Iterator[FreeSites]:
    """Hold the locks of those of ``sites`` that no other crawl holds now. The others are
    being crawled: their crawl will do the work."""
    free = FreeSites()
    try:
        for site in sorted(set(sites)):
            try:
                free.take(data_dir, site)
            except CrawlBusy as busy:
                log.info("%s", busy)
        yield free
    finally:
        free.release_all()


@contextmanager
def free_sites_locked(data_dir: Path, sites: Collection[str]) -> Iterator[tuple[str, ...]]:
    """:func:`free_sites_held` for the whole ``with`` block: yields the free sites' names."""
    with free_sites_held(data_dir, sites) as free:
        yield free.sites


@contextmanager
def feeds_lock(data_dir: Path) -> Iterator[None]:
    """The short lock around reading the store and writing the feed files from it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / f"{FEEDS_LOCK}.lock", "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _one_lock(data_dir: Path, site: str, wait: float, announced_wait: float) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_path(data_dir, site), "a+", encoding="utf-8") as handle:
        _acquire(handle, site, wait, announced_wait)
        try:
            _write_holder(handle)
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle: TextIO, site: str, wait: float, announced_wait: float) -> None:
    if _try_lock(handle):
        return
    holder = _holder(handle)
    if wait > 0:
        log.warning(
            "another crawl of site %s is running (%s); waiting up to %.0fs for it to finish",
            site,
            holder,
            announced_wait,
        )
        began = time.monotonic()
        deadline = began + wait
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            if _try_lock(handle):
                waited = time.monotonic() - began
                log.info("the other crawl has finished after %.1fs of waiting; starting this one", waited)
                return
        raise CrawlBusy(
            f"another crawl of site {site} is still running ({holder}) after waiting {announced_wait:.0f}s"
        )
    raise CrawlBusy(f"another crawl of site {site} is running ({holder})")


def _try_lock(handle: TextIO) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _write_holder(handle: TextIO) -> None:
    handle.seek(0)
    handle.truncate(0)
    started = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    handle.write(f"{os.getpid()} {started}\n")
    handle.flush()


def _holder(handle: TextIO) -> str:
    """Who holds the lock, as the holder wrote it (``pid 123, since 2026-11-22T19:00:00+00:00``)."""
    handle.seek(0)
    pid, _, started = handle.read().strip().partition(" ")
    if not pid:
        return "pid unknown"
    return f"pid {pid}, since {started}" if started else f"pid {pid}"
