"""Every setting of newswatch, and where each one comes from.

One rule for all of them, highest first: a command-line option, an environment variable, the
TOML config file, the default. The config file is ``--config PATH``, else ``$NEWSWATCH_CONFIG``,
else ``~/.config/newswatch/config.toml`` (under ``$XDG_CONFIG_HOME`` if set; ignored when
absent). Its top-level keys are the store's settings and the notification destinations; the ``[crawl]`` table holds how crawls
treat the site, the ``[run]`` table the service's settings.

A value is checked when a command asks for it, so a bad crawl delay stops ``crawl`` and
``run`` but not ``changes``; the error names where the bad value came from
(``environment: NEWSWATCH_CRAWL_DELAY: not a number of seconds (0 to 600): 'abc'``), and
the command line turns it into one line and exit code 2.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from extraction.urls import ArticleUrls
from scheduler.http_urls import http_url
from scheduler.service.schedule import parse_cron, parse_duration

CONFIG_ENV = "NEWSWATCH_CONFIG"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting is malformed; the message names its source and is meant for the user."""


@dataclass(frozen=True)
class Setting:
    """One setting: its name (the option's dest and the config key) and where else it is read."""

    key: str
    table: str
    """The config file's table that holds it; "" for a top-level key."""
    env: str | None
    parse: Callable[[Any], Any]
    """From what a source gives (a string, or a TOML value) to the value; ValueError if bad."""


@dataclass(frozen=True)
class Number:
    """A number within the range where it means something, as a setting's parser.

    Out of range is refused rather than clamped: ``--max-pages -1`` or ``--recheck-days
    1e300`` is a mistake to point out, not a wish to guess. ``span`` says the range in the
    error, in ``--help`` and in the README, so the three cannot disagree.
    """

    what: str
    """What a valid value is, for the error: "a number of seconds"."""
    low: float
    high: float
    above_low: bool = False
    """True: ``low`` itself is refused (a timeout of 0 s means nothing)."""
    whole: bool = False

    @property
    def span(self) -> str:
        low, high = _shown(self.low), _shown(self.high)
        return f"more than {low}, at most {high}" if self.above_low else f"{low} to {high}"

    def __call__(self, value: Any) -> float | int:
        number = self._read(value)
        if number is None or not self._inside(number):
            raise ValueError(f"not {self.what} ({self.span}): {value!r}")
        return number

    def _read(self, value: Any) -> float | int | None:
        if isinstance(value, bool):
            return None
        if self.whole:
            text = str(value).strip()
            # ASCII digits only ("²" is a digit to str.isdigit), and not thousands of them
            return int(text) if text.isascii() and text.isdigit() and len(text) < 20 else None
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    def _inside(self, number: float) -> bool:
        above = number > self.low if self.above_low else number >= self.low
        return above and number <= self.high


def _shown(number: float) -> str:
    """1000000, not 1e+06; 0.5 stays 0.5."""
    return str(int(number)) if number == int(number) else f"{number:g}"


busy_wait = Number("a number of seconds", 0, 3600)
"""How long a write waits for another writer's lock: at most an hour (longer is a mistake)."""
delay = Number("a number of seconds", 0, 600)
"""Seconds between requests: beyond ten minutes, a crawl of 2000 pages takes two weeks."""
timeout = Number("a number of seconds", 0, 3600, above_low=True)
lock_wait = Number("a number of seconds", 0, 86400)
"""How long a crawl waits for another one: at most a day."""
days = Number("a number of days", 0, 3650)
"""Days between re-checks of an article: ten years at most is "practically never"."""
pages = Number("a whole number", 0, 1_000_000, whole=True)
"""Responses per crawl: 0 is no limit."""
limit = Number("a whole number", 1, 1_000_000, whole=True)
"""How many changes or entries a command prints: without the option, all changes or 50 entries."""
concurrency = Number("a whole number", 1, 256, whole=True)
"""Requests a crawl worker has in flight, over all sites (each site's delay holds regardless)."""


def port(value: Any) -> int:
    text = str(value).strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 5 else -1
    if not 0 <= number <= 65535:
        raise ValueError(f"not a port number (0-65535): {value!r}")
    return number


def text(value: Any) -> str:
    result = str(value).strip()
    if not result:
        raise ValueError("an empty value")
    return result


def base_url(value: Any) -> str:
    url = http_url(value)
    return url if url.endswith("/") else url + "/"


def http_urls(value: Any) -> tuple[str, ...]:
    """One URL or several: a TOML list, repeated options, or a string separated by spaces."""
    items = value.split() if isinstance(value, str) else list(value)
    if not items:
        raise ValueError("no URL given")
    return tuple(http_url(item) for item in items)


def destinations(value: Any) -> tuple:
    """Notification destinations (scheduler.notify.destinations), imported only when given."""
    from scheduler.notify.destinations import parse_destinations

    return parse_destinations(value)


def article_pattern(value: Any) -> str | None:
    """A site's article URLs as a pattern (extraction.urls.ArticleUrls), in its one spelling;
    blank: none given, so they are learnt."""
    return ArticleUrls.from_pattern(text(value)).pattern if str(value).strip() else None


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in _TRUE | _FALSE:
        raise ValueError(f"not a yes/no value: {value!r}")
    return word in _TRUE


def path(value: Any) -> Path:
    return Path(text(value)).expanduser()


def redis_url(value: Any) -> str:
    """A Redis server's URL, as redis-py reads it: redis://, rediss:// or unix://."""
    url = text(value)
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"not a Redis URL (redis://HOST:PORT/DB): {url!r}")
    return url


def key_prefix(value: Any) -> str:
    """What every Redis key of one installation starts with: letters, digits, - _ . only."""
    prefix = text(value)
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", prefix):
        raise ValueError(f"not a key prefix (letters, digits, '-', '_', '.'): {prefix!r}")
    return prefix


def duration(value: Any) -> Any:
    return parse_duration(str(value))


SETTINGS = {
    setting.key: setting
    for setting in (
        # The store: every command.
        Setting("data_dir", "", "NEWSWATCH_DATA_DIR", path),
        Setting("db", "", "NEWSWATCH_DB", text),
        Setting("db_busy_timeout", "", "NEWSWATCH_DB_BUSY_TIMEOUT", busy_wait),
        Setting("sites", "", "NEWSWATCH_SITES", path),
        # Who is told of each crawl's changes: `crawl`, `run`, `reparse`, `notify`.
        Setting("notify", "", "NEWSWATCH_NOTIFY", destinations),
        # How crawls treat the site: `crawl` and `run`.
        Setting("url", "crawl", "NEWSWATCH_URL", http_urls),
        Setting("offline", "crawl", "NEWSWATCH_OFFLINE", flag),
        Setting("fixtures", "crawl", "NEWSWATCH_FIXTURES", path),
        Setting("recheck_days", "crawl", "NEWSWATCH_RECHECK_DAYS", days),
        Setting("max_pages", "crawl", "NEWSWATCH_MAX_PAGES", pages),
        Setting("delay", "crawl", "NEWSWATCH_CRAWL_DELAY", delay),
        Setting("download_timeout", "crawl", "NEWSWATCH_DOWNLOAD_TIMEOUT", timeout),
        Setting("contact", "crawl", "NEWSWATCH_CONTACT", http_url),
        Setting("article_pattern", "crawl", "NEWSWATCH_ARTICLE_PATTERN", article_pattern),
        Setting("wait", "crawl", "NEWSWATCH_CRAWL_WAIT", lock_wait),
        # The service: `run` (base_url is also the self link of `feed`).
        Setting("every", "run", "NEWSWATCH_EVERY", duration),
        Setting("cron", "run", "NEWSWATCH_CRON", parse_cron),
        Setting("host", "run", "NEWSWATCH_HOST", text),
        Setting("port", "run", "NEWSWATCH_PORT", port),
        Setting("base_url", "run", "NEWSWATCH_BASE_URL", base_url),
        Setting("timeout", "run", "NEWSWATCH_CRAWL_TIMEOUT", duration),
        Setting("workers", "run", "NEWSWATCH_WORKERS", redis_url),
        # Crawl workers: `worker`, and the coordinator (`run --workers`).
        Setting("redis", "worker", "NEWSWATCH_REDIS", redis_url),
        Setting("redis_prefix", "", "NEWSWATCH_REDIS_PREFIX", key_prefix),
        Setting("concurrency", "worker", "NEWSWATCH_WORKER_CONCURRENCY", concurrency),
    )
}
TABLES = ("crawl", "run", "worker")


def default_config_path(environ: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/newswatch/config.toml``, i.e. ``~/.config/newswatch/config.toml``."""
    base = environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "newswatch" / "config.toml"


@dataclass(frozen=True)
class Given:
    """A raw value as one source gave it, and how to name it in an error."""

    source: str
    label: str
    raw: Any

    def parsed(self, setting: Setting) -> Any:
        try:
            return setting.parse(self.raw)
        except (ValueError, TypeError) as error:
            raise SettingsError(f"{self.source}: {self.label}: {error}") from None


class Sources:
    """The places settings come from, highest first: the options given, the environment, the
    config file (read once, on first use, and checked whole: an unknown key is an error)."""

    def __init__(self, options: Mapping[str, Any], environ: Mapping[str, str]) -> None:
        self.options = {key: value for key, value in options.items() if value is not None}
        self.environ = environ
        self._file: tuple[str, dict[str, dict]] | None = None

    def value(self, key: str, default: Any = None) -> Any:
        """The setting's value from the first source that gives it, else ``default``."""
        found = self.given(key)
        return found[0].parsed(SETTINGS[key]) if found else default

    def given(self, key: str) -> list[Given]:
        """What each source gives for ``key``, highest first (empty: no source gives it)."""
        setting = SETTINGS[key]
        found = []
        if key in self.options:
            found.append(Given("command line", key, self.options[key]))
        if setting.env and self.environ.get(setting.env, "").strip():
            found.append(Given("environment", setting.env, self.environ[setting.env]))
        name, tables = self._config_file()
        if key in tables.get(setting.table, {}):
            found.append(Given(name, key, tables[setting.table][key]))
        return found

    def first_of(self, keys: Iterable[str]) -> dict[str, Given]:
        """Keys that form one setting (``every`` or ``cron``): what the highest source giving
        any of them gives, so a lower source never mixes in."""
        for level in ("command line", "environment", "config file"):
            found = {
                key: given for key in keys for given in self.given(key) if given.source.startswith(level)
            }
            if found:
                return found
        return {}

    def _config_file(self) -> tuple[str, dict[str, dict]]:
        if self._file is None:
            self._file = _read_config_file(self.options.get("config"), self.environ)
        return self._file


def _read_config_file(explicit: str | None, environ: Mapping[str, str]) -> tuple[str, dict[str, dict]]:
    """The config file's settings by table ("" for top-level keys); none when the default
    file is absent. An explicit file must exist."""
    given = explicit or environ.get(CONFIG_ENV)
    location = Path(given).expanduser() if given else default_config_path(environ)
    name = f"config file {location}"
    if not given and not location.is_file():
        return name, {}
    try:
        document = tomllib.loads(location.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"cannot read config file {location}: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"config file {location} is not valid TOML: {error}") from None
    tables = {"": {key: value for key, value in document.items() if key not in TABLES}}
    for table in TABLES:
        value = document.get(table, {})
        if not isinstance(value, dict):
            raise SettingsError(f"{name}: {table} must be a table ([{table}])")
        tables[table] = value
    _refuse_unknown_keys(name, tables)
    return name, tables


def _refuse_unknown_keys(name: str, tables: dict[str, dict]) -> None:
    for table, values in tables.items():
        known = [key for key, setting in SETTINGS.items() if setting.table == table]
        unknown = sorted(set(values) - set(known))
        if unknown:
            where = f"[{table}] table" if table else "top level"
            raise SettingsError(
                f"{name}: unknown setting {', '.join(unknown)}; the {where} may set {', '.join(known)}"
            )
