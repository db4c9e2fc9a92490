"""A page the crawl fetched but could not read or store is never lost unseen: it is
counted, kept with the crawl run, and asked for again by the next crawl, like a page that
could not be fetched (storage.fetch_failures). Driven in-process: the spider's callback and
the pipeline are called as Scrapy calls them, without a reactor."""

from __future__ import annotations

import scrapy
from scrapy.http import HtmlResponse

import crawler.spider
from crawler.counters import CrawlCounters
from crawler.pipeline import StorePipeline
from crawler.plan import CrawlPlan
from crawler.scrapy_items import PageItem
from crawler.spider import SiteSpider
from extraction.page_reader import read_page
from storage.fetch_failures import FailedFetch
from tests.support.helpers import SEED_FILES

SITE = "http://127.0.0.1:9"
ARTICLE = f"{SITE}/news/news_odkb/a-page-that-breaks-the-reader/"


def finish(store, crawl_id: int) -> None:
    store.finish_crawl(crawl_id, status="finished", pages=1, items_seen=0, errors=1, warnings=0)


def pipeline_for(store, crawl_id: int) -> StorePipeline:
    pipeline = StorePipeline()
    pipeline.store, pipeline.crawl_id, pipeline.counters = store, crawl_id, CrawlCounters()
    return pipeline


def test_a_page_whose_reading_raises_becomes_a_failed_fetch(store, monkeypatch):
    def broken_reader(body, *, url, content_type=None, articles=None, language=None):
        raise RuntimeError("the reader broke")

    monkeypatch.setattr(crawler.spider, "read_page_and_links", broken_reader)
    crawl_id = store.begin_crawl("live")
    spider = SiteSpider(CrawlPlan((f"{SITE}/news/",)), store, crawl_id, CrawlCounters())
    response = HtmlResponse(
        ARTICLE, body=b"<html><body><h1>A title</h1></body></html>", request=scrapy.Request(ARTICLE)
    )

    assert list(spider.parse(response)) == [
        FailedFetch(ARTICLE, "could not be read: RuntimeError: the reader broke")
    ]


def test_a_page_that_cannot_be_stored_is_counted_kept_and_retried_next_crawl(store, monkeypatch):
    body = SEED_FILES[0].read_bytes()
    item = PageItem(read_page(body, url=ARTICLE, content_type="text/plain"), ARTICLE, 200)
    first = store.begin_crawl("live")
    pipeline = pipeline_for(store, first)

    def failing_write(*args, **kwargs):
        raise ValueError("a value the database refused")

    monkeypatch.setattr(store, "record_page", failing_write)
    pipeline.process_item(item)
    monkeypatch.undo()
    finish(store, first)

    assert pipeline.counters.errors == 1
    (failure,) = store.crawl_summary(first).failures
    assert failure.url == ARTICLE and failure.reason.startswith(
        "could not be stored: a value the database refused"
    )
    assert store.failures_to_retry(store.begin_crawl("live"), f"{SITE}/") == [ARTICLE]


def test_failures_handed_to_the_pipeline_are_recorded_once(store):
    crawl_id = store.begin_crawl("live")
    pipeline = pipeline_for(store, crawl_id)
    pipeline.process_item(FailedFetch(ARTICLE, "could not be read: RuntimeError: the reader broke"))
    assert pipeline.counters.errors == 1
    assert [f.url for f in store.crawl_summary(crawl_id).failures] == [ARTICLE]
