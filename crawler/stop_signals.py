"""Ctrl-C or SIGTERM during a crawl: stop it gracefully, and remember which signal stopped it.

Scrapy's own handlers stop a crawl gracefully too, but the crawl then ends like one that
reached its end (nothing says it was cut short, nor by what), so a crawl stopped half-way
would be recorded, reported and counted as a complete walk of the site. These handlers
replace Scrapy's for the crawl: the first signal closes the spider with the finish reason
:data:`INTERRUPTED` (the pages in flight are still stored whole), a second one stops at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Sequence
from types import FrameType

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

INTERRUPTED = "interrupted"
"""Scrapy's finish reason for a crawl stopped by a signal."""
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """Within ``with``: SIGINT and SIGTERM stop every one of ``crawlers`` (one per site);
    :attr:`received` says which came."""

    def __init__(self, crawlers: Sequence[Crawler]) -> None:
        self.crawlers = tuple(crawlers)
        self.received: signal.Signals | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():  # only it may set handlers
            self._previous = {number: signal.signal(number, self._on_signal) for number in SIGNALS}
        return self

    def __exit__(self, *_exc) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)

    def _on_signal(self, number: int, _frame: FrameType | None) -> None:
        """Runs between two bytecodes of the reactor's thread: it only schedules work there."""
        from twisted.internet import reactor

        if self.received is None:
            self.received = signal.Signals(number)
            reactor.callFromThread(self._close_spider)
        else:
            reactor.callFromThread(_stop_reactor)

    def _close_spider(self) -> None:
        engines = [crawler.engine for crawler in self.crawlers]
        running = [engine for engine in engines if engine is not None and engine.running]
        if not running:
            _stop_reactor()
        for engine in running:
            deferred_from_coro(engine.close_spider_async(reason=INTERRUPTED))


def _stop_reactor() -> None:
    from twisted.internet import reactor

    if reactor.running:
        reactor.stop()


def exit_code(name: str) -> int:
    """The shell's convention for a process ended by the signal ``name``: 130 for SIGINT,
    143 for SIGTERM; a script sees the crawl did not finish, and why."""
    return 128 + int(signal.Signals[name])
