"""A site in Russian, added and crawled through the command line: Cyrillic titles and
addresses, dates in Russian words and in digits (tests.support.russian_site)."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from tests.support.helpers import run_cli
from tests.support.loopback import LoopbackServer
from tests.support.russian_site import ARTICLES, RussianSite

pytestmark = pytest.mark.e2e


def test_a_russian_site_gives_its_articles_with_titles_and_dates(tmp_path):
    def newswatch(*args: str):
        return run_cli("--sites", str(tmp_path / "sites.toml"), *args, data_dir=tmp_path / "data")

    with LoopbackServer(RussianSite()) as server:
        added = newswatch("sites", "add", f"{server.origin}/news/", "--name", "csto-ru", "--language", "ru")
        assert added.returncode == 0, added.stderr
        crawl = newswatch("crawl", "--site", "csto-ru", "--delay", "0")
        assert crawl.returncode == 0, crawl.stderr
    changes = newswatch("changes", "--json")
    stored = {unquote(event["url"]): event for event in json.loads(changes.stdout) if event["kind"] == "new"}
    expected = {f"{server.origin}{item.path}": item for item in ARTICLES}
    assert set(stored) == set(expected)
    for url, item in expected.items():
        assert (stored[url]["title"], stored[url]["published"]) == (item.title, item.published.isoformat())
