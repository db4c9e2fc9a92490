"""Read-only views of stored data, handed to the feeds and the command line.

These are plain frozen dataclasses so that feed building and printing never touch an ORM
session (and never trigger a lazy load on a closed one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.built_in_site import BUILT_IN_SITE

HEADLINE_LENGTH = 120


def headline_from_text(text: str, limit: int = HEADLINE_LENGTH) -> str:
    """A title for an item that has none: its first sentence, cut at a word boundary."""
    first_line = " ".join(text.split())
    for end in (". ", "? ", "! "):
        cut = first_line.find(end)
        if 0 < cut < limit:
            return first_line[: cut + 1]
    if len(first_line) <= limit:
        return first_line
    shortened = first_line[:limit].rsplit(" ", 1)[0]
    return shortened + "…"


@dataclass(frozen=True)
class StoredEntry:
    """One news item as the store knows it now."""

    entry_id: str
    """The feed id (guid / atom:id), assigned at first sight and never changed."""
    title: str | None
    url: str | None
    published: dt.date | None
    summary: str | None
    """The teaser text, when the item was seen as a teaser."""
    body: str | None
    """The article body, when the article page was seen."""
    first_seen: dt.datetime
    updated: dt.datetime
    """When the visible content last changed (timezone-aware, UTC)."""
    removed: bool = False
    published_inferred: bool = False
    site: str = BUILT_IN_SITE
    """The name of the site the entry is of."""

    @property
    def headline(self) -> str:
        """The title, or a title made from the teaser text for teaser-only items."""
        if self.title:
            return self.title
        return headline_from_text(self.summary or self.body or "")

    @property
    def content(self) -> str:
        """The fullest text known: the article body, else the teaser text."""
        return self.body or self.summary or ""


@dataclass(frozen=True)
class ChangeRecord:
    """One event of the change log."""

    at: dt.datetime
    kind: str
    """``new``, ``updated`` or ``removed``."""
    entry_id: str
    title: str | None
    url: str | None
    published: dt.date | None
    diff: str | None
    fields: tuple[str, ...] = ()
    """The names of the fields an ``updated`` event changed (title, published, text, url, …)."""
    event_id: int = 0
    site: str = BUILT_IN_SITE

    def as_json(self) -> dict:
        """The shape of ``newswatch changes --json`` (docs/architecture.md, "Command line")."""
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "entry_id": self.entry_id,
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "diff": self.diff,
            "site": self.site,
        }
