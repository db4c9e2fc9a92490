"""Opening the store: resolve the database URL, connect, and migrate to the current schema.

SQLite in the data directory is the embedded default; any SQLAlchemy URL (PostgreSQL in
production) works the same. Migrations are checked on every open, so a new or an old database
is always brought to the schema this code expects before anything reads it; a database already
there costs one query, without Alembic, and a new one is created from the models, also without
Alembic (:func:`_migrate`).

SQLite allows one writer at a time: a writer waits up to the busy timeout for another one
(another crawl, a backup holding a write transaction) and then fails with "database is
locked". That wait is the only one: a write that waited it out is not retried (see
:func:`waited_for_lock`), so a store locked for good fails the crawl after one timeout, not
after one per page.

PostgreSQL gets the same bounds on waiting (:func:`_postgresql_connect_args`): a server that
accepts the connection and never answers fails the command after the connect timeout, with
one line, instead of hanging it forever; a statement that runs too long, or waits too long
for another session's lock, is cancelled by the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from storage.location import DEFAULT_BUSY_TIMEOUT_SECONDS
from storage.schema_revision import MIGRATIONS, head_revision

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

SQLITE_BUSY = 5
SQLITE_DAMAGED = (11, 26)
"""SQLITE_CORRUPT ("database disk image is malformed") and SQLITE_NOTADB: the file is damaged."""
"""SQLite's plain "database is locked": the busy timeout ran out (SQLITE_BUSY_SNAPSHOT, 517,
is a conflict with a concurrent writer instead, and worth retrying at once)."""
CONNECT_TIMEOUT_SECONDS = 10
"""How long a PostgreSQL connection may take to be answered (a ``connect_timeout`` in the URL wins)."""
STATEMENT_TIMEOUT_SECONDS = 300
"""The longest one PostgreSQL statement may run: newswatch's take milliseconds, a migration of
a large store seconds; five minutes means the server is stuck (``-c statement_timeout=`` in
the URL's ``options`` wins)."""
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}
"""TCP keepalives, so that a PostgreSQL host that vanished mid-session is noticed within about
a minute rather than never."""


_ALEMBIC_VERSION = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)
"""Alembic's record of the schema revision, as Alembic itself creates it."""


class DatabaseError(RuntimeError):
    """The store cannot be opened; the message is one line meant for the user."""


class NewerSchemaError(DatabaseError):
    """The store's schema is newer than this release knows: a newer newswatch migrated it."""


def open_engine(
    url: str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS, *, replay_migrations: bool = False
) -> Engine:
    """Connect to ``url`` and apply pending migrations; raise DatabaseError on any failure.

    ``busy_timeout``: how many seconds an SQLite write waits for another writer.
    ``replay_migrations``: build a new store by running every migration, as an old store
    was built, rather than from the models (tests compare the two).
    """
    try:
        engine = _create_engine(url, busy_timeout)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        _migrate(engine, url, replay_migrations=replay_migrations)
    except NewerSchemaError:
        raise
    except (SQLAlchemyError, ArgumentError, OSError, ImportError, ValueError) as error:
        if _no_answer(error):
            raise DatabaseError(_no_answer_line(make_url(url))) from error
        raise DatabaseError(f"cannot open database {redacted_url(url)}: {error_line(error)}") from error
    return engine


def _no_answer(error: BaseException) -> bool:
    """True when the driver gave up waiting for the server to answer the connection
    (psycopg's ConnectionTimeout: "connection timeout expired")."""
    orig = getattr(error, "orig", None)
    return type(orig).__name__ == "ConnectionTimeout" or "timeout expired" in str(orig or "")


def _no_answer_line(url: URL) -> str:
    """``database: no answer from postgresql://db.example:5432 within 10 s``."""
    seconds = url.query.get("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    where = f"{url.get_backend_name()}://{url.host or 'localhost'}:{url.port or 5432}"
    return f"database: no answer from {where} within {seconds} s"


def error_line(error: BaseException) -> str:
    """The driver's own message on one line, without SQLAlchemy's statement and parameters
    (they can be long, and say nothing to the person who runs the command)."""
    return " ".join(str(getattr(error, "orig", None) or error).split())


def is_damaged(error: BaseException) -> bool:
    """True when SQLite says the database file itself is damaged (not locked, not missing)."""
    return getattr(getattr(error, "orig", None), "sqlite_errorcode", None) in SQLITE_DAMAGED


def damage_found(engine: Engine) -> str | None:
    """The first damage SQLite's quick check finds in the file, None when there is none.

    A full read of the file (seconds for a large store), so it runs once, when the service
    starts: a service must not begin serving and writing on a store it cannot use. Other
    databases look after their own files: always None.
    """
    if engine.dialect.name != "sqlite":
        return None
    try:
        with engine.connect() as connection:
            first = connection.execute(text("PRAGMA quick_check(1)")).scalar()
    except SQLAlchemyError as error:
        return error_line(error)
    return None if first == "ok" else " ".join(str(first).replace("*** in database main ***", "").split())


def waited_for_lock(error: BaseException) -> bool:
    """True when an SQLite write failed after waiting out the whole busy timeout."""
    return getattr(getattr(error, "orig", None), "sqlite_errorcode", None) == SQLITE_BUSY


def _create_engine(url: str, busy_timeout: float) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            url, pool_pre_ping=True, connect_args=_postgresql_connect_args(parsed, busy_timeout)
        )
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout})
    event.listen(engine, "connect", lambda connection, _record: _configure_sqlite(connection, busy_timeout))
    return engine


def _postgresql_connect_args(url: URL, busy_timeout: float) -> dict:
    """Bounds on every wait of a PostgreSQL connection, each unless the URL sets it: the
    connect timeout, TCP keepalives, and (as server options) the statement timeout and a lock
    timeout equal to SQLite's busy timeout (0 means no wait there; here it must be at least
    1 ms, as PostgreSQL reads 0 as "wait forever")."""
    given = url.query
    connect_args: dict = {key: value for key, value in KEEPALIVES.items() if key not in given}
    if "connect_timeout" not in given:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    options = given.get("options", "")
    if not isinstance(options, str):
        return connect_args  # the URL gave options twice: leave them to the driver as they are
    bounds = {
        "statement_timeout": STATEMENT_TIMEOUT_SECONDS * 1000,
        "lock_timeout": max(1, int(busy_timeout * 1000)),
    }
    added = [f"-c {name}={ms}" for name, ms in bounds.items() if name not in options]
    connect_args["options"] = " ".join([options, *added]).strip()
    return connect_args


def _configure_sqlite(dbapi_connection, busy_timeout: float) -> None:
    """WAL lets readers (the feed server) work while a crawl writes; keys are enforced."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _migrate(engine: Engine, url: str, *, replay_migrations: bool = False) -> None:
    """Bring the schema to the head revision. A store already there (every open but the
    first after an upgrade) is told by one query: Alembic, a fifth of a crawl's start-up to
    import and to read its scripts, is loaded only when there is something to migrate.

    A new store (no table at all: a new SQLite file, an empty PostgreSQL schema) is created
    from the models and stamped with the head revision, as Alembic would stamp it: replaying
    every migration was about 4% of a first crawl's CPU, and paid by every test that makes a
    store. That both ways give the same schema is what tests/test_migrations.py checks, table
    by table (columns, keys, indexes, constraints); a store with any table goes through
    Alembic as ever.
    """
    with engine.begin() as connection:
        tables = set(inspect(connection).get_table_names())
        if not tables and not replay_migrations and head_revision() is not None:
            _create_from_models(connection)
            return
        if _schema_revisions(connection, tables) == {head_revision()}:
            return
        _upgrade(connection, url)


def _schema_revisions(connection, tables: set[str]) -> set[str]:
    """The revisions Alembic recorded in the store (none in a new one)."""
    if _ALEMBIC_VERSION.name not in tables:
        return set()
    return set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def _create_from_models(connection) -> None:
    """The schema of the models, at the head revision, in an empty database."""
    from storage.models import Base

    Base.metadata.create_all(connection, checkfirst=False)
    _ALEMBIC_VERSION.create(connection)
    connection.execute(_ALEMBIC_VERSION.insert().values(version_num=head_revision()))


def _upgrade(connection, url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    _refuse_newer_schema(connection, ScriptDirectory.from_config(config), url)
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _refuse_newer_schema(connection, scripts: ScriptDirectory, url: str) -> None:
    """A schema version this release has no migration for was written by a newer release:
    say so, rather than Alembic's "Can't locate revision" and a traceback. Never downgrade."""
    from alembic.runtime.migration import MigrationContext

    current = MigrationContext.configure(connection).get_current_revision()
    known = {script.revision for script in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise NewerSchemaError(
            f"database {redacted_url(url)} has schema version {current}, which this newswatch does not "
            f"know (it knows up to {scripts.get_current_head()}): a newer newswatch wrote it; "
            "run that newswatch or a newer one"
        )


def redacted_url(url: str) -> str:
    """The URL as shown to people: its password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)
