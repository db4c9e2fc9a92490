"""The change log of an SQLite store read with the standard library alone, for a command that
must answer at once (`newswatch changes`).

Importing SQLAlchemy costs more CPU (about 0.3 s here) than such a command may take in all
(issue 17: 0.3 s), and reading a few rows needs none of it. So a store that is an SQLite file
already at the newest schema is read here, read-only, by the one query
:func:`storage.change_log.read_changes` builds for the same filters (no search: the command
line has none). Anything else (PostgreSQL, no file yet, a schema to migrate, a damaged or
locked file) gives None, and the caller opens the Store as ever, which migrates, creates, or
says what is wrong in one line. tests/test_quick_read.py checks that both readings give the
same records on the same stores.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path
from urllib.parse import quote, unquote

from storage.records import ChangeRecord, headline_from_text
from storage.schema_revision import head_revision

_SQLITE_PREFIX = "sqlite:///"
_STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLAlchemy writes a datetime into SQLite (naive, in UTC: storage.models.UTCDateTime)."""
_QUERY = """
SELECT e.at, e.kind, n.feed_id, n.title, n.summary, n.body, n.url, n.published, e.diff,
       e.fields, e.id, n.site
FROM change_events AS e JOIN entries AS n ON n.id = e.entry_id
WHERE {conditions}
ORDER BY e.at DESC, e.id DESC
"""


def quick_changes(
    database_url: str,
    *,
    since: dt.datetime | None = None,
    kinds: tuple[str, ...] = (),
    limit: int | None = None,
    site: str | None = None,
) -> list[ChangeRecord] | None:
    """The change log as :meth:`storage.store.Store.changes` gives it, or None when this
    store is not one to read here (the module docstring says which)."""
    path = _sqlite_file(database_url)
    if path is None:
        return None
    try:
        with contextlib.closing(_query_only(path)) as connection:
            if _revision(connection) != head_revision():
                return None
            return _changes(connection, since, kinds, limit, site)
    except sqlite3.Error:
        return None


def _sqlite_file(database_url: str) -> Path | None:
    """The file of an SQLite URL with no options; None for any other URL or a missing file."""
    if not database_url.startswith(_SQLITE_PREFIX) or "?" in database_url:
        return None
    path = Path(unquote(database_url[len(_SQLITE_PREFIX) :]))
    return path if path.is_file() else None


def _query_only(path: Path) -> sqlite3.Connection:
    """A connection that refuses to write (``query_only``), opened read-write where the file
    allows it (``mode=rw`` opens it read-only where it does not): SQLite lets only a
    connection opened so fold the write-ahead log back at close, and the store's ``-wal``
    and ``-shm`` files were left beside it after every ``newswatch changes``."""
    connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=rw", uri=True)
    connection.execute("PRAGMA query_only = 1")
    return connection


def _revision(connection: sqlite3.Connection) -> str | None:
    rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return rows[0][0] if len(rows) == 1 else None


def _changes(
    connection: sqlite3.Connection,
    since: dt.datetime | None,
    kinds: tuple[str, ...],
    limit: int | None,
    site: str | None,
) -> list[ChangeRecord]:
    conditions, parameters = ["1 = 1"], []
    if site is not None:
        conditions.append("n.site = ?")
        parameters.append(site)
    if since is not None:
        conditions.append("e.at >= ?")
        parameters.append(since.astimezone(dt.UTC).strftime(_STORED_TIME))
    if kinds:
        conditions.append(f"e.kind IN ({', '.join('?' for _ in kinds)})")
        parameters.extend(kinds)
    query = _QUERY.format(conditions=" AND ".join(conditions))
    if limit is not None:
        query += " LIMIT ?"
        parameters.append(limit)
    return [_record(*row) for row in connection.execute(query, parameters)]


def _record(
    at, kind, feed_id, title, summary, body, url, published, diff, fields, event_id, site
) -> ChangeRecord:
    """One row as storage.change_log.change_record makes it of the same event and entry."""
    return ChangeRecord(
        at=dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC),
        kind=kind,
        entry_id=feed_id,
        title=title or headline_from_text(summary or body or ""),
        url=url,
        published=dt.date.fromisoformat(published) if published else None,
        diff=diff,
        fields=tuple(filter(None, (fields or "").split(","))),
        event_id=event_id,
        site=site,
    )
