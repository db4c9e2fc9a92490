"""A newer extractor re-reads stored pages silently: a better reading of the same bytes is
not an edit on the site, so subscribers get no wave of ``updated`` events (issue: extractor
upgrades). What the site really changes afterwards is still one ``updated`` event."""

from __future__ import annotations

import zlib

import pytest
from sqlalchemy import text

from extraction.parsed import ParsedArticle, ParsedPage
from storage.page_bodies import StoredBody
from storage.store import PageFetch

URL = "https://example.org/news/section/first-article/"
BYTES = b"<html><body><h1>Talks held</h1><p>The ministers met.</p></body></html>"


def article(body: str, title: str = "Talks held") -> ParsedPage:
    return ParsedPage(url=URL, article=ParsedArticle(title=title, body=body, url=URL))


def fetched(body: bytes = BYTES) -> PageFetch:
    return PageFetch(URL, 200, body=body, content_type="text/html")


def kinds(store) -> list[str]:
    return sorted(change.kind for change in store.changes())


def test_a_newer_extractor_corrects_entries_without_events(store):
    crawl = store.begin_crawl("live")
    store.record_page(
        crawl, article("The ministers met. Share this: Facebook Twitter"), fetched(), extractor=1
    )
    read_by = []

    def better_reader(stored: StoredBody) -> ParsedPage:
        read_by.append(stored)
        return article("The ministers met.")

    summary = store.reread_pages(better_reader, extractor=2)
    assert [(s.url, s.body, s.content_type) for s in read_by] == [(URL, BYTES, "text/html")]
    assert (summary.pages, summary.new, summary.updated) == (1, 0, 0)
    assert kinds(store) == ["new"]
    (entry,) = store.latest_entries()
    assert entry.body == "The ministers met."
    assert store.corrections(summary.crawl_id) == 1
    assert store.last_crawl().crawl_id == crawl  # a re-read is not a crawl of the site
    assert store.reread_pages(better_reader, extractor=2) is None  # nothing older left

    later = store.begin_crawl("live")
    store.record_page(later, article("The ministers met and agreed."), fetched(BYTES + b" "), extractor=2)
    assert kinds(store) == ["new", "updated"]


def test_every_page_can_be_read_again_on_demand(store):
    crawl = store.begin_crawl("live")
    store.record_page(crawl, article("The ministers met."), fetched(), extractor=1)
    assert store.reread_pages(lambda stored: article("The ministers met."), extractor=1) is None
    summary = store.reread_pages(lambda stored: article("The ministers met."), extractor=1, every_page=True)
    assert (summary.pages, store.corrections(summary.crawl_id)) == (1, 0)


def test_a_page_read_before_bytes_were_kept_is_a_silent_baseline_once(store):
    crawl = store.begin_crawl("live")
    store.record_page(crawl, article("The ministers met. Share"), PageFetch(URL, 200))  # no bytes: legacy
    second = store.begin_crawl("live")
    store.record_page(second, article("The ministers met."), fetched())
    assert kinds(store) == ["new"]
    third = store.begin_crawl("live")
    store.record_page(third, article("The ministers met again."), fetched(b"<p>again</p>"))
    assert kinds(store) == ["new", "updated"]


def test_stored_bytes_of_a_removed_article_never_bring_it_back(store):
    crawl = store.begin_crawl("live")
    store.record_page(crawl, article("The ministers met."), fetched(), extractor=1)
    store.mark_gone(URL, 404)
    assert store.record_removed(store.begin_crawl("live"), URL)
    assert store.reread_pages(lambda stored: article("Something else."), extractor=2, every_page=True) is None
    assert kinds(store) == ["new", "removed"]


@pytest.mark.e2e
def test_the_reparse_command_reads_the_stored_pages_again(tmp_path, cli):
    assert cli("crawl", "--offline", "-q", data_dir=tmp_path).returncode == 0
    again = cli("reparse", data_dir=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("no stored page to read again")
    every = cli("reparse", "--all", data_dir=tmp_path)
    assert (
        every.stdout.strip() == "read 5 stored pages again: 0 entries corrected silently, 0 new, warnings 0"
    )
    assert [c["kind"] for c in cli("changes", "--json", data_dir=tmp_path).json()].count("new") == 24


def test_a_stored_page_with_damaged_bytes_is_fetched_whole_again_not_a_traceback(store, caplog):
    crawl = store.begin_crawl("live")
    store.record_page(crawl, article("The ministers met."), fetched(), extractor=1)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE page_bodies SET body = :bytes"), {"bytes": b"\x01\x02\x03"})
    summary = store.reread_pages(lambda stored: article("The ministers met."), extractor=2)
    assert (summary.pages, summary.warnings) == (0, 1)
    assert f"stored page {URL}: its stored bytes are damaged" in caplog.text
    assert store.page_validators(URL).etag is None  # the next crawl fetches it whole
    assert store.reread_pages(lambda stored: article("The ministers met."), extractor=2) is None
    later = store.begin_crawl("live")
    store.record_page(later, article("The ministers met, read anew."), fetched(), extractor=2)
    assert kinds(store) == ["new"]  # the first whole reading after the damage is a silent baseline


def test_only_the_pages_of_the_sites_named_are_read_again(store):
    """A crawl re-reads the pages of the sites it holds the locks of; another site's are
    left to that site's next crawl (it may be crawling them right now)."""
    crawl = store.begin_crawl("live", "other-site")
    store.record_page(crawl, article("The ministers met."), fetched(), extractor=1)
    assert (
        store.reread_pages(lambda stored: article("The ministers met."), extractor=2, sites=["alpha"]) is None
    )
    summary = store.reread_pages(
        lambda stored: article("The ministers met."), extractor=2, sites=["other-site"]
    )
    assert summary.pages == 1


def test_bytes_kept_at_the_earlier_compression_level_are_read_again(store):
    """Stores written before storage.page_bodies.COMPRESSION_LEVEL changed kept their pages
    at zlib's level 6: a newer extractor must still read them."""
    crawl = store.begin_crawl("live")
    store.record_page(crawl, article("The ministers met."), fetched(), extractor=1)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE page_bodies SET body = :body"), {"body": zlib.compress(BYTES, 6)})
    read = []
    store.reread_pages(lambda stored: read.append(stored.body) or article("The ministers met."), extractor=2)
    assert read == [BYTES]
