"""Change semantics of the store (docs/architecture.md, "Identity and change") on SQLite and, when set, PostgreSQL.

Pages are parsed and stored in-process (no Scrapy here) so each test can run many crawls.
Expected events are written by hand from the edited fixtures (fixtures/README.md says what
each edit is).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from extraction.parsed import (
    DateEvidence,
    ParsedArticle,
    ParsedDate,
    ParsedPage,
    ParsedTeaser,
)
from extraction.text_page import parse_page
from tests.support.helpers import FIXTURES, SEED_FILES

EDITED = FIXTURES / "edited"
SEED_BY_PREFIX = {path.name[:3]: path for path in SEED_FILES}


def page_url(prefix: str) -> str:
    """The same page address for a seed and its edited copy: the site edited that page."""
    return f"https://en.odkb-csto.org/test-pages/{prefix}"


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def crawl(store, pages: dict[str, str]) -> int:
    """One crawl of the given {prefix: page text}; returns its crawl id."""
    crawl_id = store.begin_crawl("test")
    for prefix, text in pages.items():
        store.record_page(crawl_id, parse_page(text, url=page_url(prefix)))
    store.finish_crawl(crawl_id, status="finished", pages=len(pages), items_seen=0, errors=0, warnings=0)
    return crawl_id


def seeds() -> dict[str, str]:
    return {prefix: read(path) for prefix, path in SEED_BY_PREFIX.items()}


def edited() -> dict[str, str]:
    pages = seeds()
    for path in EDITED.glob("*.txt"):
        pages[path.name[:3]] = read(path)
    return pages


def feed_ids(store) -> dict[str, str]:
    return {entry.entry_id: entry.headline for entry in store.latest_entries(limit=1000)}


def events_of(store, crawl_id: int):
    summary = store.crawl_summary(crawl_id)
    return summary.new, summary.updated, summary.removed


def test_edits_give_one_update_each_and_cosmetics_none(store):
    crawl(store, seeds())
    ids_before = set(feed_ids(store))
    second = crawl(store, edited())
    assert events_of(store, second) == (0, 4, 0)
    assert store.entry_count() == 24
    assert set(feed_ids(store)) == ids_before
    updated = {change.title: change for change in store.changes(kinds=("updated",))}
    assert len(updated) == 4
    by_start = {title[:30]: change for title, change in updated.items()}
    teaser_000 = by_start["In accordance with the CSTO CC"]
    assert teaser_000.fields == ("text",)
    # one sentence per diff line: only the dropped sentence shows, nothing added
    assert (
        '\n-The subregional anti-drug operation "Channel-Perekhvat" was carried out in order to legalize drug profits.'
        in teaser_000.diff
    )
    assert not [line for line in teaser_000.diff.splitlines()[2:] if line.startswith("+")]
    teaser_002 = by_start["On 7 February, the CSTO Secret"]
    assert teaser_002.fields == ("text",)
    assert (
        "-On 7 February, the CSTO Secretary General Imangali Tasmagambetov met with the Russian Foreign Minister Sergey Lavrov."
        in teaser_002.diff
    )
    assert (
        "+On 7 February, the CSTO Secretary General Imangali Tasmagambetov met with the Russian Foreign Minister Sergei Lavrov."
        in teaser_002.diff
    )
    article_001 = by_start["The CAR CRDF began the next ph"]
    assert article_001.fields == ("body",)
    assert "\n+Today, as part of a joint training" in article_001.diff
    assert "in which they rehearsed the command of units" in article_001.diff
    article_004 = by_start['"Interaction-2023”: special fo']
    assert article_004.fields == ("body",)
    assert "+The active phase of the joint training will last until 6 September." in article_004.diff


def test_recrawling_edited_pages_changes_nothing_more(store):
    crawl(store, seeds())
    crawl(store, edited())
    third = crawl(store, edited())
    assert events_of(store, third) == (0, 0, 0)
    assert store.event_count() == 24 + 4


def test_versions_keep_every_distinct_content(store):
    from sqlalchemy import func, select

    from storage.models import EntryVersion

    crawl(store, seeds())
    crawl(store, edited())
    crawl(store, seeds())  # the site reverted its edits
    with store._sessions() as session:
        versions = session.scalar(select(func.count()).select_from(EntryVersion))
    assert versions == 24 + 4 + 4


def test_same_day_items_sharing_phrases_stay_apart(store):
    """Seed 003's three items of 26.06.2025 and two of 30.06.2025 are five entries."""
    crawl(store, {"003": read(SEED_BY_PREFIX["003"])})
    assert store.entry_count() == 6  # five teasers and the interview


def teaser_page(*texts: str, dates=None) -> ParsedPage:
    dates = dates or [None] * len(texts)
    return ParsedPage(
        url="https://en.odkb-csto.org/test-pages/sidebar",
        teasers=tuple(ParsedTeaser(text, date) for text, date in zip(texts, dates)),
    )


LEAD = (
    "On 20 September 2023, in Bishkek, an international conference on combating terrorism and "
    "extremism was held. The event was organized by the State Committee for National Security."
)
ARTICLE_URL = "https://en.odkb-csto.org/news/news_odkb/conference-in-bishkek/"


def article_page(
    body: str = LEAD + "\n\nMore than 100 experts took part.", url: str | None = ARTICLE_URL
) -> ParsedPage:
    article = ParsedArticle(
        title="International conference on combating terrorism held in Bishkek",
        body=body,
        published=ParsedDate(dt.date(2023, 9, 21), DateEvidence.LINE),
        url=url,
    )
    return ParsedPage(url=url, article=article)


def store_pages(store, *pages: ParsedPage) -> int:
    crawl_id = store.begin_crawl("test")
    for page in pages:
        store.record_page(crawl_id, page)
    return crawl_id


def test_teaser_then_its_article_in_a_later_crawl_is_one_linked_update(store):
    store_pages(store, teaser_page(LEAD))
    (entry_id,) = feed_ids(store)
    second = store_pages(store, article_page())
    assert store.entry_count() == 1
    assert set(feed_ids(store)) == {entry_id}
    (change,) = store.changes(kinds=("updated",))
    assert change.fields[0] == "linked"
    assert change.url == ARTICLE_URL
    assert events_of(store, second) == (0, 1, 0)


def test_teaser_and_article_in_one_crawl_are_a_single_new_event(store):
    crawl_id = store_pages(store, teaser_page(LEAD), article_page())
    assert store.entry_count() == 1
    assert events_of(store, crawl_id) == (1, 0, 0)


def test_teaser_linked_by_url_to_its_article(store):
    teaser = ParsedPage(
        url="https://en.odkb-csto.org/news/",
        teasers=(ParsedTeaser("A conference was held in Bishkek.", url=ARTICLE_URL),),
    )
    store_pages(store, teaser)
    store_pages(store, article_page())
    assert store.entry_count() == 1


def test_an_entry_edited_twice_on_one_page_gives_one_event_spanning_both_edits(store):
    listing = "https://en.odkb-csto.org/news/"
    store_pages(store, ParsedPage(url=listing, teasers=(ParsedTeaser(LEAD, url=ARTICLE_URL),)))
    monday, tuesday = LEAD + " It met on Monday.", LEAD + " It met on Tuesday."
    twice = ParsedPage(
        url=listing, teasers=(ParsedTeaser(monday, url=ARTICLE_URL), ParsedTeaser(tuesday, url=ARTICLE_URL))
    )
    second = store_pages(store, twice)
    assert events_of(store, second) == (0, 1, 0)
    (update,) = store.changes(kinds=("updated",))
    assert "+It met on Tuesday." in update.diff and "Monday" not in update.diff
    assert store.entry_count() == 1


def test_different_articles_with_the_same_title_stay_two_entries(store):
    store_pages(store, article_page())
    other_url = "https://en.odkb-csto.org/news/news_odkb/another-conference/"
    store_pages(store, article_page(body="A different text altogether, about another day.", url=other_url))
    assert store.entry_count() == 2


def test_cosmetic_differences_make_no_change(store):
    text = 'The CSTO "Rubezh-2022" training - the active phase - will take place from October 17 to 21.'
    store_pages(store, teaser_page(text))
    cosmetic = (
        "  The CSTO  “Rubezh–2022” training — the active\u00a0phase — will take place from October 17 to 21. "
    )
    second = store_pages(store, teaser_page(cosmetic))
    assert events_of(store, second) == (0, 0, 0)
    assert store.entry_count() == 1


def test_date_line_refines_text_date_without_an_event(store):
    text = "On June 19, 2025, in Bosteri, the XIX meeting of the Council of the Advisory Coordination Center was held."
    store_pages(store, teaser_page(text, dates=[ParsedDate(dt.date(2025, 6, 19), DateEvidence.TEXT)]))
    second = store_pages(
        store, teaser_page(text, dates=[ParsedDate(dt.date(2025, 6, 26), DateEvidence.LINE)])
    )
    assert events_of(store, second) == (0, 0, 0)
    (entry,) = store.latest_entries()
    assert entry.published == dt.date(2025, 6, 26)
    # a weaker date seen later does not undo it
    store_pages(store, teaser_page(text, dates=[ParsedDate(dt.date(2025, 6, 19), DateEvidence.TEXT)]))
    (entry,) = store.latest_entries()
    assert entry.published == dt.date(2025, 6, 26)


def test_removed_article_logged_once_and_its_return_is_an_update(store):
    store_pages(store, article_page())
    crawl_id = store.begin_crawl("test")
    assert store.record_removed(crawl_id, ARTICLE_URL) is True
    assert store.record_removed(store.begin_crawl("test"), ARTICLE_URL) is False
    (removed,) = store.changes(kinds=("removed",))
    assert removed.url == ARTICLE_URL
    assert store.entry_count() == 1 and store.latest_entries()[0].removed
    back = store_pages(store, article_page())
    assert events_of(store, back) == (0, 1, 0)
    (restored,) = store.changes(kinds=("updated",))
    assert restored.fields == ("restored",)
    assert not store.latest_entries()[0].removed


def test_changes_filters_by_kind_and_time(store):
    store_pages(store, teaser_page(LEAD))
    moment = dt.datetime.now(dt.UTC)
    store_pages(store, article_page())
    assert [c.kind for c in store.changes()] == ["updated", "new"]
    assert [c.kind for c in store.changes(since=moment)] == ["updated"]
    assert [c.kind for c in store.changes(kinds=("new",))] == ["new"]
