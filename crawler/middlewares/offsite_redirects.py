"""A redirect the crawl does not follow ends the request with an error its errback sees: a
redirect to another host, or one back to a page of its own chain (a loop).

Scrapy's RedirectMiddleware follows a redirect with a new request, which OffsiteMiddleware
then drops when it is scheduled, without calling any errback: the page asked for would
vanish from the crawl without a trace. Links to other hosts are never followed (docs/architecture.md),
but an article that now redirects elsewhere is something its watcher wants to know, so this
middleware, which sees the response before RedirectMiddleware does, turns such a redirect
into :class:`OffsiteRedirect`; the spider records it (crawler.fetch_errors).

A redirect loop (``/news/`` -> ``/news/?x`` -> ``/news/``) vanishes the same way, dropped by
Scrapy's duplicate filter as a page already asked for: it is :class:`RedirectLoop` here, a
failed page with its chain as the reason.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from w3lib.url import safe_url_string

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class OffsiteRedirect(IgnoreRequest):
    """The site answered with a redirect to another host, which a crawl does not follow."""

    def __init__(self, location: str) -> None:
        super().__init__(f"redirected to another host ({location}): not followed")
        self.location = location


class RedirectLoop(IgnoreRequest):
    """The site redirected back to a page of the same chain of redirects."""

    def __init__(self, chain: list[str]) -> None:
        super().__init__(f"redirects in a loop ({' -> '.join(chain)})")


class OffsiteRedirectMiddleware:
    """See the module docstring; placed after RedirectMiddleware (closer to the download)."""

    @classmethod
    def from_crawler(cls, crawler) -> OffsiteRedirectMiddleware:
        middleware = cls()
        middleware.crawler = crawler
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        target = urljoin(request.url, safe_url_string(location.decode("latin-1")))
        if self.crawler.spider.site_of(request).local(target) is None:
            raise OffsiteRedirect(target)
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise RedirectLoop([*chain[chain.index(target) :], target])
        return response
