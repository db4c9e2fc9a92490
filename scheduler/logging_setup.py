"""How newswatch logs, in one place: the command line and every crawl child use it.

A crawl child of the service is a fresh interpreter, or a fork of a fork server that configured
no logging (see scheduler.service.crawl_child), so it must configure logging itself, the same
way the command line does.
"""

from __future__ import annotations

import logging
import sys


class ThirdPartyFilter(logging.Filter):
    """Scrapy, Twisted and the scheduler speak only at warning level and above (Apprise at error
    level), unless --verbose.

    A filter on our handler, not logger levels: Scrapy resets its loggers when it starts.
    """

    PREFIXES = ("scrapy", "twisted", "py.warnings", "alembic", "filelock", "asyncio", "apscheduler")
    REPEATED = "apprise"
    """Apprise's warnings say why a channel refused a message: newswatch's own line repeats
    them with the message and what happens next, so Apprise speaks at error level only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(self.REPEATED):
            return record.levelno >= logging.ERROR
        return record.levelno >= logging.WARNING or not record.name.startswith(self.PREFIXES)


def configure_logging(*, quiet: bool, verbose: bool) -> None:
    """Log to stderr: warnings only with ``quiet``, debug (Scrapy's too) with ``verbose``."""
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if not verbose:
        handler.addFilter(ThirdPartyFilter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
