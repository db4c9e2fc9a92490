"""The whole service offline: the real Scrapy engine over the fixtures, the store, the feeds."""

from __future__ import annotations

import json
import sqlite3

import feedparser
import pytest

from storage.store import Store
from tests.support.helpers import SEEDS, run_cli

pytestmark = pytest.mark.e2e

SEED_ITEMS = 24  # docs/architecture.md, "The pages": five seeds hold 24 distinct news items
SEED_TEASERS = 19
SEED_ARTICLES = 5
SEED_TEASER_SIGHTINGS = 5 + 4 + 5 + 5 + 4
FEED_NAMES = ("feed.rss", "feed.atom", "feed.json")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two offline crawls of the seeds into one fresh data directory."""
    data_dir = tmp_path_factory.mktemp("data") / "not-yet-created"
    first = run_cli("crawl", "--offline", data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    feeds_after_first = {name: (data_dir / name).read_bytes() for name in FEED_NAMES}
    second = run_cli("crawl", "--offline", data_dir=data_dir)
    assert second.returncode == 0, second.stderr
    return data_dir, first, second, feeds_after_first


def query(data_dir, sql):
    with sqlite3.connect(data_dir / "newswatch.sqlite3") as connection:
        return connection.execute(sql).fetchall()


def test_first_crawl_summary_counts(crawled):
    _, first, _, _ = crawled
    summary = first.stdout.splitlines()[0]
    assert "pages 5," in summary
    assert f"items seen {SEED_TEASER_SIGHTINGS + SEED_ARTICLES}," in summary
    assert f"new {SEED_ITEMS}," in summary
    assert "updated 0," in summary and "errors 0," in summary
    assert "feed.rss" in first.stdout and "feed.atom" in first.stdout


def test_store_holds_each_seed_item_once(crawled):
    data_dir = crawled[0]
    assert query(data_dir, "select count(*) from entries") == [(SEED_ITEMS,)]
    assert query(data_dir, "select count(*) from entries where body is null") == [(SEED_TEASERS,)]
    assert query(data_dir, "select count(*) from entries where body is not null") == [(SEED_ARTICLES,)]
    assert query(data_dir, "select count(distinct feed_id) from entries") == [(SEED_ITEMS,)]


def test_first_crawl_logs_one_new_event_per_item_and_second_crawl_none(crawled):
    data_dir = crawled[0]
    assert query(data_dir, "select crawl_id, kind, count(*) from change_events group by crawl_id, kind") == [
        (1, "new", SEED_ITEMS)
    ]
    assert query(data_dir, "select id, status, pages from crawl_runs order by id") == [
        (1, "finished", 5),
        (2, "finished", 5),
    ]


def test_second_crawl_adds_nothing(crawled):
    _, _, second, _ = crawled
    assert "new 0, updated 0, removed 0" in second.stdout


def test_sqlite_store_uses_wal_journal(crawled):
    assert query(crawled[0], "pragma journal_mode") == [("wal",)]


def test_feeds_read_back_valid_with_stable_ids(crawled):
    data_dir, _, _, feeds_after_first = crawled
    for name in FEED_NAMES:
        parsed = read_feed(data_dir / name)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert len(parsed.entries) == SEED_ITEMS
        ids = [entry.id for entry in parsed.entries]
        assert len(set(ids)) == SEED_ITEMS
        # the second crawl changed nothing, so the feed bytes did not change either
        assert (data_dir / name).read_bytes() == feeds_after_first[name]
    rss_ids = {e.id for e in feedparser.parse((data_dir / "feed.rss").read_bytes()).entries}
    atom_ids = {e.id for e in feedparser.parse((data_dir / "feed.atom").read_bytes()).entries}
    json_ids = {entry.id for entry in read_feed(data_dir / "feed.json").entries}
    assert (
        rss_ids == atom_ids == json_ids == {row[0] for row in query(data_dir, "select feed_id from entries")}
    )


def read_feed(path):
    """A feed file as a reader sees it: feedparser (6.0 reads no JSON Feed) or the JSON's items."""
    if path.suffix != ".json":
        return feedparser.parse(path.read_bytes())
    document = json.loads(path.read_bytes())
    entries = [feedparser.FeedParserDict(item) for item in document["items"]]
    return feedparser.FeedParserDict(bozo=False, entries=entries)


def test_feed_dates_come_from_the_pages(crawled):
    parsed = feedparser.parse((crawled[0] / "feed.atom").read_bytes())
    titles = {entry.title: entry for entry in parsed.entries}
    article = titles[
        "The CAR CRDF began the next phase of the training to block and destroy illegal armed groups"
    ]
    assert article.published.startswith("2022-10-20")


def test_changes_json_has_the_documented_shape(crawled):
    result = run_cli("changes", "--json", data_dir=crawled[0])
    assert result.returncode == 0, result.stderr
    changes = result.json()
    assert len(changes) == SEED_ITEMS
    assert {tuple(sorted(change)) for change in changes} == {
        ("at", "diff", "entry_id", "kind", "published", "site", "title", "url")
    }
    assert {change["kind"] for change in changes} == {"new"}
    assert sorted(c["published"] for c in changes if c["published"])[0] == "2019-12-25"


def test_changes_table_and_since_filter(crawled):
    table = run_cli("changes", data_dir=crawled[0])
    assert table.returncode == 0
    assert "Preliminary results of the sub-regional anti-drug operation" in table.stdout
    future = run_cli("changes", "--since", "2999-01-01", "--json", data_dir=crawled[0])
    assert future.json() == []


def test_feed_command_prints_and_writes(crawled, tmp_path):
    printed = run_cli("feed", "--format", "atom", data_dir=crawled[0])
    assert printed.returncode == 0
    assert len(feedparser.parse(printed.stdout).entries) == SEED_ITEMS
    out = tmp_path / "sub" / "news.rss"
    written = run_cli("feed", "--format", "rss", "--out", str(out), data_dir=crawled[0])
    assert written.returncode == 0, written.stderr
    assert not feedparser.parse(out.read_bytes()).bozo
    as_json = run_cli("feed", "--format", "json", data_dir=crawled[0])
    assert as_json.returncode == 0, as_json.stderr
    assert as_json.stdout.encode() == (crawled[0] / "feed.json").read_bytes()  # what the crawl wrote


def test_feed_command_links_itself_where_the_service_serves_it(crawled):
    base = "https://feeds.example.org/csto/"
    printed = run_cli("feed", "--format", "atom", data_dir=crawled[0], env={"NEWSWATCH_BASE_URL": base})
    self_links = [link.href for link in feedparser.parse(printed.stdout).feed.links if link.rel == "self"]
    assert self_links == [base + "feed.atom"]


def test_store_reads_back_typed_entries(crawled):
    store = Store.open(f"sqlite:///{crawled[0] / 'newswatch.sqlite3'}")
    try:
        entries = store.latest_entries(limit=10)
        assert len(entries) == 10
        assert all(entry.first_seen.tzinfo is not None for entry in entries)
        assert store.entry_count() == SEED_ITEMS
    finally:
        store.close()


def test_parse_command_json_shape_for_a_seed(tmp_path):
    seed = sorted(SEEDS.glob("002_*.txt"))[0]
    result = run_cli("parse", str(seed), "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    page = result.json()
    assert set(page) == {"url", "teasers", "article"}
    assert page["url"] is None
    assert len(page["teasers"]) == 5
    assert set(page["teasers"][0]) == {"text", "published", "url"}
    # an inferred year is shown distinctly, on that item only
    assert page["teasers"][3]["published"] == "2024-02-07"
    assert page["teasers"][3]["published_inferred"] is True
    assert set(page["article"]) == {"title", "published", "body", "url"}
    assert page["article"]["published"] is None
