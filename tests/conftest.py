"""Shared pytest fixtures."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from tests.support.helpers import run_cli

POSTGRES_URL_ENV = "NEWSWATCH_TEST_DATABASE_URL"


@pytest.fixture
def cli():
    """Run the real ``newswatch`` command line in a child process."""
    return run_cli


def _fresh_postgres_schema(base_url: str) -> tuple[str, callable]:
    """A throwaway schema on the test server, and a function that drops it."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base_url else "?"
    url = f"{base_url}{separator}options=-csearch_path%3D{schema}"

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database of each supported kind; PostgreSQL only where the test server is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    with fresh_postgres_schema("no PostgreSQL server to test against") as url:
        yield url


@contextmanager
def fresh_postgres_schema(why_needed: str) -> Iterator[str]:
    """A throwaway schema on the test server for the duration; skips the test without one."""
    base_url = os.environ.get(POSTGRES_URL_ENV)
    if not base_url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set: {why_needed}")
    url, drop = _fresh_postgres_schema(base_url)
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def store(database_url):
    """A migrated, empty store on each supported database."""
    from storage.store import Store

    opened = Store.open(database_url)
    yield opened
    opened.close()
