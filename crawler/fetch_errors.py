"""Why a page was not fetched, in words for the crawl's record and summary.

Scrapy hands a failed request's errback a Twisted failure whose message is often empty
("Ignoring non-200 response", or nothing at all for a body cut short). The crawl run keeps
one line per failed page that says what happened, so that a person reading the summary
knows whether the site was down, slow, broken or moved away, and the next crawl knows what
to retry (storage.fetch_failures).

Some requests are not fetched on purpose and are no failure: robots.txt forbids them, or
they lead to another host. A redirect to another host is still recorded (not as an error,
and not retried): the site answered, but newswatch does not follow it there. A start page
is the exception: a crawl that cannot fetch it has failed, whatever the cause, so a start
page that robots.txt forbids is a failure like any other (crawler.start_pages).
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlsplit

from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    ResponseDataLossError,
)
from scrapy.http import Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.python.failure import Failure

from crawler.middlewares.decompression import UndecodableBody
from crawler.middlewares.offsite_redirects import OffsiteRedirect, RedirectLoop
from crawler.middlewares.page_size import RECEIVED
from crawler.settings import MAX_PAGE_BYTES
from storage.fetch_failures import FailedFetch

TOO_MANY_REDIRECTS = "max redirections reached"
FORBIDDEN_BY_ROBOTS = "Forbidden by robots.txt"


def failed_fetch(failure: Failure, request: Request, *, start_page: bool = False) -> FailedFetch | None:
    """What to record of a request that ended in ``failure``; None: skipped on purpose
    (never a ``start_page``)."""
    redirects = request.meta.get("redirect_urls", [])
    url = redirects[0] if redirects else request.url  # the page asked for, not the last hop
    if failure.check(HttpError):
        return FailedFetch(url, _http_error(failure.value.response))
    if failure.check(OffsiteRedirect):
        return FailedFetch(url, str(failure.value), retry=False)
    if failure.check(RedirectLoop):
        return FailedFetch(url, str(failure.value))
    if failure.check(IgnoreRequest):
        if str(failure.value) == TOO_MANY_REDIRECTS:
            return FailedFetch(url, f"too many redirects ({len(redirects)}, the last to {request.url})")
        if start_page:
            return FailedFetch(url, _skipped(failure))
        return None  # robots.txt, or a link to another host: not fetched on purpose
    return FailedFetch(url, _broken(failure, request))


def _skipped(failure: Failure) -> str:
    """Why a request was not sent at all."""
    message = failure.getErrorMessage()
    if message == FORBIDDEN_BY_ROBOTS:
        return "forbidden by robots.txt"
    return message or f"not fetched ({failure.type.__name__})"


def _http_error(response) -> str:
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = "unknown status"
    reason = f"HTTP {response.status} {phrase}"
    retry_after = response.headers.get(b"Retry-After")
    if retry_after:
        reason += f" (Retry-After: {retry_after.decode('latin-1')})"
    return reason


def _cancelled(failure: Failure, request: Request) -> str:
    """Scrapy cancels a download at the page limit: with a message when the page announced
    its size, with none when it only grew too large (crawler.middlewares.page_size)."""
    limit = request.meta.get("download_maxsize", MAX_PAGE_BYTES)
    message = failure.getErrorMessage()
    if "max size" in message or request.meta.get(RECEIVED, 0) > limit:
        return f"larger than the {limit / 2**20:g} MB page limit: not downloaded"
    return f"download cancelled: {message or 'before the whole page arrived'}"


def _broken(failure: Failure, request: Request) -> str:
    """A download that did not complete."""
    if failure.check(DownloadTimeoutError):
        timeout = request.meta.get("download_timeout")
        return f"no complete answer within {timeout:g} s" if timeout else "timed out"
    if failure.check(ResponseDataLossError, ConnectionLost, ConnectionDone):
        return "the connection ended before the whole page arrived"
    if failure.check(DownloadCancelledError):
        return _cancelled(failure, request)
    if failure.check(NotSupported):  # crawler.settings.download_handlers
        return f"not fetched: this crawl reads no {urlsplit(request.url).scheme}: URLs"
    if failure.check(UndecodableBody):
        return f"the body does not decompress ({failure.getErrorMessage()})"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"
