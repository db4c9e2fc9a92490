"""Ways for the loopback server to misbehave on purpose, one small class per kind of fault.

A live site fails in many ways besides a polite error status: it hangs, it trickles, it
drops the connection half-way, it promises more bytes than it sends, it mislabels its
compression or its charset, it serves a monster, it redirects forever or elsewhere. The
crawler's fault tests (tests/test_crawl_faults.py) lay such faults over the synthetic
mirror with :meth:`tests.support.loopback.LoopbackServer.misbehave`.

A fault sees the answer the page would have had and either *reshapes* it (another status,
another body, other headers: sent normally) or *delivers* it badly on the wire (through the
handler's :class:`Wire`). Each class overrides one of the two.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field, replace
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

FAULT_WAIT_SECONDS = 60.0
"""The longest a hanging or trickling answer lasts (the server's stop ends it sooner)."""


@dataclass(frozen=True)
class Answer:
    """What the server sends: a status, a body and headers beyond the usual ones."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


class Wire(Protocol):
    """The connection of one request, as a fault may (mis)use it."""

    def head(self, answer: Answer, *, content_length: int | None) -> None:
        """Send the status line and headers, announcing ``content_length`` body bytes (None:
        no ``Content-Length``, the body ends when the connection closes)."""

    def write(self, data: bytes) -> None: ...

    def send(self, answer: Answer) -> None:
        """Send ``answer`` properly."""

    def reset(self) -> None:
        """Abort the connection (TCP RST): the client sees it reset, not closed."""

    def close(self) -> None:
        """Close the connection after what was written (TCP FIN)."""

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; False as soon as the server stops."""


class Fault:
    """Answers properly; subclasses override :meth:`reshape` or :meth:`deliver`."""

    def reshape(self, answer: Answer, target: str) -> Answer:
        return answer

    def deliver(self, wire: Wire, answer: Answer) -> None:
        wire.send(answer)

    @property
    def name(self) -> str:
        return type(self).__name__


# -- answers that are wrong but well-formed -------------------------------------------------


@dataclass(frozen=True)
class Status(Fault):
    """An error status instead of the page (429, 5xx), with ``Retry-After`` if given."""

    status: int
    retry_after: str | None = None

    def reshape(self, answer: Answer, target: str) -> Answer:
        headers = {"Retry-After": self.retry_after} if self.retry_after else {}
        return Answer(self.status, b"busy\n", "text/plain", headers)


@dataclass(frozen=True)
class Redirect(Fault):
    """A redirect to ``location`` (another host, say) instead of the page."""

    location: str
    status: int = 302

    def reshape(self, answer: Answer, target: str) -> Answer:
        return Answer(self.status, b"", "text/plain", {"Location": self.location})


HOP = "hop"


@dataclass(frozen=True)
class RedirectChain(Fault):
    """Redirects without end: ``PATH`` -> ``PATH?hop=1`` -> ``PATH?hop=2`` ... (the server
    looks a ``?hop=N`` target's fault up under its path, see :func:`fault_target`)."""

    def reshape(self, answer: Answer, target: str) -> Answer:
        path, _, query = target.partition("?")
        hop = int(parse_qs(query).get(HOP, ["0"])[0])
        return Answer(302, b"", "text/plain", {"Location": f"{path}?{HOP}={hop + 1}"})


def fault_target(target: str) -> str:
    """Where a request's fault is registered: its target, a redirect chain's hops aside."""
    parts = urlsplit(target)
    return parts.path if parts.query.startswith(f"{HOP}=") else target


@dataclass(frozen=True)
class CorruptGzip(Fault):
    """``Content-Encoding: gzip`` on bytes that do not decompress: no gzip at all, or
    (``cut``) the page's gzip stream cut in half, which decompresses to half a page."""

    cut: bool = False

    def reshape(self, answer: Answer, target: str) -> Answer:
        if self.cut:
            packed = gzip.compress(answer.body)
            body = packed[: len(packed) // 2]
        else:
            body = b"\x1f\x8b\x08\x00 this is not a gzip stream " + answer.body[:64]
        return replace(answer, body=body, headers=answer.headers | {"Content-Encoding": "gzip"})


@dataclass(frozen=True)
class Oversized(Fault):
    """The page padded to ``size`` bytes (an HTML comment before ``</body>``); with
    ``announced=False`` sent without ``Content-Length``, so that the client learns its size
    only while it reads."""

    size: int
    announced: bool = True

    def reshape(self, answer: Answer, target: str) -> Answer:
        head, _, tail = answer.body.rpartition(b"</body>")
        padding = max(0, self.size - len(answer.body) - len(b"<!--  -->"))
        body = head + b"<!-- " + b"x" * padding + b" -->" + b"</body>" + tail
        return replace(answer, body=body)

    def deliver(self, wire: Wire, answer: Answer) -> None:
        if self.announced:
            wire.send(answer)
            return
        wire.head(answer, content_length=None)
        wire.write(answer.body)
        wire.close()


@dataclass(frozen=True)
class Recode(Fault):
    """The page's text in ``encoding`` while the headers declare ``declared`` (None: no
    charset at all, and the page's ``<meta charset>`` removed)."""

    encoding: str
    declared: str | None

    def reshape(self, answer: Answer, target: str) -> Answer:
        text = answer.body.decode("utf-8")
        if self.declared is None:
            text = text.replace('<meta charset="UTF-8">\n', "")
        content_type = "text/html" + (f"; charset={self.declared}" if self.declared else "")
        return replace(answer, body=text.encode(self.encoding), content_type=content_type)


# -- answers that go wrong on the wire ------------------------------------------------------


@dataclass(frozen=True)
class Hang(Fault):
    """Reads the request and never answers."""

    def deliver(self, wire: Wire, answer: Answer) -> None:
        wire.wait(FAULT_WAIT_SECONDS)
        wire.close()


@dataclass(frozen=True)
class Trickle(Fault):
    """Sends the headers, then the body a few bytes at a time, far too slowly."""

    chunk: int = 16
    pause: float = 0.25

    def deliver(self, wire: Wire, answer: Answer) -> None:
        wire.head(answer, content_length=len(answer.body))
        for start in range(0, len(answer.body), self.chunk):
            if not wire.wait(self.pause):
                break
            wire.write(answer.body[start : start + self.chunk])
        wire.close()


@dataclass(frozen=True)
class CutShort(Fault):
    """Announces the whole body (``Content-Length``) and sends half of it, then closes the
    connection (a truncated body) or, with ``reset``, resets it mid-body."""

    reset: bool = False

    def deliver(self, wire: Wire, answer: Answer) -> None:
        wire.head(answer, content_length=len(answer.body))
        wire.write(answer.body[: len(answer.body) // 2])
        if self.reset:
            wire.reset()
        else:
            wire.close()
