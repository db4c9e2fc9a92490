"""Crawling "the live site": the real command line against the synthetic mirror on loopback.

One store lives through a sequence of crawls while the site changes under it, as it would
in production: a first crawl (with a busy server answering 503 once), a ``--full``
re-crawl of the unchanged site, an incremental crawl with nothing new, then the site
publishes an article, edits one, deletes one and serves another in a new, empty layout.
The loopback server records every request, so the tests check from the outside what was
fetched, how, and what was never asked for.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.spider import RECHECK_BATCH
from tests.support.helpers import CliResult, run_cli
from tests.support.loopback import LoggedRequest, LoopbackServer
from tests.support.mirror import Mirror, MirrorArticle, build_mirror

pytestmark = pytest.mark.e2e

ARTICLES = 12
CONTACT = "https://newswatch.example/contact"
EMPTY_LAYOUT = b'<!DOCTYPE html><html><body><div id="app"></div><script>render()</script></body></html>'


@dataclass
class Crawl:
    result: CliResult
    requests: list[LoggedRequest]

    @property
    def summary(self) -> str:
        return self.result.stdout.splitlines()[0]

    def answers(self, target: str) -> list[int]:
        return [request.status for request in self.requests if request.target == target]


@dataclass
class History:
    server: LoopbackServer
    data_dir: Path
    before: Mirror
    after: Mirror
    first: Crawl
    full: Crawl
    quiet: Crawl
    changed: Crawl
    edited: MirrorArticle
    deleted: MirrorArticle
    emptied: MirrorArticle
    published: MirrorArticle


def crawl(server: LoopbackServer, data_dir: Path, *options: str) -> Crawl:
    server.clear_log()
    result = run_cli(
        "crawl",
        "--url",
        f"{server.origin}/news/",
        "--delay",
        "0",
        "--contact",
        CONTACT,
        *options,
        data_dir=data_dir,
    )
    assert result.returncode == 0, result.stderr
    return Crawl(result, server.requests)


@pytest.fixture(scope="module")
def server():
    with LoopbackServer() as running:
        yield running


@pytest.fixture(scope="module")
def history(server, tmp_path_factory) -> History:
    data_dir = tmp_path_factory.mktemp("live")
    before = build_mirror(ARTICLES, offsite_origin=server.alias_origin)
    server.serve(before)
    server.fail("/news/?PAGEN_1=2", 503, retry_after="1")
    first = crawl(server, data_dir)
    full = crawl(server, data_dir, "--full")
    quiet = crawl(server, data_dir)

    after = build_mirror(ARTICLES + 1, offsite_origin=server.alias_origin)
    server.serve(after)
    news = {item.index: item for item in after.news}
    edited, deleted, emptied = news[1], news[0], news[3]
    old = edited.paragraphs[1].encode()
    server.put(edited.path, server.body(edited.path).replace(old, old + b" The work will continue."))
    server.delete(deleted.path)
    server.put(emptied.path, EMPTY_LAYOUT)
    changed = crawl(server, data_dir, "--recheck-days", "0")
    return History(
        server,
        data_dir,
        before,
        after,
        first,
        full,
        quiet,
        changed,
        edited,
        deleted,
        emptied,
        news[ARTICLES],
    )


def query(data_dir: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(data_dir / "newswatch.sqlite3") as connection:
        return connection.execute(sql).fetchall()


def fetched_ok(crawl: Crawl) -> Counter:
    return Counter(request.target for request in crawl.requests if request.status == 200)


# -- the first crawl ------------------------------------------------------------------------


def test_first_crawl_fetches_every_article_once(history):
    fetched = fetched_ok(history.first)
    articles = history.before.article_paths
    assert {path: fetched[path] for path in articles} == dict.fromkeys(articles, 1)
    assert "new 13," in history.first.summary  # 12 news items and 1 document
    assert "errors 0," in history.first.summary


def test_first_crawl_stores_every_article_with_its_text_once(history):
    origin = history.server.origin
    rows = query(
        history.data_dir,
        "select url, body is not null from entries where first_crawl_id = 1 and url is not null",
    )
    assert sorted(rows) == sorted((origin + path, 1) for path in history.before.article_paths)


def test_first_crawl_walks_every_listing_page(history):
    fetched = fetched_ok(history.first)
    for section in history.before.sections:
        for target in history.before.listing_paths(section):
            assert 200 in history.first.answers(target), target
    assert max(fetched.values()) == 1


def test_robots_txt_is_read_and_obeyed(history):
    for crawl in (history.first, history.full, history.quiet, history.changed):
        assert crawl.requests[0].target == "/robots.txt"
        asked = {request.path for request in crawl.requests}
        assert not asked & set(history.before.disallowed_paths)
    assert history.before.disallowed_paths  # the mirror does link them


def test_offsite_links_and_redirects_are_never_followed(history):
    server = history.server
    assert history.first.answers(history.before.redirect_paths[0]) == [301]
    hosts = {
        request.host for crawl in (history.first, history.full, history.changed) for request in crawl.requests
    }
    assert hosts == {f"127.0.0.1:{server.port}"}
    # the alias does reach this server: had the crawler followed it, the log would show it
    assert server.alias_origin in server.body(history.before.article_paths[0]).decode()


def test_busy_server_is_retried_after_its_retry_after(history):
    assert history.first.answers("/news/?PAGEN_1=2") == [503, 200]


def test_every_request_names_newswatch_and_the_contact(history):
    agents = {request.headers.get("user-agent") for request in history.first.requests}
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("newswatch/") and CONTACT in agent


# -- the --full re-crawl of the unchanged site ----------------------------------------------


def test_full_recrawl_is_answered_304_for_every_article_and_adds_nothing(history):
    full = history.full
    for path in history.before.article_paths:
        assert full.answers(path) == [304], path
        (request,) = (r for r in full.requests if r.path == path)
        assert request.headers.get("if-none-match") and request.headers.get("if-modified-since")
    assert "pages 0, items seen 0, new 0, updated 0, removed 0, errors 0" in full.summary
    assert query(history.data_dir, "select crawl_id, count(*) from change_events group by crawl_id") == [
        (1, 13),
        (4, 3),
    ]


def test_full_recrawl_walks_every_listing_page_without_downloading_it(history):
    full = history.full
    for section in history.before.sections:
        for target in history.before.listing_paths(section):
            assert full.answers(target) == [304], target
    bodies = sum(request.body_bytes for request in full.requests if request.target != "/robots.txt")
    assert bodies == 0


# -- an incremental crawl of the unchanged site ---------------------------------------------


def test_incremental_crawl_with_nothing_new_asks_only_for_the_listings(history):
    asked = Counter((request.target, request.status) for request in history.quiet.requests)
    assert asked == Counter(
        {
            ("/robots.txt", 200): 1,
            ("/news/", 304): 1,
            ("/news/news_odkb/", 304): 1,
            ("/news/training/", 304): 1,
        }
    )


# -- the site changed -----------------------------------------------------------------------


def test_changes_give_one_event_each(history):
    summary = history.changed.summary
    assert "new 1, updated 1, removed 1, errors 0, warnings 1" in summary
    changes = json.loads(run_cli("changes", "--json", "--limit", "3", data_dir=history.data_dir).stdout)
    by_kind = {change["kind"]: change for change in changes}
    origin = history.server.origin
    assert by_kind["new"]["url"] == origin + history.published.path
    assert by_kind["updated"]["url"] == origin + history.edited.path
    assert "+" in by_kind["updated"]["diff"] and "The work will continue." in by_kind["updated"]["diff"]
    assert by_kind["removed"]["url"] == origin + history.deleted.path


def test_incremental_crawl_stops_paginating_at_the_first_page_with_nothing_new(history):
    changed = history.changed
    assert changed.answers("/news/") == [200]
    assert changed.answers("/news/?PAGEN_1=2") == [200]  # shifted, but nothing new on it
    assert changed.answers("/news/?PAGEN_1=3") == []
    assert changed.answers("/news/training/") == [304]


def test_due_articles_are_rechecked_conditionally(history):
    changed = history.changed
    assert changed.answers(history.deleted.path) == [404]
    assert changed.answers(history.edited.path) == [200]
    (request,) = (r for r in changed.requests if r.path == history.edited.path)
    assert request.headers.get("if-none-match")


def test_a_page_whose_items_dropped_to_zero_is_a_warning(history):
    stderr = history.changed.result.stderr
    assert f"{history.server.origin}{history.emptied.path}" in stderr
    assert "has the site changed its layout?" in stderr


# -- the page limit -------------------------------------------------------------------------


def test_a_crawl_stops_at_its_page_limit_with_a_warning(server, tmp_path):
    server.serve(build_mirror(ARTICLES, offsite_origin=server.alias_origin))
    capped = crawl(server, tmp_path, "--max-pages", "4")
    assert "warnings 1" in capped.summary
    assert "page limit" in capped.result.stderr
    # four responses, and at most the two requests already in flight (robots.txt included)
    assert len(capped.requests) <= 4 + 2


def test_every_due_article_is_rechecked_across_batches(tmp_path):
    """More due articles than one re-check batch; the listings, unchanged, lead to none."""
    mirror = build_mirror(RECHECK_BATCH + 20, per_page=20)
    with LoopbackServer(mirror) as server:
        crawl(server, tmp_path, "--max-pages", "0")
        rechecked = crawl(server, tmp_path, "--recheck-days", "0")
    answers = Counter((request.path, request.status) for request in rechecked.requests)
    assert {path: answers[(path, 304)] for path in mirror.article_paths} == dict.fromkeys(
        mirror.article_paths, 1
    )
