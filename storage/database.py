"""Opening the store: resolve the database URL, connect, and migrate to the current schema.

SQLite in the data directory is the embedded default; any SQLAlchemy URL (PostgreSQL in
production) works the same. Migrations run on every open, so a new or an old database is
always brought to the schema this code expects before anything reads it.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_FILENAME = "newswatch.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 30_000


class DatabaseError(RuntimeError):
    """The store cannot be opened; the message is one line meant for the user."""


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / SQLITE_FILENAME).resolve()}"


def open_engine(url: str) -> Engine:
    """Connect to ``url`` and apply pending migrations; raise DatabaseError on any failure."""
    try:
        engine = _create_engine(url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        _migrate(engine)
    except (SQLAlchemyError, ArgumentError, OSError, ImportError, ValueError) as error:
        reason = " ".join(str(getattr(error, "orig", None) or error).split())
        raise DatabaseError(f"cannot open database {_redacted(url)}: {reason}") from error
    return engine


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection, _record) -> None:
    """WAL lets readers (the feed server) work while a crawl writes; keys are enforced."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _migrate(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _redacted(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)
