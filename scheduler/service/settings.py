"""The service's settings: from ``newswatch run`` options, the environment and a config file.

Precedence, highest first: an option, an environment variable, the config file's ``[run]``
table, the default. The schedule counts as one setting: the first source that gives
``every`` or ``cron`` decides it, so ``--cron`` on the command line overrides ``every`` in the
file (one source giving both is an error). Every value is checked once, here, and an error
names where the bad value came from, so a typo in a unit file is found at start-up.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scheduler.config import BASE_URL_ENV, BUNDLED_FIXTURES
from scheduler.service.schedule import DEFAULT_EVERY, Schedule, parse_duration

CONFIG_ENV = "NEWSWATCH_CONFIG"
CONFIG_TABLE = "run"
ENV_NAMES = {
    "every": "NEWSWATCH_EVERY",
    "cron": "NEWSWATCH_CRON",
    "host": "NEWSWATCH_HOST",
    "port": "NEWSWATCH_PORT",
    "base_url": BASE_URL_ENV,
    "offline": "NEWSWATCH_OFFLINE",
    "fixtures": "NEWSWATCH_FIXTURES",
    "timeout": "NEWSWATCH_CRAWL_TIMEOUT",
}
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_TIMEOUT = "30m"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting is malformed; the message names its source and is meant for the user."""


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


def default_config_path(environ: Mapping[str, str]) -> Path:
    """``$XDG_CONFIG_HOME/newswatch/config.toml``, i.e. ``~/.config/newswatch/config.toml``."""
    base = environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "newswatch" / "config.toml"


def resolve_settings(options: Mapping[str, Any], environ: Mapping[str, str]) -> ServiceSettings:
    """Settings from ``options`` (None: not given), ``environ`` and the config file."""
    sources = [
        ("command line", {key: value for key, value in options.items() if value is not None}),
        ("environment", {key: environ[name] for key, name in ENV_NAMES.items() if environ.get(name)}),
        *_config_file_source(options.get("config"), environ),
    ]
    values: dict[str, Any] = {"schedule": _schedule(sources)}
    for key, convert in _CONVERTERS.items():
        found = _first(sources, key)
        if found is not None:
            values[key] = _converted(convert, *found, key)
    return ServiceSettings(**values)


def _config_file_source(explicit: str | None, environ: Mapping[str, str]) -> list[tuple[str, dict]]:
    """The config file's ``[run]`` table as a source; none when the default file is absent."""
    given = explicit or environ.get(CONFIG_ENV)
    path = Path(given).expanduser() if given else default_config_path(environ)
    if not given and not path.is_file():
        return []
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"cannot read config file {path}: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"config file {path} is not valid TOML: {error}") from None
    table = document.get(CONFIG_TABLE, {})
    if not isinstance(table, dict):
        raise SettingsError(f"config file {path}: {CONFIG_TABLE} must be a table ([{CONFIG_TABLE}])")
    unknown = sorted(set(document) - {CONFIG_TABLE}) + sorted(set(table) - set(ENV_NAMES))
    if unknown:
        raise SettingsError(
            f"config file {path}: unknown setting {', '.join(unknown)}; "
            f"the [{CONFIG_TABLE}] table may set {', '.join(ENV_NAMES)}"
        )
    return [(f"config file {path}", table)]


def _first(sources: list[tuple[str, dict]], key: str) -> tuple[str, Any] | None:
    for name, values in sources:
        if key in values:
            return name, values[key]
    return None


def _schedule(sources: list[tuple[str, dict]]) -> Schedule:
    for name, values in sources:
        every, cron = values.get("every"), values.get("cron")
        if every is not None and cron is not None:
            raise SettingsError(f"{name}: give either every or cron, not both")
        if cron is not None:
            return _converted(lambda text: Schedule(cron=str(text)), name, cron, "cron")
        if every is not None:
            return Schedule(every=_converted(_duration, name, every, "every"))
    return Schedule(every=parse_duration(DEFAULT_EVERY))


def _converted(convert: Callable[[Any], Any], source: str, value: Any, key: str) -> Any:
    try:
        return convert(value)
    except (ValueError, TypeError) as error:
        raise SettingsError(
            f"{source}: {ENV_NAMES[key] if source == 'environment' else key}: {error}"
        ) from None


def _duration(value: Any) -> dt.timedelta:
    return parse_duration(str(value))


def _port(value: Any) -> int:
    text = str(value).strip()
    if not text.isdigit() or int(text) > 65535:
        raise ValueError(f"not a port number (0-65535): {value!r}")
    return int(text)


def _host(value: Any) -> str:
    host = str(value).strip()
    if not host:
        raise ValueError("an empty host")
    return host


def _base_url(value: Any) -> str:
    url = str(value).strip()
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {value!r}")
    return url if url.endswith("/") else url + "/"


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in _TRUE | _FALSE:
        raise ValueError(f"not a yes/no value: {value!r}")
    return text in _TRUE


def _path(value: Any) -> Path:
    return Path(str(value)).expanduser()


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "host": _host,
    "port": _port,
    "base_url": _base_url,
    "offline": _flag,
    "fixtures": _path,
    "timeout": _duration,
}
