"""The one rule for a web address a user gives newswatch: http or https, a host, a port that exists.

A live crawl fetches only web pages. Scrapy alone would read the local file a ``file://``
URL names, wait minutes on an ``ftp://`` address, or fail deep in the engine on a port that
cannot exist; so every address a user gives (the start pages of ``crawl`` and ``run``, the
page of ``parse``, the contact and base URLs) is checked here first, and a bad one is one
line before anything is fetched.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HOST = re.compile(r"[\w.-]+|\[[0-9A-Fa-f:.]+\]")
"""A host name (IDN letters included), an IPv4 address, or an IPv6 address in brackets."""


def has_scheme(text: str) -> bool:
    """Whether ``text`` starts like a URL (``ftp:``, ``javascript:``) rather than a file path."""
    return bool(_URL_SCHEME.match(text.strip()))


def http_url(value: Any) -> str:
    """``value`` as a web address newswatch may fetch; ValueError saying what is wrong."""
    url = str(value).strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {value!r}")
    host, port = _host_and_port(parts.netloc)
    if not _HOST.fullmatch(host):
        raise ValueError(f"no valid host name in URL: {value!r}")
    if port and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"not a valid port (1-65535) in URL: {value!r}")
    return url


def _host_and_port(netloc: str) -> tuple[str, str]:
    """``user@host:port`` to ``(host, port)``; the port is "" when none is given."""
    host_port = netloc.rpartition("@")[2]
    if host_port.startswith("["):  # an IPv6 address: its colons are not the port's
        host, _, rest = host_port.partition("]")
        return host + "]", rest.removeprefix(":")
    host, _, port = host_port.partition(":")
    return host, port
