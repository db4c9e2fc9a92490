"""The worker's item pipeline: each cycle's items through crawler.pipeline.StorePipeline (one
per cycle, as in a one-process crawl), its counts summed in Redis for the coordinator. A page
that could not be stored because the store is away is given back to the queue, not counted
(crawler.distributed.outages)."""

from __future__ import annotations

import dataclasses

from sqlalchemy.exc import SQLAlchemyError

from crawler.counters import CrawlCounters
from crawler.distributed.outages import REDIS, REDIS_AWAY, STORE
from crawler.distributed.spider import CYCLES_KEPT, Finished, InCycle
from crawler.pipeline import StorePipeline


class WorkerPipeline:
    """Stores what any cycle's pages gave; finishes each request once its outputs are stored."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self._pipelines: dict[int, StorePipeline] = {}

    @classmethod
    def from_crawler(cls, crawler) -> WorkerPipeline:
        return cls(crawler)

    def process_item(self, item, spider=None):
        spider = self.crawler.spider
        if isinstance(item, Finished):
            try:
                self._pipeline(item.crawl_id).close_spider()  # its 304s, written by batch
            except SQLAlchemyError as error:
                if not spider.outages.store_failed(spider.store, error):
                    raise
            if item.taken is not None:
                spider.finish(item.taken)
        elif isinstance(item, InCycle):
            pipeline = self._pipeline(item.crawl_id)
            before = dataclasses.asdict(pipeline.counters)
            pipeline.process_item(item.item)
            after = dataclasses.asdict(pipeline.counters)
            if after["errors"] > before["errors"] and spider.outages.store_failed(
                spider.store, "a page could not be stored"
            ):
                return item  # its request is given back
            spider.outages.back(STORE)
            try:
                spider.board.count(item.crawl_id, {name: after[name] - before[name] for name in after})
            except REDIS_AWAY as error:  # the cycle's counts miss this page's
                spider.outages.away(REDIS, error)
        return item

    def _pipeline(self, crawl_id: int) -> StorePipeline:
        if crawl_id not in self._pipelines:
            pipeline = StorePipeline.from_crawler(self.crawler)
            pipeline.store = self.crawler.spider.store
            pipeline.crawl_id, pipeline.counters = crawl_id, CrawlCounters()
            self._pipelines[crawl_id] = pipeline
            while len(self._pipelines) > CYCLES_KEPT:
                del self._pipelines[next(iter(self._pipelines))]
        return self._pipelines[crawl_id]
