"""An entry as the ingest first loads it: plain column values, no ORM object.

Most sightings on a crawl are of items the store holds unchanged. Telling so needs the
entry's content and hash, not a tracked ORM instance, whose loading and flushing cost
several times the comparison itself. The ingest (storage.ingest.page_ingest) loads every entry a page
may name as a :class:`KnownEntry`; a sighting that changes one makes a mutable copy of it
(storage.ingest.edit_rows.EditedEntry), written back with Core statements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, select

from storage.models import Entry, EntryKey


class KnownEntry(NamedTuple):
    """The columns of an entry that matching and the unchanged check read."""

    id: int
    url: str | None
    title: str | None
    summary: str | None
    body: str | None
    published: dt.date | None
    published_evidence: int
    content_hash: str
    removed: bool


_BY_KEYS = (
    select(EntryKey.key, *(getattr(Entry, name) for name in KnownEntry._fields))
    .join(Entry, Entry.id == EntryKey.entry_id)
    .where(EntryKey.key.in_(bindparam("keys", expanding=True)))
)
"""Built once: constructing the statement per page cost as much as running it."""


def load_known(connection: Connection, keys: Collection[str]) -> dict[str, KnownEntry]:
    """Every entry any of ``keys`` names, by key, in one query; one object per entry."""
    if not keys:
        return {}
    rows = connection.execute(_BY_KEYS, {"keys": list(keys)})
    by_id: dict[int, KnownEntry] = {}
    known: dict[str, KnownEntry] = {}
    for key, *columns in rows:
        entry = KnownEntry(*columns)
        known[key] = by_id.setdefault(entry.id, entry)
    return known
