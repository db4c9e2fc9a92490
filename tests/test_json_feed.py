"""The news feed as JSON Feed 1.1, checked against the specification, not against our output.

The checks below are the specification's rules (https://www.jsonfeed.org/version/1.1/,
"Top-level", "Items", "Extensions"), written out once in :func:`spec_problems`: required
keys and their types, at least one of ``content_html`` / ``content_text`` per item, RFC 3339
dates, author objects with at least one member, no key outside the specification unless it
is an extension (``_name``). The items must be the RSS and Atom feeds' items, with their ids.
"""

from __future__ import annotations

import json
import re

import feedparser
import pytest

from feeds import BUILT_IN_CHANNEL, build_entries_feed, build_json_feed
from tests.test_feeds import GENERATED, HOSTILE_TITLE, SELF, SITE, make_entries

JSON_SELF = "http://127.0.0.1:8080/feed.json"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", re.IGNORECASE)

TOP_LEVEL = {
    "version": str,
    "title": str,
    "home_page_url": str,
    "feed_url": str,
    "description": str,
    "user_comment": str,
    "next_url": str,
    "icon": str,
    "favicon": str,
    "author": dict,
    "authors": list,
    "language": str,
    "expired": bool,
    "hubs": list,
    "items": list,
}
ITEM = {
    "id": str,
    "url": str,
    "external_url": str,
    "title": str,
    "content_html": str,
    "content_text": str,
    "summary": str,
    "image": str,
    "banner_image": str,
    "date_published": str,
    "date_modified": str,
    "author": dict,
    "authors": list,
    "tags": list,
    "language": str,
    "attachments": list,
}
AUTHOR_MEMBERS = {"name", "url", "avatar"}


def spec_problems(document: object) -> list[str]:
    """Every way ``document`` breaks the JSON Feed 1.1 specification's rules; [] if none."""
    if not isinstance(document, dict):
        return ["a feed is a JSON object"]
    problems = _typed_keys(document, TOP_LEVEL, "feed")
    if document.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version is the URL of the version: {document.get('version')!r}")
    problems += [f"feed: {key} is required" for key in ("version", "title", "items") if key not in document]
    problems += _author_problems(document.get("authors", []), "feed")
    for index, item in enumerate(document.get("items") or []):
        problems += _item_problems(item, f"items[{index}]")
    return problems


def _item_problems(item: object, where: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where}: an item is an object"]
    problems = _typed_keys(item, ITEM, where)
    if "id" not in item:
        problems.append(f"{where}: id is required")
    if "content_html" not in item and "content_text" not in item:
        problems.append(f"{where}: content_html or content_text must be present")
    for key in ("date_published", "date_modified"):
        if isinstance(item.get(key), str) and not RFC3339.match(item[key]):
            problems.append(f"{where}: {key} is not RFC 3339: {item[key]!r}")
    if any(not isinstance(tag, str) for tag in item.get("tags", [])):
        problems.append(f"{where}: tags are strings")
    return problems + _author_problems(item.get("authors", []), where)


def _typed_keys(obj: dict, types: dict[str, type], where: str) -> list[str]:
    """Keys of the specification with the type it gives them; others only as ``_extensions``."""
    problems = []
    for key, value in obj.items():
        if key.startswith("_"):
            continue
        if key not in types:
            problems.append(f"{where}: {key!r} is not in the specification (extensions start with _)")
        elif not isinstance(value, types[key]):
            problems.append(f"{where}: {key} must be {types[key].__name__}, not {type(value).__name__}")
    return problems


def _author_problems(authors: object, where: str) -> list[str]:
    if not isinstance(authors, list):
        return [f"{where}: authors is an array"]
    return [
        f"{where}: an author object has at least one of name, url, avatar"
        for author in authors
        if not isinstance(author, dict) or not AUTHOR_MEMBERS & set(author)
    ]


def test_the_checker_finds_what_the_specification_forbids():
    """The checks can fail: each broken document is caught."""
    assert spec_problems({"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}) == []
    assert spec_problems({"title": "t", "items": []})
    assert spec_problems({"version": "https://jsonfeed.org/version/1", "title": "t", "items": []})
    minimal = {"version": "https://jsonfeed.org/version/1.1", "title": "t"}
    assert spec_problems(minimal | {"items": [{"id": "1"}]})  # no content
    assert spec_problems(minimal | {"items": [{"content_text": "x"}]})  # no id
    assert spec_problems(minimal | {"items": [{"id": 1, "content_text": "x"}]})  # id not a string
    assert spec_problems(
        minimal | {"items": [{"id": "1", "content_text": "x", "date_published": "2024-05-20"}]}
    )
    assert spec_problems(minimal | {"items": [], "authors": [{}]})
    assert spec_problems(minimal | {"items": [], "link": "x"})
    assert not spec_problems(minimal | {"items": [], "_newswatch": {"about": "x"}})


@pytest.fixture
def document() -> dict:
    return json.loads(build_json_feed(make_entries(), self_url=JSON_SELF, channel=BUILT_IN_CHANNEL))


def test_the_json_feed_follows_the_specification(document):
    assert spec_problems(document) == []
    assert document["feed_url"] == JSON_SELF and document["home_page_url"] == SITE


def test_an_empty_json_feed_follows_the_specification():
    empty = json.loads(build_json_feed([], self_url=JSON_SELF, channel=BUILT_IN_CHANNEL))
    assert spec_problems(empty) == [] and empty["items"] == []


def test_the_json_feed_has_the_rss_and_atom_items_in_their_order_with_their_ids(document):
    entries = make_entries()
    for fmt in ("rss", "atom"):
        xml = build_entries_feed(
            entries, fmt, self_url=SELF[fmt], channel=BUILT_IN_CHANNEL, generated_at=GENERATED
        )
        assert [item["id"] for item in document["items"]] == [e.id for e in feedparser.parse(xml).entries]
    assert [item["id"] for item in document["items"]] == [entry.entry_id for entry in entries]


def test_scraped_text_stays_text_outside_content_html(document):
    """Only content_html may hold HTML: a title with markup in it is shown as the text it is."""
    hostile = next(item for item in document["items"] if item["title"].startswith("Evil"))
    assert hostile["title"].startswith(HOSTILE_TITLE.split("]]>")[0])
    assert "<script>" not in hostile["content_html"]  # escaped there, as in the RSS feed


def test_the_same_entries_give_the_same_bytes():
    once = build_json_feed(make_entries(), self_url=JSON_SELF, channel=BUILT_IN_CHANNEL)
    assert build_json_feed(make_entries(), self_url=JSON_SELF, channel=BUILT_IN_CHANNEL) == once
