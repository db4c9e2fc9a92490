"""Reading the change log: its events newest first, filtered by kind, time and words.

The /changes page pages through the log and searches it, the command line filters it; both
read it here, so an event looks the same wherever it is shown (ChangeRecord).

A search matches an event when every word of it appears, in any case, in the title or the
text of one version of the event's entry, the present one or an earlier one: an edit that took a word out of an article
leaves the article findable by it. It is a LIKE on each backend (``ILIKE`` on PostgreSQL,
``lower() LIKE`` on SQLite, whose ``lower()`` folds only ASCII letters), with ``%`` and
``_`` escaped, so what a user types is taken as text, never as a pattern.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from storage.models import ChangeEvent, Entry, EntryVersion
from storage.records import ChangeRecord, headline_from_text

KINDS = ("new", "updated", "removed")


@dataclass(frozen=True)
class ChangeFilter:
    """Which events of the log to read: all of them by default."""

    since: dt.datetime | None = None
    kinds: tuple[str, ...] = ()
    search: str = ""
    """Words that must all appear in a version's title or text (case folded)."""
    site: str | None = None
    """The name of the site whose entries' events to read; None: every site's."""


def read_changes(
    session: Session, which: ChangeFilter, *, limit: int | None = None, offset: int = 0
) -> list[ChangeRecord]:
    """The events ``which`` selects, newest first, ``offset`` of them skipped."""
    query = _filtered(select(ChangeEvent, Entry).join(Entry, Entry.id == ChangeEvent.entry_id), which)
    query = query.order_by(ChangeEvent.at.desc(), ChangeEvent.id.desc()).limit(limit).offset(offset or None)
    return [change_record(event, entry) for event, entry in session.execute(query).all()]


def count_changes(session: Session, which: ChangeFilter) -> int:
    """How many events ``which`` selects (for a page's "page 2 of 7")."""
    query = _filtered(select(func.count()).select_from(ChangeEvent), which)
    return session.scalar(query) or 0


def change_record(event: ChangeEvent, entry: Entry) -> ChangeRecord:
    """One event as the change log shows it, with its entry's present title and URL."""
    return ChangeRecord(
        at=event.at,
        kind=event.kind,
        entry_id=entry.feed_id,
        title=entry.title or headline_from_text(entry.summary or entry.body or ""),
        url=entry.url,
        published=entry.published,
        diff=event.diff,
        fields=tuple(filter(None, event.fields.split(","))),
        event_id=event.id,
        site=entry.site,
    )


def _filtered(query: Select, which: ChangeFilter) -> Select:
    if which.site is not None:
        query = query.where(ChangeEvent.entry_id.in_(select(Entry.id).where(Entry.site == which.site)))
    if which.since is not None:
        query = query.where(ChangeEvent.at >= which.since)
    if which.kinds:
        query = query.where(ChangeEvent.kind.in_(which.kinds))
    words = which.search.split()
    if words:
        query = query.where(
            exists().where(EntryVersion.entry_id == ChangeEvent.entry_id, *map(_mentions, words))
        )
    return query


def _mentions(word: str):
    """A version whose title, teaser or body holds ``word``, in any case."""
    columns = (EntryVersion.title, EntryVersion.summary, EntryVersion.body)
    return or_(*(column.icontains(word, autoescape=True) for column in columns))
