"""An action asked for often, run at most once in an interval; the last ask is never lost.

When many sites are crawled together, each one that finishes changes the combined feeds of
every site. Rebuilding them at every finish cost a few percent of a 50-site crawl's CPU,
most of it thrown away a moment later by the next site's finish. Through a
:class:`ThrottledCall` they are rebuilt at once when the last rebuild is older than the
interval, else once when the interval ends: a finished site's items reach them within the
interval, even while another site hangs, and the end of the crawl writes what is still owed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from twisted.internet.interfaces import IDelayedCall, IReactorTime

log = logging.getLogger(__name__)


class ThrottledCall:
    """``action`` run on ``clock`` (the reactor) at most once every ``interval`` seconds;
    ``what`` names it in the log line of a failure."""

    def __init__(self, action: Callable[[], None], interval: float, clock: IReactorTime, what: str) -> None:
        self.action, self.interval, self.clock, self.what = action, interval, clock, what
        self._last_run = -math.inf
        self._pending: IDelayedCall | None = None
        self._owed = False
        """Asked for since its last successful run."""

    def __call__(self) -> None:
        """Run the action now, or once the interval since its last run ends."""
        self._owed = True
        if self._pending is not None:
            return  # the run already due covers this ask
        wait = self._last_run + self.interval - self.clock.seconds()
        if wait <= 0:
            self._run()
        else:
            self._pending = self.clock.callLater(wait, self._run)

    def flush(self) -> None:
        """Run the action now if a run is owed (pending, or failed last time): the reactor is
        stopping and would drop a pending one."""
        if self._pending is not None and self._pending.active():
            self._pending.cancel()
        self._pending = None
        if self._owed:
            self._run()

    def _run(self) -> None:
        self._pending = None
        self._last_run = self.clock.seconds()
        try:
            self.action()
        except Exception:  # still owed: the next ask, or the flush at the end, runs it again
            log.exception("could not %s", self.what)
            return
        self._owed = False
