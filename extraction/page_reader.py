"""One fetched page, whatever its form (text or HTML), to a ParsedPage."""

from __future__ import annotations

from extraction.decoding import decode_text, html_charset, is_binary, looks_like_html
from extraction.parsed import ParsedPage
from extraction.text_page import parse_page


def read_page(body: bytes, *, url: str, content_type: str | None = None) -> ParsedPage:
    """Decode and parse a page; an unreadable page comes back with a warning and no items."""
    return read_page_and_links(body, url=url, content_type=content_type)[0]


def read_page_and_links(
    body: bytes, *, url: str, content_type: str | None = None
) -> tuple[ParsedPage, list[tuple[str, str]]]:
    """:func:`read_page`, and every link of an HTML page (menus and pager included) for a
    crawl to follow; a text page has none."""
    if looks_like_html(body, content_type, url) and body.strip() and not is_binary(body):
        from extraction.html_page import read_html_page

        return read_html_page(body, url=url, encoding=html_charset(body, content_type))
    decoded = decode_text(body)
    if decoded.text is None:
        return ParsedPage(url=url, warning=decoded.warning), []
    return parse_page(decoded.text, url=url), []
