"""When the service crawls: every DURATION (``30s``, ``10m``, ``1h``, ``1h30m``) or a cron line.

The schedule becomes an APScheduler trigger. Live crawls get a small random jitter, so a
fleet of services started together (or one restarted on the hour) does not hit the site in
lockstep; offline crawls of local files need none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.triggers.base import BaseTrigger
    from apscheduler.triggers.cron import CronTrigger

DEFAULT_EVERY = "30m"
LIVE_JITTER_SECONDS = 60.0
"""The most a live crawl is shifted at random; at most a tenth of a short interval."""

MAX_DURATION = dt.timedelta(days=365)
"""The longest interval or crawl timeout: beyond a year it is a typo, not a schedule."""
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(?:\d+[smhd])+")
_PART = re.compile(r"(\d+)([smhd])")


def parse_duration(text: str) -> dt.timedelta:
    """``30s``, ``10m``, ``1h``, ``1d`` or a sum such as ``1h30m``, from 1s to 365d; raises
    ValueError otherwise (a huge number of days would overflow the timedelta)."""
    compact = text.strip().lower().replace(" ", "")
    if not _DURATION.fullmatch(compact):
        raise ValueError(f"not a duration (e.g. 30s, 10m, 1h, 1h30m): {text!r}")
    seconds = sum(int(count) * _UNIT_SECONDS[unit] for count, unit in _PART.findall(compact))
    if seconds <= 0:
        raise ValueError(f"a duration must be longer than zero: {text!r}")
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"a duration must be at most {format_duration(MAX_DURATION)}: {text!r}")
    return dt.timedelta(seconds=seconds)


def parse_cron(text: str) -> str:
    """A five-field cron line APScheduler accepts and that fires some day; raises ValueError
    otherwise. ``* * 31 2 *`` (31 February) is valid cron but would never crawl: a service
    started with it would wait forever without a word."""
    line = str(text).strip()
    trigger = _cron_trigger(line)
    if trigger.get_next_fire_time(None, dt.datetime.now(trigger.timezone)) is None:
        raise ValueError(f"a cron line that never fires (no such date): {line!r}")
    return line


def format_duration(duration: dt.timedelta) -> str:
    """The shortest spelling :func:`parse_duration` reads back (``1h30m``, ``45s``)."""
    seconds = int(duration.total_seconds())
    parts = []
    for unit, size in sorted(_UNIT_SECONDS.items(), key=lambda item: -item[1]):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


@dataclass(frozen=True)
class Schedule:
    """Either a fixed interval or a cron expression (in the machine's local time zone)."""

    every: dt.timedelta | None = None
    cron: str | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.cron is None):
            raise ValueError("a schedule is either an interval or a cron expression")
        if self.cron is not None:
            _cron_trigger(self.cron)  # raises ValueError on a malformed line

    def describe(self) -> str:
        return f"every {format_duration(self.every)}" if self.every else f"cron {self.cron!r}"

    def next_after(self, last: dt.datetime | None, now: dt.datetime) -> dt.datetime:
        """When a crawl last begun at ``last`` (None: never) is next due, by this schedule
        alone: ``now`` when it is due already. What ``sites list`` shows without asking the
        service, whose own timetable began when it started."""
        if last is None:
            return now
        if self.every is not None:
            return max(last + self.every, now)
        trigger = _cron_trigger(self.cron)
        due = trigger.get_next_fire_time(None, last + dt.timedelta(seconds=1))
        return max(due, now) if due is not None else now

    def trigger(self, *, jitter: bool) -> BaseTrigger:
        """The APScheduler trigger, with a random jitter when ``jitter`` (live crawls)."""
        from apscheduler.triggers.interval import IntervalTrigger

        if self.every is not None:
            seconds = min(LIVE_JITTER_SECONDS, self.every.total_seconds() / 10) if jitter else None
            return IntervalTrigger(seconds=self.every.total_seconds(), jitter=seconds)
        trigger = _cron_trigger(self.cron)
        trigger.jitter = LIVE_JITTER_SECONDS if jitter else None  # from_crontab takes no jitter
        return trigger


def _cron_trigger(line: str) -> CronTrigger:
    """APScheduler's reading of a cron line (ValueError if malformed). APScheduler is imported
    here, not with this module: the settings read durations through this module, and the
    command line should not pay for APScheduler unless a cron line is given."""
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger.from_crontab(line)
