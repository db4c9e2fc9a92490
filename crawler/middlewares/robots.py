"""robots.txt obeyed by every request that waits for it, not only the first.

Scrapy's RobotsTxtMiddleware (2.19) keeps a host's robots.txt as a Deferred while it is being
fetched, and each request to that host arriving meanwhile awaits that same Deferred. Awaiting
a Deferred as an asyncio future consumes its result: the first waiter gets the parsed rules,
every later one gets None, which the middleware reads as "no robots.txt, everything allowed".
So a crawl that opens with several requests to one host (a page's re-checks, a worker taking
a batch from the shared queue) fetched pages robots.txt forbids. Here each waiter chains a
Deferred of its own that passes the rules on to the next.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's middleware, with the host's pending robots.txt shared by all its waiters."""

    async def robot_parser(self, request: Request):
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            return await super().robot_parser(request)
        own: Deferred = Deferred()

        def pass_on(rules):
            own.callback(rules)
            return rules  # for the waiters after this one

        pending.addCallback(pass_on)
        return await maybe_deferred_to_future(own)
