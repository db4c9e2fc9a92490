"""From fetched bytes to text, refusing what is not a readable page.

A page is read as far as it can be: a byte that does not decode is replaced, stray control
bytes are dropped, a page in UTF-16 is read as such. A page that is empty or binary (an
image, a PDF, an archive) yields a warning that says why instead of text: the crawl goes
on, and the page contributes no items rather than garbage.
"""

from __future__ import annotations

import codecs
import re
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


BINARY_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office document"),
    (b"\x7fELF", "a program"),
)
"""The first bytes of the files a link to a download most often leads to."""
MIN_TEXT_SHARE = 0.8
"""Text has at least this share of readable characters when read as UTF-8; random (compressed,
encrypted) bytes about 40%, so a page is not refused for a few stray control bytes."""
MAX_HIGH_BYTES = 16
"""UTF-16 text of one or two alphabets has few distinct high bytes (00 and 04 in Russian)."""
_WHITESPACE_CONTROLS = b"\t\n\x0c\r"
_UNSAFE_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
"""C0 controls but whitespace, and DEL: invisible, and refused by XML and PostgreSQL text."""


def is_binary(body: bytes) -> bool:
    """An image, an archive, a program: not a page (:func:`binary_reason`)."""
    return binary_reason(body) is not None


def binary_reason(body: bytes) -> str | None:
    """Why ``body`` is no page but binary content, or None for text.

    A known file signature (PDF, images, archives) says so at once. Otherwise bytes are text
    unless control bytes are more than a few (5%) *and* the start of the body does not read
    as text: a page with a few stray control bytes is still a page, and one in UTF-16 is
    text in another encoding (:func:`utf16_codec`, asked first by the reader).
    """
    kind = _known_binary(body)
    if kind is not None:
        return f"binary content, not a page: {kind}"
    sample = body[:BINARY_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls <= len(sample) * 0.05 or _readable_share(_as_utf8(sample)) >= MIN_TEXT_SHARE:
        return None
    return f"binary content, not a page: {controls} control bytes in its first {len(sample)}"


def _known_binary(body: bytes) -> str | None:
    """What kind of file ``body`` is by its first bytes, if it is a known binary one."""
    return next((kind for signature, kind in BINARY_SIGNATURES if body.startswith(signature)), None)


_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in _WHITESPACE_CONTROLS)


def _as_utf8(sample: bytes) -> str:
    """``sample`` read as UTF-8, bad bytes replaced; a character cut at its end left out."""
    return codecs.getincrementaldecoder("utf-8")("replace").decode(sample, final=False)


def _readable_share(text: str) -> float:
    """The share of characters that a reader sees: not control characters, not bytes that
    did not decode."""
    if not text:
        return 1.0
    unreadable = len(_UNSAFE_CONTROLS.findall(text)) + text.count("\ufffd")
    return 1 - unreadable / len(text)


def utf16_codec(body: bytes, content_type: str | None) -> str | None:
    """The UTF-16 codec to read ``body`` in, if it is UTF-16 text; None otherwise.

    A byte-order mark says so; without one, text in UTF-16 still shows itself: in a page of
    an alphabetic script (markup, spaces, Latin or Cyrillic letters) the high byte of each
    character takes a few values, NUL among them, and the whole decodes to readable text;
    neither single-byte text nor an image or an archive does both. An HTTP charset of UTF-16
    lets any script through (Chinese has many high bytes), not a body without NUL bytes.
    """
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _known_binary(body) is not None:
        return None  # a short image header can pass for a few UTF-16 characters
    declared = http_content_type_encoding(content_type) if content_type else None
    sample = body[:BINARY_SNIFF_BYTES]
    for codec, high_half in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if 0 not in high_half:
            continue  # no ASCII character (no markup, no space) in this byte order
        told = declared in (codec, "utf-16")
        if (told or len(set(high_half)) <= MAX_HIGH_BYTES) and _reads_as(sample, codec):
            return codec
    return None


def _reads_as(sample: bytes, codec: str) -> bool:
    """``sample`` decodes in ``codec`` to text that is readable enough (MIN_TEXT_SHARE)."""
    try:
        text = codecs.getincrementaldecoder(codec)("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return _readable_share(text) >= MIN_TEXT_SHARE


def html_charset(body: bytes, content_type: str | None) -> str | None:
    """The charset to read an HTML page in: the declared one, unless it is evidently wrong.

    UTF-8 checks itself: non-ASCII bytes that decode as UTF-8 are UTF-8 text (a page in a
    single-byte charset practically never is valid UTF-8), so such a page is read as UTF-8
    whatever it declares; a server's default ``charset=ISO-8859-1`` would otherwise turn
    every quote and Cyrillic name into mojibake, and the page's next, corrected fetch into
    an ``updated`` event. A page that is mostly UTF-8 (more valid UTF-8 characters than
    undecodable bytes: a damaged byte or two) is UTF-8 too, its bad bytes replaced. Any
    other page is read in its declared charset (HTTP header, else ``<meta>``) unless that
    is UTF-8, else in FALLBACK_CHARSET, rather than with replacement characters where every
    letter was.
    """
    declared = (http_content_type_encoding(content_type) if content_type else None) or (
        html_body_declared_encoding(body)
    )
    return _charset(body, declared)


def _charset(body: bytes, declared: str | None) -> str | None:
    if body.isascii():
        return declared
    if _mostly_utf8(body):
        return "utf-8"
    return declared if _usable_single_byte(declared) else FALLBACK_CHARSET


def _mostly_utf8(body: bytes) -> bool:
    """Valid UTF-8, or more valid UTF-8 characters than undecodable bytes in it."""
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", errors="replace")
    undecodable = text.count("\ufffd") - body.count("\ufffd".encode())
    ascii_bytes = len(body) - len(body.translate(None, _ASCII_BYTES))
    return len(text) - ascii_bytes - undecodable > undecodable


_ASCII_BYTES = bytes(range(128))


def _usable_single_byte(charset: str | None) -> bool:
    try:
        return charset is not None and codecs.lookup(charset).name != "utf-8"
    except LookupError:
        return False


def decode_text(body: bytes, content_type: str | None = None, *, charset: str | None = None) -> DecodedPage:
    """A plain-text page, in the charset :func:`html_charset` would choose (without a
    ``<meta>`` to ask: ``charset``, else the HTTP charset, else UTF-8), bytes it cannot
    decode replaced; control bytes, which no reader sees, removed. Empty or binary content
    is no page."""
    if not body.strip():
        return DecodedPage(None, False, "empty page")
    reason = binary_reason(body)
    if reason is not None:
        return DecodedPage(None, False, reason)
    declared = charset or (http_content_type_encoding(content_type) if content_type else None)
    charset = _charset(body, declared) or "utf-8"
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    return DecodedPage(_UNSAFE_CONTROLS.sub("", text.removeprefix("\ufeff")), False)
