"""The Scrapy spider: fetch pages, parse each into items, follow the links worth following.

Following Scrapy's own design, the spider only fetches, parses and yields; storing is the
pipeline's job (crawler.pipeline), conditional GET a downloader middleware's
(crawler.middlewares.conditional), and every setting lives in crawler.settings. Which links are
followed is decided by crawler.links (what a link is) and crawler.incremental (which of
them this crawl needs).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from itertools import islice
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.counters import CrawlCounters
from crawler.fetch_errors import failed_fetch
from crawler.incremental import recheck_cutoff, to_follow
from crawler.links import Link, Site, followable, page_links
from crawler.middlewares.conditional import KNOWN_PAGE, UNKNOWN_TO_STORE
from crawler.plan import CrawlPlan
from crawler.scrapy_items import PageGone, PageItem, PageUnchanged
from crawler.start_pages import START_PAGE, StartPages
from extraction.page_reader import learn_articles_of_page, read_page_and_links
from extraction.url_learning import LearntArticleUrls, learn_article_urls
from extraction.urls import CSTO_ARTICLES, CSTO_HOST, ArticleUrls
from storage.fetch_failures import FailedFetch
from storage.store import GONE_STATUSES, KnownPage, Store

log = logging.getLogger(__name__)

# Listings first, so that new articles are found early; re-checks fill the gaps.
LISTING_PRIORITY = 20
ARTICLE_PRIORITY = 10
RECHECK_PRIORITY = 0
RECHECK_BATCH = 100
LEARNING_PAGES = 3
"""Listing pages the spider learns the site's article URLs from before it gives up: the first
may be a front page of sections, the next a section's own listing."""


class SiteSpider(scrapy.Spider):
    """Crawls the site from its start URLs (or a list of fixture files, offline)."""

    name = "newswatch"

    def __init__(
        self, plan: CrawlPlan, store: Store, crawl_id: int, counters: CrawlCounters, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.store = store
        self.crawl_id = crawl_id
        self.counters = counters
        self.start_pages = StartPages(plan.start_urls)
        self.site = Site.of(plan.start_urls, given_articles(plan))
        self._learning_pages = 0 if self.site.articles else LEARNING_PAGES
        self._start_pages_left = set(plan.start_urls)
        self._start_pages_answered: Deferred[None] = Deferred()
        """Fired once every start page is answered: the site's article rule, if it is to be
        learnt, is learnt by then or from no start page."""
        # OffsiteMiddleware drops requests to other hosts, redirects included.
        self.allowed_domains = [] if plan.offline else self.site.domains
        self._found_new: set[str] = set()
        """Articles this crawl found new: still new when a later listing links them too."""
        self._known_before: set[str] = set()
        """Articles the store knew when this crawl met them (each asked for once)."""
        self._followed: set[str] = set()
        self._known_pages: dict[str, KnownPage] = {}
        """What the store knows of articles met but not yet requested: their validators
        travel with the request (crawler.middlewares.conditional), looked up with the others of a page."""

    def site_of(self, request: scrapy.Request) -> Site:
        """The site ``request`` is of: this crawl's (a worker's spider serves many)."""
        return self.site

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.plan.start_urls:
            yield self._request(url, LISTING_PRIORITY, start=True)
        if self.plan.offline:
            return
        if self.site.articles is None:  # which known pages are articles is not known yet
            await maybe_deferred_to_future(self._start_pages_answered)
        for url in self.failed_before():
            yield self._request(url, ARTICLE_PRIORITY if self.site.is_article(url) else LISTING_PRIORITY)
        due = self.due_for_recheck()
        while batch := list(islice(due, RECHECK_BATCH)):
            await self._scheduler_drained()
            known = self.store.known_pages(batch)  # one query, not one per request
            for url in batch:
                yield self._request(url, RECHECK_PRIORITY, known.get(url))

    async def _scheduler_drained(self) -> None:
        """Re-checks are handed over a batch at a time, once what is queued has gone to the
        downloader: Scrapy would take every known article at once otherwise, and the
        crawl's memory would grow with the site."""
        scheduler = self.crawler.engine.scheduler
        while scheduler.has_pending_requests():
            await self.crawler.signals.wait_for(signals.request_left_downloader)

    def failed_before(self) -> Iterator[str]:
        """What earlier crawls failed to fetch (storage.fetch_failures): a failed listing page
        would otherwise never be walked again by an incremental crawl, which stops at the first
        listing page with nothing new, nor the new articles only it links."""
        for origin in self.site.origins:
            yield from self.store.failures_to_retry(self.crawl_id, f"{origin}/")

    def due_for_recheck(self) -> Iterator[str]:
        now = dt.datetime.now(dt.UTC)
        cutoff = recheck_cutoff(now, self.plan.recheck_after, full=self.plan.full)
        for origin in self.site.origins:
            pages = self.store.pages_to_recheck(
                f"{origin}/", cutoff, include_gone=self.plan.full, site=self.plan.site
            )
            yield from filter(self.site.is_article, pages)

    def _request(
        self,
        url: str,
        priority: int,
        known: KnownPage | None = None,
        *,
        start: bool = False,
        asked: bool = False,
    ) -> scrapy.Request:
        """``known``: what the store knows of ``url``; ``asked``: the store was asked and knew
        nothing (crawler.middlewares.conditional need not ask again)."""
        meta = {KNOWN_PAGE: known} if known is not None else {UNKNOWN_TO_STORE: url} if asked else {}
        if start:
            meta[START_PAGE] = url
        return scrapy.Request(
            url, callback=self.parse, errback=self.on_error, priority=priority, meta=meta or None
        )

    # -- parsing --------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs):
        """What the page gives; a page whose reading raises is a failed fetch (counted,
        kept with the crawl and retried by the next one), never a silent loss."""
        start = response.meta.get(START_PAGE)
        try:
            for result in self._answer(response):
                if start is not None:
                    self._note_start_page(start, result)
                yield result
        except Exception as error:
            log.exception("page %s: could not be read", response.url)
            failed = FailedFetch(response.url, f"could not be read: {type(error).__name__}: {error}")
            if start is not None:
                self.start_pages.failed(start, failed.reason)
                self._start_page_answered(start)
            yield failed

    def _note_start_page(self, url: str, result) -> None:
        if isinstance(result, FailedFetch):
            self.start_pages.failed(url, result.reason)
        elif isinstance(result, (PageItem, PageUnchanged, PageGone)):
            self.start_pages.reached(url)
        self._start_page_answered(url)

    def _start_page_answered(self, url: str) -> None:
        self._start_pages_left.discard(url)
        if not self._start_pages_left and not self._start_pages_answered.called:
            self._start_pages_answered.callback(None)

    def _answer(self, response: Response):
        known: KnownPage | None = response.meta.get(KNOWN_PAGE)
        if response.status == 304:
            links = known.links if known else ()
            if self.site.articles is None and self._learning_pages:
                # unchanged, so learnt from what it linked when last fetched
                self._learnt(learn_article_urls(response.url, links, listings=(response.url,)), response.url)
            yield PageUnchanged(response.url)
            yield from self._follow(response.url, links)
        elif response.status in GONE_STATUSES:
            yield from self._gone(response)
        else:
            yield from self._fetched(response, known)

    def _fetched(self, response: Response, known: KnownPage | None):
        content_type = _header(response, b"Content-Type")
        if self.site.articles is None and self._learning_pages:
            learnt = learn_articles_of_page(response.body, url=response.url, content_type=content_type)
            self._learnt(learnt, response.url)
        page, links = read_page_and_links(
            response.body,
            url=response.url,
            content_type=content_type,
            articles=self.site.articles,
            language=self.plan.language,
        )
        if self.plan.offline:
            links = []  # fixture files: each is crawled, none is followed
        elif page.next_page:  # rel="next": followed (and remembered for a 304) as a "Next" link
            links = [*links, (page.next_page, "next")]
        yield PageItem(
            page=page,
            url=response.url,
            status=response.status,
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
            items_before=known.item_count if known else 0,
            links=() if self.site.is_article(response.url) else tuple(followable(links, self.site)),
            body=response.body,
            content_type=content_type,
            # looked up for this very URL by the conditional-GET middleware, and not found
            new_page=KNOWN_PAGE in response.meta and known is None,
        )
        yield from self._follow(response.url, links)

    def _learnt(self, learnt: LearntArticleUrls, page_url: str) -> None:
        """Take what a listing page taught of which of the site's URLs are articles (until
        its article rule is known, every page fetched is a listing: no link has been followed
        as an article)."""
        self._learning_pages -= 1
        host = self.site.host
        if learnt.articles is not None:
            self.site = self.site.with_articles(learnt.articles)
            log.info("articles of %s: %s", host, learnt.reason)
        elif self._learning_pages:
            log.info(
                "articles of %s: %s on %s; learning from the next listing page",
                host,
                learnt.reason,
                page_url,
            )
        else:
            log.warning(
                "articles of %s: %s on %s; no article is followed: give the pattern of its article "
                "URLs with --article-pattern",
                host,
                learnt.reason,
                page_url,
            )

    def _follow(self, page_url: str, links: Iterable[Link]) -> Iterator[scrapy.Request]:
        if self.plan.offline:
            return
        found = page_links(page_url, links, self.site)
        known = self._known(found.articles)
        follow = to_follow(found, known, full=self.plan.full, walk=self.plan.walk_listings)
        self._found_new.update(url for url in follow.articles if url not in known)
        for url in self._not_yet_followed(follow.listings):
            yield self._request(url, LISTING_PRIORITY)
        for url in self._not_yet_followed(follow.articles):
            yield self._request(url, ARTICLE_PRIORITY, self._known_pages.pop(url, None), asked=True)

    def _not_yet_followed(self, urls: Iterable[str]) -> Iterator[str]:
        """Each link once per crawl: pages repeat the menus, the pager and the newest
        articles, and a request Scrapy's duplicate filter drops has cost as much as one it
        sends (a tenth of a crawl's CPU) by the time it is dropped."""
        for url in urls:
            if url not in self._followed:
                self._followed.add(url)
                yield url

    def _known(self, articles: Iterable[str]) -> set[str]:
        """Which of ``articles`` the store knew before this crawl found them.

        Every sidebar links the same newest articles, so each URL is asked for once: an
        article the store did not know is followed at once, and stays new to this crawl.
        """
        unasked = [url for url in articles if url not in self._known_before and url not in self._found_new]
        pages = self.store.known_pages(unasked)
        self._known_before.update(pages)
        self._known_pages.update(pages)
        return {url for url in articles if url in self._known_before}

    def _gone(self, response: Response) -> Iterator[PageGone | FailedFetch]:
        if self.site.is_article(response.url):
            yield PageGone(response.url, response.status)
            return
        yield FailedFetch(response.url, f"HTTP {response.status}: not an article, so nothing is removed")

    def on_error(self, failure: Failure) -> Iterator[FailedFetch]:
        """A page not fetched: handed to the pipeline, which records and counts it. A start
        page not fetched on purpose (robots.txt) is a failure too: the crawl needed it."""
        start = failure.request.meta.get(START_PAGE)
        failed = failed_fetch(failure, failure.request, start_page=start is not None)
        if start is not None:
            self._start_page_answered(start)
        if failed is None:
            log.debug("page %s: not fetched: %s", failure.request.url, failure.getErrorMessage())
            return
        if start is not None:
            self.start_pages.failed(start, failed.reason)
        yield failed


def given_articles(plan: CrawlPlan) -> ArticleUrls | None:
    """The site's article rule as the plan gives it: the user's pattern, else the built-in
    site's rule on that site and offline (the bundled pages are its); None: to be learnt."""
    if plan.article_pattern:
        return ArticleUrls.from_pattern(plan.article_pattern)
    hosts = {urlsplit(url).hostname for url in plan.start_urls}
    return CSTO_ARTICLES if plan.offline or hosts == {CSTO_HOST} else None


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
