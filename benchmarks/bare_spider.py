"""The baseline of measurement 2 and of benchmarks.many_sites: a Scrapy spider that only
downloads.

It fetches a given list of URLs (the pages a newswatch crawl fetched) with newswatch's own
Scrapy settings (crawler.settings: concurrency, AutoThrottle, robots.txt, retries), minus
what only newswatch does: no item pipeline (nothing parsed, nothing stored) and no
conditional GET (it has no store). The difference between the two crawls is newswatch's
own work.

The URLs may be of several sites (hosts). Then it is one spider, as bare Scrapy crawls many
sites: Scrapy's per-domain download slots give each host newswatch's politeness (at most
two requests in flight, the delay and AutoThrottle per host), the global limit is two
requests per host so that it never binds, and the scheduler hands out requests by how busy
their host is (Scrapy's ``DownloaderAwarePriorityQueue``, its advice for broad crawls), so
that no host waits behind another's queue. newswatch runs one crawler per site instead
(crawler.runner); what that costs counts against newswatch, which makes this the stricter
baseline: the cheapest way plain Scrapy gets the same politeness.

The process runs as newswatch's crawl process does, so that what differs is newswatch's work
on the pages, not how the interpreter is handled: run as a program, its imports are made
without the cycle collector and frozen (scheduler.quiet_imports), and the crawl runs with the
collector tuned as newswatch's (crawler.collector). Without that, it took about 15% more CPU
for the same downloads (2026-12-06, 6 paired runs over the 313 URLs of
benchmarks.nochange_check's mirror).

Run as ``python -m benchmarks.bare_spider URL_LIST_FILE [--delay SECONDS]``.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

from scheduler.quiet_imports import one_command_process, quiet_imports

if __name__ == "__main__":
    one_command_process()  # started as newswatch starts a crawl: see the module's docstring

with quiet_imports():
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from crawler.collector import collecting_less
    from crawler.links import Site
    from crawler.plan import CrawlPlan, Politeness
    from crawler.settings import scrapy_settings


class DownloadOnlySpider(scrapy.Spider):
    name = "download_only"

    def __init__(self, urls: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.sites: dict[str, Site] = {}

    def site_of(self, request: scrapy.Request) -> Site:
        """The site of ``request``'s host, as newswatch's spider answers it: newswatch's
        offsite-redirect middleware (kept, as newswatch's settings have it) asks, and ends a
        redirect to another host as newswatch's crawl does, instead of failing on the
        question with a logged traceback."""
        host = urlsplit(request.url).netloc
        if host not in self.sites:
            self.sites[host] = Site.of([request.url], articles=None)
        return self.sites[host]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response, **kwargs) -> None:
        """Downloaded; nothing more."""


def download_only_settings(start_url: str, *, delay: float = 0.0, hosts: int = 1) -> dict:
    """newswatch's settings for a ``--full --delay DELAY --max-pages 0`` crawl of
    ``start_url``, without its pipeline and its conditional-GET middleware, for ``hosts``
    sites at once (each with newswatch's per-site concurrency)."""
    plan = CrawlPlan((start_url,), full=True, politeness=Politeness(delay=delay, max_pages=0))
    settings = scrapy_settings(plan)
    middlewares = {
        name: order
        for name, order in settings["DOWNLOADER_MIDDLEWARES"].items()
        if name != "crawler.middlewares.conditional.ConditionalGetMiddleware"
    }
    several = {
        "CONCURRENT_REQUESTS": settings["CONCURRENT_REQUESTS_PER_DOMAIN"] * hosts,
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
    }
    return (
        settings
        | {"ITEM_PIPELINES": {}, "DOWNLOADER_MIDDLEWARES": middlewares}
        | (several if hosts > 1 else {})
    )


def interleaved(urls: list[str]) -> list[str]:
    """The URLs taken a host at a time, in turns: every site starts at once."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(urlsplit(url).netloc, []).append(url)
    turns = itertools.zip_longest(*by_host.values())
    return [url for turn in turns for url in turn if url is not None]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Download a list of URLs with newswatch's settings.")
    parser.add_argument("url_list", type=Path, help="a file of URLs, one a line")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between a host's requests")
    args = parser.parse_args(argv)
    urls = interleaved(args.url_list.read_text(encoding="utf-8").split())
    hosts = len({urlsplit(url).netloc for url in urls})
    process = CrawlerProcess(download_only_settings(urls[0], delay=args.delay, hosts=hosts))
    process.crawl(DownloadOnlySpider, urls=urls)
    with collecting_less():
        process.start()


if __name__ == "__main__":
    main()
