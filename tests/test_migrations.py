"""Migrations run forwards and backwards on every supported database."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from storage.database import MIGRATIONS, open_engine

TABLES = {
    "entries",
    "entry_keys",
    "entry_versions",
    "change_events",
    "crawl_runs",
    "pages",
    "fetch_failures",
}


def alembic(engine, action: str, target: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, target)


def tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_open_migrates_and_migrations_reverse_cleanly(database_url):
    engine = open_engine(database_url)
    assert tables(engine) == TABLES
    assert "last_page" in {c["name"] for c in inspect(engine).get_columns("entries")}
    alembic(engine, "downgrade", "base")
    assert tables(engine) == set()
    alembic(engine, "upgrade", "head")
    assert tables(engine) == TABLES
    engine.dispose()


def test_opening_twice_is_harmless(database_url):
    open_engine(database_url).dispose()
    engine = open_engine(database_url)
    assert tables(engine) == TABLES
    engine.dispose()
