"""The service's WSGI application: the feeds (combined and per site), the list of them all
(/feeds.opml), the change log (JSON and HTML, of every site or of one), each entry's history
(HTML), and /healthz.

Werkzeug does the HTTP details that are easy to get subtly wrong: routing (an unknown path
is 404; another method than GET or HEAD is 405 with ``Allow``), HEAD (headers without a
body), and conditional requests (``If-None-Match`` / ``If-Modified-Since`` -> 304).

The feeds are served from the files the crawl writes into the data directory, by a fixed
table of names: no part of a request path becomes a file path unless it is the name of a
watched site (looked up, not trusted), so no traversal is possible. The files are replaced by rename (feeds.writer), so the open file is one whole
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
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, NotFound, ServiceUnavailable
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from feeds import FEED_FILES, JSON_FEED_TYPE, SITES_DIRECTORY, site_directory
from scheduler.site_feeds import feeds_opml
from scheduler.sites import BUILT_IN, WatchedSite
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
OPML_TYPE = "text/x-opml; charset=utf-8"
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

ENTRY_ROUTE = f"/{ENTRIES_PREFIX}<entry_id>"
Handler = Callable[..., Response]


class ServiceApp:
    """``GET`` (and ``HEAD``) of the feed files, the change log, the entry pages and the
    health report.

    ``sites`` are the watched sites: each has its feeds under ``/sites/NAME/`` and its change
    log at ``/changes?site=NAME``; a name not among them is 404. ``base_url`` is where the
    service is reached (set by the service once it listens; else the request's own host),
    for the feed list ``/feeds.opml``.
    """

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        site_url: str,
        health: Callable[[], dict],
        sites: Sequence[WatchedSite] = (BUILT_IN,),
    ) -> None:
        self.store = store
        self.data_dir = data_dir
        self.site_url = site_url
        self.health = health
        self.sites = tuple(sites)
        self.base_url: str | None = None
        self.handlers: dict[str, Handler] = {
            **{f"/{FEED_FILES[kind]}": partial(self.feed_file, kind=kind) for kind in FEED_TYPES},
            **{
                f"/{SITES_DIRECTORY}/<name>/{FEED_FILES[kind]}": partial(self.site_feed_file, kind=kind)
                for kind in FEED_TYPES
            },
            "/feeds.opml": self.feeds_opml,
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

    def feed_file(self, request: Request, kind: str, directory: Path | None = None) -> Response:
        try:
            with open((directory or self.data_dir) / FEED_FILES[kind], "rb") as handle:
                data = handle.read()
                modified = os.fstat(handle.fileno()).st_mtime
        except FileNotFoundError:
            raise ServiceUnavailable(
                "The feeds are written after the first crawl; try again shortly.",
                retry_after=RETRY_AFTER_SECONDS,
            ) from None
        when = dt.datetime.fromtimestamp(modified, dt.UTC)
        return _conditional(request, Response(data, content_type=FEED_TYPES[kind]), when)

    def site_feed_file(self, request: Request, kind: str, name: str) -> Response:
        """One site's own feed: the name is looked up among the sites, never used as a path
        before it is found there."""
        site = self._site(name)
        return self.feed_file(request, kind, site_directory(self.data_dir, site.name))

    def feeds_opml(self, request: Request) -> Response:
        """Every feed, combined and per site, as an OPML list a reader imports in one step."""
        document = feeds_opml(self.sites, data_dir=self.data_dir, base_url=self.base_url or request.host_url)
        return _conditional(request, Response(document, content_type=OPML_TYPE), None)

    def changes_json(self, request: Request) -> Response:
        """The same array as ``newswatch changes --json`` (``?site=NAME``: ``--site NAME``)."""
        site = self._chosen_site(request)
        changes = self.store.changes(site=site.name if site else None)
        body = json.dumps([change.as_json() for change in changes], ensure_ascii=False, indent=2)
        response = Response(body + "\n", content_type="application/json; charset=utf-8")
        return _conditional(request, response, changes[0].at if changes else None)

    def changes_page(self, request: Request) -> Response:
        """The change log for people: a page of 50, filtered by site and kind and searched
        by words."""
        try:
            query = changes_query(request.args)
        except ValueError as error:
            raise BadRequest(str(error)) from None
        site = self._site(query.site) if query.site else None
        name = site.name if site else None
        changes = self.store.changes(
            kinds=query.kinds, limit=PAGE_SIZE, offset=query.offset, search=query.search, site=name
        )
        matching = self.store.change_count(kinds=query.kinds, search=query.search, site=name)
        page = render_changes_page(changes, matching, query, self.site_url, sites=self.sites, chosen=site)
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

    def _chosen_site(self, request: Request) -> WatchedSite | None:
        """The site of ``?site=NAME``, or None for every site."""
        name = request.args.get("site")
        return self._site(name) if name else None

    def _site(self, name: str) -> WatchedSite:
        for site in self.sites:
            if site.name == name:
                return site
        raise NotFound(f"No site named {name!r} is watched here; every feed is listed at /feeds.opml.")

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
