"""Migrations run forwards and backwards on every supported database, and a new store, made
from the models without them, is the store they make."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import storage.database
from storage.database import DatabaseError, open_engine
from storage.schema_revision import MIGRATIONS, head_revision
from tests.conftest import fresh_postgres_schema
from tests.support.helpers import run_cli, run_python

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


def test_opening_twice_is_harmless(database_url):
    open_engine(database_url).dispose()
    engine = open_engine(database_url)
    assert tables(engine) == TABLES
    engine.dispose()


def alembic_scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def schema_revision(engine) -> str:
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()


def test_the_head_revision_read_from_the_scripts_is_alembics_head():
    """Opening a store skips Alembic when the store is at this revision: a misread head would
    skip a migration, or run Alembic on every open."""
    assert head_revision() == alembic_scripts().get_current_head()


def test_a_store_one_migration_behind_is_migrated_on_open(database_url):
    open_engine(database_url).dispose()
    scripts = alembic_scripts()
    previous = scripts.get_revision(scripts.get_current_head()).down_revision
    engine = open_engine(database_url)
    alembic(engine, "downgrade", previous)
    assert schema_revision(engine) == previous
    engine.dispose()
    engine = open_engine(database_url)
    assert schema_revision(engine) == scripts.get_current_head()
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


def schema(engine) -> dict:
    """Everything the database says of its tables, in a form two databases compare in: each
    table's columns in order (name, type, nullability, server default...), primary key,
    foreign keys (with their ON DELETE), indexes (name, columns, uniqueness, sorting),
    unique and check constraints; SQLite's own account of each index's keys (the inspector
    does not say which are descending there); PostgreSQL's sequences."""
    inspector = inspect(engine)
    dialect = engine.dialect
    found: dict = {}
    for table in sorted(inspector.get_table_names()):
        found[table] = {
            "columns": [
                {**column, "type": column["type"].compile(dialect)} for column in inspector.get_columns(table)
            ],
            "primary key": inspector.get_pk_constraint(table),
            "foreign keys": in_order(inspector.get_foreign_keys(table)),
            "indexes": in_order(inspector.get_indexes(table)),
            "unique constraints": in_order(inspector.get_unique_constraints(table)),
            "check constraints": in_order(inspector.get_check_constraints(table)),
        }
        if dialect.name == "sqlite":
            found[table]["sqlite indexes"] = sqlite_indexes(engine, table)
    if dialect.name == "postgresql":
        found["sequences"] = sorted(inspector.get_sequence_names())
    return found


def in_order(items: list[dict]) -> list[dict]:
    return sorted(items, key=repr)


def sqlite_indexes(engine, table: str) -> list:
    """Each index of the table (automatic ones too) as SQLite lists it, with its key columns:
    name, sort order, collation."""
    with engine.connect() as connection:
        listed = connection.exec_driver_sql(f"PRAGMA index_list('{table}')").mappings().all()
        indexes = []
        for index in listed:
            keys = connection.exec_driver_sql(f"PRAGMA index_xinfo('{index['name']}')").mappings().all()
            indexes.append(
                (
                    index["name"],
                    index["unique"],
                    index["origin"],
                    index["partial"],
                    [(key["name"], key["desc"], key["coll"]) for key in keys if key["key"]],
                )
            )
    return sorted(indexes)


def revision_rows(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


@contextlib.contextmanager
def two_empty_databases(kind: str, tmp_path):
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'replayed.sqlite3'}", f"sqlite:///{tmp_path / 'built.sqlite3'}"
        return
    why = "no PostgreSQL server to compare its two schemas on"
    with fresh_postgres_schema(why) as replayed, fresh_postgres_schema(why) as built:
        yield replayed, built


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_new_store_built_from_the_models_is_the_store_the_migrations_make(kind, tmp_path):
    """A new store is made from the models (storage.database._migrate): the same schema as
    every migration run in turn, or a store would depend on the release that created it."""
    with two_empty_databases(kind, tmp_path) as (replayed_url, built_url):
        replayed = open_engine(replayed_url, replay_migrations=True)
        built = open_engine(built_url)
        try:
            migrated, modelled = schema(replayed), schema(built)
            assert set(modelled) == set(migrated)
            for table in migrated:
                assert modelled[table] == migrated[table], table
            assert revision_rows(built) == revision_rows(replayed) == [head_revision()]
        finally:
            replayed.dispose()
            built.dispose()


def test_a_new_store_is_made_without_alembic_and_not_migrated_again(database_url, monkeypatch):
    migrated = []
    monkeypatch.setattr(storage.database, "_upgrade", lambda *args: migrated.append(args))
    engine = open_engine(database_url)
    assert tables(engine) == TABLES
    assert schema_revision(engine) == head_revision()
    engine.dispose()
    monkeypatch.setattr(storage.database, "_create_from_models", lambda *args: migrated.append(args))
    engine = open_engine(database_url)
    assert schema_revision(engine) == head_revision()
    engine.dispose()
    assert migrated == []


def test_a_new_store_does_not_import_alembic(tmp_path):
    """Nor does opening it again: Alembic is for stores made by an older release."""
    program = (
        "import sys\n"
        "from storage.database import open_engine\n"
        "for _ in range(2):\n"
        "    open_engine(sys.argv[1]).dispose()\n"
        "print('alembic' in sys.modules)"
    )
    database = tmp_path / "new.sqlite3"
    done = run_python(program, f"sqlite:///{database}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    with contextlib.closing(sqlite3.connect(database)) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (head_revision(),)
        ]


def test_a_database_with_tables_of_its_own_is_migrated(database_url, monkeypatch):
    """Only an empty database is new: one with any table is left to Alembic."""
    upgrades = []
    upgrade = storage.database._upgrade
    monkeypatch.setattr(storage.database, "_upgrade", lambda *args: upgrades.append(upgrade(*args)))
    engine = open_engine(database_url, replay_migrations=True)  # the migrations make a table first
    alembic(engine, "downgrade", "base")
    engine.dispose()
    upgrades.clear()
    engine = open_engine(database_url)
    assert tables(engine) == TABLES
    assert schema_revision(engine) == head_revision()
    engine.dispose()
    assert len(upgrades) == 1
