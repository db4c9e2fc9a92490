"""Every setting of newswatch, and where each one comes from.

One rule for all of them, highest first: a command-line option, an environment variable, the
TOML config file, the default. The config file is ``--config PATH``, else ``$NEWSWATCH_CONFIG``,
else ``~/.config/newswatch/config.toml`` (under ``$XDG_CONFIG_HOME`` if set; ignored when
absent). Its top-level keys are the store's settings; the ``[crawl]`` table holds how crawls
treat the site, the ``[run]`` table the service's settings.

A value is checked when a command asks for it, so a bad crawl delay stops ``crawl`` and
``run`` but not ``changes``; the error names where the bad value came from
(``environment: NEWSWATCH_CRAWL_DELAY: not a number of seconds: 'abc'``), and the command
line turns it into one line and exit code 2.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def seconds(value: Any) -> float:
    """A number of seconds, zero or more."""
    return _number(value, "a number of seconds", minimum=0.0)


def positive_seconds(value: Any) -> float:
    """A number of seconds, more than zero."""
    number = seconds(value)
    if number == 0:
        raise ValueError(f"must be more than zero: {value!r}")
    return number


def days(value: Any) -> float:
    return _number(value, "a number of days", minimum=0.0)


def count(value: Any) -> int:
    """A whole number, zero or more."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise ValueError(f"not a whole number (0 or more): {value!r}")
    return int(text)


def port(value: Any) -> int:
    number = count(value) if str(value).strip().isdigit() else -1
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


def flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word not in _TRUE | _FALSE:
        raise ValueError(f"not a yes/no value: {value!r}")
    return word in _TRUE


def path(value: Any) -> Path:
    return Path(text(value)).expanduser()


def duration(value: Any) -> Any:
    return parse_duration(str(value))


def _number(value: Any, what: str, minimum: float) -> float:
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not (minimum <= number < math.inf):
        raise ValueError(f"not {what} ({minimum:g} or more): {value!r}")
    return number


SETTINGS = {
    setting.key: setting
    for setting in (
        # The store: every command.
        Setting("data_dir", "", "NEWSWATCH_DATA_DIR", path),
        Setting("db", "", "NEWSWATCH_DB", text),
        Setting("db_busy_timeout", "", "NEWSWATCH_DB_BUSY_TIMEOUT", seconds),
        # How crawls treat the site: `crawl` and `run`.
        Setting("url", "crawl", "NEWSWATCH_URL", http_urls),
        Setting("offline", "crawl", "NEWSWATCH_OFFLINE", flag),
        Setting("fixtures", "crawl", "NEWSWATCH_FIXTURES", path),
        Setting("recheck_days", "crawl", "NEWSWATCH_RECHECK_DAYS", days),
        Setting("max_pages", "crawl", "NEWSWATCH_MAX_PAGES", count),
        Setting("delay", "crawl", "NEWSWATCH_CRAWL_DELAY", seconds),
        Setting("download_timeout", "crawl", "NEWSWATCH_DOWNLOAD_TIMEOUT", positive_seconds),
        Setting("contact", "crawl", "NEWSWATCH_CONTACT", http_url),
        Setting("wait", "crawl", "NEWSWATCH_CRAWL_WAIT", seconds),
        # The service: `run` (base_url is also the self link of `feed`).
        Setting("every", "run", "NEWSWATCH_EVERY", duration),
        Setting("cron", "run", "NEWSWATCH_CRON", parse_cron),
        Setting("host", "run", "NEWSWATCH_HOST", text),
        Setting("port", "run", "NEWSWATCH_PORT", port),
        Setting("base_url", "run", "NEWSWATCH_BASE_URL", base_url),
        Setting("timeout", "run", "NEWSWATCH_CRAWL_TIMEOUT", duration),
    )
}
TABLES = ("crawl", "run")


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
