"""Serving the WSGI app over HTTP with cheroot, on a thread the service can stop.

Cheroot is CherryPy's production WSGI server: a thread pool, keep-alive, limits on request
sizes, and a ``stop()`` that is safe to call from another thread, which is what a service
that must stop promptly on SIGTERM needs (waitress has no public cross-thread stop;
werkzeug's own server is meant for development). Binding happens in :meth:`start`, on the
caller's thread, so a port already taken fails the start-up with a clear error.

Hostile or broken clients are bounded: a request head larger than 16 KiB (thousands of
headers, say) is refused with 413 before it is parsed further, a body larger than 1 KiB with
413, and a head that takes longer than ``HEAD_DEADLINE_SECONDS`` to arrive is cut off with 408
(scheduler.web.slow_clients). Each worker thread serves one connection at a time while it reads
a request, so slow clients hold workers until their deadline; ``WORKER_THREADS`` is large
enough that a few of them never delay anyone else, and more delay others by at most the
deadline. (Idle keep-alive connections hold no thread: cheroot watches them with a selector.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from cheroot.wsgi import Server

from scheduler.web.slow_clients import DeadlineConnection, HeadDeadlines

MAX_REQUEST_HEADER_BYTES = 16 * 1024
MAX_REQUEST_BODY_BYTES = 1024
"""Only GET and HEAD are served: a request with a larger body is refused (413)."""
WORKER_THREADS = 16
"""Threads blocked on a slow client cost only memory; four were held by four slow clients."""
HEAD_DEADLINE_SECONDS = 10.0
"""The request line and headers must arrive within this (a browser sends them at once)."""
READ_TIMEOUT_SECONDS = 10
STOP_SECONDS = 2


class ListenError(RuntimeError):
    """The address cannot be listened on (the port is taken, the address is not ours...)."""


class HttpServer:
    """One listening socket and its worker threads, started and stopped by the service."""

    def __init__(
        self, app: Callable, host: str, port: int, *, head_deadline: float = HEAD_DEADLINE_SECONDS
    ) -> None:
        self._server = Server(
            (host, port),
            app,
            numthreads=WORKER_THREADS,
            server_name="newswatch",
            shutdown_timeout=STOP_SECONDS,
            timeout=READ_TIMEOUT_SECONDS,
        )
        self._server.max_request_header_size = MAX_REQUEST_HEADER_BYTES
        self._server.max_request_body_size = MAX_REQUEST_BODY_BYTES
        self._server.ConnectionClass = DeadlineConnection
        self._deadlines = self._server.head_deadlines = HeadDeadlines(head_deadline)
        self._thread: threading.Thread | None = None

    def start(self) -> tuple[str, int]:
        """Bind and start serving; returns the bound address (the real port for port 0)."""
        try:
            self._server.prepare()
        except OSError as error:
            host, port = self._server.bind_addr[:2]
            raise ListenError(f"cannot listen on {host}:{port}: {error}") from error
        self._deadlines.start()
        self._thread = threading.Thread(target=self._server.serve, name="http", daemon=True)
        self._thread.start()
        host, port = self._server.bind_addr[:2]
        return host, port

    def stop(self) -> None:
        """Stop accepting, finish the requests in progress (briefly), close the socket."""
        self._server.stop()
        self._deadlines.stop()
        if self._thread is not None:
            self._thread.join(STOP_SECONDS)
