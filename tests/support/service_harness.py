"""Running the real ``newswatch run`` in a child process for tests, and talking HTTP to it.

The service listens on a free port (``--port 0``) on loopback and says which in its log;
every wait is bounded, and the process is always stopped (killed if it must be) at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tests.support.helpers import ROOT, SEEDS

T = TypeVar("T")

START_SECONDS = 30
EVENT_SECONDS = 60
STOP_SECONDS = 20
POLL_SECONDS = 0.2


@dataclass
class HttpAnswer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)


def copy_seeds(directory: Path) -> Path:
    """A private copy of the seed pages, for a test to edit."""
    shutil.copytree(SEEDS, directory)
    return directory


def crawl_runs(data_dir: Path) -> list[tuple]:
    """Every crawl run in the store: id, status, started_at, finished_at, notes."""
    with sqlite3.connect(data_dir / "newswatch.sqlite3") as connection:
        return connection.execute(
            "select id, status, started_at, finished_at, notes from crawl_runs order by id"
        ).fetchall()


def http_request(
    port: int, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None
) -> HttpAnswer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return HttpAnswer(response.status, response.headers, response.read())
    finally:
        connection.close()


def wait_for(probe: Callable[[], T], what: str, seconds: float = EVENT_SECONDS) -> T:
    """Poll ``probe`` until it returns something truthy; fail the test after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


class ServiceProcess:
    """``newswatch run --offline`` over a fixtures directory (None: a live service, its start
    page among ``args``), with a data directory of its own."""

    def __init__(
        self, tmp: Path, fixtures: Path | None, *args: str, env: dict[str, str] | None = None
    ) -> None:
        self.tmp = tmp
        self.data_dir = tmp / "data"
        self.log_path = tmp / "service.log"
        self.fixtures = fixtures
        self.args = args or ("--every", "1s")
        self.env = env or {}
        self.process: subprocess.Popen | None = None
        self.port = 0

    def __enter__(self) -> ServiceProcess:
        offline = ("--offline", "--fixtures", str(self.fixtures)) if self.fixtures else ()
        command = [
            sys.executable,
            "-m",
            "scheduler.cli.main",
            "--data-dir",
            str(self.data_dir),
            "run",
            "--port",
            "0",
            *offline,
            *self.args,
        ]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
        environment.update(XDG_CONFIG_HOME=str(self.tmp / "config"), **self.env)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=environment, cwd=ROOT
            )
        self.port = int(wait_for(self._listening_port, "the service to listen", START_SECONDS))
        return self

    def __exit__(self, *_exc) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(STOP_SECONDS)

    def _listening_port(self) -> str | None:
        if self.process.poll() is not None:
            raise AssertionError(f"the service exited with {self.process.returncode}:\n{self.log()}")
        found = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", self.log())
        return found.group(1) if found else None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str, **kwargs) -> HttpAnswer:
        return http_request(self.port, path, **kwargs)

    def health(self) -> dict:
        return self.get("/healthz").json()

    def wait_for_crawl(self, after: int = 0, status: str = "finished") -> dict:
        """The latest crawl record, once its id is above ``after`` and it reached ``status``.
        With crawls a second apart and fast, it may be a later one than the first after
        ``after``: read what one crawl did from the store (the change log), not from here."""

        def crawl_done() -> dict | None:
            last = self.health()["last_crawl"]
            return last if last and last["id"] > after and last["status"] == status else None

        return wait_for(crawl_done, f"a crawl after #{after} to be {status}")

    def wait_for_crawl_run(self, status: str) -> dict:
        """The first crawl run with ``status``, read from the store's records: the service's
        last crawl (``wait_for_crawl``) may have moved on past it between two polls, as the
        next crawl, a second later, can take less than a poll's time."""

        def found() -> dict | None:
            if not self.health()["last_crawl"]:
                return None  # no record yet (the store may not even be made)
            runs = [run for run in crawl_runs(self.data_dir) if run[1] == status]
            return (
                dict(zip(("id", "status", "started_at", "finished_at", "notes"), runs[0])) if runs else None
            )

        return wait_for(found, f"a crawl run to be {status}")

    def stop(self, number: int = signal.SIGTERM) -> int:
        """Send ``number`` and wait (bounded) for the process to exit; its exit code."""
        self.process.send_signal(number)
        return self.process.wait(STOP_SECONDS)
