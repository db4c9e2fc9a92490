"""The same news in five markups, crawled by the real command line.

Each markup of :mod:`tests.support.markups` (WordPress, Drupal views, plain HTML5, a legacy
table layout, Bitrix) serves the mirror's 12 articles on loopback, five to a listing page in
the markup's own pagination scheme, with menus, breadcrumbs, widgets and footers. A store
lives through two crawls of each: the first must store every article once, with its title
and date, and nothing else (no menu line, no skip link, no listing page); then the site edits
one article and deletes another, and a re-crawl must log exactly one ``updated`` and one
``removed`` event, whatever the widgets on the other pages did.

The expected values come from the mirror's data, never from the parser. The checks read what
a subscriber gets: ``newswatch changes --json`` and the Atom feed the crawl wrote.

Cases the extraction does not pass yet are strict xfails naming what fails (``KNOWN``): they
turn into errors (XPASS) the moment the extraction is fixed, and the mark must then go.
``pytest --runxfail tests/test_multi_markup_crawl.py`` shows every failure in full.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest

from tests.support.helpers import CliResult, run_cli
from tests.support.loopback import LoggedRequest, LoopbackServer
from tests.support.markups import MARKUPS, MarkupSite, paragraphs
from tests.support.mirror import MirrorArticle

pytestmark = pytest.mark.e2e

ARTICLES = 12
PER_PAGE = 5
PARALLEL_MARKUPS = 3

KNOWN: dict[str, dict[str, str]] = {}
"""For each check, the markups that fail it today and what fails (see the module doc)."""


def cases(check: str) -> list:
    """Every markup, the ones in ``KNOWN[check]`` as strict xfails (of the check's assertion
    only: a crawl that crashes is a failure, not an expected one)."""
    return [
        pytest.param(
            name,
            marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=KNOWN[check][name]),
        )
        if name in KNOWN.get(check, {})
        else name
        for name in MARKUPS
    ]


@dataclass
class History:
    """One markup's site and what two crawls of it gave."""

    site: MarkupSite
    origin: str
    first: CliResult
    first_requests: list[LoggedRequest]
    feed: feedparser.FeedParserDict
    """The Atom feed the first crawl wrote."""
    entries: list[dict]
    """The ``new`` events of the first crawl, one per entry it stored, as ``changes --json``
    gives them after both crawls (title, URL and date are the entry's latest)."""
    second: CliResult
    events: list[dict]
    """Every change event of the second crawl."""
    edited: MirrorArticle
    deleted: MirrorArticle

    def url(self, item: MirrorArticle) -> str:
        return _key(self.origin + self.site.href(item))

    @property
    def expected(self) -> dict[str, MirrorArticle]:
        """Every article the site published, by URL."""
        return {self.url(item): item for item in self.site.published}

    @property
    def articles(self) -> list[tuple[dict, MirrorArticle]]:
        """The stored entries that are articles of the site, with the article."""
        expected = self.expected
        return [
            (entry, expected[_key(entry["url"])]) for entry in self.entries if _key(entry["url"]) in expected
        ]

    def summary(self) -> str:
        return self.first.stdout.splitlines()[0] if self.first.stdout else self.first.stderr[-500:]


def _key(url: str | None) -> str | None:
    """One spelling per URL: with or without the trailing slash (Drupal links omit it)."""
    return url.rstrip("/") if url else url


def _crawl(server: LoopbackServer, data_dir: Path, *options: str) -> CliResult:
    result = run_cli("crawl", "--url", f"{server.origin}/news/", "--delay", "0", *options, data_dir=data_dir)
    if result.returncode != 0:  # not an AssertionError: the xfails expect those of the checks only
        raise RuntimeError(f"newswatch crawl failed: {result.stderr}")
    return result


def live_through(name: str, data_dir: Path) -> History:
    """Crawl the markup's site, edit one article and delete another, crawl again."""
    site = MarkupSite(MARKUPS[name], ARTICLES, per_page=PER_PAGE)
    edited, deleted = site.published[3], site.published[1]
    with LoopbackServer(site) as server:
        first = _crawl(server, data_dir)
        first_requests = server.requests
        feed = feedparser.parse((data_dir / "feed.atom").read_bytes())
        site.edit(edited)
        site.delete(deleted)
        between = dt.datetime.now(dt.UTC)
        second = _crawl(server, data_dir, "--recheck-days", "0")
    changes = run_cli("changes", "--json", data_dir=data_dir)
    if changes.returncode != 0:
        raise RuntimeError(f"newswatch changes failed: {changes.stderr}")
    log = json.loads(changes.stdout)
    entries = [c for c in log if dt.datetime.fromisoformat(c["at"]) < between and c["kind"] == "new"]
    events = [c for c in log if dt.datetime.fromisoformat(c["at"]) >= between]
    return History(
        site, server.origin, first, first_requests, feed, entries[::-1], second, events, edited, deleted
    )


@pytest.fixture(scope="module")
def history(request, tmp_path_factory):
    """``history(name)``: the markup's :class:`History`. The markups the session's tests ask
    for are crawled side by side at the first call (each crawl is its own process)."""
    wanted = sorted(
        {
            item.callspec.params["name"]
            for item in request.session.items
            if item.module is request.module and "history" in getattr(item, "fixturenames", ())
        }
    )
    done: dict[str, concurrent.futures.Future] = {}

    def get(name: str) -> History:
        if not done:
            pool = concurrent.futures.ThreadPoolExecutor(max_workers=PARALLEL_MARKUPS)
            for wanted_name in wanted or [name]:
                done[wanted_name] = pool.submit(
                    live_through, wanted_name, tmp_path_factory.mktemp(wanted_name)
                )
            pool.shutdown(wait=False)
        if name not in done:
            done[name] = concurrent.futures.Future()
            done[name].set_result(live_through(name, tmp_path_factory.mktemp(name)))
        return done[name].result()

    return get


def _show(entries: list[dict], limit: int = 6) -> str:
    shown = [
        f"{(entry['title'] or '')[:70]!r} <{entry['url']}> {entry['published']}" for entry in entries[:limit]
    ]
    more = f" ... and {len(entries) - limit} more" if len(entries) > limit else ""
    return "; ".join(shown) + more


# -- the first crawl: every article once, nothing else ----------------------------------------


@pytest.mark.parametrize("name", cases("every_article_once"))
def test_every_article_is_stored_once(history, name):
    crawled = history(name)
    stored = Counter(_key(entry["url"]) for entry in crawled.entries)
    expected = crawled.expected
    missing = [item.title for url, item in expected.items() if not stored[url]]
    twice = [item.title for url, item in expected.items() if stored[url] > 1]
    found = len(expected) - len(missing)
    assert not missing and not twice, (
        f"{found}/{len(expected)} articles stored; missing {missing[:4]}; stored twice {twice[:4]}; "
        f"summary: {crawled.summary()}"
    )


@pytest.mark.parametrize("name", cases("nothing_but_articles"))
def test_no_entry_is_anything_but_an_article(history, name):
    crawled = history(name)
    junk = [entry for entry in crawled.entries if _key(entry["url"]) not in crawled.expected]
    assert not junk, f"{len(junk)} of {len(crawled.entries)} entries are not articles: {_show(junk)}"


@pytest.mark.parametrize("name", cases("titles"))
def test_every_article_has_its_title(history, name):
    crawled = history(name)
    assert crawled.articles, "no article stored"
    wrong = [entry for entry, item in crawled.articles if entry["title"] != item.title]
    assert not wrong, f"{len(wrong)}/{len(crawled.articles)} articles titled wrongly: {_show(wrong, 3)}"


@pytest.mark.parametrize("name", cases("dates"))
def test_every_article_has_its_date(history, name):
    crawled = history(name)
    assert crawled.articles, "no article stored"
    wrong = [
        (entry["published"], item.published.isoformat())
        for entry, item in crawled.articles
        if entry["published"] != item.published.isoformat()
    ]
    assert not wrong, (
        f"{len(wrong)}/{len(crawled.articles)} articles dated wrongly (got, expected): {wrong[:4]}"
    )


@pytest.mark.parametrize("name", cases("feed"))
def test_the_feed_lists_each_article_once_under_its_title(history, name):
    crawled = history(name)
    listed = Counter((_key(entry.get("link")), entry.get("title")) for entry in crawled.feed.entries)
    expected = Counter((crawled.url(item), item.title) for item in crawled.site.published)
    assert listed == expected, (
        f"feed has {sum(listed.values())} entries for {len(expected)} articles; "
        f"not articles or titled wrongly: {sorted(listed - expected)[:4]}; missing: {sorted(expected - listed)[:4]}"
    )


def _plain(text: str) -> str:
    """Visible text of feed HTML, quotes and whitespace folded, for comparing sentences."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"[\u201c\u201d\u201e\u00ab\u00bb]", '"', re.sub(r"[\u2018\u2019]", "'", text))
    return " ".join(text.split())


@pytest.mark.parametrize("name", cases("bodies"))
def test_article_bodies_hold_the_article_and_no_chrome(history, name):
    crawled = history(name)
    chrome = MARKUPS[name].chrome
    checked, wrong = 0, []
    for entry in crawled.feed.entries:
        item = crawled.expected.get(_key(entry.get("link")))
        if item is None:
            continue
        checked += 1
        text = _plain(entry.content[0].value if entry.get("content") else "")
        missing = sum(_plain(paragraph) not in text for paragraph in paragraphs(item))
        kept = [words for words in chrome if words.lower() in text.lower()]
        if missing or kept:
            wrong.append(f"{item.index}: {missing} paragraphs missing, chrome kept {kept}")
    assert checked, "no article in the feed"
    assert not wrong, f"{len(wrong)}/{checked} article bodies wrong: {wrong[:3]}"


# -- the site changes: one event per change, and no other --------------------------------------


@pytest.mark.parametrize("name", cases("edit"))
def test_an_edit_is_one_updated_event(history, name):
    crawled = history(name)
    updated = [event for event in crawled.events if event["kind"] == "updated"]
    assert [_key(event["url"]) for event in updated] == [crawled.url(crawled.edited)], (
        f"{len(updated)} updated events for 1 edit: {_show(updated)}"
    )
    assert "The work will continue." in updated[0]["diff"]


@pytest.mark.parametrize("name", cases("deletion"))
def test_a_deletion_is_one_removed_event(history, name):
    crawled = history(name)
    removed = [event for event in crawled.events if event["kind"] == "removed"]
    assert [_key(event["url"]) for event in removed] == [crawled.url(crawled.deleted)], (
        f"{len(removed)} removed events for 1 deletion: {_show(removed)}"
    )


@pytest.mark.parametrize("name", cases("nothing_new"))
def test_a_recrawl_after_the_changes_finds_nothing_new(history, name):
    crawled = history(name)
    new = [event for event in crawled.events if event["kind"] == "new"]
    assert not new, f"{len(new)} new entries on a site that published nothing: {_show(new)}"


# -- the markups themselves (no crawl) ----------------------------------------------------------


@pytest.mark.parametrize("name", list(MARKUPS))
def test_each_markup_serves_its_articles_listings_and_changes(name):
    site = MarkupSite(MARKUPS[name], ARTICLES, per_page=PER_PAGE)
    for item in site.published:
        page = site.resource(site.href(item))
        assert page is not None and item.title in page.body.decode(MARKUPS[name].charset)
    assert site.resource("/news/") is not None and site.resource("/robots.txt") is not None
    # the chrome the body check looks for is on every article page, and in no article's text
    for item in site.published:
        page = site.resource(site.href(item)).body.decode(MARKUPS[name].charset)
        assert all(words in page for words in MARKUPS[name].chrome), item.index
        assert not any(words.lower() in " ".join(paragraphs(item)).lower() for words in MARKUPS[name].chrome)
    edited, deleted = site.published[3], site.published[1]
    before = {target: site.resource(target).body for target in ("/news/", site.href(site.published[5]))}
    site.edit(edited)
    site.delete(deleted)
    assert site.resource(site.href(deleted)) is None
    assert b"The work will continue." in site.resource(site.href(edited)).body
    # the deletion shows on other pages too: listings and widgets are the site's current state
    assert all(site.resource(target).body != body for target, body in before.items())
