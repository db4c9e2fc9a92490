"""What a worker does while Redis or the store is out of reach: it waits and tries again,
saying so once per outage rather than once per try.

A request the worker held while either was away may have lost part of what it gave (a link
not queued, a page not stored): it is not finished but given back to the queue, to be fetched
again (which the store makes harmless), once Redis answers (:attr:`Outages.serial` tells). Were
the outage longer than the worker's lease, what it held was queued again meanwhile
(crawler.distributed.board), and giving it back does nothing more. While the store is away the
worker takes no request (:attr:`Outages.paused`), so as not to fetch pages it could not store.
"""

from __future__ import annotations

import logging
import time

import redis
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storage.database import error_line
from storage.store import Store

log = logging.getLogger(__name__)

REDIS_AWAY = (redis.ConnectionError, redis.TimeoutError)
"""What redis-py raises when the server cannot be reached (it reconnects by itself next time)."""
RETRY_SECONDS = 1.0
"""How long a worker waits before trying Redis, or the store, again."""
SAID_SECONDS = 30.0
"""An outage still going on is said again this often."""
REDIS, STORE = "Redis", "the store"


def store_reachable(store: Store) -> bool:
    """True when the store answers a query now (after a failure: was it the store being away,
    or the page?)."""
    try:
        with store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


class Outages:
    """A worker's (or a coordinator's) view of its servers: when each was last said to be
    away, and its pause."""

    def __init__(self, who: str) -> None:
        self.who = who
        """Who says it in the log: ``worker NAME``, ``coordinator``."""
        self.serial = 0
        """How many times a server was found away: a request taken before the last time is
        given back rather than finished."""
        self._said: dict[str, float] = {}
        self._paused_until = 0.0

    def away(self, server: str, error: BaseException | str) -> None:
        """``server`` (:data:`REDIS`, :data:`STORE`) did not answer: said once in a while;
        the store away, the worker pauses."""
        self.serial += 1
        if server == STORE:
            self._paused_until = time.monotonic() + RETRY_SECONDS
        now = time.monotonic()
        if now - self._said.get(server, -SAID_SECONDS) >= SAID_SECONDS:
            self._said[server] = now
            reason = error if isinstance(error, str) else error_line(error)
            log.warning("%s: %s is out of reach (%s); trying again", self.who, server, reason)

    def store_failed(self, store: Store, error: BaseException | str) -> bool:
        """True, the store said away, when it does not answer now: ``error`` was its being
        away, not the page's fault."""
        if store_reachable(store):
            return False
        self.away(STORE, error)
        return True

    def back(self, server: str) -> None:
        if self._said.pop(server, None) is not None:
            log.warning("%s: %s answers again; going on", self.who, server)

    @property
    def paused(self) -> bool:
        """True for a while after the store was found away: take no request."""
        return time.monotonic() < self._paused_until
