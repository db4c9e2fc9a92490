"""Run one worker: a Scrapy process on the shared queue until it is stopped (SIGTERM, Ctrl-C)."""

from __future__ import annotations

import logging
import os
import socket
import uuid
import warnings

from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import ScrapyDeprecationWarning

from crawler.distributed.board import CycleBoard
from crawler.distributed.settings import WORKER_CONCURRENCY, worker_settings
from crawler.distributed.spider import WorkerSpider
from storage.store import Store

log = logging.getLogger(__name__)


def worker_name() -> str:
    """Unique among the workers of every machine, readable in logs and in Redis."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def run_worker(
    store: Store,
    redis_url: str,
    prefix: str,
    *,
    concurrency: int = WORKER_CONCURRENCY,
    verbose: bool = False,
) -> None:
    """Take requests from the queue and store their pages until stopped; on a stop, what
    the worker held goes back to the queue."""
    # scrapy-redis 0.9.1 passes its stats the spider argument Scrapy 2.13 deprecated
    warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")
    board = CycleBoard.connect(redis_url, prefix)
    board.server.ping()
    process = CrawlerProcess(worker_settings(redis_url, concurrency=concurrency, verbose=verbose))
    process.crawl(WorkerSpider, store=store, board=board, worker=worker_name())
    process.start()
