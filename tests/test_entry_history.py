"""An entry's whole history and the change log's filters, on SQLite and (when set) PostgreSQL.

The pages are written here, with their edits; the expected versions, diffs, events and
search results are read off those edits, not off the store's output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from extraction.parsed import DateEvidence, ParsedArticle, ParsedDate, ParsedPage, ParsedTeaser
from storage.change_log import ChangeFilter

URL = "https://en.odkb-csto.org/news/news_odkb/exercise/"
DATE = ParsedDate(dt.date(2022, 10, 21), DateEvidence.LINE)
TITLE = "Exercise Shield of the Union began"
BODY = "The exercise brought together units of the member states.\n\nIt will last three days."
EDITED_BODY = BODY.replace("three days", "four days")
OTHER_URLS = [f"https://en.odkb-csto.org/news/news_odkb/other-{n}/" for n in range(7)]


def article_page(url: str, title: str, body: str) -> ParsedPage:
    return ParsedPage(url=url, article=ParsedArticle(title=title, body=body, published=DATE, url=url))


def crawl(store, *pages: ParsedPage) -> int:
    crawl_id = store.begin_crawl("test")
    for page in pages:
        store.record_page(crawl_id, page)
    store.finish_crawl(crawl_id, status="finished", pages=len(pages), items_seen=0, errors=0, warnings=0)
    return crawl_id


def edited_then_removed(store) -> str:
    """One article seen, edited, edited back as its title changed, then gone; its feed id."""
    others = [
        article_page(url, f"Meeting number {n} held", f"Delegates met, time {n}.")
        for n, url in enumerate(OTHER_URLS)
    ]
    crawl(store, article_page(URL, TITLE, BODY), *others)
    crawl(store, article_page(URL, TITLE, EDITED_BODY))
    crawl(store, article_page(URL, TITLE + " in Belarus", EDITED_BODY))
    removal = store.begin_crawl("test")
    assert store.record_removed(removal, URL)
    store.finish_crawl(removal, status="finished", pages=1, items_seen=0, errors=0, warnings=0)
    (entry_id,) = {c.entry_id for c in store.changes() if c.url == URL}
    return entry_id


def test_an_entrys_history_has_every_version_with_its_diff_and_every_event(store):
    entry_id = edited_then_removed(store)
    history = store.entry_history(entry_id)
    assert history.entry_id == entry_id and history.url == URL and history.removed
    assert [v.number for v in history.versions] == [1, 2, 3]
    assert [v.title for v in history.versions] == [TITLE, TITLE, TITLE + " in Belarus"]
    assert [v.body for v in history.versions] == [BODY, EDITED_BODY, EDITED_BODY]
    assert history.versions[0].diff is None
    assert "-It will last three days." in history.versions[1].diff
    assert "+It will last four days." in history.versions[1].diff
    assert f"+Title: {TITLE} in Belarus" in history.versions[2].diff
    assert [v.at for v in history.versions] == sorted(v.at for v in history.versions)
    assert [e.kind for e in history.events] == ["new", "updated", "updated", "removed"]


def test_the_history_events_are_the_change_log_events_of_the_entry(store):
    entry_id = edited_then_removed(store)
    logged = [c.as_json() for c in reversed(store.changes()) if c.entry_id == entry_id]
    assert history_json(store, entry_id)["events"] == logged


def history_json(store, entry_id):
    return store.entry_history(entry_id).as_json()


def test_each_version_says_the_page_it_was_read_on(store):
    """A teaser's version was read on its listing, an article's on its own page."""
    listing = "https://en.odkb-csto.org/news/"
    teaser = ParsedTeaser(text="Exercise Shield of the Union began near Brest.", published=DATE, url=None)
    crawl(store, ParsedPage(url=listing, teasers=(teaser,)))
    crawl(store, ParsedPage(url=listing, teasers=(replace(teaser, text=teaser.text + " It lasts a week."),)))
    (entry_id,) = {c.entry_id for c in store.changes()}
    assert [v.page for v in store.entry_history(entry_id).versions] == [listing, listing]
    other = edited_then_removed(store)
    assert {v.page for v in store.entry_history(other).versions} == {URL}


def test_the_history_json_has_the_documented_shape(store):
    entry_id = edited_then_removed(store)
    shown = history_json(store, entry_id)
    assert set(shown) == {"entry_id", "site", "url", "versions", "events"}
    assert {tuple(sorted(v)) for v in shown["versions"]} == {("at", "page", "published", "text", "title")}
    assert [v["text"] for v in shown["versions"]] == [BODY, EDITED_BODY, EDITED_BODY]
    assert {v["published"] for v in shown["versions"]} == {"2022-10-21"}


def test_an_unknown_id_has_no_history(store):
    edited_then_removed(store)
    assert store.entry_history("urn:uuid:00000000-0000-4000-8000-000000000000") is None


def test_search_finds_words_of_any_version_in_any_case(store):
    entry_id = edited_then_removed(store)
    for words in ("THREE days", "four", "belarus shield", "Exercise"):  # "three" is in version 1 only
        found = store.changes(search=words)
        assert {c.entry_id for c in found} == {entry_id}, words
        assert store.change_count(search=words) == 4
    assert store.changes(search="three Belarus") == []  # no one version holds both
    assert store.changes(search="Meeting held") and store.change_count(search="Meeting") == len(OTHER_URLS)


def test_search_takes_what_is_typed_as_text_not_as_a_pattern(store):
    edited_then_removed(store)
    assert store.changes(search="%") == [] and store.changes(search="_") == []
    assert store.change_count(search="'; drop table entries; --") == 0
    assert store.entry_count() == 1 + len(OTHER_URLS)


def test_kind_filter_and_pages_newest_first(store):
    edited_then_removed(store)
    everything = store.changes()
    assert len(everything) == store.change_count() == 1 + len(OTHER_URLS) + 3
    assert [c.kind for c in store.changes(kinds=("updated", "removed"))] == ["removed", "updated", "updated"]
    assert store.change_count(kinds=("new",)) == 1 + len(OTHER_URLS)
    pages = [store.changes(limit=3, offset=offset) for offset in range(0, len(everything), 3)]
    assert [c.event_id for page in pages for c in page] == [c.event_id for c in everything]
    assert ChangeFilter() == ChangeFilter(None, (), "")
