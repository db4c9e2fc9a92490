"""Loopback receivers of notifications, for tests: a webhook (what Apprise's ``json://``
posts) and an SMTP server (aiosmtpd, what ``mailto://`` sends to). Each records what it
received, and the webhook answers as told (500s first, a hook run on receipt)."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

ID_HEADER = "X-Newswatch-Message-Id"


@dataclass(frozen=True)
class Posted:
    """One request the webhook received, and the status it answered."""

    message_id: str | None
    payload: dict
    status: int


class WebhookReceiver:
    """``json://127.0.0.1:PORT/hook``: records every POST; answers ``failures`` first, then 200."""

    def __init__(self, port: int = 0) -> None:
        self.received: list[Posted] = []
        self.failures: list[int] = []
        self.on_receipt: Callable[[Posted], None] | None = None
        """Run after the request is recorded and before it is answered."""
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, query: str = "") -> str:
        return f"json://127.0.0.1:{self._server.server_port}/hook{'?' + query if query else ''}"

    def accepted(self) -> list[Posted]:
        return [posted for posted in self.received if posted.status == 200]

    def _receive(self, message_id: str | None, payload: dict) -> Posted:
        with self._lock:
            status = self.failures.pop(0) if self.failures else 200
            posted = Posted(message_id, payload, status)
            self.received.append(posted)
        if self.on_receipt is not None:
            self.on_receipt(posted)
        return posted


def _handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            payload = json.loads(self.rfile.read(length) or b"{}")
            posted = receiver._receive(self.headers.get(ID_HEADER), payload)
            self.send_response(posted.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class SmtpReceiver:
    """``mailto://127.0.0.1:PORT?...``: an SMTP server that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = _free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._controller.stop()

    def url(self, query: str = "") -> str:
        extra = f"&{query}" if query else ""
        return f"mailto://127.0.0.1:{self.port}?from=newswatch@example.org&to=reader@example.org&mode=insecure{extra}"

    async def handle_DATA(self, _server, _session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    """aiosmtpd checks its server by connecting to the port it was given, so it needs a real one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
