"""The service's sender: sends each crawl's messages as soon as the crawl ends, and keeps
retrying in the background what a channel did not accept (scheduler.notify.sender).

A thread of its own, so that a slow or unreachable channel never delays a crawl or an HTTP
answer. It sleeps until the next retry is due, or until :meth:`BackgroundSender.wake` (a
crawl has ended); everything it knows is in the outbox, so a restart of the service takes
up where it stopped.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from scheduler.notify.sender import send_due
from storage.database import error_line
from storage.store import Store, utcnow

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0
"""The longest sleep: messages written by an on-demand ``newswatch crawl`` that could not
send them are picked up within this."""
BUSY_SECONDS = 5.0
"""Another process (a ``newswatch crawl``) is sending: look again after this."""


class BackgroundSender:
    def __init__(self, store: Store, data_dir: Path) -> None:
        self.store = store
        self.data_dir = data_dir
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="notify-sender", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Send now: a crawl has ended."""
        self._wake.set()

    def stop(self) -> None:
        """No new attempts; one in flight ends with the process (it is sent again later)."""
        self._stopping.set()
        self._wake.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._pass())
            self._wake.clear()

    def _pass(self) -> float:
        """One pass over what is due; how long to sleep before the next."""
        try:
            if send_due(self.store, self.data_dir, wait=0).busy:
                return BUSY_SECONDS
            due = self.store.next_message_due()
        except SQLAlchemyError as error:
            log.error("notifications: the database cannot be used: %s", error_line(error))
            return IDLE_SECONDS
        except Exception:  # a bug must not end the thread: the service would stop notifying
            log.exception("notifications: the sender failed")
            return IDLE_SECONDS
        if due is None:
            return IDLE_SECONDS
        return min(IDLE_SECONDS, max(0.0, (due - utcnow()).total_seconds()))
