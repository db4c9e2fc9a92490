"""Cutting off clients that send their request too slowly ("slowloris").

cheroot hands a connection to a worker thread as soon as its first byte arrives, and the
worker reads the request line and headers with a timeout per read. A client that sends one
byte every few seconds never trips that timeout and holds its worker for as long as it likes
(16 KiB of headers at a byte a second is four and a half hours); a few such clients hold
every worker, and the server stops answering anyone. So the whole request head must arrive
within a deadline. One watchdog thread keeps the deadlines of the heads being read; when one
passes, it shuts the read side of that socket, which wakes the blocked worker at once, and
the client gets ``408 Request Timeout``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

from cheroot.server import HTTPConnection, HTTPRequest

TICK_SECONDS = 0.25
TOO_SLOW = "The request did not arrive in time."


class HeadDeadlines:
    """The deadlines of the request heads being read; one thread for all of them (a timer
    per request would cost a thread per request)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._deadlines: dict[DeadlineRequest, float] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="http-head-deadlines", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()

    def begin(self, request: DeadlineRequest) -> None:
        with self._lock:
            self._deadlines[request] = time.monotonic() + self.seconds

    def end(self, request: DeadlineRequest) -> None:
        with self._lock:
            self._deadlines.pop(request, None)

    def _watch(self) -> None:
        while not self._stopped.wait(TICK_SECONDS):
            now = time.monotonic()
            with self._lock:
                late = [request for request, deadline in self._deadlines.items() if deadline <= now]
                for request in late:
                    del self._deadlines[request]
                    request.cut_off()


class DeadlineRequest(HTTPRequest):
    """cheroot's request, whose head must arrive before ``server.head_deadlines`` says."""

    too_slow = False

    def parse_request(self) -> None:
        deadlines: HeadDeadlines = self.server.head_deadlines
        deadlines.begin(self)
        try:
            super().parse_request()
        finally:
            deadlines.end(self)

    def cut_off(self) -> None:
        """Called by the watchdog: the worker's blocked read returns, the head is incomplete."""
        self.too_slow = True
        with contextlib.suppress(OSError):  # the client has gone already
            self.conn.socket.shutdown(socket.SHUT_RD)

    def simple_response(self, status, msg="") -> None:
        """cheroot answers an incomplete head with 400; a cut-off client gets 408."""
        if self.too_slow:
            status, msg = "408 Request Timeout", TOO_SLOW
            self.close_connection = True
        super().simple_response(status, msg)


class DeadlineConnection(HTTPConnection):
    RequestHandlerClass = DeadlineRequest
