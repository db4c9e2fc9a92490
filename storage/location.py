"""Where the store lives unless told otherwise: SQLite in the data directory, and how long an
SQLite write waits for another writer.

Apart from storage.database so that the settings (scheduler.config) and the command line's
parser can name these defaults without importing SQLAlchemy.
"""

from __future__ import annotations

from pathlib import Path

SQLITE_FILENAME = "newswatch.sqlite3"
DEFAULT_BUSY_TIMEOUT_SECONDS = 30.0


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / SQLITE_FILENAME).resolve()}"
