"""From fetched bytes to block text, refusing what is not a readable page.

A page that is empty, binary or undecodable yields a warning instead of text: the crawl goes
on, and the page contributes no items rather than garbage.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

BINARY_SNIFF_BYTES = 4096
FALLBACK_CHARSET = "windows-1251"
"""For a page that is not the UTF-8 it claims: the legacy charset of a Russian organisation's
site, and for English text the same quotes and dashes as windows-1252."""
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<div", b"<p>", b"<p ")


@dataclass(frozen=True)
class DecodedPage:
    text: str | None
    is_html: bool
    warning: str | None = None


def looks_like_html(body: bytes, content_type: str | None, url: str) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    if url.lower().split("?", 1)[0].endswith((".html", ".htm", "/")):
        return True
    head = body[:BINARY_SNIFF_BYTES].lstrip().lower()
    return head.startswith(b"<") and any(marker in head for marker in HTML_MARKERS)


def is_binary(body: bytes) -> bool:
    """NUL bytes or a high share of control bytes: an image, an archive, not a page."""
    sample = body[:BINARY_SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def html_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset to read an HTML page in: the declared one, unless it is evidently wrong.

    UTF-8 checks itself: non-ASCII bytes that decode as UTF-8 are UTF-8 text (a page in a
    single-byte charset practically never is valid UTF-8), so such a page is read as UTF-8
    whatever it declares; a server's default ``charset=ISO-8859-1`` would otherwise turn
    every quote and Cyrillic name into mojibake, and the page's next, corrected fetch into
    an ``updated`` event. A page that is not valid UTF-8 is read in its declared charset
    (HTTP header, else ``<meta>``) unless that is UTF-8, else in FALLBACK_CHARSET, rather
    than with replacement characters where every letter was.
    """
    declared = (http_content_type_encoding(content_type) if content_type else None) or (
        html_body_declared_encoding(body)
    )
    if body.isascii():
        return declared
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return declared if _usable_single_byte(declared) else FALLBACK_CHARSET


def _usable_single_byte(charset: str | None) -> bool:
    try:
        return charset is not None and codecs.lookup(charset).name != "utf-8"
    except LookupError:
        return False


def decode_text(body: bytes) -> DecodedPage:
    """A plain-text page: UTF-8 (with or without BOM) or nothing."""
    if not body.strip():
        return DecodedPage(None, False, "empty page")
    if is_binary(body):
        return DecodedPage(None, False, "binary content, not a page")
    try:
        return DecodedPage(body.decode("utf-8-sig"), False)
    except UnicodeDecodeError as error:
        return DecodedPage(None, False, f"not UTF-8 text (byte {error.start})")
