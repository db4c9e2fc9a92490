"""The sites newswatch watches: the sites file, and the built-in site when there is none.

Sites are data, not code (docs/architecture.md, "Many sites"). The sites file is TOML, one
table per site under ``[sites]``, named by the site's slug::

    [sites.csto-ru]
    url = ["https://odkb-csto.org/news/"]   # start URLs (one or more)
    title = "ОДКБ: новости"                  # optional: the feeds' title
    language = "ru"                          # optional: the feeds' language, the dates' language
    every = "10m"                            # optional: its schedule in `run` (or cron = "...")
    delay = 2                                # optional: seconds between its requests
    max_pages = 500                          # optional: responses per crawl at most
    article_pattern = "/news/*/*/"           # optional: its article URLs, when the learnt one is wrong
    notify = ["ntfy://csto-ru"]              # optional: who is told of its changes, beside --notify

With no sites file, newswatch behaves as if the file held only the built-in site (the CSTO's
English news), so every command works unchanged on a fresh install; ``sites add`` writes the
file with the built-in site and the new one.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w

from scheduler.service.schedule import parse_cron
from scheduler.settings import (
    SettingsError,
    Sources,
    article_pattern,
    default_config_path,
    delay,
    destinations,
    duration,
    http_urls,
    pages,
)
from storage.built_in_site import BUILT_IN_SITE

NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
"""A site's name: a slug, as it appears in URLs (/sites/NAME/feed.atom) and file names."""
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
"""A language tag as feeds carry it (xml:lang, <language>): ``en``, ``ru``, ``pt-BR``."""


@dataclass(frozen=True)
class WatchedSite:
    """One site as the sites file describes it; unset hints fall back to the global settings."""

    name: str
    start_urls: tuple[str, ...]
    title: str | None = None
    language: str | None = None
    every: Any = None
    """A timedelta: the site's own crawl interval in ``run``."""
    cron: Any = None
    """Or a cron schedule (scheduler.service.schedule)."""
    delay: float | None = None
    max_pages: int | None = None
    article_pattern: str | None = None
    notify: tuple = ()
    """Who is told of this site's changes, beside the global destinations (scheduler.notify)."""
    hints: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The table as written, so that saving the file keeps the user's spelling."""

    @property
    def host(self) -> str:
        return urlsplit(self.start_urls[0]).netloc

    @property
    def feed_title(self) -> str:
        return self.title or f"{self.name} news ({self.host})"

    @property
    def home_url(self) -> str:
        """The site's home page, for the feeds' link."""
        parts = urlsplit(self.start_urls[0])
        return f"{parts.scheme}://{parts.netloc}/"


BUILT_IN = WatchedSite(
    name=BUILT_IN_SITE,
    start_urls=("https://en.odkb-csto.org/news/",),
    title="CSTO news (en.odkb-csto.org)",
    language="en",
)
"""The CSTO's English news: the site a fresh install watches."""

_HINTS = {
    "url": http_urls,
    "title": lambda value: _text(value, "title"),
    "language": lambda value: _language(value),
    "every": duration,
    "cron": parse_cron,
    "delay": delay,
    "max_pages": pages,
    "article_pattern": article_pattern,
    "notify": destinations,
}
_FIELDS = {"url": "start_urls"}


def sites_file_path(sources: Sources) -> Path:
    """``--sites PATH``, else ``$NEWSWATCH_SITES``, else the config file's ``sites``, else
    ``sites.toml`` beside the default config file."""
    return sources.value("sites") or default_config_path(sources.environ).with_name("sites.toml")


@dataclass(frozen=True)
class SitesFile:
    """The sites file: where it is, and the sites it holds (the built-in site when absent)."""

    path: Path
    sites: tuple[WatchedSite, ...]
    exists: bool

    @classmethod
    def load(cls, path: Path) -> SitesFile:
        """Read and check the whole file; SettingsError (one line, naming the file) if bad."""
        if not path.is_file():
            return cls(path, (BUILT_IN,), exists=False)
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise SettingsError(f"cannot read sites file {path}: {error.strerror or error}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SettingsError(f"sites file {path} is not valid TOML: {error}") from None
        return cls(path, _sites_of(document, f"sites file {path}"), exists=True)

    def named(self, name: str) -> WatchedSite:
        for site in self.sites:
            if site.name == name:
                return site
        known = ", ".join(site.name for site in self.sites) or "none"
        raise SettingsError(f"no site named {name!r} in {self._where}; known: {known}")

    def select(self, names: tuple[str, ...] | list[str] | None) -> tuple[WatchedSite, ...]:
        """The sites named (in the file's order), or every site when none is named."""
        if not names:
            return self.sites
        wanted = {self.named(name).name for name in names}
        return tuple(site for site in self.sites if site.name in wanted)

    def with_site(self, site: WatchedSite) -> SitesFile:
        if any(known.name == site.name for known in self.sites):
            raise SettingsError(f"a site named {site.name!r} is already in {self._where}")
        return replace(self, sites=(*self.sites, site))

    def without(self, name: str) -> SitesFile:
        self.named(name)
        return replace(self, sites=tuple(site for site in self.sites if site.name != name))

    def save(self) -> None:
        """Write the file atomically (a crash leaves the old file or the new one, whole)."""
        document = {"sites": {site.name: _table_of(site) for site in self.sites}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(_HEADER + tomli_w.dumps(document), encoding="utf-8")
        os.replace(temporary, self.path)

    @property
    def _where(self) -> str:
        return (
            f"sites file {self.path}" if self.exists else "the sites (no sites file: only the built-in one)"
        )


_HEADER = "# newswatch's sites: one [sites.NAME] table per site (see the README, 'Many sites').\n\n"


def site_destinations(sites: Sequence[WatchedSite]) -> dict[str, tuple]:
    """Each site's own notification destinations, by site name (scheduler.notify.messages)."""
    return {site.name: site.notify for site in sites if site.notify}


def new_site(name: str, start_urls: tuple[str, ...], **hints: Any) -> WatchedSite:
    """A site from command-line values, checked as the sites file's would be."""
    table = {"url": list(start_urls)} | {key: value for key, value in hints.items() if value is not None}
    return _site_of(name, table, "command line")


def name_from_url(url: str) -> str:
    """A slug for a site added without ``--name``: its host without ``www.``, and its port
    if it has one (two sites on one host are told apart)."""
    parts = urlsplit(url)
    host = (parts.hostname or "site").removeprefix("www.") + (f"-{parts.port}" if parts.port else "")
    slug = re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-")[:63].strip("-")
    return slug or "site"


def _sites_of(document: dict, where: str) -> tuple[WatchedSite, ...]:
    unknown = sorted(set(document) - {"sites"})
    if unknown:
        raise SettingsError(f"{where}: unknown key {', '.join(unknown)}; sites are [sites.NAME] tables")
    tables = document.get("sites", {})
    if not isinstance(tables, dict):
        raise SettingsError(f"{where}: sites must be tables, [sites.NAME]")
    return tuple(_site_of(name, table, where) for name, table in tables.items())


def _site_of(name: str, table: Any, where: str) -> WatchedSite:
    if not NAME.match(name):
        raise SettingsError(
            f"{where}: site name {name!r}: use lower-case letters, digits and hyphens (at most 64)"
        )
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: sites.{name} must be a table")
    unknown = sorted(set(table) - set(_HINTS))
    if unknown:
        raise SettingsError(
            f"{where}: sites.{name}: unknown key {', '.join(unknown)}; a site may set {', '.join(_HINTS)}"
        )
    if "url" not in table:
        raise SettingsError(f"{where}: sites.{name}: no url (its start page or pages)")
    if "every" in table and "cron" in table:
        raise SettingsError(f"{where}: sites.{name}: give every or cron, not both")
    values = {}
    for key, raw in table.items():
        try:
            values[_FIELDS.get(key, key)] = _HINTS[key](raw)
        except (ValueError, TypeError) as error:
            raise SettingsError(f"{where}: sites.{name}.{key}: {error}") from None
    return WatchedSite(name=name, hints=dict(table), **values)


def _table_of(site: WatchedSite) -> dict:
    if site.hints:
        return dict(site.hints)
    table: dict[str, Any] = {"url": list(site.start_urls)}
    for key in ("title", "language", "delay", "max_pages", "article_pattern"):
        if getattr(site, key) is not None:
            table[key] = getattr(site, key)
    return table


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not a {key}: {value!r}")
    return value.strip()


def _language(value: Any) -> str:
    if not isinstance(value, str) or not LANGUAGE.match(value.strip()):
        raise ValueError(f"not a language tag such as en, ru or pt-BR: {value!r}")
    return value.strip()
