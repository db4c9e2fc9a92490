"""The rows an edit writes, as plain values and SQLAlchemy Core statements: the entry's new
columns, its next version and its change event.

A first crawl edits every item once: its teaser, seen on a listing, is linked to its
article page. Through the ORM (load the entry, the latest version and the crawl's event as
objects, flush them at commit) that edit cost more than reading the article; as three small
statements and two lookups of plain columns it costs a fraction (benchmarks/crawl_cost.py).
The rules of an edit (what changed, which event it joins) stay in storage.ingest.page_ingest;
this module only reads and writes rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, insert, select, update

from storage.ingest.diffing import Content, content_of
from storage.ingest.loaded_entry import KnownEntry
from storage.keyed_rows import KEY_PARAMETER
from storage.models import ChangeEvent, Entry, EntryVersion

_ENTRIES = Entry.__table__
_VERSIONS = EntryVersion.__table__
_EVENTS = ChangeEvent.__table__


@dataclasses.dataclass
class EditedEntry:
    """An entry this page changes: its columns as they are now, changed in place by the
    ingest and written back with :func:`save_entry` after every sighting that changed it."""

    id: int
    url: str | None
    title: str | None
    summary: str | None
    body: str | None
    published: dt.date | None
    published_evidence: int
    content_hash: str
    removed: bool
    last_seen: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    """Set when subscribers are told of the change (a silent correction leaves it)."""
    last_page: str | None = None
    last_position: int | None = None
    placed: bool = False
    """Whether ``last_page``/``last_position`` were set by this page (else left as stored)."""

    @classmethod
    def of(cls, known: KnownEntry) -> EditedEntry:
        return cls(*known)

    def place(self, page: str | None, position: int | None) -> None:
        self.last_page, self.last_position, self.placed = page, position, True


class VersionRow(NamedTuple):
    """A stored version: its id and number, and its content."""

    id: int
    number: int
    title: str | None
    url: str | None
    published: dt.date | None
    summary: str | None
    body: str | None


@dataclasses.dataclass
class EventRow:
    """The change event of one entry in one crawl, as far as an edit reads and changes it."""

    id: int
    kind: str
    fields: str
    from_version_id: int | None
    from_content: Content | None = None
    """The content of ``from_version_id``, once read (an ``updated`` event's diff spans it)."""


_CONTENT_COLUMNS = ("title", "url", "published", "summary", "body")
_VERSION_COLUMNS = [_VERSIONS.c[name] for name in ("id", "number", *_CONTENT_COLUMNS)]
_EVENT_COLUMNS = [_EVENTS.c[name] for name in ("id", "kind", "fields", "from_version_id")]
_IN_CRAWL = (_EVENTS.c.entry_id == bindparam("entry_id")) & (_EVENTS.c.crawl_id == bindparam("crawl_id"))
_CRAWL_EVENT = select(*_EVENT_COLUMNS).where(_IN_CRAWL)
_LATEST_VERSION_AND_EVENT = (
    select(*_VERSION_COLUMNS, *_EVENT_COLUMNS)
    .outerjoin(_EVENTS, _IN_CRAWL)
    .where(_VERSIONS.c.entry_id == bindparam("entry_id"))
    .order_by(_VERSIONS.c.number.desc())
    .limit(1)
)
"""The entry's latest version and its event in this crawl, if any, in one query: an edit
needs both."""
_VERSION_BY_ID = select(*_VERSION_COLUMNS).where(_VERSIONS.c.id == bindparam("version_id"))
_BY_ID = select(*(_ENTRIES.c[name] for name in KnownEntry._fields)).where(
    _ENTRIES.c.id == bindparam("entry_id")
)
_INSERT_VERSION = insert(_VERSIONS)
_INSERT_EVENT = insert(_EVENTS)
_UPDATE_ENTRY = update(_ENTRIES).where(_ENTRIES.c.id == bindparam(KEY_PARAMETER))
_UPDATE_EVENT = update(_EVENTS).where(_EVENTS.c.id == bindparam(KEY_PARAMETER))
"""Statements built once: building one per edit cost as much as running it. An INSERT's
columns and an UPDATE's SET clause are the parameters' columns."""


def load_entry(connection: Connection, entry_id: int) -> KnownEntry:
    """The columns of one entry, by id (an entry found by its text, not by a key)."""
    return KnownEntry(*connection.execute(_BY_ID, {"entry_id": entry_id}).one())


def latest_version_and_event(
    connection: Connection, entry_id: int, crawl_id: int
) -> tuple[VersionRow, EventRow | None]:
    """The entry's latest version, and its event in this crawl if an earlier page of the
    crawl logged one."""
    row = connection.execute(_LATEST_VERSION_AND_EVENT, {"entry_id": entry_id, "crawl_id": crawl_id}).one()
    version, event = row[: len(_VERSION_COLUMNS)], row[len(_VERSION_COLUMNS) :]
    return VersionRow(*version), None if event[0] is None else EventRow(*event)


def crawl_event(connection: Connection, entry_id: int, crawl_id: int) -> EventRow | None:
    """The entry's event in this crawl, if an earlier page of the crawl logged one."""
    row = connection.execute(_CRAWL_EVENT, {"entry_id": entry_id, "crawl_id": crawl_id}).one_or_none()
    return None if row is None else EventRow(*row)


def event_from_content(connection: Connection, event: EventRow) -> Content | None:
    """The content the event's diff starts from (read once per event)."""
    if event.from_content is None and event.from_version_id is not None:
        row = VersionRow(*connection.execute(_VERSION_BY_ID, {"version_id": event.from_version_id}).one())
        event.from_content = content_of(row)
    return event.from_content


def insert_version(connection: Connection, row: dict) -> int:
    return connection.execute(_INSERT_VERSION, row).inserted_primary_key[0]


def insert_event(connection: Connection, row: dict) -> int:
    return connection.execute(_INSERT_EVENT, row).inserted_primary_key[0]


def update_event(connection: Connection, event_id: int, values: dict) -> None:
    connection.execute(_UPDATE_EVENT, {KEY_PARAMETER: event_id, **values})


def save_entry(connection: Connection, entry: EditedEntry) -> None:
    """Write the entry's columns back (placement and ``updated_at`` only when set)."""
    values = {name: getattr(entry, name) for name in KnownEntry._fields[1:]}
    values["last_seen"] = entry.last_seen
    if entry.updated_at is not None:
        values["updated_at"] = entry.updated_at
    if entry.placed:
        values["last_page"], values["last_position"] = entry.last_page, entry.last_position
    connection.execute(_UPDATE_ENTRY, {KEY_PARAMETER: entry.id, **values})
