"""Gzip for the clients that ask for it (``Accept-Encoding: gzip``).

Feeds and pages are text and shrink three- to sixfold, which matters for a feed polled by
many readers and for a reader on a slow line (who then holds a server thread a fifth as
long). The gzip body is a representation of its own: its ETag is the identity body's with
``-gzip`` appended, so a cache never answers a client that cannot decompress with the
compressed bytes, and ``Vary: Accept-Encoding`` says that the answer depends on the header.
The compressed bytes of the last few bodies are kept, keyed by the identity body's hash, so
a feed is compressed once per version, not once per request.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

from werkzeug.wrappers import Request, Response

GZIP_LEVEL = 6
KEPT_BODIES = 8
GZIP_TAG_SUFFIX = "-gzip"

_kept: OrderedDict[str, bytes] = OrderedDict()
_kept_lock = threading.Lock()


def wants_gzip(request: Request) -> bool:
    """Does the client accept gzip (``gzip`` or ``*`` with a quality above 0)?"""
    return request.accept_encodings["gzip"] > 0


def compress_for(request: Request, response: Response, tag: str) -> str:
    """Gzip ``response``'s body if the client accepts it; returns the ETag for what is sent.

    ``tag`` identifies the identity body (a hash of it)."""
    response.vary.add("Accept-Encoding")
    if not wants_gzip(request):
        return tag
    response.set_data(_gzipped(response.get_data(), tag))
    response.content_encoding = "gzip"
    return tag + GZIP_TAG_SUFFIX


def _gzipped(data: bytes, tag: str) -> bytes:
    """The gzip of ``data`` (whose hash is ``tag``), from the kept ones when it is there.

    ``mtime=0``: the same body gives the same bytes, whenever compressed."""
    with _kept_lock:
        if tag in _kept:
            _kept.move_to_end(tag)
            return _kept[tag]
    packed = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    with _kept_lock:
        _kept[tag] = packed
        while len(_kept) > KEPT_BODIES:
            _kept.popitem(last=False)
    return packed
