"""One fetched page, whatever its form (text or HTML), to a ParsedPage."""

from __future__ import annotations

from w3lib.encoding import http_content_type_encoding

from crawler.decoding import decode_text, is_binary, looks_like_html
from crawler.items import ParsedPage
from crawler.page_parser import parse_page


def read_page(body: bytes, *, url: str, content_type: str | None = None) -> ParsedPage:
    """Decode and parse a page; an unreadable page comes back with a warning and no items."""
    if looks_like_html(body, content_type, url) and body.strip() and not is_binary(body):
        from crawler.html_page import parse_html_page

        charset = http_content_type_encoding(content_type) if content_type else None
        return parse_html_page(body, url=url, encoding=charset)
    decoded = decode_text(body)
    if decoded.text is None:
        return ParsedPage(url=url, warning=decoded.warning)
    return parse_page(decoded.text, url=url)
