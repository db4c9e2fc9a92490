"""``newswatch show ID``: one entry's history through the real command line."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from storage.store import Store
from tests.support.helpers import run_cli
from tests.test_entry_history import BODY, EDITED_BODY, TITLE, URL, article_page, crawl, edited_then_removed

HOSTILE_URL = "https://en.odkb-csto.org/news/news_odkb/hostile/"
HOSTILE_TITLE = "Drill \x1b[2J\x1b]0;owned\x07 ended \u202eevil"


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A data directory whose store holds an entry seen, edited twice and removed."""
    data_dir = tmp_path_factory.mktemp("data")
    store = Store.open(f"sqlite:///{data_dir / 'newswatch.sqlite3'}")
    try:
        entry_id = edited_then_removed(store)
        crawl(store, article_page(HOSTILE_URL, HOSTILE_TITLE, "Text with \x1b[31mcolour\x1b[0m."))
    finally:
        store.close()
    return data_dir, entry_id


def test_show_json_is_the_history_with_the_change_logs_events(history):
    data_dir, entry_id = history
    shown = run_cli("show", entry_id, "--json", data_dir=data_dir)
    assert shown.returncode == 0, shown.stderr
    document = shown.json()
    assert document["entry_id"] == entry_id and document["url"] == URL
    assert [v["title"] for v in document["versions"]] == [TITLE, TITLE, TITLE + " in Belarus"]
    assert [v["text"] for v in document["versions"]] == [BODY, EDITED_BODY, EDITED_BODY]
    logged = run_cli("changes", "--json", data_dir=data_dir).json()
    assert document["events"] == [event for event in reversed(logged) if event["entry_id"] == entry_id]


def test_show_prints_every_version_with_its_diff(history):
    data_dir, entry_id = history
    shown = run_cli("show", entry_id, data_dir=data_dir)
    assert shown.returncode == 0, shown.stderr
    for number in (1, 2, 3):
        assert f"version {number}, seen " in shown.stdout
    assert "-It will last three days." in shown.stdout and "+It will last four days." in shown.stdout
    assert "removed from the site" in shown.stdout
    assert [line.split()[-1] for line in shown.stdout.split("events (4):\n")[1].splitlines()] == [
        "new",
        "(body)",  # the article body changed (storage.ingest.diffing.FIELD_NAMES)
        "(title)",
        "removed",
    ]


def test_show_takes_the_id_url_quoted_as_in_the_entry_pages_address(history):
    data_dir, entry_id = history
    quoted = run_cli("show", quote(entry_id, safe=""), "--json", data_dir=data_dir)
    assert quoted.returncode == 0 and quoted.json()["entry_id"] == entry_id


def test_an_unknown_id_is_one_line_and_exit_code_1(history):
    data_dir, _ = history
    shown = run_cli("show", "urn:uuid:00000000-0000-4000-8000-000000000000", data_dir=data_dir)
    assert shown.returncode == 1 and shown.stdout == ""
    assert shown.stderr.startswith("newswatch: no entry with id") and shown.stderr.count("\n") == 1


def test_show_without_an_id_is_a_usage_error(history):
    shown = run_cli("show", data_dir=history[0])
    assert shown.returncode == 2 and shown.stderr.count("\n") == 1


def test_control_characters_from_a_page_never_reach_the_terminal(history):
    data_dir, _ = history
    (hostile,) = [
        c["entry_id"]
        for c in run_cli("changes", "--json", data_dir=data_dir).json()
        if c["url"] == HOSTILE_URL
    ]
    shown = run_cli("show", hostile, data_dir=data_dir)
    assert shown.returncode == 0, shown.stderr
    assert "Drill" in shown.stdout and "colour" in shown.stdout
    assert not {"\x1b", "\x07", "\u202e"} & set(shown.stdout)
