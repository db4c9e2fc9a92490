"""The pages of a listing and the page after this one, in every common pager's form.

CMSes number a listing's pages in a handful of ways, and a crawl must walk them all without
knowing the site's software:

* a query parameter: Bitrix ``?PAGEN_1=2``, Drupal ``?page=1`` (counted from 0: the second
  page), most others ``?page=2``, ``?paged=2``, ``?pg=2``, Joomla an offset ``?start=10``;
* a path: WordPress ``/news/page/2/``;
* a link that says where it goes: ``rel="next"`` (in ``<link>`` or ``<a>``), or whose whole
  text is "Next", "Older posts", "Load more", "›", "»" and the like.

A pager's numbered links carry the page's ordinal in their text ("2" leads to the second
page), which tells a count from 0 from a count from 1; page 1 is the listing itself, so a
link to it (``?PAGEN_1=1``, ``?page=0``) is spelt as the listing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from extraction.urls import PAGE_PARAMETER, PAGE_PATH

_ARROWS = re.compile(r"[»›→>]+")
_PAGER_NUMBER = re.compile(r"^(?:[^\W\d]+(?: [^\W\d]+)? ?)?(\d{1,5})$")
_NEXT_TEXT = re.compile(
    r"^(?:next(?: page)?|older(?: news| posts| entries| articles)?|load more|show more|more news"
    r"|weiter|далее|следующая|»|›|→|>>?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PageMark:
    """Where a URL stands in a listing: the listing's own URL and the pager's number."""

    listing: str
    """The URL without its page marker: page 1 of the listing."""
    number: int | None
    """The number in the marker as written; None for the listing itself."""


@functools.lru_cache(maxsize=4096)
def page_mark(url: str) -> PageMark:
    """Cached: every page of a listing reads the marks of the same pager's links, several
    times each (a tenth of the spider's work on a page answered 304)."""
    part = urlsplit(url)
    path_match = PAGE_PATH.match(part.path)
    if path_match:
        listing = urlunsplit(part._replace(path=path_match["listing"]))
        return PageMark(listing, int(path_match["number"]))
    query = parse_qsl(part.query, keep_blank_values=True)
    numbers = [int(value) for name, value in query if PAGE_PARAMETER.match(name) and value.isdigit()]
    rest = [(name, value) for name, value in query if not PAGE_PARAMETER.match(name)]
    listing = urlunsplit(part._replace(query=urlencode(rest)))
    return PageMark(listing, numbers[0] if numbers else None)


def is_page_of(url: str, listing_url: str) -> bool:
    """Whether ``url`` is a page of the listing ``listing_url`` is a page of."""
    return page_mark(url).listing == page_mark(listing_url).listing


def says_next(text: str) -> bool:
    """ "Next", "Next page ››", "» ": arrows around the words do not count."""
    words = " ".join(_ARROWS.sub(" ", text).split())
    return _NEXT_TEXT.match(words or text.strip()) is not None


def _numbered(text: str) -> int | None:
    """The page a pager's link names: "2", or with a screen-reader label "Page2", "Current page1"."""
    match = _PAGER_NUMBER.match(" ".join(text.split()))
    return int(match[1]) if match else None


@dataclass(frozen=True)
class Pager:
    """The pages of one listing that a page links, and the one after it."""

    pages: tuple[str, ...]
    next_page: str | None


def read_pager(page_url: str, links: Iterable[tuple[str, str]]) -> Pager:
    """The other pages of ``page_url``'s listing among ``links`` (``(url, text)``), each spelt
    once, page 1 as the listing; and the next page: a link saying "Next" (a ``rel="next"``
    comes as one), else the page whose ordinal is this one's plus one."""
    links = list(links)
    here = page_mark(page_url)
    same = [(url, text.strip()) for url, text in links if page_mark(url).listing == here.listing]
    offset = _ordinal_offset(same)
    pages = {_spelt(url, offset): None for url, _ in same}
    this = _spelt(page_url, offset)
    pages.pop(this, None)
    wanted = _ordinal(page_mark(page_url).number, offset) + 1
    by_ordinal = [url for url in pages if _ordinal(page_mark(url).number, offset) == wanted]
    nexts = [url for url, text in links if says_next(text)]
    candidates = [*nexts, *by_ordinal]
    next_page = next((_spelt(url, offset) for url in candidates if _spelt(url, offset) != this), None)
    return Pager(tuple(pages), next_page)


def _ordinal_offset(links: list[tuple[str, str]]) -> int:
    """How a pager counts: 1 when a link numbered N in its text leads to marker N-1 (from 0),
    else 0 (from 1, the common case)."""
    for url, text in links:
        number, ordinal = page_mark(url).number, _numbered(text)
        if ordinal is not None and number is not None:
            return ordinal - number if ordinal - number in (0, 1) else 0
    return 0


def _ordinal(number: int | None, offset: int) -> int:
    return 1 if number is None else number + offset


def _spelt(url: str, offset: int) -> str:
    """One URL per page: the first page is the listing itself, without a marker."""
    mark = page_mark(url)
    return mark.listing if mark.number is not None and _ordinal(mark.number, offset) <= 1 else url
