"""Retries that back off: a 429 or 5xx answer is retried after a pause, never at once.

Scrapy's RetryMiddleware sends a failed request again straight away; a server that answers
"429 Too Many Requests" or "503 Service Unavailable" asks for the opposite, often saying
for how long in ``Retry-After`` (seconds, or an HTTP date). This middleware waits that long,
or, without the header, an exponential backoff (``RETRY_BACKOFF_BASE`` seconds, doubled on
each attempt). The wait holds one of the crawl's two download slots, so the whole crawl
slows down while the site is busy. A server asking for more than ``RETRY_AFTER_MAX`` seconds
is not waited for: the page counts as an error and is fetched again by a later crawl.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import logging

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_status_message

log = logging.getLogger(__name__)

MAX_BACKOFF = 60.0


def retry_delay(
    retry_after: str | None,
    attempt: int,
    *,
    base: float,
    most: float,
    now: dt.datetime | None = None,
) -> float | None:
    """Seconds to wait before retry number ``attempt`` (1, 2...); None: too long, give up."""
    if retry_after is None:
        return min(base * 2 ** (attempt - 1), MAX_BACKOFF)
    wait = _seconds(retry_after.strip(), now or dt.datetime.now(dt.UTC))
    if wait is None:
        return min(base * 2 ** (attempt - 1), MAX_BACKOFF)
    return wait if wait <= most else None


def _seconds(value: str, now: dt.datetime) -> float | None:
    """``Retry-After: 120`` or ``Retry-After: Fri, 31 Dec 1999 23:59:59 GMT``; else None."""
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that pauses before each retry (see the module docstring)."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.most = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        header = response.headers.get(b"Retry-After")
        wait = retry_delay(
            header.decode("latin-1") if header else None,
            _attempt(request),
            base=self.base,
            most=self.most,
        )
        if wait is None:
            log.warning("%s: the server asks to come back after %s; not waiting", request.url, header)
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await asyncio.sleep(wait)
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            await asyncio.sleep(retry_delay(None, _attempt(request), base=self.base, most=self.most))
        return retry


def _attempt(request: Request) -> int:
    return request.meta.get("retry_times", 0) + 1
