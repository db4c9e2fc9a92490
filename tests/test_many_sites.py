"""Many sites from one install (issue "Watch many sites"), through the real command line.

Three sites on loopback, each its own server (its own port, so its own host as far as
politeness goes) and its own markup, all serving the same mirror articles: the same words
on three sites must make three sets of entries, one per site. They are added with
``sites add``, crawled together by one ``crawl``, and then one is removed and another fails.
Expected values come from the mirror's articles (tests.support.markups), not from the code.
"""

from __future__ import annotations

import datetime as dt

import pytest

from storage.models import BUILT_IN_SITE
from storage.store import Store
from tests.support.helpers import run_cli
from tests.support.loopback import LoopbackServer
from tests.support.markups import MARKUPS, MarkupSite
from tests.support.mirror import Page

pytestmark = pytest.mark.e2e

ARTICLES = 8
NAMES = ("wordpress", "drupal", "html5")


@pytest.fixture
def sites(tmp_path):
    """Three markup sites served on loopback, and a ``newswatch`` bound to one sites file."""
    markup_sites = {name: MarkupSite(MARKUPS[name], ARTICLES, per_page=5) for name in NAMES}
    servers = {name: LoopbackServer(site).start() for name, site in markup_sites.items()}
    sites_file = tmp_path / "sites.toml"

    def newswatch(*args: str):
        return run_cli("--sites", str(sites_file), *args, data_dir=tmp_path / "data")

    yield markup_sites, servers, newswatch, tmp_path
    for server in servers.values():
        server.stop()


def stored(data_dir, site: str) -> list:
    store = Store.open(f"sqlite:///{data_dir / 'newswatch.sqlite3'}")
    try:
        return store.latest_entries(1000, site=site)
    finally:
        store.close()


def article_urls(site: MarkupSite, origin: str) -> set[str]:
    return {(origin + site.href(item)).rstrip("/") for item in site.published}


def add_all(servers, newswatch) -> None:
    for name, server in servers.items():
        added = newswatch("sites", "add", f"{server.origin}/news/", "--name", name, "--delay", "0")
        assert added.returncode == 0, added.stderr
        assert f"added site {name}" in added.stdout


def test_sites_added_by_url_are_crawled_together_each_into_its_own_entries(sites):
    markup_sites, servers, newswatch, tmp_path = sites
    add_all(servers, newswatch)
    listed = newswatch("sites", "list")
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == [BUILT_IN_SITE, *NAMES]

    crawl = newswatch("crawl", *(f"--site={name}" for name in NAMES))
    assert crawl.returncode == 0, crawl.stderr
    summary_lines = [line for line in crawl.stdout.splitlines() if " crawl " in line]
    assert sorted(line.split(":")[0] for line in summary_lines) == sorted(NAMES)

    for name, site in markup_sites.items():
        entries = stored(tmp_path / "data", name)
        urls = {entry.url.rstrip("/") for entry in entries if entry.url}
        assert article_urls(site, servers[name].origin) <= urls, name
        assert all(entry.url is None or entry.url.startswith(servers[name].origin) for entry in entries), name
        assert {entry.site for entry in entries} == {name}
    assert stored(tmp_path / "data", BUILT_IN_SITE) == []


def test_removing_a_site_leaves_the_others_intact(sites):
    _, servers, newswatch, tmp_path = sites
    add_all(servers, newswatch)
    assert newswatch("crawl", *(f"--site={name}" for name in NAMES)).returncode == 0
    before = {name: len(stored(tmp_path / "data", name)) for name in NAMES}

    refused = newswatch("sites", "remove", "drupal")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    removed = newswatch("sites", "remove", "drupal", "--yes")
    assert removed.returncode == 0, removed.stderr
    again = newswatch("crawl", "--site", "wordpress", "--site", "html5")
    assert again.returncode == 0, again.stderr
    assert "new 0, updated 0" in again.stdout
    assert {name: len(stored(tmp_path / "data", name)) for name in NAMES} == before  # kept
    unknown = newswatch("crawl", "--site", "drupal")
    assert unknown.returncode == 2 and "no site named 'drupal'" in unknown.stderr

    newswatch("sites", "remove", "html5", "--yes", "--purge")
    assert stored(tmp_path / "data", "html5") == []
    assert len(stored(tmp_path / "data", "wordpress")) == before["wordpress"]


def test_a_failing_site_fails_alone(sites):
    markup_sites, servers, newswatch, tmp_path = sites
    add_all(servers, newswatch)
    servers["drupal"].fail("/news/", 500, times=100)
    crawl = newswatch("crawl", *(f"--site={name}" for name in NAMES))
    assert crawl.returncode == 1
    lines = {line.split(":")[0]: line for line in crawl.stdout.splitlines() if " crawl " in line}
    assert "FAILED" in lines["drupal"]
    for name in ("wordpress", "html5"):
        assert " finished " in lines[name], lines[name]
        urls = {entry.url.rstrip("/") for entry in stored(tmp_path / "data", name) if entry.url}
        assert article_urls(markup_sites[name], servers[name].origin) <= urls


class Placeholder:
    """A site whose page holds no news: a welcome line and nothing else."""

    def resource(self, target: str) -> Page | None:
        body = b"<html><head><title>Welcome</title></head><body><h1>Welcome</h1><p>Soon.</p></body></html>"
        return Page(body, dt.datetime(2025, 1, 1, tzinfo=dt.UTC), "text/html; charset=utf-8")


def test_a_page_without_news_items_is_not_added(sites):
    _, _, newswatch, _ = sites
    with LoopbackServer(Placeholder()) as empty:
        refused = newswatch("sites", "add", f"{empty.origin}/", "--name", "nothing")
    assert refused.returncode == 1 and "holds no news items" in refused.stderr
    assert "nothing" not in newswatch("sites", "list").stdout
