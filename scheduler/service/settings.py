"""The service's settings (``newswatch run``), resolved by the one rule of scheduler.settings.

The schedule counts as one setting: the first source that gives ``every`` or ``cron``
decides it, so ``--cron`` on the command line overrides ``every`` in the file (one source
giving both is an error).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from scheduler.config import BUNDLED_FIXTURES
from scheduler.service.schedule import DEFAULT_EVERY, Schedule, parse_duration
from scheduler.settings import SETTINGS, SettingsError, Sources

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_TIMEOUT = "30m"


@dataclass(frozen=True)
class ServiceSettings:
    schedule: Schedule
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    base_url: str | None = None
    """The public URL of the feeds; None: ``http://HOST:PORT/`` of the bound socket."""
    offline: bool = False
    fixtures: Path = BUNDLED_FIXTURES
    timeout: dt.timedelta = parse_duration(DEFAULT_TIMEOUT)
    """A crawl still running after this long is killed (and the next one runs as planned)."""

    def public_base_url(self, host: str, port: int) -> str:
        """The feeds' self-link base: the configured one, else where the server listens."""
        return self.base_url or http_url(host, port)


def http_url(host: str, port: int) -> str:
    """``http://HOST:PORT/``, with an IPv6 address in brackets."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def service_settings(sources: Sources) -> ServiceSettings:
    """The service's settings from ``sources``; raises SettingsError naming a bad value's source."""
    return ServiceSettings(
        schedule=_schedule(sources),
        host=sources.value("host", DEFAULT_HOST),
        port=sources.value("port", DEFAULT_PORT),
        base_url=sources.value("base_url"),
        offline=sources.value("offline", False),
        fixtures=sources.value("fixtures", BUNDLED_FIXTURES),
        timeout=sources.value("timeout", parse_duration(DEFAULT_TIMEOUT)),
    )


def _schedule(sources: Sources) -> Schedule:
    found = sources.first_of(("every", "cron"))
    if len(found) == 2:
        raise SettingsError(f"{found['every'].source}: give either every or cron, not both")
    if "cron" in found:
        return Schedule(cron=found["cron"].parsed(SETTINGS["cron"]))
    if "every" in found:
        return Schedule(every=found["every"].parsed(SETTINGS["every"]))
    return Schedule(every=parse_duration(DEFAULT_EVERY))
