"""Serving the WSGI app over HTTP with cheroot, on a thread the service can stop.

Cheroot is CherryPy's production WSGI server: a thread pool, keep-alive, limits on request
sizes, and a ``stop()`` that is safe to call from another thread, which is what a service
that must stop promptly on SIGTERM needs (waitress has no public cross-thread stop;
werkzeug's own server is meant for development). Binding happens in :meth:`start`, on the
caller's thread, so a port already taken fails the start-up with a clear error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from cheroot.wsgi import Server

MAX_REQUEST_HEADER_BYTES = 16 * 1024
MAX_REQUEST_BODY_BYTES = 1024
"""Only GET and HEAD are served: a request with a larger body is refused (413)."""
WORKER_THREADS = 4
STOP_SECONDS = 2


class ListenError(RuntimeError):
    """The address cannot be listened on (the port is taken, the address is not ours...)."""


class HttpServer:
    """One listening socket and its worker threads, started and stopped by the service."""

    def __init__(self, app: Callable, host: str, port: int) -> None:
        self._server = Server(
            (host, port), app, numthreads=WORKER_THREADS, server_name="newswatch",
            shutdown_timeout=STOP_SECONDS, timeout=10,
        )
        self._server.max_request_header_size = MAX_REQUEST_HEADER_BYTES
        self._server.max_request_body_size = MAX_REQUEST_BODY_BYTES
        self._thread: threading.Thread | None = None

    def start(self) -> tuple[str, int]:
        """Bind and start serving; returns the bound address (the real port for port 0)."""
        try:
            self._server.prepare()
        except OSError as error:
            host, port = self._server.bind_addr[:2]
            raise ListenError(f"cannot listen on {host}:{port}: {error}") from error
        self._thread = threading.Thread(target=self._server.serve, name="http", daemon=True)
        self._thread.start()
        host, port = self._server.bind_addr[:2]
        return host, port

    def stop(self) -> None:
        """Stop accepting, finish the requests in progress (briefly), close the socket."""
        self._server.stop()
        if self._thread is not None:
            self._thread.join(STOP_SECONDS)
