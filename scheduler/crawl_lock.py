"""One crawl at a time, across processes: an exclusive lock on a file in the data directory.

The service's scheduled crawls and an on-demand ``newswatch crawl`` both take it around
crawl -> store -> feeds (scheduler.crawl_job), so two crawls never interleave their pages or
rewrite the feeds under each other.

It is an advisory ``flock`` on ``DATA_DIR/crawl.lock``, not a pid file: the kernel releases
it when its holder exits however it exits (a crash, a SIGKILL after a timeout), so a dead
crawl never leaves a stale lock behind. The holder writes its pid and start time into the
file only to tell a waiting user whom they wait for. It serialises the processes of one
machine that share a data directory; crawls on different machines sharing one PostgreSQL
database are kept consistent by the store's unique constraints instead. POSIX only.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

LOCK_FILENAME = "crawl.lock"
DEFAULT_WAIT_SECONDS = 600.0
"""How long an on-demand crawl waits for a running one (``newswatch crawl --wait``)."""
POLL_SECONDS = 0.2


class CrawlBusy(RuntimeError):
    """Another crawl holds the lock, and it was not released within the wait."""


@contextmanager
def crawl_lock(data_dir: Path, wait: float = DEFAULT_WAIT_SECONDS) -> Iterator[None]:
    """Hold the crawl lock for the ``with`` block, waiting up to ``wait`` seconds for it.

    Raises :class:`CrawlBusy` when another crawl still holds it after ``wait`` seconds
    (at once when ``wait`` is 0). Waiting is announced with a warning, so a person who runs
    ``newswatch crawl`` while the service crawls knows why nothing happens yet.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / LOCK_FILENAME, "a+", encoding="utf-8") as handle:
        _acquire(handle, wait)
        try:
            _write_holder(handle)
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle: TextIO, wait: float) -> None:
    if _try_lock(handle):
        return
    holder = _holder(handle)
    if wait > 0:
        log.warning("another crawl is running (%s); waiting up to %.0fs for it to finish", holder, wait)
        began = time.monotonic()
        deadline = began + wait
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            if _try_lock(handle):
                waited = time.monotonic() - began
                log.info("the other crawl has finished after %.1fs of waiting; starting this one", waited)
                return
        raise CrawlBusy(f"another crawl is still running ({holder}) after waiting {wait:.0f}s")
    raise CrawlBusy(f"another crawl is running ({holder})")


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
