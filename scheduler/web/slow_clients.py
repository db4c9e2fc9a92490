"""Cutting off clients that send their request, or take its answer, too slowly.

cheroot hands a connection to a worker thread as soon as its first byte arrives, and the
worker reads the request line and headers with a timeout per read. A client that sends one
byte every few seconds never trips that timeout and holds its worker for as long as it likes
(16 KiB of headers at a byte a second is four and a half hours); a few such clients hold
every worker, and the server stops answering anyone. So the whole request head must arrive
within a deadline. One watchdog thread keeps the deadlines of the heads being read; when one
passes, it shuts the read side of that socket, which wakes the blocked worker at once, and
the client gets ``408 Request Timeout``. (The waiting room, scheduler.web.waiting_room, keeps
such clients away from the workers in the first place; this deadline is the backstop for a
head that reaches a worker incomplete.)

The same holds for the answer: a client that takes a byte now and then never trips the
timeout of one send and would hold its worker for as long as it likes; the whole answer
must be taken within a deadline too, or the connection is shut down.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

from cheroot.server import HTTPConnection, HTTPRequest

TICK_SECONDS = 0.25
ABORT_ON_CLOSE = struct.pack("ii", 1, 0)
"""SO_LINGER on, zero seconds: closing the socket discards what is unsent and resets."""
TOO_SLOW = "The request did not arrive in time."


class Deadlines:
    """The deadlines of the request heads being read and of the answers being sent; one
    thread for all of them (a timer per request would cost a thread per request)."""

    def __init__(self, head_seconds: float, response_seconds: float) -> None:
        self.head_seconds = head_seconds
        self.response_seconds = response_seconds
        self._deadlines: dict[DeadlineRequest, float] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="http-head-deadlines", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()

    def begin(self, request: DeadlineRequest, seconds: float) -> None:
        with self._lock:
            self._deadlines[request] = time.monotonic() + seconds

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
    """cheroot's request, whose head must arrive, and whose answer must be taken, before
    ``server.deadlines`` says."""

    too_slow = False
    responding = False

    def parse_request(self) -> None:
        deadlines: Deadlines = self.server.deadlines
        deadlines.begin(self, deadlines.head_seconds)
        try:
            super().parse_request()
        finally:
            deadlines.end(self)

    def respond(self) -> None:
        deadlines: Deadlines = self.server.deadlines
        self.responding = True
        deadlines.begin(self, deadlines.response_seconds)
        try:
            super().respond()
        finally:
            deadlines.end(self)

    def cut_off(self) -> None:
        """Called by the watchdog: the worker's blocked read (the head is incomplete) or
        send (the client does not take the answer) returns at once."""
        self.too_slow = True
        with contextlib.suppress(OSError):  # the client has gone already
            if self.responding:
                # a reset, not a FIN queued behind megabytes the client would still trickle in
                self.conn.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, ABORT_ON_CLOSE)
                self.conn.socket.shutdown(socket.SHUT_RDWR)
            else:
                self.conn.socket.shutdown(socket.SHUT_RD)

    def simple_response(self, status, msg="") -> None:
        """cheroot answers an incomplete head with 400; a cut-off client gets 408."""
        if self.too_slow and not self.responding:
            status, msg = "408 Request Timeout", TOO_SLOW
            self.close_connection = True
        super().simple_response(status, msg)


class DeadlineConnection(HTTPConnection):
    RequestHandlerClass = DeadlineRequest

    def communicate(self) -> bool:
        """One request; then the waiting room may give this client's worker slot on."""
        try:
            return super().communicate()
        finally:
            self.server.waiting_room.released(self)

    def close(self) -> None:
        """Close the writer too: while it is open the socket stays open under it (cheroot
        leaves that to the garbage collector), and a cut-off client is not reset."""
        with contextlib.suppress(OSError):  # a cut-off client: what is unsent is dropped
            self.wfile.close()
        super().close()
