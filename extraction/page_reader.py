"""One fetched page, whatever its form (text or HTML), to a ParsedPage."""

from __future__ import annotations

from extraction.decoding import decode_text, html_charset, is_binary, looks_like_html, utf16_codec
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
    body, charset = _from_utf16(body, content_type)
    if looks_like_html(body, content_type, url) and body.strip() and not is_binary(body):
        from extraction.html_page import read_html_page

        return read_html_page(body, url=url, encoding=charset or html_charset(body, content_type))
    decoded = decode_text(body, content_type, charset=charset)
    if decoded.text is None:
        return ParsedPage(url=url, warning=decoded.warning), []
    return parse_page(decoded.text, url=url), []


def _from_utf16(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """A UTF-16 page as UTF-8 bytes and the charset to read them in (its NUL bytes would
    make it look binary, and its ``<meta charset=utf-16>`` no longer holds); any other
    page as it is, its charset still to be found."""
    codec = utf16_codec(body, content_type)
    if codec is None:
        return body, None
    return body.decode(codec, errors="replace").encode("utf-8"), "utf-8"
