"""Where newswatch keeps its data, resolved once from options, environment and defaults.

Precedence: a command-line option, then the environment variable, then the default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from feeds.writer import DEFAULT_BASE_URL
from storage.database import (
    DEFAULT_BUSY_TIMEOUT_SECONDS,
    DatabaseError,
    default_database_url,
)

DATA_DIR_ENV = "NEWSWATCH_DATA_DIR"
DATABASE_URL_ENV = "NEWSWATCH_DB"
BASE_URL_ENV = "NEWSWATCH_BASE_URL"
BUSY_TIMEOUT_ENV = "NEWSWATCH_DB_BUSY_TIMEOUT"
FEED_LIMIT = 50
SITE_URL = "https://en.odkb-csto.org/"
NEWS_START_URLS = ("https://en.odkb-csto.org/news/",)
BUNDLED_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/newswatch``, i.e. ``~/.local/share/newswatch`` on most systems."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "newswatch"


@dataclass(frozen=True)
class Config:
    data_dir: Path
    database_url: str
    feed_limit: int = FEED_LIMIT
    site_url: str = SITE_URL
    base_url: str = DEFAULT_BASE_URL
    """Where ``newswatch run`` serves the feeds: their self links (env NEWSWATCH_BASE_URL)."""
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    """Seconds an SQLite write waits for another writer before it fails (env NEWSWATCH_DB_BUSY_TIMEOUT)."""

    @classmethod
    def resolve(cls, data_dir: str | None = None, database_url: str | None = None) -> Config:
        directory = Path(data_dir or os.environ.get(DATA_DIR_ENV) or default_data_dir())
        directory = directory.expanduser()
        url = database_url or os.environ.get(DATABASE_URL_ENV) or default_database_url(directory)
        base_url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
        busy_timeout = _seconds(BUSY_TIMEOUT_ENV, DEFAULT_BUSY_TIMEOUT_SECONDS)
        return cls(data_dir=directory, database_url=url, base_url=base_url, busy_timeout=busy_timeout)


def _seconds(name: str, default: float) -> float:
    """A number of seconds from the environment; a malformed one is the user's to fix."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise DatabaseError(f"{name}: not a number of seconds: {value!r}")
    return seconds
