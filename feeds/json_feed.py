"""The news feed as a JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/).

Some readers and most scripts prefer JSON to XML; the JSON Feed carries the same items as
the RSS and Atom feeds, in the same order, with the same ids (the store's permanent feed
ids: RSS guid, Atom id), so a reader that switches format shows no news twice. The same
promises as feeds.builder hold: same input, same bytes (keys in a fixed order, timestamps
from the data), and every text passes through feeds.text first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from storage.records import StoredEntry

from .builder import (
    DEFAULT_TITLE,
    capped_html,
    distinct_seconds,
    headline,
    published_at,
)
from .channels import Channel
from .text import excerpt, one_line, xml_safe

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json"
"""The media type the specification asks publishers to serve JSON Feeds with."""


def build_json_feed(entries: Sequence[StoredEntry], *, self_url: str, channel: Channel) -> bytes:
    """The news feed as JSON Feed 1.1, UTF-8 bytes; ``entries`` newest first, kept in order.

    Unlike RSS and Atom, a JSON Feed has no feed-level date, so an empty feed needs no
    clock either."""
    site = xml_safe(channel.home_url).strip()
    document = {
        "version": JSON_FEED_VERSION,
        "title": one_line(channel.title) or DEFAULT_TITLE,
        "home_page_url": site,
        "feed_url": xml_safe(self_url).strip(),
        "description": channel.description,
        **({"language": channel.language} if channel.language else {}),
        "authors": [{"name": channel.author, "url": site}],
        "items": [
            _item(entry, site, modified)
            for entry, modified in zip(entries, distinct_seconds(e.updated for e in entries))
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _item(entry: StoredEntry, site_url: str, modified: dt.datetime) -> dict:
    """One news item: HTML content as in the RSS feed, the teaser as the plain-text summary.

    ``content_html`` is never empty (the specification requires a content): an item known
    only by its title still has that title as its content."""
    link = xml_safe(entry.url).strip() or site_url
    title = headline(entry)
    content = xml_safe(entry.content).strip() or title
    item = {
        "id": xml_safe(entry.entry_id).strip(),
        "url": link,
        "title": title,
        "content_html": capped_html(content, link),
    }
    summary = one_line(entry.summary) or one_line(excerpt(entry.body))
    if summary:
        item["summary"] = summary
    item["date_published"] = published_at(entry).isoformat()
    item["date_modified"] = modified.isoformat()
    return item
