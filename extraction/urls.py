"""URL rules: one spelling per article URL, and which paths are the site's articles.

A leaf module: it imports nothing of newswatch, so the parser, the store and the crawler can
all share these rules without depending on one another.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlsplit

from w3lib.url import canonicalize_url

ARTICLE_PATH = re.compile(r"^/(?:news|documents)/(?!page/\d+/?$)[^/?#]+/[^/?#]+/?$")
"""The site's articles: ``/news/<section>/<slug>/``; a pager's ``/news/page/2/`` is none."""
PAGE_PARAMETER = re.compile(r"^(?:PAGEN_\d+|page|pg|paged|pagenum|page_no|start|limitstart)$", re.IGNORECASE)
"""A listing's page number in the query, as common pagers spell it (Bitrix ``PAGEN_1``,
Drupal ``page``, Joomla ``start``...). Not ``p``: WordPress's ``?p=123`` is a post."""
PAGE_PATH = re.compile(r"^(?P<listing>.*/)page/(?P<number>\d+)/?$")
"""A listing's page number in the path: WordPress ``/news/page/2/``."""
_SCHEME_AND_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://[^/]*", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)
def canonical(url: str | None) -> str | None:
    """One spelling per article URL: sorted query, no fragment, a trailing slash on paths.

    Cached: the same teaser links recur on every page whose sidebar shows them.
    """
    if not url:
        return None
    url = canonicalize_url(url.strip(), keep_fragments=False)
    head, sep, query = url.partition("?")
    if not head.endswith("/") and "." not in head.rsplit("/", 1)[-1]:
        head += "/"
    return head + sep + query


def is_article_url(url: str | None) -> bool:
    """True for the site's article and document pages (``/news/<section>/<slug>/``)."""
    if not url:
        return False
    path = _SCHEME_AND_HOST.sub("", url)
    return bool(ARTICLE_PATH.match(path.split("?", 1)[0].split("#", 1)[0]))


def is_numbered_listing_page(url: str | None) -> bool:
    """True for a page of a listing after its first (``?page=2``, ``?start=10``,
    ``/news/page/3/``), unless the URL is an article's: such a page is a listing, never an
    article, however few teasers its last page holds. A query with more than page numbers
    (``view.html?idx=8576&page=1``: an item that names the listing page it came from) is not
    known to be a listing."""
    if not url or is_article_url(url):
        return False
    parts = urlsplit(url)
    if PAGE_PATH.match(parts.path):
        return True
    query = parse_qsl(parts.query)
    return bool(query) and all(PAGE_PARAMETER.match(name) and value.isdigit() for name, value in query)
