"""An article's HTML that a page ships only in its hydration data, not in its markup.

A page built with the Next.js App Router streams its React Server Components payload in
scripts of the form ``self.__next_f.push([1, "..."])``. The payload is a sequence of rows,
``ID:JSON`` ended by a newline, or ``ID:T<hex byte length>,<text>`` for a long text, which is
how an article body set as raw HTML travels. A page rendered in the browser alone has its
article there and nowhere in its DOM, so every extractor that reads the DOM finds nothing.
This module gives that HTML back as a document the main-content extraction can read; the
page's own markup stays the first witness (:mod:`extraction.article_evidence` asks here only
when it found no main content).

A text row is the article's HTML when it is markup (it starts with a tag) and holds a
paragraph; the longest such row wins. Other texts (base64 images, JSON) are never a body;
a text row of JSON-LD is read as the page's JSON-LD (:mod:`extraction.metadata`).
"""

from __future__ import annotations

import json
import re

import lxml.html
from lxml import etree

_PUSH = re.compile(r"^\s*self\.__next_f\.push\((?P<args>\[.*\])\)\s*;?\s*$", re.DOTALL)
_ROW_HEAD = re.compile(rb"[0-9a-fA-F]*:(?:T(?P<length>[0-9a-fA-F]+),)?")
_PARAGRAPH = re.compile(r"<p[\s>]", re.IGNORECASE)


def hydrated_article(root: etree._Element) -> etree._Element | None:
    """A document whose body is the article HTML found in the page's hydration data, or None
    when the page carries none."""
    bodies = [row for row in text_rows(server_components_stream(root)) if _is_article_markup(row)]
    if not bodies:
        return None
    longest = max(bodies, key=len)
    return lxml.html.document_fromstring(
        f"<html><head></head><body><article>{longest}</article></body></html>"
    )


def hydrated_json_ld(root: etree._Element) -> list[str]:
    """The JSON-LD documents of the page's hydration data (text rows naming a schema.org
    ``@context``): what the page renders into its ``<head>`` once in the browser."""
    return [
        row
        for row in text_rows(server_components_stream(root))
        if row.lstrip().startswith(("{", "[")) and "schema.org" in row[:200]
    ]


def server_components_stream(root: etree._Element) -> bytes:
    """The page's React Server Components payload: the strings of its ``self.__next_f.push``
    calls, in page order, as the UTF-8 bytes the row lengths count."""
    pieces: list[str] = []
    for script in root.iter("script"):
        match = _PUSH.match(script.text or "")
        if not match:
            continue
        try:
            arguments = json.loads(match["args"])
        except ValueError:
            continue
        if len(arguments) > 1 and isinstance(arguments[1], str):
            pieces.append(arguments[1])
    return "".join(pieces).encode("utf-8")


def text_rows(stream: bytes) -> list[str]:
    """The text rows (``ID:T<length>,<text>``) of a payload. A text row has no end mark: its
    length, in bytes, says where the next row starts. Any other row ends at a newline."""
    rows: list[str] = []
    position = 0
    while position < len(stream):
        head = _ROW_HEAD.match(stream, position)
        if head and head["length"]:
            start = head.end()
            end = start + int(head["length"], 16)
            rows.append(stream[start:end].decode("utf-8", errors="replace"))
            position = end
            continue
        newline = stream.find(b"\n", position)
        if newline < 0:
            break
        position = newline + 1
    return rows


def _is_article_markup(row: str) -> bool:
    return row.lstrip().startswith("<") and bool(_PARAGRAPH.search(row))
