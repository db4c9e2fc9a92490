"""What one crawl should do: its start pages, its mode and how politely it treats the site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from storage.built_in_site import BUILT_IN_SITE

PROJECT_URL = "https://github.com/newswatch/newswatch"
DEFAULT_RECHECK_AFTER = dt.timedelta(days=7)


def user_agent(contact: str = PROJECT_URL) -> str:
    """Names newswatch and where to reach whoever runs it, as a polite crawler should."""
    return f"newswatch/0.1 (news feed builder; +{contact})"


@dataclass(frozen=True)
class Politeness:
    """How gently a live crawl treats the site; robots.txt is always obeyed."""

    user_agent: str = user_agent()
    delay: float = 1.0
    """Seconds between requests at least (AutoThrottle may wait longer, never less)."""
    max_pages: int = 2000
    """Responses per crawl at most (0: no limit); the crawl stops there, with a warning."""
    timeout: float = 30.0


@dataclass(frozen=True)
class CrawlPlan:
    """What one crawl should do; built by the command line or the service."""

    start_urls: tuple[str, ...]
    site: str = BUILT_IN_SITE
    """The name of the site crawled: its entries are kept apart from other sites'."""
    offline: bool = False
    full: bool = False
    """Walk every listing page and re-check every known article (backfill and audit)."""
    walk_listings: bool = False
    """Walk every listing page, fetching only new articles: the crawl before did not finish,
    so pages past the first with nothing new may hold what it never reached."""
    verbose: bool = False
    recheck_after: dt.timedelta = DEFAULT_RECHECK_AFTER
    """An incremental crawl re-checks a known article fetched longer ago than this."""
    politeness: Politeness = field(default_factory=Politeness)
    article_pattern: str | None = None
    """Which URLs of the site are articles, as the user wrote it (``/news/<number>-<slug>.html``,
    :class:`extraction.urls.ArticleUrls`); None: the built-in site's rule on that site and
    offline, elsewhere the rule the first listing pages teach (docs/architecture.md, "Which
    links are articles")."""
    language: str | None = None
    """The site's language as the sites file gives it (``de``, ``pt-BR``), which its dates are
    read in (extraction.foreign_dates); None: each page's ``<html lang>``."""

    @property
    def mode(self) -> str:
        return "offline" if self.offline else "full" if self.full else "live"
