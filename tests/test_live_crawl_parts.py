"""The parts of a live crawl, one by one: links, what to follow, backoff, the store's page
memory, the loopback server and the mirror (the whole crawl is in test_live_crawl.py)."""

from __future__ import annotations

import datetime as dt
import email.utils
import time
import urllib.error
import urllib.request
import zlib
from types import SimpleNamespace

import pytest
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import HtmlResponse

from crawler.counters import CrawlCounters
from crawler.incremental import recheck_cutoff, to_follow
from crawler.links import PageLinks, Site, page_links, page_number
from crawler.middlewares.backoff import MAX_BACKOFF, retry_delay
from crawler.middlewares.throttle import ConditionalAutoThrottle
from crawler.pipeline import UNCHANGED_BATCH, StorePipeline
from crawler.plan import user_agent
from crawler.scrapy_items import PageUnchanged
from extraction.html_text import extract_links
from extraction.parsed import ParsedPage
from storage.store import PageFetch
from tests.support.helpers import FIXTURES
from tests.support.loopback import LoopbackServer
from tests.support.mirror import article, build_mirror

SITE = Site.of(["http://127.0.0.1:8000/news/"])
ORIGIN = "http://127.0.0.1:8000"


def links_of(mirror, target: str) -> PageLinks:
    url = ORIGIN + target
    return page_links(url, extract_links(mirror.resource(target).body, url, include_chrome=True), SITE)


# -- links ----------------------------------------------------------------------------------


def test_listing_links_sorted_by_what_they_lead_to():
    mirror = build_mirror(12, per_page=5)
    found = links_of(mirror, "/news/?PAGEN_1=2")
    assert found.articles == tuple(ORIGIN + item.path for item in mirror.news[5:10])
    assert found.pages == (f"{ORIGIN}/news/", f"{ORIGIN}/news/?PAGEN_1=3")
    assert found.next_page == f"{ORIGIN}/news/?PAGEN_1=3"
    assert found.listings == tuple(f"{ORIGIN}/news/{name}/" for name in ("news_odkb", "training", "closed"))


def test_last_listing_page_has_no_next_page():
    assert links_of(build_mirror(12, per_page=5), "/news/?PAGEN_1=3").next_page is None


def test_offsite_and_foreign_port_links_are_dropped_whatever_their_shape():
    links = [
        ("http://localhost:8000/news/news_odkb/a-b/", "same server, other host name"),
        ("http://127.0.0.1:9000/news/news_odkb/a-b/", "other port"),
        ("https://offsite.example/news/news_odkb/a-b/", "other site"),
        ("mailto:press@example.org", "mail"),
    ]
    assert page_links(f"{ORIGIN}/news/", links, SITE) == PageLinks()


def test_next_link_found_by_its_text_and_page_one_is_the_listing_itself():
    links = [(f"{ORIGIN}/news/?PAGEN_1=1", "1"), (f"{ORIGIN}/news/?archive=2", "Next")]
    found = page_links(f"{ORIGIN}/news/?PAGEN_1=2", links, SITE)
    assert found.pages == (f"{ORIGIN}/news/",)
    assert found.next_page == f"{ORIGIN}/news/?archive=2"


def test_the_same_site_over_http_and_https_is_one_site():
    site = Site.of(["https://en.odkb-csto.org/news/"])
    assert (
        site.local("http://en.odkb-csto.org/news/news_odkb/x") == "https://en.odkb-csto.org/news/news_odkb/x/"
    )
    assert site.domains == ["en.odkb-csto.org"]


def test_page_number_reads_any_bitrix_pager():
    assert page_number(f"{ORIGIN}/news/") == 1
    assert page_number(f"{ORIGIN}/news/?PAGEN_2=7&SIZEN_2=20") == 7


# -- what to follow -------------------------------------------------------------------------


LISTING = PageLinks(articles=("a", "b"), listings=("section",), pages=("p1", "p3"), next_page="p3")


def test_incremental_follows_new_articles_and_goes_on_while_there_are_any():
    follow = to_follow(LISTING, known={"a"}, full=False)
    assert follow.articles == ("b",)
    assert follow.listings == ("section", "p3")


def test_incremental_stops_at_a_page_with_nothing_new():
    follow = to_follow(LISTING, known={"a", "b"}, full=False)
    assert follow.articles == ()
    assert follow.listings == ("section",)


def test_full_follows_every_article_and_every_page():
    follow = to_follow(LISTING, known={"a", "b"}, full=True)
    assert follow.articles == ("a", "b")
    assert follow.listings == ("section", "p1", "p3")


def test_after_a_cut_short_crawl_every_page_is_walked_but_only_new_articles_fetched():
    follow = to_follow(LISTING, known={"a", "b"}, full=False, walk=True)
    assert follow.articles == ()
    assert follow.listings == ("section", "p1", "p3")


def test_recheck_cutoff():
    now = dt.datetime(2026, 1, 8, tzinfo=dt.UTC)
    assert recheck_cutoff(now, dt.timedelta(days=7), full=False) == now - dt.timedelta(days=7)
    assert recheck_cutoff(now, dt.timedelta(days=7), full=True) == now


# -- backoff --------------------------------------------------------------------------------


def test_retry_after_in_seconds_or_as_a_date_is_honoured():
    now = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    later = email.utils.format_datetime(now + dt.timedelta(seconds=30), usegmt=True)
    assert retry_delay("7", 1, base=1, most=120) == 7
    assert retry_delay(later, 1, base=1, most=120, now=now) == 30
    assert retry_delay("Thu, 01 Jan 1970 00:00:00 GMT", 1, base=1, most=120, now=now) == 0


def test_without_retry_after_the_wait_doubles_up_to_a_cap():
    assert [retry_delay(None, attempt, base=1, most=120) for attempt in (1, 2, 3)] == [1, 2, 4]
    assert retry_delay(None, 30, base=1, most=120) == MAX_BACKOFF
    assert retry_delay("soon", 2, base=0.5, most=120) == 1


def test_a_server_asking_for_too_long_a_pause_is_not_waited_for():
    assert retry_delay("3600", 1, base=1, most=120) is None


def test_user_agent_names_newswatch_and_a_contact():
    assert (
        user_agent("https://example.org/me") == "newswatch/0.1 (news feed builder; +https://example.org/me)"
    )


# -- the store's memory of pages ------------------------------------------------------------


def test_store_remembers_validators_items_and_links(store):
    url = f"{ORIGIN}/news/"
    links = [(f"{ORIGIN}/news/?PAGEN_1=2", "Next")]
    fetch = PageFetch(url, 200, '"e1"', "Mon, 01 Jan 2024 00:00:00 GMT", links=links)
    store.record_page(store.begin_crawl("live"), ParsedPage(url=url), fetch)
    known = store.known_page(url)
    assert (known.status, known.etag, known.last_modified, known.item_count) == (
        200,
        '"e1"',
        "Mon, 01 Jan 2024 00:00:00 GMT",
        0,
    )
    assert known.links == ((f"{ORIGIN}/news/?PAGEN_1=2", "Next"),)
    assert store.known_page(f"{ORIGIN}/other/") is None
    assert store.known_pages([url, f"{ORIGIN}/other/"]) == {url: known}


def test_a_page_said_to_be_new_that_the_store_knows_after_all_is_updated_not_lost(store):
    """Two links redirected to one page: both asked for it while the store did not know it,
    so the second answer is stored over the first, not refused for a duplicate row."""
    url = f"{ORIGIN}/news/"
    crawl_id = store.begin_crawl("live")
    store.record_page(crawl_id, ParsedPage(url=url), PageFetch(url, 200, '"e1"', body=b"one", new_page=True))
    second = PageFetch(url, 200, '"e2"', body=b"two", content_type="text/plain", new_page=True)
    store.record_page(crawl_id, ParsedPage(url=url), second)
    assert store.known_page(url).etag == '"e2"'
    with store.engine.connect() as connection:
        kept = connection.exec_driver_sql("SELECT body, content_type FROM page_bodies").all()
    assert [(zlib.decompress(body), kind) for body, kind in kept] == [(b"two", "text/plain")]


def test_pages_answered_304_are_marked_checked_a_batch_at_a_time_and_the_rest_at_the_end(store):
    crawl_id = store.begin_crawl("live")
    urls = [f"{ORIGIN}/news/news_odkb/article-{number}/" for number in range(UNCHANGED_BATCH + 1)]
    for url in urls:
        store.record_page(crawl_id, ParsedPage(url=url), PageFetch(url, 200))
    before_the_checks = dt.datetime.now(dt.UTC)
    pipeline = StorePipeline()
    pipeline.store, pipeline.crawl_id, pipeline.counters = store, crawl_id, CrawlCounters()
    time.sleep(0.01)  # the checks happen strictly after ``before_the_checks``
    for url in urls:
        pipeline.process_item(PageUnchanged(url))
    assert store.pages_to_recheck(f"{ORIGIN}/", before_the_checks) == urls[-1:]
    pipeline.close_spider()
    assert store.pages_to_recheck(f"{ORIGIN}/", before_the_checks) == []
    assert pipeline.counters.unchanged == len(urls)


def test_store_knows_fetched_pages_and_lists_the_due_ones_oldest_first(store):
    crawl_id = store.begin_crawl("live")
    urls = [f"{ORIGIN}/news/news_odkb/{name}/" for name in ("old", "older", "gone")]
    for url in urls:
        store.record_page(crawl_id, ParsedPage(url=url), PageFetch(url, 200))
    store.mark_unchanged([urls[0]])  # checked again just now: "old" is now the freshest
    store.mark_gone(urls[2], 404)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    assert set(store.known_pages([*urls, f"{ORIGIN}/news/news_odkb/new/"])) == set(urls)
    assert store.pages_to_recheck(f"{ORIGIN}/", later) == [urls[1], urls[0]]
    assert set(store.pages_to_recheck(f"{ORIGIN}/", later, include_gone=True)) == set(urls)
    assert store.pages_to_recheck("http://127.0.0.1:9000/", later) == []
    gone = store.known_page(urls[2])
    assert (gone.status, gone.etag) == (404, None)


def test_two_sites_on_one_host_each_recheck_their_own_pages(store):
    """A site and a sub-site under the same origin: the same prefix holds both sites' pages,
    and a crawl of one re-checks only what its own crawls fetched."""
    fetched = {}
    for site in ("csto-en", "joint-staff"):
        crawl_id = store.begin_crawl("live", site)
        url = f"{ORIGIN}/{site}/news/an-article/"
        page = f"<html><body><h1>{site}</h1><p>Text.</p></body></html>".encode()
        store.record_page(
            crawl_id, ParsedPage(url=url), PageFetch(url, 200, body=page, content_type="text/html")
        )
        fetched[site] = url
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    for site, url in fetched.items():
        assert store.pages_to_recheck(f"{ORIGIN}/", later, site=site) == [url]


# -- the loopback server --------------------------------------------------------------------


def fetch(url: str, **headers: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_loopback_answers_304_to_matching_validators_and_200_after_an_edit():
    with LoopbackServer(build_mirror(3)) as server:
        target = build_mirror(3).article_paths[0]
        status, headers, body = fetch(server.origin + target)
        assert status == 200 and headers["ETag"] and headers["Last-Modified"]
        assert fetch(server.origin + target, **{"If-None-Match": headers["ETag"]})[0] == 304
        assert fetch(server.origin + target, **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        server.put(target, body.replace(b"</article>", b"<p>Added.</p></article>"))
        status, edited, _ = fetch(server.origin + target, **{"If-None-Match": headers["ETag"]})
        assert status == 200 and edited["ETag"] != headers["ETag"]
        assert fetch(server.origin + target, **{"If-Modified-Since": headers["Last-Modified"]})[0] == 200
        server.delete(target)
        assert fetch(server.origin + target)[0] == 404
        assert [r.status for r in server.requests] == [200, 304, 304, 200, 200, 404]


def test_loopback_faults_and_hosts_are_recorded():
    with LoopbackServer(build_mirror(3)) as server:
        server.fail("/news/", 429, times=1, retry_after="2")
        status, headers, _ = fetch(server.origin + "/news/")
        assert (status, headers["Retry-After"]) == (429, "2")
        assert fetch(server.alias_origin + "/news/")[0] == 200
        assert [(r.status, r.host.split(":")[0]) for r in server.requests] == [
            (429, "127.0.0.1"),
            (200, "localhost"),
        ]


# -- the mirror -----------------------------------------------------------------------------


def test_mirror_grows_by_adding_newer_articles_only():
    assert build_mirror(5).news[1:] == build_mirror(4).news
    assert article(3) == build_mirror(9).news[5]
    assert build_mirror(4).resource("/news/?PAGEN_1=9") is None


def test_bundled_mirror_snapshot_is_what_the_generator_writes(tmp_path):
    """fixtures/mirror is a sample for people to read; it must not drift from the code."""
    written = build_mirror().write(tmp_path)
    snapshot = FIXTURES / "mirror"
    assert sorted(p.relative_to(tmp_path) for p in written) == sorted(
        p.relative_to(snapshot) for p in snapshot.rglob("*") if p.is_file()
    )
    for path in written:
        assert path.read_bytes() == (snapshot / path.relative_to(tmp_path)).read_bytes(), path


@pytest.mark.parametrize("articles", [1, 50])
def test_every_linked_listing_page_exists(articles):
    mirror = build_mirror(articles, per_page=7)
    for section in mirror.sections:
        for target in mirror.listing_paths(section):
            assert mirror.resource(target) is not None, target


# -- throttling -----------------------------------------------------------------------------


def throttle(cls):
    """An AutoThrottle with Scrapy's delay policy and bounds, without a running crawler."""
    extension = cls.__new__(cls)
    extension.target_concurrency, extension.mindelay, extension.maxdelay = 1.0, 0.0, 60.0
    return extension


@pytest.mark.parametrize(("cls", "delay_after"), [(AutoThrottle, 1.0), (ConditionalAutoThrottle, 0.51)])
def test_a_quick_304_lowers_the_delay_as_a_quick_200_does(cls, delay_after):
    slot = SimpleNamespace(delay=1.0)
    throttle(cls)._adjust_delay(slot, 0.02, HtmlResponse("http://127.0.0.1/", status=304))
    assert slot.delay == pytest.approx(delay_after)
