"""robots.txt holds for every request that waits for it (crawler.middlewares.robots).

Scrapy's own middleware hands a host's rules to the first request that waited for its
robots.txt and None ("everything allowed") to the others: a worker taking several requests
of one site at once fetched pages the site forbids. Here several requests to one host wait
while its robots.txt is on its way, as they do at the start of a crawl or of a worker.
"""

from __future__ import annotations

import asyncio

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.robots import SharedRobotsTxtMiddleware
from crawler.plan import CrawlPlan
from crawler.settings import scrapy_settings

HOST = "http://site.example"
ROBOTS_TXT = b"User-agent: *\nDisallow: /closed/\n"


class HeldRobotsTxt:
    """The engine's download of robots.txt, held until the test lets it answer."""

    def __init__(self) -> None:
        self.asked = asyncio.Event()
        self.answer = asyncio.Event()

    async def download_async(self, request: Request) -> TextResponse:
        self.asked.set()
        await self.answer.wait()
        return TextResponse(request.url, body=ROBOTS_TXT, encoding="utf-8")


async def outcomes(paths: list[str]) -> dict[str, str]:
    """What the middleware did with requests to ``paths``, all sent before robots.txt came."""
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True})
    crawler.engine = engine = HeldRobotsTxt()
    middleware = SharedRobotsTxtMiddleware.from_crawler(crawler)
    waiting = [asyncio.ensure_future(middleware.process_request(Request(HOST + path))) for path in paths]
    await engine.asked.wait()
    await asyncio.sleep(0)  # every request is waiting for the rules now
    engine.answer.set()
    done = await asyncio.gather(*waiting, return_exceptions=True)
    return {
        path: "refused" if isinstance(result, IgnoreRequest) else "sent" for path, result in zip(paths, done)
    }


def test_every_request_waiting_for_robots_txt_obeys_it():
    paths = ["/news/", "/closed/a/", "/news/b/", "/closed/b/", "/closed/c/"]
    assert asyncio.run(outcomes(paths)) == {
        path: "refused" if path.startswith("/closed/") else "sent" for path in paths
    }


def test_the_request_that_fetched_robots_txt_obeys_it_too():
    assert asyncio.run(outcomes(["/closed/a/", "/closed/b/"])) == {
        "/closed/a/": "refused",
        "/closed/b/": "refused",
    }


def test_a_live_crawl_uses_this_middleware_in_place_of_scrapys():
    middlewares = scrapy_settings(CrawlPlan(start_urls=(f"{HOST}/news/",)))["DOWNLOADER_MIDDLEWARES"]
    assert middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert middlewares["crawler.middlewares.robots.SharedRobotsTxtMiddleware"] == 100
