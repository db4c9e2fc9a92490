"""Migrations run forwards and backwards on every supported database."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage.database import MIGRATIONS, DatabaseError, head_revision, open_engine
from tests.support.helpers import run_cli

TABLES = {
    "entries",
    "entry_keys",
    "entry_versions",
    "change_events",
    "crawl_runs",
    "pages",
    "fetch_failures",
    "page_bodies",
    "outbox",
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


def test_the_head_read_without_alembic_is_alembics_head():
    """open_engine skips Alembic on a store at this revision: it must be Alembic's own head."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_a_store_one_revision_behind_is_migrated_on_open(database_url):
    engine = open_engine(database_url)
    alembic(engine, "downgrade", "-1")
    engine.dispose()
    engine = open_engine(database_url)
    with engine.connect() as connection:
        assert (
            connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
        )
    assert tables(engine) == TABLES
    engine.dispose()


def test_opening_twice_is_harmless(database_url):
    open_engine(database_url).dispose()
    engine = open_engine(database_url)
    assert tables(engine) == TABLES
    engine.dispose()


def test_pages_read_before_bodies_were_kept_lose_their_validators(database_url):
    """So that the next crawl downloads them whole and keeps their bytes (migration 0006)."""
    engine = open_engine(database_url)
    alembic(engine, "downgrade", "0005")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO pages (url, etag, last_modified, last_status, item_count) "
            "VALUES ('https://example.org/a/', '\"v1\"', 'Mon, 01 Jan 2024 00:00:00 GMT', 200, 3)"
        )
    alembic(engine, "upgrade", "head")
    with engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT etag, last_modified, item_count FROM pages").one()
    assert tuple(row) == (None, None, 3)
    assert "extractor" in {c["name"] for c in inspect(engine).get_columns("entry_versions")}
    engine.dispose()


def mark_as_newer(engine, revision: str = "9999") -> None:
    """The store as a newer release would leave it: a schema version this one has no file for."""
    with engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{revision}'")


def test_a_store_of_a_newer_release_is_refused_in_words(database_url):
    engine = open_engine(database_url)
    mark_as_newer(engine)
    engine.dispose()
    with pytest.raises(DatabaseError) as refused:
        open_engine(database_url)
    message = str(refused.value)
    assert "has schema version 9999" in message and "a newer newswatch wrote it" in message
    assert "\n" not in message


@pytest.mark.e2e
def test_a_command_on_a_store_of_a_newer_release_says_it_in_one_line(tmp_path):
    database = tmp_path / "newswatch.sqlite3"
    engine = open_engine(f"sqlite:///{database}")
    mark_as_newer(engine)
    engine.dispose()
    done = run_cli("changes", data_dir=tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("newswatch: database sqlite:///"), done.stderr
    assert "schema version 9999" in done.stderr and "newer newswatch" in done.stderr
