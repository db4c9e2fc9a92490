"""Every Scrapy setting newswatch uses, in one place."""

from __future__ import annotations

from scrapy.settings import default_settings

from crawler.plan import CrawlPlan, user_agent
from extraction.page_limits import MAX_PAGE_BYTES  # a larger answer is not downloaded; the crawl records it

DEFAULT_USER_AGENT = user_agent()
MAX_DELAY = 60.0
"""AutoThrottle never waits longer than this between two requests."""
MAX_REDIRECTS = 5
"""Scrapy's 20 would ask a site stuck in a redirect loop for 21 pages per link."""
SCRAPY_SCHEMES = ("http", "https", "file", "ftp", "s3", "data")
"""Every URL scheme Scrapy can download by default."""
UNUSED_EXTENSIONS = (
    # an HTTP server with a code-execution endpoint, started for every crawl (and aiohttp
    # imported for it): a fifth of a no-change check's start-up
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.telnet.TelnetConsole",
    # counters of every response, item and log record that nothing reads (the crawl's
    # summary takes the downloader's request and byte counts, crawler.runner), and the
    # periodic log line made of them
    "scrapy.extensions.corestats.CoreStats",
    "scrapy.extensions.logcount.LogCount",
    "scrapy.extensions.logstats.LogStats",
    "scrapy.extensions.memusage.MemoryUsage",
    "scrapy.extensions.memdebug.MemoryDebugger",
    # no FEEDS and no JOBDIR: they would only be imported to say so
    "scrapy.extensions.feedexport.FeedExporter",
    "scrapy.extensions.spiderstate.SpiderState",
)
UNUSED_SPIDER_MIDDLEWARES = (
    # the depth of each request, for a limit and a priority newswatch does not set
    "scrapy.spidermiddlewares.depth.DepthMiddleware",
    # a developer's lint of every request's meta keys (the spider builds its own meta)
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",
)
UNUSED_DOWNLOADER_MIDDLEWARES = (
    # HTTP authentication for spiders that set credentials: SiteSpider sets none
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
    # off (COOKIES_ENABLED, HTTPCACHE_ENABLED): imported (tldextract with the cookies) only
    # to say so
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware",
)


def _scrapy_defaults_without(setting: str, unused: tuple[str, ...]) -> dict[str, int]:
    """Scrapy's ``setting`` (a ``*_BASE`` component dictionary) without ``unused``.

    They are left out of the base rather than set to None in the setting itself: Scrapy
    imports every component named there, switched off or not, but never one it is not told
    of. Every name must still be one of Scrapy's, or the setting would silently keep it."""
    defaults = getattr(default_settings, setting)
    missing = set(unused) - set(defaults)
    if missing:
        raise ValueError(f"not in Scrapy's {setting}: {sorted(missing)}")
    return {name: order for name, order in defaults.items() if name not in unused}


SCRAPY_BASES = {
    "EXTENSIONS_BASE": _scrapy_defaults_without("EXTENSIONS_BASE", UNUSED_EXTENSIONS),
    "SPIDER_MIDDLEWARES_BASE": _scrapy_defaults_without("SPIDER_MIDDLEWARES_BASE", UNUSED_SPIDER_MIDDLEWARES),
    "DOWNLOADER_MIDDLEWARES_BASE": _scrapy_defaults_without(
        "DOWNLOADER_MIDDLEWARES_BASE", UNUSED_DOWNLOADER_MIDDLEWARES
    ),
}
"""Scrapy's default components less those a crawl has no use for: each costs an import at
start-up and most a call per request, response or item."""


def download_handlers(*schemes: str) -> dict[str, None]:
    """Scrapy's handlers of every scheme but ``schemes`` switched off: a live crawl reads the
    web only (Scrapy would otherwise read the local file a ``file://`` URL names, or wait
    minutes for an ``ftp://`` server's greeting), an offline one local files only."""
    return {scheme: None for scheme in SCRAPY_SCHEMES if scheme not in schemes}


def scrapy_settings(plan: CrawlPlan) -> dict:
    """Polite settings for the live site; offline crawls read local files at full speed."""
    common = {
        "BOT_NAME": "newswatch",
        "USER_AGENT": plan.politeness.user_agent,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "LOG_LEVEL": "DEBUG" if plan.verbose else "WARNING",
        "LOG_ENABLED": True,
        "LOG_INSTALL_ROOT_HANDLER": False,
        "ITEM_PIPELINES": {"crawler.pipeline.StorePipeline": 300},
        # A developer's lint that re-reads and re-parses the callback's source for every
        # response (its cache is keyed by the bound method, new each time): 7% of a crawl.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        # What a callback yields is handed to this many asyncio workers, created anew for
        # every response (Scrapy's default, 100: a quarter of a re-crawl's CPU time). The
        # store pipeline is synchronous, so more than one never runs at once anyway.
        "CONCURRENT_ITEMS": 1,
    } | SCRAPY_BASES
    if plan.offline:
        return common | {
            "CONCURRENT_REQUESTS": 8,
            "ROBOTSTXT_OBEY": False,
            "RETRY_ENABLED": False,
            "DOWNLOAD_HANDLERS": download_handlers("file"),
        }
    return common | _live_settings(plan)


def _live_settings(plan: CrawlPlan) -> dict:
    polite = plan.politeness
    return {
        "DOWNLOAD_HANDLERS": download_handlers("http", "https"),
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "newswatch",
        # At most two requests in flight to the site, spaced by AutoThrottle.
        "CONCURRENT_REQUESTS": 2,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": polite.delay,
        "DOWNLOAD_DELAY_JITTER": 0.5,
        "AUTOTHROTTLE_ENABLED": True,
        "EXTENSIONS": {
            "scrapy.extensions.throttle.AutoThrottle": None,
            "crawler.middlewares.throttle.ConditionalAutoThrottle": 0,
            # counts each page's bytes, so a page cut off at DOWNLOAD_MAXSIZE says so
            "crawler.middlewares.page_size.ReceivedBytes": 0,
        },
        "AUTOTHROTTLE_START_DELAY": 2 * polite.delay,
        "AUTOTHROTTLE_MAX_DELAY": max(MAX_DELAY, polite.delay),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": polite.timeout,
        "DOWNLOAD_MAXSIZE": MAX_PAGE_BYTES,
        "REDIRECT_MAX_TIMES": MAX_REDIRECTS,
        "CLOSESPIDER_PAGECOUNT": polite.max_pages,
        # 429 and 5xx are retried after a pause (Retry-After, else exponential backoff).
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 3,
        "RETRY_BACKOFF_BASE": max(polite.delay, 0.1),
        "RETRY_AFTER_MAX": 120.0,
        "DOWNLOADER_MIDDLEWARES": {
            # every request waiting for a host's robots.txt obeys it, not only the first
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.middlewares.robots.SharedRobotsTxtMiddleware": 100,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.middlewares.backoff.BackoffRetryMiddleware": 550,
            "crawler.middlewares.conditional.ConditionalGetMiddleware": 560,
            # a gzip body decompresses whole or fails the page (Scrapy's keeps a part)
            "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
            "crawler.middlewares.decompression.StrictHttpCompressionMiddleware": 590,
            # sees a redirect before RedirectMiddleware (600) follows it offsite, unrecorded
            "crawler.middlewares.offsite_redirects.OffsiteRedirectMiddleware": 610,
        },
        # The site must answer every conditional GET: no HTTP cache in between.
        "HTTPCACHE_ENABLED": False,
        # 304 (unchanged) and 404/410 (gone) reach the spider; other errors its errback.
        "HTTPERROR_ALLOWED_CODES": [304, 404, 410],
    }
