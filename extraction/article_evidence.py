"""An HTML page's article decided by evidence: is there one, its title, its date, its body.

Each choice weighs signals that hold on templates nobody here has seen (the markup's own
claims, see :mod:`extraction.metadata`; the main content, see :mod:`extraction.main_content`)
and takes the site-specific reading of the visible text (:mod:`extraction.text_page`: the
dated title line) as one more witness, trusted where it agrees with the markup.

* **Title**: the publisher's headline for machines (JSON-LD ``headline`` of an article, else a
  ``headline`` meta tag of microdata), less the site's name as below, else the first ``<h1>``, else ``og:title``
  or ``<title>``: the text reading's title when it stands inside it (the rest is the site's
  name, before or after), else without a `` | Site`` or `` - Site`` that names the site;
  else the text reading's title. A skip link, a menu or a logo is never an ``<h1>`` or a headline, which is why the
  text reading (the first headline-shaped line) comes last.
* **Date**: the JSON-LD ``datePublished`` of the article, else the site's dated title line
  when the text reading found the same title, else the meta tags, else the publication line
  under the title (:mod:`extraction.bylines`), else htmldate on the markup only, else a date
  the text reading found in the article's prose. Never a date from a sidebar or a listing: htmldate sees the ``<head>``
  and the URL, not the body.
* **Body**: the main content, without the heading lines that repeat the title or the date;
  on a page rendered in the browser alone that calls itself an article (JSON-LD or
  ``og:type``), the article HTML of its hydration data (:mod:`extraction.hydration`): its
  DOM shows nothing to weigh that HTML against, so the page's own claim must.
* **No article** (fail safe): a page whose markup calls it a listing, whose main content is
  mostly the teaser cards of other pages (:mod:`extraction.listing`), or where no title or
  no main content (a few words at least) is found.
  The reason goes into the page's warning, so the crawl reports it and retries the page.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from extraction.bylines import byline_date, is_byline
from extraction.dates import parse_date_line, split_trailing_date
from extraction.hydration import hydrated_article
from extraction.listing import is_list_of_articles, teaser_cards, without_closing_teasers
from extraction.main_content import main_text
from extraction.metadata import PageMetadata
from extraction.normalize import fold
from extraction.parsed import DateEvidence, ParsedArticle, ParsedDate
from extraction.text_page import DOWNLOAD_LINE

MIN_BODY_WORDS = 4
"""Fewer words are no article's text but a menu word, a label or a lone link ("Home")."""
_SUFFIX = re.compile(r"^(?P<head>.+?)\s*(?:[|–—·•»]|::|\s-\s|：)\s*(?P<tail>[^|–—·•»：]+)$")
_WORDS = re.compile(r"\w+")
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class ArticleReading:
    """The article of an HTML page, or why there is none."""

    article: ParsedArticle | None
    reason: str | None = None
    listing: bool = False
    """The page lists articles: no article, and nothing uncertain about it."""


def read_article(
    root: etree._Element,
    metadata: PageMetadata,
    text_article: ParsedArticle | None,
    *,
    page_url: str | None,
    article_url: str | None,
    page_text: str = "",
) -> ArticleReading:
    """The page's article from ``metadata``, its main content and the text reading;
    ``page_url`` is where the page lives, ``article_url`` the URL to give its article,
    ``page_text`` the page's block text (where a publication line under the title is)."""
    if metadata.says_listing:
        return ArticleReading(None, "the markup calls this page a listing", listing=True)
    title = choose_title(metadata, text_article, host=_host(page_url))
    if title is None:
        return ArticleReading(None, "no title found")
    cards = teaser_cards(root, page_url)
    listed = None if metadata.says_article else functools.partial(is_list_of_articles, cards=cards)
    body = main_text(root, title=title, description=metadata.description, is_listing=listed)
    if body is None and metadata.says_article and (hydrated := hydrated_article(root)) is not None:
        body = main_text(hydrated, title=title, description=metadata.description)
    if body is None:
        return ArticleReading(None, "no main content found")
    if listed is not None and listed(body):
        return ArticleReading(None, "the main content is a list of articles: a listing", listing=True)
    body = _without_title_lines(without_closing_teasers(body, cards), title)
    if len(_WORDS.findall(body)) < MIN_BODY_WORDS:
        return ArticleReading(None, "no main content beyond the title")
    published = choose_date(metadata, text_article, title, root, page_url, page_text)
    return ArticleReading(ParsedArticle(title=title, body=body, published=published, url=article_url))


def choose_title(
    metadata: PageMetadata, text_article: ParsedArticle | None, *, host: str | None
) -> str | None:
    """The article's title by the order in the module docstring."""
    if headline := metadata.headline or metadata.meta_headline:
        return without_site_name(headline, metadata.site_name, host)
    if metadata.h1:
        return metadata.h1
    for whole in (metadata.og_title, metadata.title_tag):
        if whole:
            if text_article and _names_the_same(text_article.title, whole):
                return text_article.title  # two witnesses: the visible headline, inside <title>
            return without_site_name(whole, metadata.site_name, host)
    return text_article.title if text_article else None


def _names_the_same(headline: str, whole: str) -> bool:
    """``headline`` is ``whole`` but for a site name before or after it (``CSTO - Talks held``)."""
    folded_headline, folded_whole = fold(headline), fold(whole)
    return folded_headline in folded_whole and 2 * len(folded_headline) >= len(folded_whole)


def without_site_name(title: str, site_name: str | None, host: str | None) -> str:
    """``"Talks held | CSTO"`` -> ``"Talks held"`` when the part after the separator names the
    site (its ``og:site_name`` or its host); otherwise the title as it is."""
    match = _SUFFIX.match(title)
    if not match:
        return title
    tail = fold(match["tail"]).replace(" ", "")
    names = [fold(name).replace(" ", "") for name in (site_name, host) if name]
    host_words = [part for part in (host or "").lower().split(".") if len(part) > 3 and part != "www"]
    if any(name and (name in tail or tail in name) for name in names) or any(
        word in tail for word in host_words
    ):
        return match["head"].strip()
    return title


def choose_date(
    metadata: PageMetadata,
    text_article: ParsedArticle | None,
    title: str,
    root: etree._Element,
    url: str | None,
    page_text: str = "",
) -> ParsedDate | None:
    """The article's publication date by the order in the module docstring."""
    agrees = text_article is not None and fold(text_article.title) == fold(title)
    text_date = text_article.published if agrees else None
    if day := iso_day(metadata.published):
        return ParsedDate(day, DateEvidence.LINE)
    if text_date is not None and text_date.evidence >= DateEvidence.LINE:
        return text_date
    if day := iso_day(metadata.meta_published):
        return ParsedDate(day, DateEvidence.LINE)
    if day := byline_date(page_text, title):
        return ParsedDate(day, DateEvidence.LINE)
    if day := _htmldate(root, url):
        return ParsedDate(day, DateEvidence.TEXT)
    return text_date


def iso_day(value: str | None) -> dt.date | None:
    """The calendar day of an ISO 8601 date or time, as written (in its own offset)."""
    match = _ISO_DAY.match(value or "")
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _htmldate(root: etree._Element, url: str | None) -> dt.date | None:
    """htmldate on the page's ``<head>`` and address alone: the many meta-tag dialects and a
    date in the URL path. Not on the body, where a ``<time>`` may date a sidebar's item."""
    from htmldate import find_date

    head = root.find("head")
    page = lxml.html.Element("html")
    if head is not None:
        page.append(copy.deepcopy(head))
    try:
        found = find_date(page, url=url, original_date=True, extensive_search=False)
    except Exception:
        return None
    return iso_day(found)


def _without_title_lines(body: str, title: str) -> str:
    """The body without the lines that head it by repeating the title, alone or with its date
    (``Title 05.09.2023``), by giving only the date, or a document's ``dd.mm.yyyy Download
    document NAME``: they are the article's heading, not its text (the text reading leaves
    them out too), and main-content extractors keep them."""
    lines = body.split("\n")
    while lines and (_repeats_title(lines[0], title) or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip()


def _repeats_title(line: str, title: str) -> bool:
    """The title (perhaps with its date), a date alone, a publication line ("Published: 15
    January 2015", "Submitted by admin on ..."), or a document's dated download line."""
    dated = split_trailing_date(line)
    heading = dated[0] if dated else line
    line = line.strip()
    return (
        fold(heading) == fold(title)
        or parse_date_line(line) is not None
        or bool(DOWNLOAD_LINE.match(line))
        or is_byline(line)
    )


def _host(url: str | None) -> str | None:
    if not url or not url.startswith(("http://", "https://")):
        return None
    return urlsplit(url).hostname
