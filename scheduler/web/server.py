"""Serving the WSGI app over HTTP with cheroot, on a thread the service can stop.

Cheroot is CherryPy's production WSGI server: a thread pool, keep-alive, limits on request
sizes, and a ``stop()`` that is safe to call from another thread, which is what a service
that must stop promptly on SIGTERM needs (waitress has no public cross-thread stop;
werkzeug's own server is meant for development). Binding happens in :meth:`start`, on the
caller's thread, so a port already taken fails the start-up with a clear error.

Hostile or broken clients are bounded: a request head larger than 16 KiB (thousands of
headers, say) is refused with 413 before it is parsed further, a body larger than 1 KiB with
413, and a head that takes longer than ``HEAD_DEADLINE_SECONDS`` to arrive is cut off with 408.
A connection reaches a worker thread only once its request head has arrived
(scheduler.web.waiting_room), so clients that connect and dawdle hold no worker, however
many they are. A worker does hold its connection while the answer is sent, so a client that
reads slowly holds one, for at most ``RESPONSE_DEADLINE_SECONDS`` (scheduler.web.slow_clients);
``WORKER_THREADS`` is large enough that dozens of them delay nobody else, and one client
address has at most ``WORKERS_PER_CLIENT`` of them at a time. Idle keep-alive
connections hold no thread (cheroot watches them with a selector), and ``LISTEN_BACKLOG``
lets a burst of hundreds of connections wait for ``accept`` instead of being dropped (the
library's default backlog of 5 left clients of a burst without an answer for 30 s and more).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from cheroot.wsgi import Server

from scheduler.web.slow_clients import DeadlineConnection, Deadlines
from scheduler.web.waiting_room import WaitingRoom

MAX_REQUEST_HEADER_BYTES = 16 * 1024
MAX_REQUEST_BODY_BYTES = 1024
"""Only GET and HEAD are served: a request with a larger body is refused (413)."""
WORKER_THREADS = 100
"""Threads blocked on a slow reader cost only memory (an idle thread: a few tens of KiB)."""
WORKERS_PER_CLIENT = 50
"""Connections of one client address with the workers at a time; the rest wait their turn."""
LISTEN_BACKLOG = 1024
"""Connections the kernel holds until they are accepted (Linux caps it at somaxconn)."""
HEAD_DEADLINE_SECONDS = 10.0
"""The request line and headers must arrive within this (a browser sends them at once)."""
RESPONSE_DEADLINE_SECONDS = 60.0
"""The whole answer must be taken within this: a feed (at most a few MB, less gzipped)
reaches even a slow phone in a fraction of it."""
READ_TIMEOUT_SECONDS = 10
STOP_SECONDS = 2


class ListenError(RuntimeError):
    """The address cannot be listened on (the port is taken, the address is not ours...)."""


class _Server(Server):
    """cheroot's WSGI server, whose connections pass through the waiting room."""

    waiting_room: WaitingRoom

    def process_conn(self, conn) -> None:
        self.waiting_room.admit(conn)


class HttpServer:
    """One listening socket and its worker threads, started and stopped by the service."""

    def __init__(
        self,
        app: Callable,
        host: str,
        port: int,
        *,
        head_deadline: float = HEAD_DEADLINE_SECONDS,
        response_deadline: float = RESPONSE_DEADLINE_SECONDS,
    ) -> None:
        self._server = _Server(
            (host, port),
            app,
            numthreads=WORKER_THREADS,
            server_name="newswatch",
            shutdown_timeout=STOP_SECONDS,
            timeout=READ_TIMEOUT_SECONDS,
            request_queue_size=LISTEN_BACKLOG,
        )
        self._server.max_request_header_size = MAX_REQUEST_HEADER_BYTES
        self._server.max_request_body_size = MAX_REQUEST_BODY_BYTES
        self._server.ConnectionClass = DeadlineConnection
        self._deadlines = self._server.deadlines = Deadlines(head_deadline, response_deadline)
        self.waiting_room = self._server.waiting_room = WaitingRoom(
            super(_Server, self._server).process_conn,
            head_deadline,
            MAX_REQUEST_HEADER_BYTES,
            WORKERS_PER_CLIENT,
        )
        self._thread: threading.Thread | None = None

    def start(self) -> tuple[str, int]:
        """Bind and start serving; returns the bound address (the real port for port 0)."""
        try:
            self._server.prepare()
        except OSError as error:
            host, port = self._server.bind_addr[:2]
            raise ListenError(f"cannot listen on {host}:{port}: {error}") from error
        self._deadlines.start()
        self.waiting_room.start()
        self._thread = threading.Thread(target=self._server.serve, name="http", daemon=True)
        self._thread.start()
        host, port = self._server.bind_addr[:2]
        return host, port

    def stop(self) -> None:
        """Stop accepting, finish the requests in progress (briefly), close the socket."""
        self._server.stop()
        self._deadlines.stop()
        self.waiting_room.stop()
        if self._thread is not None:
            self._thread.join(STOP_SECONDS)
