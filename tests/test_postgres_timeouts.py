"""A PostgreSQL address that accepts connections and never answers fails a command after the
connect timeout, in one line, instead of hanging it forever; on a real server, statements and
lock waits are bounded too."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.database import CONNECT_TIMEOUT_SECONDS, _postgresql_connect_args, open_engine
from tests.conftest import fresh_postgres_schema
from tests.support.helpers import run_cli


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A loopback TCP port that accepts every connection, holds it open, and never sends a
    byte: a PostgreSQL address behind a stuck proxy, or a server frozen mid-start."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                held.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for connection in held:
            connection.close()


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize("command", [("changes",), ("crawl", "--offline")])
def test_a_server_that_never_answers_fails_after_the_connect_timeout(tmp_path, command):
    with silent_server() as port:
        done = run_cli(
            *command,
            data_dir=tmp_path,
            env={"NEWSWATCH_DB": f"postgresql+psycopg://newswatch@127.0.0.1:{port}/newswatch"},
            timeout=CONNECT_TIMEOUT_SECONDS * 6,
        )
    assert done.returncode == 1
    assert done.stderr == (
        f"newswatch: database: no answer from postgresql://127.0.0.1:{port} "
        f"within {CONNECT_TIMEOUT_SECONDS} s\n"
    )


def test_the_bounds_join_the_options_the_url_gives():
    """The test server's URLs carry ``options=-csearch_path=...``: the bounds are added to
    them, not put in their place; a bound the URL sets itself is the URL's."""
    url = make_url(
        "postgresql+psycopg://u@h/db?connect_timeout=3&options=-csearch_path%3Dt_1 -c lock_timeout%3D5"
    )
    args = _postgresql_connect_args(url, busy_timeout=30)
    assert args["options"] == "-csearch_path=t_1 -c lock_timeout=5 -c statement_timeout=300000"
    assert "connect_timeout" not in args  # the URL's 3 s stays
    assert _postgresql_connect_args(make_url("postgresql+psycopg://u@h/db"), 0)["options"] == (
        "-c statement_timeout=300000 -c lock_timeout=1"
    )


@pytest.mark.postgres
def test_a_real_server_bounds_statements_and_lock_waits():
    with fresh_postgres_schema("no PostgreSQL server to ask for its timeouts") as url:
        engine = open_engine(url, busy_timeout=7)
        try:
            with engine.connect() as connection:
                shown = [
                    connection.execute(text(f"SHOW {name}")).scalar()
                    for name in ("statement_timeout", "lock_timeout", "search_path")
                ]
        finally:
            engine.dispose()
    assert shown[:2] == ["5min", "7s"]
    assert shown[2].startswith("t_")  # the URL's own options still apply
