"""A database that opens but fails afterwards: every command ends with one line naming the
database error and exit code 1, not a traceback (opening failures are tested elsewhere)."""

from __future__ import annotations

import sqlite3

import pytest

from tests.support.helpers import run_cli

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

BROKEN = "newswatch: database error: no such table: "


@pytest.fixture(scope="module")
def broken_data_dir(tmp_path_factory):
    """A crawled store whose change log and entries have gone (a bad edit, a bad restore)."""
    data_dir = tmp_path_factory.mktemp("broken")
    assert run_cli("crawl", "--offline", data_dir=data_dir).returncode == 0
    with sqlite3.connect(data_dir / "newswatch.sqlite3") as db:
        db.execute("drop table change_events")
        db.execute("alter table entries rename to entries_gone")
    return data_dir


@pytest.mark.parametrize(
    "command", [["changes"], ["changes", "--json"], ["feed"], ["feed", "--format", "atom"]]
)
def test_a_reading_command_says_it_in_one_line(broken_data_dir, command):
    done = run_cli(*command, data_dir=broken_data_dir)
    assert done.returncode == 1
    assert done.stderr.startswith(BROKEN) and done.stderr.count("\n") == 1, done.stderr
    assert done.stdout == ""


def test_a_crawl_ends_with_the_same_line(broken_data_dir):
    done = run_cli("--quiet", "crawl", "--offline", data_dir=broken_data_dir)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(BROKEN), done.stderr
