"""The service's WSGI application: the feeds, the change log (JSON and HTML), each entry's
history (HTML), and /healthz.

Werkzeug does the HTTP details that are easy to get subtly wrong: routing (an unknown path
is 404; another method than GET or HEAD is 405 with ``Allow``), HEAD (headers without a
body), and conditional requests (``If-None-Match`` / ``If-Modified-Since`` -> 304).

The feeds are served from the files the crawl writes into the data directory, by a fixed
table of names: no part of a request path ever becomes a file path, so no traversal is
possible. The files are replaced by rename (feeds.writer), so the open file is one whole
version; its ETag is a hash of its bytes, its Last-Modified its mtime, which the writer
keeps when a crawl changes nothing. Feeds and pages go gzip-compressed to clients that ask
for it (scheduler.web.compression). Errors are short plain text; a failure is logged with
its traceback and answered with a bare 500.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, NotFound, ServiceUnavailable
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from feeds import FEED_FILES, JSON_FEED_TYPE
from scheduler.web.changes_page import PAGE_SIZE, changes_query, render_changes_page
from scheduler.web.compression import compress_for
from scheduler.web.entry_page import ENTRIES_PREFIX, render_entry_page
from storage.store import Store

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
FEED_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": f"{JSON_FEED_TYPE}; charset=utf-8",
    "changes": "application/atom+xml; charset=utf-8",
}
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

ENTRY_ROUTE = f"/{ENTRIES_PREFIX}<entry_id>"
Handler = Callable[..., Response]


class ServiceApp:
    """``GET`` (and ``HEAD``) of the feed files, the change log, the entry pages and the
    health report."""

    def __init__(self, store: Store, data_dir: Path, site_url: str, health: Callable[[], dict]) -> None:
        self.store = store
        self.data_dir = data_dir
        self.site_url = site_url
        self.health = health
        self.handlers: dict[str, Handler] = {
            **{f"/{FEED_FILES[kind]}": self._feed_file_handler(kind) for kind in FEED_TYPES},
            "/changes.json": self.changes_json,
            "/changes": self.changes_page,
            ENTRY_ROUTE: self.entry_page,
            "/healthz": self.healthz,
            "/": self.home,
        }
        rules = [Rule(path, endpoint=path, methods=["GET"]) for path in self.handlers]
        self.routes = Map(rules, merge_slashes=False)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = Request(environ)
        response = self.respond(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        try:
            endpoint, values = self.routes.bind_to_environ(request.environ).match()
            return self.handlers[endpoint](request, **values)
        except HTTPException as error:
            return _error_response(error)
        except Exception:
            log.exception("%s %s failed", request.method, request.path)
            return _error_response(InternalServerError())

    def _feed_file_handler(self, kind: str) -> Handler:
        return lambda request: self.feed_file(request, kind)

    def feed_file(self, request: Request, kind: str) -> Response:
        try:
            with open(self.data_dir / FEED_FILES[kind], "rb") as handle:
                data = handle.read()
                modified = os.fstat(handle.fileno()).st_mtime
        except FileNotFoundError:
            raise ServiceUnavailable(
                "The feeds are written after the first crawl; try again shortly.",
                retry_after=RETRY_AFTER_SECONDS,
            ) from None
        when = dt.datetime.fromtimestamp(modified, dt.UTC)
        return _conditional(request, Response(data, content_type=FEED_TYPES[kind]), when)

    def changes_json(self, request: Request) -> Response:
        """The same array as ``newswatch changes --json``."""
        changes = self.store.changes()
        body = json.dumps([change.as_json() for change in changes], ensure_ascii=False, indent=2)
        response = Response(body + "\n", content_type="application/json; charset=utf-8")
        return _conditional(request, response, changes[0].at if changes else None)

    def changes_page(self, request: Request) -> Response:
        """The change log for people: a page of 50, filtered by kind and searched by words."""
        try:
            query = changes_query(request.args)
        except ValueError as error:
            raise BadRequest(str(error)) from None
        changes = self.store.changes(
            kinds=query.kinds, limit=PAGE_SIZE, offset=query.offset, search=query.search
        )
        matching = self.store.change_count(kinds=query.kinds, search=query.search)
        page = render_changes_page(changes, matching, query, self.site_url)
        return _conditional(request, _html(page), self._newest_change())

    def entry_page(self, request: Request, entry_id: str) -> Response:
        """Every version and event of one entry (scheduler.web.entry_page)."""
        history = self.store.entry_history(entry_id)
        if history is None:
            raise NotFound(f"No entry has the id {entry_id[:100]!r}.")
        moments = [version.at for version in history.versions] + [event.at for event in history.events]
        return _conditional(request, _html(render_entry_page(history)), max(moments, default=None))

    def _newest_change(self) -> dt.datetime | None:
        """When the log last changed: every page of it, filtered or not, is as new as that."""
        newest = self.store.changes(limit=1)
        return newest[0].at if newest else None

    def healthz(self, request: Request) -> Response:
        """The health report; 503 when it is not ok (scheduler.service.health)."""
        report = self.health()
        status = 200 if report.get("ok", True) else 503
        response = Response(
            json.dumps(report, indent=2) + "\n", status=status, content_type="application/json"
        )
        response.cache_control.no_store = True
        return response

    def home(self, request: Request) -> Response:
        """People who open the bare address land on the change log."""
        return Response(
            "See /changes\n", status=302, headers={"Location": "/changes"}, content_type="text/plain"
        )


def _html(page: str) -> Response:
    """A page for people, under the policy that forbids scripts and sends no referrer."""
    response = Response(page, content_type="text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _conditional(request: Request, response: Response, modified: dt.datetime | None) -> Response:
    """ETag (hash of the body) and Last-Modified; 304 when the client's copy is current.
    The body goes gzipped to a client that accepts it, under an ETag of its own."""
    tag = hashlib.sha256(response.get_data()).hexdigest()[:32]
    response.set_etag(compress_for(request, response, tag))
    if modified is not None:
        response.last_modified = modified.replace(microsecond=0)
    response.cache_control.no_cache = True
    return response.make_conditional(request)


def _error_response(error: HTTPException) -> Response:
    """A short plain-text error, keeping the headers the status needs (Allow, Retry-After)."""
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    text = f"{error.code} {error.name}: {error.description}\n"
    return Response(text, status=error.code, headers=headers, content_type="text/plain; charset=utf-8")
