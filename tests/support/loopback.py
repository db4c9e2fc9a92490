"""A loopback HTTP server for the synthetic mirror: what the crawler's tests and benchmarks
crawl instead of the live site (no test ever touches the network).

It behaves as a careful web server does, so that the crawler's politeness and incremental
fetching can be checked from the outside:

* every page has an ``ETag`` (a hash of its bytes) and a ``Last-Modified`` date, and a
  conditional GET whose validators still match is answered ``304 Not Modified``, no body;
* pages can be edited or deleted between crawls (:meth:`LoopbackServer.put`,
  :meth:`LoopbackServer.delete`), or the whole site replaced by a newer mirror
  (:meth:`LoopbackServer.serve`): an unchanged page keeps its validators;
* a page can be made to misbehave, a number of times or until healed: an error status
  (429/5xx with ``Retry-After``), a hang, a reset connection, a truncated or corrupt body...
  (:meth:`LoopbackServer.misbehave`; the kinds of fault are in tests.support.loopback_faults);
* a request can set off a change of the site (:meth:`LoopbackServer.after`): the page that
  changes between the listing's fetch and the article's;
* every request is recorded (:attr:`LoopbackServer.requests`) with its host, headers,
  status and body size, so a test can assert what was, and was not, fetched;
* answers can be made slow (:meth:`LoopbackServer.slow_down`), so that a crawler's requests
  overlap, and the most requests in flight at once are counted per host
  (:attr:`LoopbackServer.peak_in_flight`): a crawler's concurrency seen from the outside.

The same server answers under a second host name, ``localhost``: to the crawler, which
starts from ``127.0.0.1``, that is another site, and any request recorded with that host is
an offsite request it should never have made.

Run ``python -m tests.support.loopback --articles 2000`` to serve a mirror by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import email.utils
import hashlib
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol

from tests.support.loopback_faults import Answer, Fault, Status, fault_target
from tests.support.mirror import Page, Redirect, Resource, build_mirror

HOST = "127.0.0.1"
VALIDATORS = ("ETag", "Last-Modified")
ALIAS_HOST = "localhost"


class Content(Protocol):
    """What a site answers: a :class:`~tests.support.mirror.Mirror`, or another markup of it
    (:class:`tests.support.markups.MarkupSite`)."""

    def resource(self, target: str) -> Resource | None:
        """The page or redirect at ``target`` (path and query); None: 404."""


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it, and what it answered."""

    method: str
    target: str
    host: str
    headers: dict[str, str]
    status: int
    body_bytes: int
    fault: str | None = None
    """The name of the fault the answer was given with (see tests.support.loopback_faults)."""
    received: float = 0.0
    """When its head had been read (time.monotonic()): the spacing a crawl's politeness keeps."""

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]


@dataclass
class _Misbehaviour:
    fault: Fault
    times: int | None
    """Requests still to answer with the fault; None: until healed."""


@dataclass
class _Site:
    """What is served: a mirror, with edits and deletions laid over it."""

    mirror: Content
    edits: dict[str, Page] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    faults: dict[str, _Misbehaviour] = field(default_factory=dict)
    triggers: dict[str, list[Callable[[], None]]] = field(default_factory=dict)

    def resource(self, target: str) -> Resource | None:
        if target in self.deleted:
            return None
        return self.edits.get(target) or self.mirror.resource(target)


class LoopbackServer:
    """Serves a :class:`~tests.support.mirror.Mirror` (or any :class:`Content`) on 127.0.0.1
    from a background thread.

    ``host`` binds another loopback address instead (127.0.0.2, 127.0.0.3, ...: Linux routes
    all of 127.0.0.0/8 to the loopback interface): to a crawler each address is a host of
    its own, so per-site politeness applies to it as to a site on the internet
    (benchmarks.many_sites). The alias host name still names 127.0.0.1, so under another
    ``host`` it reaches nothing: it stays offsite, never to be fetched.
    """

    def __init__(self, mirror: Content | None = None, port: int = 0, host: str = HOST) -> None:
        self.host = host
        self._lock = threading.Lock()
        self._site = _Site(mirror or build_mirror())
        self._log: list[LoggedRequest] = []
        self._pace = 0.0
        self._in_flight: Counter[str] = Counter()
        self._peak: Counter[str] = Counter()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # ends hanging and trickling answers
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        """The site's address: ``http://127.0.0.1:PORT`` (or its ``host``)."""
        return f"http://{self.host}:{self.port}"

    @property
    def alias_origin(self) -> str:
        """The same server under another host name: offsite, as far as a crawl goes."""
        return f"http://{ALIAS_HOST}:{self.port}"

    # -- changing the site between crawls -------------------------------------------------

    def serve(self, mirror: Content) -> None:
        """Publish a new version of the whole site (edits and deletions are dropped)."""
        with self._lock:
            self._site = _Site(mirror)

    def body(self, target: str) -> bytes:
        """The bytes currently served at ``target``."""
        resource = self._site.resource(target)
        if not isinstance(resource, Page):
            raise KeyError(target)
        return resource.body

    def put(self, target: str, body: bytes) -> None:
        """Edit a page: new bytes, so a new ETag and a later Last-Modified."""
        with self._lock:
            self._site.deleted.discard(target)
            self._site.edits[target] = Page(body, _now())

    def delete(self, target: str) -> None:
        """Delete a page: it answers 404 from now on."""
        with self._lock:
            self._site.deleted.add(target)

    def fail(self, target: str, status: int, *, times: int = 1, retry_after: str | None = None) -> None:
        """Answer ``status`` (and ``Retry-After``) to the next ``times`` requests for ``target``."""
        self.misbehave(target, Status(status, retry_after), times=times)

    def misbehave(self, target: str, fault: Fault, *, times: int | None = None) -> None:
        """Answer the next ``times`` requests for ``target`` with ``fault`` (None: every
        request until :meth:`heal`)."""
        with self._lock:
            self._site.faults[target] = _Misbehaviour(fault, times)

    def heal(self) -> None:
        """Drop every fault: the site answers properly again."""
        with self._lock:
            self._site.faults.clear()

    def after(self, target: str, change: Callable[[], None]) -> None:
        """Call ``change`` (an edit of the site) once ``target`` has been answered, once."""
        with self._lock:
            self._site.triggers.setdefault(target, []).append(change)

    def slow_down(self, seconds: float) -> None:
        """Answer every request ``seconds`` after reading it (0: at once)."""
        self._pace = seconds

    # -- what was asked -------------------------------------------------------------------

    @property
    def peak_in_flight(self) -> dict[str, int]:
        """By host: the most requests being answered at once so far."""
        with self._lock:
            return dict(self._peak)

    def _enter(self, host: str) -> None:
        with self._lock:
            self._in_flight[host] += 1
            self._peak[host] = max(self._peak[host], self._in_flight[host])

    def _leave(self, host: str) -> None:
        with self._lock:
            self._in_flight[host] -= 1

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # -- answering (called from the handler threads) -------------------------------------

    def _answer(self, method: str, target: str, headers: dict[str, str]) -> tuple[Answer, Fault]:
        """What to answer, and the fault to answer it with (a plain :class:`Fault` answers
        properly)."""
        with self._lock:
            fault = self._fault(target)
            if fault is not None:
                # A fault answers as if to an unconditional GET (a 304 would leave it no body),
                # without validators: they belong to the page's proper bytes.
                proper = self._proper(target, {})
                headers = {k: v for k, v in proper.headers.items() if k not in VALIDATORS}
                return fault.reshape(replace(proper, headers=headers), target), fault
            return self._proper(target, headers), Fault()

    def _fault(self, target: str) -> Fault | None:
        misbehaviour = self._site.faults.get(fault_target(target))
        if misbehaviour is None or misbehaviour.times == 0:
            return None
        if misbehaviour.times is not None:
            misbehaviour.times -= 1
        return misbehaviour.fault

    def _proper(self, target: str, headers: dict[str, str]) -> Answer:
        resource = self._site.resource(target)
        if resource is None:
            return Answer(404, b"not found\n", "text/plain")
        if isinstance(resource, Redirect):
            return Answer(resource.status, b"", "text/plain", {"Location": resource.location})
        return _conditional(resource, headers)

    def _answered(self, target: str) -> None:
        """Set off the changes waiting for ``target`` (outside the lock: they edit)."""
        with self._lock:
            changes = self._site.triggers.pop(target, [])
        for change in changes:
            change()

    def _record(self, request: LoggedRequest) -> None:
        with self._lock:
            self._log.append(request)


def _conditional(page: Page, headers: dict[str, str]) -> Answer:
    """200 with validators, or 304 when the client's validators still match (RFC 9110 13.2.2:
    If-None-Match wins over If-Modified-Since)."""
    etag = '"' + hashlib.sha1(page.body).hexdigest()[:20] + '"'
    validators = {"ETag": etag, "Last-Modified": email.utils.format_datetime(page.last_modified, usegmt=True)}
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        unchanged = etag in {tag.strip() for tag in if_none_match.split(",")} or if_none_match.strip() == "*"
    else:
        unchanged = _not_modified_since(page.last_modified, headers.get("if-modified-since"))
    if unchanged:
        return Answer(304, b"", page.content_type, validators)
    return Answer(200, page.body, page.content_type, validators)


def _not_modified_since(modified: dt.datetime, header: str | None) -> bool:
    if not header:
        return False
    try:
        since = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    return modified.replace(microsecond=0) <= since


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _handler_for(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Scrapy's client expects
        # Headers and body go out in two writes; with Nagle's algorithm the second one waits
        # for the client's delayed ACK (some 40 ms a response on loopback).
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            self._respond(with_body=True)

        def do_HEAD(self) -> None:
            self._respond(with_body=False)

        def _respond(self, *, with_body: bool) -> None:
            received = time.monotonic()
            headers = {name.lower(): value for name, value in self.headers.items()}
            answer, fault = server._answer(self.command, self.path, headers)
            if not with_body:
                answer = Answer(answer.status, b"", answer.content_type, answer.headers)
            # Recorded before answering: once a client has its answer, the log holds it.
            server._record(
                LoggedRequest(
                    self.command,
                    self.path,
                    headers.get("host", ""),
                    headers,
                    answer.status,
                    len(answer.body),
                    None if type(fault) is Fault else fault.name,
                    received,
                )
            )
            server._enter(headers.get("host", ""))
            try:
                if self.wait(server._pace):
                    fault.deliver(self, answer)
            except OSError:  # the client left (or a fault reset the connection)
                self.close_connection = True
            finally:
                server._leave(headers.get("host", ""))
            server._answered(self.path)

        # -- the Wire a fault delivers through (tests.support.loopback_faults) ------------------

        def head(self, answer: Answer, *, content_length: int | None) -> None:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            if content_length is None:  # the body ends with the connection
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(content_length))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.flush()

        def write(self, data: bytes) -> None:
            self.wfile.write(data)
            self.wfile.flush()

        def send(self, answer: Answer) -> None:
            self.head(answer, content_length=len(answer.body))
            self.write(answer.body)

        def reset(self) -> None:
            # Closing with a zero linger time sends RST instead of FIN (once the handler's
            # file objects let go of the socket, right after this request).
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def close(self) -> None:
            self.close_connection = True

        def wait(self, seconds: float) -> bool:
            return not server._stopping.wait(seconds)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the request log is the record."""

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the synthetic mirror on 127.0.0.1.")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    server = LoopbackServer(port=args.port)
    server.serve(build_mirror(args.articles, per_page=args.per_page, offsite_origin=server.alias_origin))
    print(f"serving {args.articles} articles at {server.origin}/news/ (Ctrl-C to stop)")
    with server, contextlib.suppress(KeyboardInterrupt):
        server._thread.join()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
