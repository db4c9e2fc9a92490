"""Where a crawl's article rule comes from, and what the spider follows with it: the user's
pattern, the built-in site's rule, or the rule learnt from the first listing page; until a
rule is known, no link is followed as an article. Driven in-process: the spider's callback
is called as Scrapy calls it, without a reactor."""

from __future__ import annotations

import logging

import scrapy
from scrapy.http import HtmlResponse

from crawler.counters import CrawlCounters
from crawler.plan import CrawlPlan
from crawler.spider import LEARNING_PAGES, SiteSpider, given_articles
from extraction.urls import CSTO_ARTICLES, canonical
from tests.support.url_families import FAMILIES, listing_page, story

ORIGIN = "http://127.0.0.1:9"
DRUPAL = next(family for family in FAMILIES if family.name == "drupal")
STORIES = [story(number) for number in range(300, 310)]


def spider_for(store, plan: CrawlPlan) -> SiteSpider:
    return SiteSpider(plan, store, store.begin_crawl("live"), CrawlCounters())


def answer(spider: SiteSpider, path: str, stories) -> list:
    url = ORIGIN + path
    body = listing_page(DRUPAL, stories).encode()
    return list(spider.parse(HtmlResponse(url, body=body, request=scrapy.Request(url))))


def requested(results) -> set[str]:
    return {result.url for result in results if isinstance(result, scrapy.Request)}


def test_the_rule_is_the_users_pattern_else_the_builtin_sites_else_to_be_learnt():
    given = given_articles(CrawlPlan((f"{ORIGIN}/news",), article_pattern="/node/<number>"))
    assert given.pattern == "/node/<number>"
    assert given_articles(CrawlPlan(("https://en.odkb-csto.org/news/",))) is CSTO_ARTICLES
    assert given_articles(CrawlPlan(("file:///pages/001.txt",), offline=True)) is CSTO_ARTICLES
    assert given_articles(CrawlPlan((f"{ORIGIN}/news",))) is None


def test_the_rule_learnt_from_the_first_listing_page_is_logged_and_followed(store, caplog):
    spider = spider_for(store, CrawlPlan((f"{ORIGIN}/news",)))
    with caplog.at_level(logging.INFO, logger="crawler.spider"):
        results = answer(spider, "/news", STORIES)
    articles = {canonical(f"{ORIGIN}/node/{item.number}") for item in STORIES}
    assert articles <= requested(results)
    assert not {url for url in requested(results) if "/taxonomy/" in url or "/about" in url} & articles
    assert (
        f"articles of 127.0.0.1:9: /node/<number>/, learnt from {len(STORIES)} links on /news" in caplog.text
    )


def test_a_site_whose_listings_teach_nothing_has_no_article_followed_and_says_so(store, caplog):
    spider = spider_for(store, CrawlPlan((f"{ORIGIN}/news",)))
    with caplog.at_level(logging.INFO, logger="crawler.spider"):
        results = [answer(spider, f"/news?page={n}", STORIES[:2]) for n in range(LEARNING_PAGES + 1)]
    assert not any("/node/" in url for result in results for url in requested(result))
    assert spider.site.articles is None
    assert caplog.text.count("learning from the next listing page") == LEARNING_PAGES - 1
    assert (
        "no article is followed: give the pattern of its article URLs with --article-pattern" in caplog.text
    )


def test_a_given_pattern_is_followed_without_learning(store, caplog):
    spider = spider_for(store, CrawlPlan((f"{ORIGIN}/news",), article_pattern="/node/<number>"))
    with caplog.at_level(logging.INFO, logger="crawler.spider"):
        results = answer(spider, "/news", STORIES[:2])  # too few to learn from, but given
    assert {canonical(f"{ORIGIN}/node/{item.number}") for item in STORIES[:2]} <= requested(results)
    assert "learnt" not in caplog.text
