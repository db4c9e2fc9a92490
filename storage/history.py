"""Reading one entry's whole history: every version of it, every event of it.

The change log says *that* an item changed; its history says what it said at each time.
Versions are every reading the store kept (storage.models.EntryVersion), oldest first,
each with the diff from the one before: the diff its ``updated`` event logged, else one made
here as the ingest makes them (storage.ingest.diffing), because a silent correction (a
better reading by a newer extractor, storage.page_bodies) makes a version but no event, and
still changed the text a reader saw. Events are shaped exactly as in the change log (storage.change_log).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.change_log import change_record
from storage.ingest.diffing import Content, unified_diff
from storage.models import BUILT_IN_SITE, ChangeEvent, Entry, EntryVersion
from storage.records import ChangeRecord


@dataclass(frozen=True)
class VersionRecord:
    """One reading of an entry, as it was stored."""

    number: int
    at: dt.datetime
    """When this version was first seen (UTC)."""
    title: str | None
    url: str | None
    """The article's address when known then: where it was read (None: not known, e.g. a
    teaser that links nowhere, or a page read from a local file)."""
    published: dt.date | None
    summary: str | None
    body: str | None
    diff: str | None
    """The unified diff from the version before; None for the first."""
    page: str | None = None
    """The page it was read on (a listing for a teaser, the article's own page); None:
    not recorded (versions stored before migration 0009)."""

    @property
    def text(self) -> str | None:
        """The fullest text of this version: the article body, else the teaser."""
        return self.body or self.summary

    def as_json(self) -> dict:
        """A version in ``newswatch show --json`` (README, "JSON shapes")."""
        return {
            "at": self.at.isoformat(),
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "text": self.text,
            "page": self.page,
        }


@dataclass(frozen=True)
class EntryHistory:
    """An entry with every version (oldest first) and every event (oldest first)."""

    entry_id: str
    url: str | None
    title: str | None
    removed: bool
    versions: tuple[VersionRecord, ...]
    events: tuple[ChangeRecord, ...]
    site: str = BUILT_IN_SITE

    def as_json(self) -> dict:
        """The shape of ``newswatch show ID --json`` (README, "JSON shapes")."""
        return {
            "entry_id": self.entry_id,
            "site": self.site,
            "url": self.url,
            "versions": [version.as_json() for version in self.versions],
            "events": [event.as_json() for event in self.events],
        }


def load(session: Session, entry_id: str) -> EntryHistory | None:
    """The history of the entry whose feed id is ``entry_id``; None when there is none."""
    entry = session.scalar(select(Entry).where(Entry.feed_id == entry_id))
    if entry is None:
        return None
    rows = session.scalars(
        select(EntryVersion).where(EntryVersion.entry_id == entry.id).order_by(EntryVersion.number)
    ).all()
    events = session.scalars(
        select(ChangeEvent).where(ChangeEvent.entry_id == entry.id).order_by(ChangeEvent.at, ChangeEvent.id)
    ).all()
    return EntryHistory(
        entry_id=entry.feed_id,
        url=entry.url,
        title=entry.title,
        removed=entry.removed,
        site=entry.site,
        versions=_versions(rows, {(e.from_version_id, e.to_version_id): e.diff for e in events if e.diff}),
        events=tuple(change_record(event, entry) for event in events),
    )


def _versions(rows: list[EntryVersion], logged: dict[tuple, str]) -> tuple[VersionRecord, ...]:
    """The versions with their diffs: the one an ``updated`` event logged between the two
    (``logged``, by their version ids), else made here (a silent correction has no event,
    and one event of a crawl spans every version that crawl made)."""
    versions, before, before_id = [], None, None
    for row in rows:
        content = Content(row.title, row.url, row.published, row.summary, row.body)
        diff = None
        if before is not None:
            diff = logged.get((before_id, row.id)) or unified_diff(before, content)
        versions.append(
            VersionRecord(
                row.number,
                row.seen_at,
                row.title,
                row.url,
                row.published,
                row.summary,
                row.body,
                diff,
                row.page,
            )
        )
        before, before_id = content, row.id
    return tuple(versions)
