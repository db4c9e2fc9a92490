"""From fetched bytes to block text, refusing what is not a readable page.

A page that is empty, binary or undecodable yields a warning instead of text: the crawl goes
on, and the page contributes no items rather than garbage.
"""

from __future__ import annotations

from dataclasses import dataclass

BINARY_SNIFF_BYTES = 4096
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
