"""One client loads the server in the three ways that once starved it; the health report and
the feeds must still be answered within a second meanwhile.

The server is the real one (cheroot with the service's settings and the service's WSGI app)
on a loopback port, the load comes from threads of this process: connections that send their
request head a byte at a time, connections that ask for a large feed and read it slowly,
and a burst of parallel requests. The requirement is "within a second"; the bound asserted
is ``ANSWERED_WITHIN`` (twice that, for a shared two-core machine); the server that failed
this took 10 s and more.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from feeds import FEED_FILES
from scheduler.web.app import ServiceApp
from scheduler.web.server import WORKER_THREADS, HttpServer
from tests.support.service_harness import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(180)]

ANSWERED_WITHIN = 2.0
SLOW_HEADS = 100
SLOW_READERS = 40
PARALLEL = 200
BIG_FEED_BYTES = 4 * 1024 * 1024
"""More than the kernel buffers of one loopback connection hold (the send buffer grows to
4 MiB at most, tcp_wmem), so a reader that does not read keeps the server's send waiting;
smaller feeds (1 MiB) never held a worker."""
HEALTH = {"status": "ok"}
OTHER_CLIENT = "127.0.0.2"
"""A second client address (all of 127.0.0.0/8 is loopback on Linux)."""


@contextmanager
def service(tmp_path: Path, **options) -> Iterator[int]:
    feed = tmp_path / FEED_FILES["rss"]
    item = b"<item><title>t</title><description>" + b"x" * 4000 + b"</description></item>\n"
    feed.write_bytes(b"<rss><channel>\n" + item * (BIG_FEED_BYTES // len(item)) + b"</channel></rss>\n")
    app = ServiceApp(None, tmp_path, "https://example.org/", lambda: HEALTH)
    running = HttpServer(app, "127.0.0.1", 0, **options)
    _, port = running.start()
    try:
        yield port
    finally:
        running.stop()


def timed_get(port: int, path: str, headers: dict | None = None) -> tuple[float, int, int]:
    """Seconds to the whole answer, its status and its length (the timeout far above the bound)."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return time.monotonic() - started, response.status, len(body)
    finally:
        connection.close()


def assert_answered_promptly(port: int) -> None:
    """/healthz and the feed, each answered within the bound (a few times over)."""
    slowest = 0.0
    for _ in range(3):
        for path in ("/healthz", "/feed.rss"):
            seconds, status, _ = timed_get(port, path)
            assert status == 200
            assert seconds < ANSWERED_WITHIN, f"{path} took {seconds:.1f} s"
            slowest = max(slowest, seconds)
    print(f"\nthe slowest answer under load: {slowest:.2f} s")


class SlowHead(threading.Thread):
    """Sends a request head a byte every half second, never finishing it."""

    def __init__(self, port: int, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.port, self.stop = port, stop
        self.connected = threading.Event()

    def run(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as connection:
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            self.connected.set()
            while not self.stop.wait(0.5):
                try:
                    connection.sendall(b"X")
                except OSError:
                    return


class SlowReader(threading.Thread):
    """Asks for the big feed with a small receive window and reads 16 KiB a second (its own buffer holds 8)."""

    def __init__(self, port: int, stop: threading.Event, source: str = "127.0.0.1") -> None:
        super().__init__(daemon=True)
        self.port, self.stop, self.source = port, stop, source
        self.reading = threading.Event()
        self.ended_by_server_after: float | None = None

    def run(self) -> None:
        with socket.socket() as connection:
            connection.bind((self.source, 0))
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            connection.settimeout(5)
            connection.connect(("127.0.0.1", self.port))
            started = time.monotonic()
            connection.sendall(b"GET /feed.rss HTTP/1.1\r\nHost: x\r\n\r\n")
            self.reading.set()
            while not self.stop.wait(1.0):
                try:
                    if not connection.recv(16384):
                        break
                except OSError:
                    break
            else:
                return
            self.ended_by_server_after = time.monotonic() - started


@contextmanager
def load(clients: list[threading.Thread], started: str) -> Iterator[list]:
    for client in clients:
        client.start()
    for client in clients:
        assert getattr(client, started).wait(10)
    try:
        yield clients
    finally:
        for client in clients:
            client.stop.set()
        for client in clients:
            client.join(10)


def test_slow_request_heads_do_not_delay_anyone(tmp_path):
    stop = threading.Event()
    with service(tmp_path) as port, load([SlowHead(port, stop) for _ in range(SLOW_HEADS)], "connected"):
        time.sleep(1)  # let their first drips arrive
        assert_answered_promptly(port)


def test_slow_readers_do_not_delay_anyone(tmp_path):
    stop = threading.Event()
    with ExitStack() as stack:
        port = stack.enter_context(service(tmp_path))
        stack.enter_context(load([SlowReader(port, stop) for _ in range(SLOW_READERS)], "reading"))
        time.sleep(1)  # their answers have filled the buffers and hold the senders
        assert_answered_promptly(port)


def test_one_client_cannot_hold_every_worker(tmp_path):
    """More slow readers from one address than there are workers: the others are served."""
    stop = threading.Event()
    readers = [SlowReader(port=0, stop=stop, source=OTHER_CLIENT) for _ in range(WORKER_THREADS + 20)]
    with ExitStack() as stack:
        port = stack.enter_context(service(tmp_path))
        for reader in readers:
            reader.port = port
        stack.enter_context(load(readers, "reading"))
        time.sleep(1)
        assert_answered_promptly(port)


def test_a_slow_reader_is_cut_off_at_the_response_deadline(tmp_path):
    """A reader that takes a byte now and then never trips a per-send timeout; the whole
    answer has a deadline."""
    stop = threading.Event()
    with (
        service(tmp_path, response_deadline=2.0) as port,
        load([SlowReader(port, stop)], "reading") as (reader,),
    ):
        wait_for(lambda: reader.ended_by_server_after is not None, "the server to cut the reader off", 30)
    print(f"cut off after {reader.ended_by_server_after:.1f} s")
    assert reader.ended_by_server_after < 15


def test_a_burst_of_parallel_requests_is_answered(tmp_path):
    """Far more connections at once than the listen backlog once held (5)."""
    barrier = threading.Barrier(PARALLEL)
    results: list[tuple[float, int, int] | BaseException] = []

    def one(port: int) -> None:
        barrier.wait()
        try:
            results.append(timed_get(port, "/healthz"))
        except OSError as error:
            results.append(error)

    with service(tmp_path) as port:
        threads = [threading.Thread(target=one, args=(port,), daemon=True) for _ in range(PARALLEL)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
    failed = [result for result in results if not isinstance(result, tuple) or result[1] != 200]
    assert len(results) == PARALLEL and not failed, failed[:5]
    slowest = max(seconds for seconds, _, _ in results)
    print(f"\nthe slowest of {PARALLEL} parallel requests: {slowest:.2f} s")
    assert slowest < 2 * ANSWERED_WITHIN, f"the slowest of {PARALLEL} took {slowest:.1f} s"
