"""Whether a crawl reached any of its start pages: if none, it could do nothing, and says why.

A crawl walks the site from its start pages (the news listings). When every one of them
failed (the site is down, robots.txt forbids it, it redirects in a loop or to another host)
the crawl found nothing, not even that nothing is new; it must not end "finished, errors 0"
as if the site had been read. The spider notes what became of each start page, its
redirects and retries included, and the runner records such a crawl as failed with one
line that names each start page and why it failed.
"""

from __future__ import annotations

from collections.abc import Iterable

START_PAGE = "newswatch_start_page"
"""Request meta: the start URL a request stands for (it travels with redirects and retries)."""
NOT_ANSWERED = "not answered before the crawl ended"
SHOWN = 3
"""Start pages named in the line; the rest are counted."""


class StartPages:
    """What became of each start page of one crawl: reached, or failed and why."""

    def __init__(self, urls: Iterable[str]) -> None:
        self._reasons: dict[str, str | None] = dict.fromkeys(urls)
        self._reached: set[str] = set()

    def reached(self, url: str) -> None:
        """The start page answered with a page (or 304, or gone): the crawl could read the site."""
        self._reached.add(url)

    def failed(self, url: str, reason: str) -> None:
        self._reasons[url] = " ".join(reason.split())  # one line, whatever the reason held

    def failure(self) -> str | None:
        """One line saying why the crawl could do nothing; None if a start page was reached."""
        if self._reached or not self._reasons:
            return None
        reasons = [f"{url}: {reason or NOT_ANSWERED}" for url, reason in self._reasons.items()]
        more = len(reasons) - SHOWN
        line = "; ".join(reasons[:SHOWN]) + (f"; and {more} more" if more > 0 else "")
        return f"no start page could be fetched: {line}"
