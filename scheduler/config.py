"""Where newswatch keeps its data: the data directory, the database and the feeds' base URL."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from feeds.writer import DEFAULT_BASE_URL
from scheduler.settings import Sources
from storage.location import DEFAULT_BUSY_TIMEOUT_SECONDS, default_database_url

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
    """Where ``newswatch run`` serves the feeds: their self links."""
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    """Seconds an SQLite write waits for another writer before it fails."""

    @classmethod
    def from_sources(cls, sources: Sources) -> Config:
        directory = sources.value("data_dir") or default_data_dir()
        return cls(
            data_dir=directory,
            database_url=sources.value("db") or default_database_url(directory),
            base_url=sources.value("base_url", DEFAULT_BASE_URL),
            busy_timeout=sources.value("db_busy_timeout", DEFAULT_BUSY_TIMEOUT_SECONDS),
        )

    @classmethod
    def resolve(cls, data_dir: str | None = None, database_url: str | None = None) -> Config:
        """The store's settings from these options, the environment and the config file."""
        return cls.from_sources(Sources({"data_dir": data_dir, "db": database_url}, os.environ))
