"""Compressed bodies that must decompress whole, or not at all.

Scrapy's HttpCompressionMiddleware is lenient with gzip on purpose: a stream cut short, or
with a bad checksum, yields whatever part of it decompressed. For newswatch half a page is
worse than none: parsed as the page, it makes an article lose its last paragraphs (an
``updated`` event) and regain them on the next crawl (another). So a gzip body here must
decompress to the end of its stream, with its checksum right, within the download's size
limit; anything else fails the page (:class:`UndecodableBody`), which the crawl records and
the next crawl retries. Other encodings (deflate, br, zstd) are Scrapy's.
"""

from __future__ import annotations

import zlib

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware

GZIP_WINDOW = 16 + zlib.MAX_WBITS
"""zlib's ``wbits`` for a gzip header and trailer (the checksum and size are verified)."""


class UndecodableBody(OSError):
    """The body is not what its ``Content-Encoding`` says."""


def strict_gunzip(body: bytes, max_size: int = 0) -> bytes:
    """Every member of a gzip stream, decompressed and verified; raises UndecodableBody."""
    output, rest = bytearray(), body
    while rest:
        stream = zlib.decompressobj(GZIP_WINDOW)
        try:
            output += stream.decompress(rest, max_size + 1 - len(output) if max_size else 0)
        except zlib.error as error:
            raise UndecodableBody(f"gzip: {error}") from error
        if max_size and len(output) > max_size:
            raise UndecodableBody(f"gzip: more than {max_size} bytes once decompressed")
        if not stream.eof:
            raise UndecodableBody("gzip: the stream ends before its end")
        rest = stream.unused_data.lstrip(b"\0")  # concatenated members, or trailing padding
    return bytes(output)


class StrictHttpCompressionMiddleware(HttpCompressionMiddleware):
    """HttpCompressionMiddleware with :func:`strict_gunzip` for gzip."""

    @staticmethod
    def _decode(body: bytes, encoding: bytes, max_size: int) -> bytes:
        if encoding in {b"gzip", b"x-gzip"}:
            return strict_gunzip(body, max_size)
        return HttpCompressionMiddleware._decode(body, encoding, max_size)
