"""One fetched page, whatever its form (text or HTML), to a ParsedPage."""

from __future__ import annotations

from extraction.decoding import decode_text, html_charset, is_binary, looks_like_html, utf16_codec
from extraction.foreign_dates import reading_language
from extraction.parsed import ParsedPage
from extraction.text_page import parse_page
from extraction.url_learning import LearntArticleUrls, learn_article_urls
from extraction.urls import CSTO_ARTICLES, NO_ARTICLES, ArticleUrls


def read_page(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    articles: ArticleUrls | None = CSTO_ARTICLES,
    language: str | None = None,
) -> ParsedPage:
    """Decode and parse a page; an unreadable page comes back with a warning and no items.
    ``articles`` is the site's rule for its article URLs (None: not known); ``language``
    the site's language, if known (a tag such as ``de``: which language its dates are in)."""
    return read_page_and_links(
        body, url=url, content_type=content_type, articles=articles, language=language
    )[0]


def read_page_and_links(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    articles: ArticleUrls | None = CSTO_ARTICLES,
    language: str | None = None,
) -> tuple[ParsedPage, list[tuple[str, str]]]:
    """:func:`read_page`, and every link of an HTML page (menus and pager included) for a
    crawl to follow; a text page has none."""
    body, charset = _from_utf16(body, content_type)
    if looks_like_a_page_of_html(body, content_type, url):
        from extraction.html_page import read_html_page

        encoding = charset or html_charset(body, content_type)
        return read_html_page(body, url=url, encoding=encoding, articles=articles, language=language)
    decoded = decode_text(body, content_type, charset=charset)
    if decoded.text is None:
        return ParsedPage(url=url, warning=decoded.warning), []
    with reading_language(language):
        return parse_page(decoded.text, url=url, articles=articles or NO_ARTICLES), []


def learn_articles_of_page(
    body: bytes, *, url: str, content_type: str | None = None, listing: bool = True
) -> LearntArticleUrls:
    """Which URLs of the page's site are articles, learnt from the page's links
    (:mod:`extraction.url_learning`); a ``listing`` page's own URL is none of them. A text
    page has no links to learn from."""
    body, charset = _from_utf16(body, content_type)
    if not looks_like_a_page_of_html(body, content_type, url):
        return learn_article_urls(url, [])
    from extraction.html_text import read_html

    reading = read_html(body, url, encoding=charset or html_charset(body, content_type))
    listings = {url, reading.canonical or url} if listing else set()
    return learn_article_urls(url, reading.every_link, listings=listings)


def looks_like_a_page_of_html(body: bytes, content_type: str | None, url: str) -> bool:
    """An HTML page with something in it, read as HTML (after :func:`_from_utf16`)."""
    return looks_like_html(body, content_type, url) and bool(body.strip()) and not is_binary(body)


def _from_utf16(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """A UTF-16 page as UTF-8 bytes and the charset to read them in (its NUL bytes would
    make it look binary, and its ``<meta charset=utf-16>`` no longer holds); any other
    page as it is, its charset still to be found."""
    codec = utf16_codec(body, content_type)
    if codec is None:
        return body, None
    return body.decode(codec, errors="replace").encode("utf-8"), "utf-8"
