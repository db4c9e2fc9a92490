"""A live crawl of a site nobody told newswatch about: its article URLs are learnt from its
first listing page (docs/architecture.md, "Which links are articles"), logged, and used for
the rest of the crawl; every article is found and stored, and nothing of the chrome is."""

from __future__ import annotations

import sqlite3

import pytest

from extraction.urls import canonical
from tests.support.helpers import run_cli
from tests.support.loopback import LoopbackServer
from tests.support.url_families import FAMILIES, FamilySite, chrome_urls

pytestmark = pytest.mark.e2e

WORDPRESS = next(family for family in FAMILIES if family.name == "wordpress")
STORIES = 12  # three listing pages of five, the last one short


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    site = FamilySite(WORDPRESS, STORIES)
    data_dir = tmp_path_factory.mktemp("learnt")
    with LoopbackServer(site) as server:
        result = run_cli(
            "crawl", "--url", f"{server.origin}/", "--delay", "0", data_dir=data_dir,
            env={"NEWSWATCH_ARTICLE_PATTERN": ""},  # none given: learnt
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    with sqlite3.connect(data_dir / "newswatch.sqlite3") as connection:
        stored = connection.execute("select url, title, body from entries").fetchall()
    return site, server.origin, result, stored


def test_every_article_of_the_site_is_found_and_stored_once(crawled):
    site, origin, _, stored = crawled
    articles = {canonical(origin + WORDPRESS.article(item)): item.title for item in site.stories}
    with_text = {url: title for url, title, body in stored if body}
    assert with_text == articles


def test_no_page_of_the_chrome_is_stored(crawled):
    """The menu's pages right below the start page are walked as listings (crawler.links),
    but none is an article: none becomes an entry."""
    _, origin, _, stored = crawled
    chrome = {canonical(origin + url) for url in chrome_urls(WORDPRESS)}
    assert not chrome & {url for url, _, _ in stored}


def test_the_crawl_logs_the_pattern_it_learnt_and_from_what(crawled):
    _, origin, result, _ = crawled
    host = origin.removeprefix("http://")
    assert f"articles of {host}: /<year>/<month>/<day>/<slug>/, learnt from 5 links on /" in result.stderr
