"""Clients that try to hold the server: endless headers, heads sent a byte at a time.

The server is the real one (cheroot with the service's settings) on a loopback port; the
app behind it is trivial, since what is tested is what happens before the app is called.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from scheduler.web.server import MAX_REQUEST_HEADER_BYTES, WORKER_THREADS, HttpServer
from tests.support.service_harness import http_request, wait_for

pytestmark = pytest.mark.timeout(120)

DRIP_SECONDS = 0.3
DRIP_LIMIT_SECONDS = 30
"""A slow client stops by itself after this (the test's bound); it should be cut off long before."""


def tiny_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"feed\n"]


@contextmanager
def server(head_deadline: float | None = None) -> Iterator[tuple[HttpServer, int]]:
    options = {} if head_deadline is None else {"head_deadline": head_deadline}
    running = HttpServer(tiny_app, "127.0.0.1", 0, **options)
    _, port = running.start()
    try:
        yield running, port
    finally:
        running.stop()


def raw_request(port: int, head: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head)
        return connection.recv(4096)


class SlowClient(threading.Thread):
    """Sends a request head one byte every DRIP_SECONDS, never finishing it; keeps the
    first bytes the server answers."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.answer = b""
        self.started_sending = threading.Event()
        self.quit = threading.Event()

    def run(self) -> None:
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as connection:
            connection.sendall(b"GET /feed.rss HTTP/1.1\r\nHost: x\r\n")
            self.started_sending.set()
            deadline = time.monotonic() + DRIP_LIMIT_SECONDS
            while not self.quit.is_set() and time.monotonic() < deadline:
                if select.select([connection], [], [], DRIP_SECONDS)[0]:
                    self.answer = connection.recv(4096)
                    return
                try:
                    connection.sendall(b"X")
                except OSError:  # cut off while sending: the answer may be in already
                    with contextlib.suppress(OSError):
                        self.answer = connection.recv(4096)
                    return


def all_taken_in(running: HttpServer, clients: list[SlowClient]) -> bool:
    """Has the server taken in every slow client: each waits for its head in the waiting
    room, holds a worker thread, waits in the queue for one, or has been answered (cut off)
    already? Read from the waiting room and cheroot's thread pool (its public ``idle`` and
    ``qsize``); no other client is connected meanwhile."""
    pool = running._server.requests
    held = WORKER_THREADS - pool.idle
    done = sum(1 for client in clients if client.answer or not client.is_alive())
    return running.waiting_room.waiting + held + pool.qsize + done >= len(clients)


@contextmanager
def slow_clients(running: HttpServer, port: int, count: int) -> Iterator[list[SlowClient]]:
    clients = [SlowClient(port) for _ in range(count)]
    for client in clients:
        client.start()
    for client in clients:
        assert client.started_sending.wait(10)
    # what comes next must meet a server whose workers they hold (not a sleep that hopes so)
    wait_for(lambda: all_taken_in(running, clients), f"the server to take in {count} slow clients", 10)
    try:
        yield clients
    finally:
        for client in clients:
            client.quit.set()
        for client in clients:
            client.join(DRIP_LIMIT_SECONDS)


@pytest.mark.parametrize(
    "header", ["X-Filler-{:04d}: some value", "a{}:"], ids=["ordinary headers", "minimal headers"]
)
def test_thousands_of_headers_are_refused(header):
    lines = [header.format(number) for number in range(5000)]
    head = "GET /feed.rss HTTP/1.1\r\nHost: x\r\n" + "".join(f"{line}\r\n" for line in lines) + "\r\n"
    assert len(head) > MAX_REQUEST_HEADER_BYTES
    with server() as (_, port):
        answer = raw_request(port, head.encode("ascii"))
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:100]
        assert http_request(port, "/feed.rss").status == 200


def test_a_few_slow_clients_do_not_delay_anyone():
    """More slow clients than the server once had threads: the others are served at once."""
    with server() as (running, port), slow_clients(running, port, 6) as clients:
        answer = http_request(port, "/feed.rss")  # its own timeout (10 s) bounds the wait
        assert answer.status == 200 and answer.body == b"feed\n"
        assert not any(client.answer for client in clients), "cut off before their deadline"


def test_slow_clients_are_cut_off_and_the_server_keeps_serving():
    """More slow clients than worker threads: each is cut off at the head deadline with a
    408, and a client arriving behind them is answered once they are."""
    with (
        server(head_deadline=1.0) as (running, port),
        slow_clients(running, port, WORKER_THREADS + 4) as clients,
    ):
        answer = http_request(port, "/feed.rss")
        assert answer.status == 200
        for client in clients:
            client.join(DRIP_LIMIT_SECONDS + 5)
    assert all(client.answer.startswith(b"HTTP/1.1 408 ") for client in clients), [
        c.answer[:40] for c in clients
    ]
