"""Where a crawl's changes are told: a destination is an Apprise URL and a filter.

Apprise gives one URL syntax for every channel (``mailto://``, ``json://``, ``tgram://``,
``slack://``, ``ntfy://``, ...). newswatch's own filter rides on the same URL as query
parameters that it takes off before Apprise sees the URL, so that one string works on the
command line, in the environment (URLs separated by spaces) and in the config file:

    json://hooks.example/newswatch?newswatch-kinds=new,updated&newswatch-keywords=summit,Lavrov

The config file also takes a table, ``{url = "...", kinds = [...], keywords = [...], match
= "..."}``. A destination is written into the outbox as its ``spec`` (the URL with its filter),
so a message always knows where it goes and what it was filtered by. Destinations are global
today; a site's own list (a sites file) will hold the same values.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from storage.outbox import CrawlChange

KINDS = ("new", "updated", "removed")
PREFIX = "newswatch-"
FILTER_KEYS = ("kinds", "keywords", "match")
FORMATS = ("text", "markdown", "html")


@dataclass(frozen=True)
class ChangeFilter:
    """Which changes a destination is told of: their kinds, and optionally words or a regular
    expression found in their title or text (case-insensitive)."""

    kinds: tuple[str, ...] = KINDS
    keywords: tuple[str, ...] = ()
    """Any of them, as a part of the title or text."""
    match: str | None = None
    """A regular expression searched in the title and the text."""

    def admits(self, change: CrawlChange) -> bool:
        if change.kind not in self.kinds:
            return False
        haystack = f"{change.title}\n{change.text}"
        if self.keywords and not any(word.casefold() in haystack.casefold() for word in self.keywords):
            return False
        return self.match is None or _compiled(self.match).search(haystack) is not None

    def parameters(self) -> list[tuple[str, str]]:
        """The filter as the URL's ``newswatch-`` parameters (what differs from "everything")."""
        given = {
            "kinds": ",".join(self.kinds) if self.kinds != KINDS else "",
            "keywords": ",".join(self.keywords),
            "match": self.match or "",
        }
        return [(PREFIX + key, value) for key, value in given.items() if value]

    def describe(self) -> str:
        parts = [] if self.kinds == KINDS else [" ".join(self.kinds)]
        if self.keywords:
            parts.append("words: " + ", ".join(self.keywords))
        if self.match:
            parts.append(f"matching /{self.match}/")
        return "; ".join(parts) or "every change"


@dataclass(frozen=True)
class Destination:
    url: str
    """The Apprise URL, without newswatch's parameters."""
    filter: ChangeFilter = ChangeFilter()

    @property
    def spec(self) -> str:
        """The URL with its filter: how the destination is written and read back."""
        extra = "&".join(f"{key}={quote(value, safe=',')}" for key, value in self.filter.parameters())
        if not extra:
            return self.url
        return f"{self.url}{'&' if '?' in self.url else '?'}{extra}"

    @property
    def body_format(self) -> str:
        """What the channel takes best: ``text``, ``markdown`` or ``html`` (Apprise's plugin
        lists its formats, its preferred first)."""
        formats = _plugin(self.url).notify_format
        first = formats[0] if isinstance(formats, tuple) else formats
        return first.value if first.value in FORMATS else "text"

    @property
    def shown(self) -> str:
        """The URL with its secrets masked and without its options, for people to read."""
        return _plugin(self.url).url(privacy=True).split("?", 1)[0]


def parse_destination(value: Any) -> Destination:
    """A destination from a string (URL with ``newswatch-`` parameters) or a config table;
    raises ValueError with a message for the user."""
    if isinstance(value, dict):
        return _from_table(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not a notification URL: {value!r}")
    url, found = _split_filter(value.strip())
    return _checked(url, _filter(found))


def parse_destinations(value: Any) -> tuple[Destination, ...]:
    """One destination or several: a TOML list, repeated options, or URLs separated by spaces."""
    items: Iterable[Any] = value.split() if isinstance(value, str) else value
    if isinstance(items, dict):
        items = [items]
    destinations = tuple(dict.fromkeys(parse_destination(item) for item in items))
    if not destinations:
        raise ValueError("no notification URL given")
    return destinations


def _from_table(table: dict) -> Destination:
    unknown = sorted(set(table) - {"url", *FILTER_KEYS})
    if unknown or "url" not in table:
        raise ValueError(f"a notification table takes url, {', '.join(FILTER_KEYS)}: {table!r}")
    found = {key: table[key] for key in FILTER_KEYS if key in table}
    for key in ("kinds", "keywords"):
        if key in found:
            found[key] = ",".join(found[key]) if isinstance(found[key], list) else str(found[key])
    return _checked(str(table["url"]).strip(), _filter(found))


def _split_filter(spec: str) -> tuple[str, dict[str, str]]:
    """The Apprise URL without newswatch's parameters (Apprise's own are kept as written)."""
    base, mark, query = spec.partition("?")
    kept, found = [], {}
    for part in query.split("&") if mark else []:
        key, _, value = part.partition("=")
        if key.startswith(PREFIX):
            name = key[len(PREFIX) :]
            if name not in FILTER_KEYS:
                raise ValueError(f"unknown filter {key} (newswatch-kinds, -keywords, -match): {spec!r}")
            found[name] = unquote(value)
        elif part:
            kept.append(part)
    return (f"{base}?{'&'.join(kept)}" if kept else base), found


def _filter(found: dict[str, str]) -> ChangeFilter:
    kinds = tuple(word for word in found.get("kinds", "").split(",") if word.strip())
    wrong = [kind for kind in kinds if kind not in KINDS]
    if wrong:
        raise ValueError(f"not a kind of change ({', '.join(KINDS)}): {', '.join(wrong)}")
    keywords = tuple(word.strip() for word in found.get("keywords", "").split(",") if word.strip())
    match = found.get("match") or None
    if match is not None:
        try:
            _compiled(match)
        except re.error as error:
            raise ValueError(f"not a regular expression ({error}): {match!r}") from None
    return ChangeFilter(tuple(kind for kind in KINDS if kind in kinds) or KINDS, keywords, match)


def _checked(url: str, change_filter: ChangeFilter) -> Destination:
    if _plugin(url) is None:
        why = "; ".join(_refusals.get(url, [])) or "no such kind of URL"
        raise ValueError(
            f"not a notification URL Apprise can use ({why}; https://appriseit.com/services/): {url!r}"
        )
    return Destination(url, change_filter)


_refusals: dict[str, list[str]] = {}
"""What Apprise said when it refused a URL, for the one-line error."""


@functools.cache
def _plugin(url: str):
    """Apprise's plugin for the URL (None: it cannot use it), loaded when first needed:
    importing Apprise costs commands that send nothing. What Apprise logs about a URL it
    refuses goes into the error, not onto the terminal as well."""
    import apprise

    said = _Collect()
    logger = logging.getLogger("apprise")
    logger.addHandler(said)
    propagate, logger.propagate = logger.propagate, False
    try:
        plugin = apprise.Apprise.instantiate(url)
    finally:
        logger.removeHandler(said)
        logger.propagate = propagate
    if plugin is None:
        _refusals[url] = said.messages
    return plugin


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@functools.cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def shown_spec(spec: str) -> str:
    """A stored destination as people read it (secrets masked), even one this Apprise no
    longer knows (then only its scheme)."""
    try:
        return parse_destination(spec).shown
    except ValueError:
        return spec.partition("://")[0] + "://…"
