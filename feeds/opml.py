"""An OPML 2.0 subscription list: every feed newswatch serves, for a reader to import at once.

Feed readers (Feedly, Inoreader, NetNewsWire, Thunderbird, Miniflux ...) import OPML as
their "subscribe to many" format. Per the OPML 2.0 specification's subscription lists,
each feed is an ``<outline type="rss">`` (the type is "rss" for Atom feeds too) with its
``text``, ``xmlUrl`` and, where known, ``htmlUrl`` and ``language``; feeds are grouped in
folder outlines, which readers import as folders (a folder has its ``text`` alone: the W3C
validator wants a ``type`` on an outline with more). The document carries no creation date,
so the same feeds give the same bytes (and ETag).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .text import one_line, xml_safe

if TYPE_CHECKING:
    from lxml.etree import _Element


@dataclass(frozen=True)
class OpmlFeed:
    """One feed of the list."""

    title: str
    xml_url: str
    html_url: str | None = None
    language: str | None = None


def build_opml(title: str, folders: Sequence[tuple[str, Sequence[OpmlFeed]]]) -> bytes:
    """The list titled ``title``: one folder outline per ``(name, feeds)``, in order. lxml is
    imported here, not with the module, for the reason given in feeds.builder._new_feed."""
    from lxml import etree

    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = one_line(title)
    body = etree.SubElement(opml, "body")
    for name, feeds in folders:
        folder = etree.SubElement(body, "outline", text=one_line(name))
        for feed in feeds:
            folder.append(_outline(feed))
    return etree.tostring(opml, pretty_print=True, encoding="UTF-8", xml_declaration=True)


def _outline(feed: OpmlFeed) -> _Element:
    from lxml import etree

    outline = etree.Element("outline", type="rss", text=one_line(feed.title), title=one_line(feed.title))
    outline.set("xmlUrl", xml_safe(feed.xml_url).strip())
    if feed.html_url:
        outline.set("htmlUrl", xml_safe(feed.html_url).strip())
    if feed.language:
        outline.set("language", feed.language)
    return outline
