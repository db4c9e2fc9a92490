"""The baseline of measurement 2: a Scrapy spider that only downloads.

It fetches a given list of URLs (the pages a newswatch crawl fetched) with newswatch's own
Scrapy settings (crawler.settings: concurrency, AutoThrottle, robots.txt, retries), minus
what only newswatch does: no item pipeline (nothing parsed, nothing stored) and no
conditional GET (it has no store). The difference between the two crawls is newswatch's
own work.

Run as ``python -m benchmarks.bare_spider URL_LIST_FILE``.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler.plan import CrawlPlan, Politeness
from crawler.settings import scrapy_settings


class DownloadOnlySpider(scrapy.Spider):
    name = "download_only"

    def __init__(self, urls: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response, **kwargs) -> None:
        """Downloaded; nothing more."""


def download_only_settings(start_url: str) -> dict:
    """newswatch's settings for a ``--full --delay 0 --max-pages 0`` crawl of ``start_url``,
    without its pipeline and its conditional-GET middleware."""
    plan = CrawlPlan((start_url,), full=True, politeness=Politeness(delay=0.0, max_pages=0))
    settings = scrapy_settings(plan)
    middlewares = {
        name: order
        for name, order in settings["DOWNLOADER_MIDDLEWARES"].items()
        if name != "crawler.middlewares.conditional.ConditionalGetMiddleware"
    }
    return settings | {"ITEM_PIPELINES": {}, "DOWNLOADER_MIDDLEWARES": middlewares}


def main(url_list: Path) -> None:
    urls = url_list.read_text(encoding="utf-8").split()
    process = CrawlerProcess(download_only_settings(urls[0]))
    process.crawl(DownloadOnlySpider, urls=urls)
    process.start()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
