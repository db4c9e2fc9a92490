"""Crawl workers for tests: a coordinator (``newswatch run --workers``) and workers
(``newswatch worker``) in child processes, on a Redis key prefix and a PostgreSQL schema of
their own, crawling loopback sites; every process is stopped (killed if it must be) at the end.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from crawler.distributed.board import CycleBoard
from tests.support.helpers import ROOT, cli_environment
from tests.support.service_harness import STOP_SECONDS, http_request, wait_for

REDIS_URL_ENV = "NEWSWATCH_TEST_REDIS_URL"
CYCLE_SECONDS = 120


@contextmanager
def fresh_board() -> Iterator[CycleBoard]:
    """A CycleBoard on the test Redis under a key prefix of its own, its keys deleted after."""
    board = CycleBoard.connect(redis_url_or_skip(), f"nwtest-{uuid.uuid4().hex[:10]}")
    try:
        yield board
    finally:
        keys = list(board.server.scan_iter(f"{board.prefix}:*"))
        if keys:
            board.server.delete(*keys)


def redis_url_or_skip() -> str:
    """The Redis server the tests may use; skips the test without one."""
    url = os.environ.get(REDIS_URL_ENV)
    if not url:
        pytest.skip(f"{REDIS_URL_ENV} is not set: no Redis server to run crawl workers on")
    return url


@dataclass
class Cluster:
    """The processes of one installation: ``sites`` is the sites file's text."""

    tmp: Path
    redis_url: str
    database_url: str
    prefix: str = field(default_factory=lambda: f"nwtest-{uuid.uuid4().hex[:10]}")
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    """More settings for every process (NEWSWATCH_RECHECK_DAYS=0)."""

    def write_sites(self, sites: dict[str, tuple[str, float]], **every_site: int) -> None:
        """Sites by name: (start URL, delay); ``every_site``: more keys of each (max_pages=5)."""
        more = "".join(f"{key} = {value}\n" for key, value in every_site.items())
        lines = [
            f'[sites.{name}]\nurl = ["{url}"]\ndelay = {delay}\n{more}'
            for name, (url, delay) in sites.items()
        ]
        (self.tmp / "sites.toml").write_text("".join(lines))

    def _start(self, name: str, *args: str, database_url: str | None = None) -> subprocess.Popen:
        command = [sys.executable, "-m", "scheduler.cli.main", "--data-dir", str(self.tmp / "data"), *args]
        env = {
            "NEWSWATCH_DB": database_url or self.database_url,
            "NEWSWATCH_SITES": str(self.tmp / "sites.toml"),
            "NEWSWATCH_REDIS_PREFIX": self.prefix,
        } | self.env
        log = (self.tmp / f"{name}.log").open("w")
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=cli_environment(env), cwd=ROOT
        )
        self.processes[name] = process
        return process

    def start_worker(
        self, name: str, *args: str, redis_url: str | None = None, database_url: str | None = None
    ) -> subprocess.Popen:
        """A worker; ``redis_url`` and ``database_url`` reach the same servers another way
        (through a tests.support.tcp_proxy.TcpProxy)."""
        return self._start(
            name, "worker", "--redis", redis_url or self.redis_url, *args, database_url=database_url
        )

    def wait_for_workers(self, *names: str) -> None:
        """Until each worker has opened its spider and takes requests."""
        for name in names:
            wait_for(lambda name=name: "taking requests" in self.log(name), f"{name} to start")

    def start_coordinator(self, every: str = "1h") -> subprocess.Popen:
        return self._start("coordinator", "run", "--port", "0", "--every", every, "--workers", self.redis_url)

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text()

    def healthz(self) -> dict:
        port = wait_for(
            lambda: re.search(r"listening on http://127\.0\.0\.1:(\d+)/", self.log("coordinator")),
            "the coordinator to listen",
        )
        return http_request(int(port.group(1)), "/healthz").json()

    def wait_for_cycles(self, count: int, seconds: float = CYCLE_SECONDS) -> None:
        """Until the coordinator has closed ``count`` crawl cycles."""
        wait_for(
            lambda: (
                self.log("coordinator").count("crawl cycle") >= 2 * count
                and len(re.findall(r"crawl cycle \d+ done", self.log("coordinator"))) >= count
            ),
            f"{count} crawl cycles to be done",
            seconds,
        )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
