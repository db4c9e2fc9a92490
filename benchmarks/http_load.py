"""A short load on a running ``newswatch run``: do the feeds keep coming while it crawls?

    python -m benchmarks.http_load --port 8080 [--requests 2000] [--seconds 20] [--clients 4]

Each client thread keeps one connection open (as a feed reader polling the service does)
and asks in turn for ``/feed.atom`` and ``/healthz``; the health report says whether a crawl
was running when it answered. It stops at ``--requests`` answers or ``--seconds``, whichever
comes first, so it is bounded in count and time, and prints one JSON object: requests,
errors, seconds, requests per second, and how many answers came while a crawl ran. It is
meant to run in a process of its own (the tests start it so), apart from the service's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from dataclasses import asdict, dataclass, field

PATHS = ("/feed.atom", "/healthz")
TIMEOUT_SECONDS = 10


@dataclass
class LoadReport:
    requests: int = 0
    errors: int = 0
    during_crawl: int = 0
    """Answers to /healthz that said a crawl was running (so the others came during it too)."""
    seconds: float = 0.0
    error_samples: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict:
        return {**asdict(self), "per_second": round(self.per_second, 1)}


class _Load:
    """The shared tally and the stop condition of the client threads."""

    def __init__(self, port: int, requests: int, seconds: float) -> None:
        self.port = port
        self.budget = requests
        self.deadline = time.monotonic() + seconds
        self.report = LoadReport()
        self.lock = threading.Lock()

    def take(self) -> bool:
        """One more request may go: within the count and the time."""
        with self.lock:
            if self.budget <= 0 or time.monotonic() >= self.deadline:
                return False
            self.budget -= 1
            return True

    def tally(self, path: str, status: int | None, body: bytes, problem: str | None) -> None:
        with self.lock:
            self.report.requests += 1
            if problem or status != 200:
                self.report.errors += 1
                if len(self.report.error_samples) < 5:
                    self.report.error_samples.append(f"{path}: {problem or status}")
            elif path == "/healthz" and json.loads(body).get("crawling"):
                self.report.during_crawl += 1

    def client(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT_SECONDS)
        turn = 0
        while self.take():
            path = PATHS[turn % len(PATHS)]
            turn += 1
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                self.tally(path, response.status, response.read(), None)
            except (OSError, http.client.HTTPException) as error:
                self.tally(path, None, b"", f"{type(error).__name__}: {error}")
                connection.close()
        connection.close()


def run_load(port: int, requests: int, seconds: float, clients: int) -> LoadReport:
    load = _Load(port, requests, seconds)
    started = time.perf_counter()
    threads = [threading.Thread(target=load.client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + TIMEOUT_SECONDS)
    load.report.seconds = round(time.perf_counter() - started, 3)
    return load.report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.http_load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--port", type=int, required=True, help="the service's port on 127.0.0.1")
    parser.add_argument(
        "--requests", type=int, default=2000, help="at most this many requests (default 2000)"
    )
    parser.add_argument("--seconds", type=float, default=20, help="for at most this long (default 20)")
    parser.add_argument(
        "--clients", type=int, default=4, help="client threads, one connection each (default 4)"
    )
    options = parser.parse_args(argv)
    report = run_load(options.port, options.requests, options.seconds, options.clients)
    json.dump(report.as_json(), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
