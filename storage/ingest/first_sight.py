"""What the first sighting of a news item writes: the entry, its version 1, its ``new`` event.

Plain rows, inserted with SQLAlchemy Core: through the ORM's unit of work a new item cost
about two milliseconds, several times the three INSERTs themselves. The benchmarks' bulk
loader (benchmarks/bulk_store.py) builds its million entries with these same functions, so
its rows are the ingest's by construction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, insert

from storage.ingest.edit_rows import insert_event, insert_version
from storage.ingest.observation import Observation
from storage.models import BUILT_IN_SITE, Entry

FEED_ID_NAMESPACE = uuid.UUID("5f0c1a52-7d0e-4c55-9a51-6e6577737761")


@dataclass(frozen=True)
class FirstSight:
    """The three rows of a new item, without their ids (the database assigns them)."""

    entry: dict
    version: dict
    event: dict


def feed_id(first_key: str) -> str:
    """The item's feed id, from the key it was first known by: assigned once, never changed."""
    return f"urn:uuid:{uuid.uuid5(FEED_ID_NAMESPACE, first_key)}"


def first_sight(
    seen: Observation,
    first_key: str,
    digest: str,
    crawl_id: int,
    now: dt.datetime,
    extractor: int,
    site: str = BUILT_IN_SITE,
) -> FirstSight:
    """The rows for ``seen``, an item never seen before on ``site``; ``digest`` is its
    content hash, ``extractor`` the version of the extractor that read it."""
    content = {
        "url": seen.url,
        "title": seen.title,
        "summary": seen.summary,
        "body": seen.body,
        "published": seen.published,
        "content_hash": digest,
    }
    entry = content | {
        "site": site,
        "feed_id": feed_id(first_key),
        "published_evidence": int(seen.evidence),
        "first_seen": now,
        "first_crawl_id": crawl_id,
        "last_seen": now,
        "updated_at": now,
        "removed": False,
        "last_page": seen.page if seen.position is not None else None,
        "last_position": seen.position,
    }
    version = content | {
        "number": 1,
        "crawl_id": crawl_id,
        "seen_at": now,
        "extractor": extractor,
        "page": seen.page,
    }
    event = {
        "crawl_id": crawl_id,
        "at": now,
        "kind": "new",
        "fields": "",
        "from_version_id": None,
        "diff": None,
    }
    return FirstSight(entry, version, event)


_INSERT_ENTRY = insert(Entry.__table__)
"""Built once, as storage.ingest.edit_rows's statements are: a new item is written on most pages
of a first crawl."""


def insert_first_sight(connection: Connection, sight: FirstSight) -> int:
    """Insert the three rows; returns the new entry's id."""
    entry_id = connection.execute(_INSERT_ENTRY, sight.entry).inserted_primary_key[0]
    version_id = insert_version(connection, sight.version | {"entry_id": entry_id})
    insert_event(connection, sight.event | {"entry_id": entry_id, "to_version_id": version_id})
    return entry_id
