"""The feeds package: well-formed, spec-complete, deterministic feeds, written atomically.

Feeds are read back the way subscribers read them (feedparser) and checked against the
specs' required elements with a plain XML parser (lxml), so a regression in either the
content or the structure shows up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import json
import os
import re
import stat
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feeds import (
    BUILT_IN_CHANNEL,
    DEFAULT_BASE_URL,
    FEED_FILES,
    build_changes_feed,
    build_entries_feed,
    change_event_id,
    write_atomically,
    write_feeds,
)
from storage.records import ChangeRecord, StoredEntry

UTC = dt.UTC
SITE = "https://en.odkb-csto.org/"
SELF = {"rss": "http://127.0.0.1:8080/feed.rss", "atom": "http://127.0.0.1:8080/feed.atom"}
CHANGES_SELF = "http://127.0.0.1:8080/changes.atom"
GENERATED = dt.datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

# Every character XML 1.0 forbids that a str can hold in the Basic Multilingual Plane.
FORBIDDEN = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
FORBIDDEN += "\ud800\udfff\ufffe\uffff"
BIDI = "\u202e\u202d\u2066\u2069\u200f"
HOSTILE_TITLE = f"Evil <script>alert('x')</script> ]]> end{FORBIDDEN} {BIDI}rtl"
HOSTILE_BODY = f"Body with ]]> and <script>alert(1)</script>\x00\x1b & <b>bold</b>\n\n{BIDI}"
HUGE_TITLE = "Summit " + "word " * 20_000  # > 100 KB


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2024, 5, day, hour, 30, tzinfo=UTC)


def make_entries() -> list[StoredEntry]:
    """Newest first, as the store hands them over."""
    return [
        StoredEntry(
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000001",
            title="CSTO Secretary General met the delegation",
            url="https://en.odkb-csto.org/news/news_odkb/meeting/",
            published=dt.date(2024, 5, 20),
            summary="On 20 May 2024, the Secretary General met the delegation.",
            body="The Secretary General met the delegation.\n\nThey discussed cooperation.",
            first_seen=at(20),
            updated=at(21),
        ),
        StoredEntry(  # teaser only: no title, no url
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000002",
            title=None,
            url=None,
            published=dt.date(2024, 5, 19),
            summary="Exercises were held in Tajikistan. Units from four states took part.",
            body=None,
            first_seen=at(19),
            updated=at(19),
            published_inferred=True,
        ),
        StoredEntry(  # no published date: dated by first sight
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000003",
            title="Article without a date",
            url="https://en.odkb-csto.org/news/news_odkb/undated/",
            published=None,
            summary=None,
            body="Paragraph one " * 80 + "\n\nParagraph two.",
            first_seen=at(18, 14),
            updated=at(18, 14),
        ),
        StoredEntry(  # hostile text everywhere
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000004",
            title=HOSTILE_TITLE,
            url="https://en.odkb-csto.org/news/news_odkb/evil/",
            published=dt.date(2024, 5, 17),
            summary=f"Teaser ]]> <script>x</script>\x0c{BIDI}",
            body=HOSTILE_BODY,
            first_seen=at(17),
            updated=at(17),
        ),
        StoredEntry(  # a 100 KB title
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000005",
            title=HUGE_TITLE,
            url="https://en.odkb-csto.org/news/news_odkb/huge/",
            published=dt.date(2024, 5, 16),
            summary=None,
            body="Short body.",
            first_seen=at(16),
            updated=at(16),
        ),
        StoredEntry(  # removed later: still listed
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000006",
            title="Removed article",
            url="https://en.odkb-csto.org/news/news_odkb/gone/",
            published=dt.date(2024, 5, 15),
            summary="It was here.",
            body=None,
            first_seen=at(15),
            updated=at(15),
            removed=True,
        ),
        StoredEntry(  # nothing known but its id (must still make a valid item)
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000007",
            title=None,
            url=None,
            published=None,
            summary=None,
            body=None,
            first_seen=at(14),
            updated=at(14),
        ),
    ]


def make_changes() -> list[ChangeRecord]:
    return [
        ChangeRecord(
            at=at(22),
            kind="removed",
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000006",
            title="Removed article",
            url="https://en.odkb-csto.org/news/news_odkb/gone/",
            published=dt.date(2024, 5, 15),
            diff=None,
            event_id=4,
        ),
        ChangeRecord(
            at=at(21),
            kind="updated",
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000001",
            title="CSTO Secretary General met the delegation",
            url="https://en.odkb-csto.org/news/news_odkb/meeting/",
            published=dt.date(2024, 5, 20),
            diff="--- text\n+++ text\n-They discussed.\n+They discussed cooperation. ]]> <b>\x01",
            fields=("text",),
            event_id=3,
        ),
        ChangeRecord(
            at=at(20),
            kind="new",
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000001",
            title="CSTO Secretary General met the delegation",
            url="https://en.odkb-csto.org/news/news_odkb/meeting/",
            published=dt.date(2024, 5, 20),
            diff=None,
            event_id=2,
        ),
        ChangeRecord(
            at=at(19),
            kind="new",
            entry_id="urn:uuid:00000000-0000-4000-8000-000000000002",
            title=None,
            url=None,
            published=None,
            diff=None,
            event_id=1,
        ),
    ]


def build(fmt: str, entries: list[StoredEntry] | None = None, **kwargs) -> bytes:
    return build_entries_feed(
        make_entries() if entries is None else entries,
        fmt,
        self_url=SELF[fmt],
        channel=BUILT_IN_CHANNEL,
        generated_at=kwargs.pop("generated_at", GENERATED),
        **kwargs,
    )


def build_changes(changes: list[ChangeRecord] | None = None, **kwargs) -> bytes:
    return build_changes_feed(
        make_changes() if changes is None else changes,
        self_url=CHANGES_SELF,
        channel=BUILT_IN_CHANNEL,
        generated_at=kwargs.pop("generated_at", GENERATED),
    )


def xml(data: bytes) -> etree._Element:
    """Parse strictly: any well-formedness error raises."""
    return etree.fromstring(data, etree.XMLParser(recover=False, huge_tree=True))


def rss_items(data: bytes) -> list[etree._Element]:
    return xml(data).findall("channel/item")


def atom_entries(data: bytes) -> list[etree._Element]:
    return xml(data).findall(f"{ATOM}entry")


# --- reading back with a feed reader --------------------------------------------------


@pytest.mark.parametrize("fmt, version", [("rss", "rss20"), ("atom", "atom10")])
def test_feedparser_reads_every_entry_back(fmt: str, version: str) -> None:
    parsed = feedparser.parse(build(fmt))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    expected = [e.entry_id for e in make_entries()]
    assert [item.id for item in parsed.entries] == expected  # same ids, same order
    assert len({item.id for item in parsed.entries}) == len(expected)
    assert parsed.feed.language == "en"


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_self_link_points_at_the_feed(fmt: str) -> None:
    parsed = feedparser.parse(build(fmt))
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [SELF[fmt]]
    assert parsed.feed.link == SITE


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_titles_and_links(fmt: str) -> None:
    entries = make_entries()
    parsed = feedparser.parse(build(fmt))
    by_id = {item.id: item for item in parsed.entries}
    first, teaser, undated, _, huge, removed, empty = entries
    assert by_id[first.entry_id].title == first.title
    assert by_id[first.entry_id].link == first.url
    # teaser-only: headline made from the text; no URL -> the site
    assert by_id[teaser.entry_id].title == "Exercises were held in Tajikistan."
    assert by_id[teaser.entry_id].link == SITE
    assert by_id[huge.entry_id].title == " ".join(HUGE_TITLE.split())
    assert len(by_id[huge.entry_id].title) > 100_000
    assert by_id[removed.entry_id].title == "Removed article"
    assert by_id[empty.entry_id].title  # never blank
    assert by_id[undated.entry_id].link == undated.url


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_description_is_the_teaser_or_the_start_of_the_body(fmt: str) -> None:
    entries = make_entries()
    parsed = feedparser.parse(build(fmt))
    by_id = {item.id: item for item in parsed.entries}
    assert "the Secretary General met the delegation" in by_id[entries[0].entry_id].summary
    undated = by_id[entries[2].entry_id].summary
    assert undated.startswith("<p>Paragraph one" if fmt == "rss" else "Paragraph one")
    assert len(undated) < 500 and "Paragraph two" not in undated
    # the full body is the content
    content = " ".join(c.value for c in by_id[entries[2].entry_id].content)
    assert "Paragraph two." in content


def test_published_is_midnight_utc_or_first_seen_and_updated_is_updated() -> None:
    entries = make_entries()
    atom = {item.id: item for item in feedparser.parse(build("atom")).entries}
    rss = {item.id: item for item in feedparser.parse(build("rss")).entries}
    dated, undated = entries[0], entries[2]
    for parsed in (atom, rss):
        assert tuple(parsed[dated.entry_id].published_parsed)[:6] == (2024, 5, 20, 0, 0, 0)
        assert tuple(parsed[undated.entry_id].published_parsed)[:6] == (2024, 5, 18, 14, 30, 0)
    assert tuple(atom[dated.entry_id].updated_parsed)[:6] == (2024, 5, 21, 9, 30, 0)


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_every_date_is_timezone_aware(fmt: str) -> None:
    root = xml(build(fmt))
    if fmt == "rss":
        texts = [el.text for el in root.iter("pubDate", "lastBuildDate")]
        moments = [email.utils.parsedate_to_datetime(t) for t in texts]
    else:
        texts = [el.text for el in root.iter(f"{ATOM}published", f"{ATOM}updated")]
        assert all(RFC3339.match(t) for t in texts), texts
        moments = [dt.datetime.fromisoformat(t) for t in texts]
    assert len(moments) >= len(make_entries()) + 1
    assert all(m.tzinfo is not None and m.utcoffset() == dt.timedelta(0) for m in moments)


def test_feed_updated_is_the_newest_entry_update_and_generated_at_when_empty() -> None:
    atom = feedparser.parse(build("atom"))
    rss = feedparser.parse(build("rss"))
    assert tuple(atom.feed.updated_parsed)[:6] == (2024, 5, 21, 9, 30, 0)
    assert tuple(rss.feed.updated_parsed)[:6] == (2024, 5, 21, 9, 30, 0)
    empty = feedparser.parse(build("atom", entries=[]))
    assert not empty.bozo and empty.entries == []
    assert tuple(empty.feed.updated_parsed)[:6] == (2030, 1, 1, 12, 0, 0)


def test_naive_datetimes_are_read_as_utc() -> None:
    naive = StoredEntry(
        entry_id="urn:uuid:00000000-0000-4000-8000-0000000000aa",
        title="Naive",
        url=None,
        published=None,
        summary="x",
        body=None,
        first_seen=dt.datetime(2024, 5, 1, 8, 0),
        updated=dt.datetime(2024, 5, 1, 8, 0),
    )
    parsed = feedparser.parse(build("atom", entries=[naive]))
    assert tuple(parsed.entries[0].updated_parsed)[:5] == (2024, 5, 1, 8, 0)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        build_entries_feed(
            make_entries(), "json", self_url=SELF["rss"], channel=BUILT_IN_CHANNEL, generated_at=GENERATED
        )  # type: ignore[arg-type]


# --- hostile text ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_hostile_text_stays_text(fmt: str) -> None:
    data = build(fmt)
    root = xml(data)  # well-formed despite NUL, ESC, lone surrogates, U+FFFE ...
    assert not [el for el in root.iter() if etree.QName(el).localname.lower() == "script"]
    assert not any(ch in data.decode("utf-8") for ch in FORBIDDEN if ch not in "\ud800\udfff")

    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    evil = next(item for item in parsed.entries if item.id.endswith("0004"))
    # Markup-looking text arrives as the same text, minus only the forbidden characters.
    assert evil.title == f"Evil <script>alert('x')</script> ]]> end {BIDI}rtl"
    assert BIDI in evil.title
    content = " ".join(c.value for c in evil.content)
    assert "&lt;script&gt;" in content and "<script" not in content
    assert "]]&gt;" in content


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.text(st.characters(codec=None, exclude_categories=())),
    body=st.text(st.characters(codec=None, exclude_categories=())),
)
def test_any_text_gives_a_well_formed_feed(title: str, body: str) -> None:
    entry = StoredEntry(
        entry_id="urn:uuid:00000000-0000-4000-8000-0000000000bb",
        title=title or None,
        url=None,
        published=None,
        summary=body or None,
        body=body or None,
        first_seen=at(1),
        updated=at(1),
    )
    for fmt in ("rss", "atom"):
        data = build(fmt, entries=[entry])
        xml(data)
        parsed = feedparser.parse(data)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert len(parsed.entries) == 1 and parsed.entries[0].title


# --- the specifications' required elements --------------------------------------------


def test_rss_has_the_required_elements() -> None:
    root = xml(build("rss"))
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for name in ("title", "link", "description"):
        assert (channel.findtext(name) or "").strip(), name
    self_link = channel.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == SELF["rss"]
    items = channel.findall("item")
    assert len(items) == len(make_entries())
    for item in items:
        assert (item.findtext("title") or item.findtext("description") or "").strip()
        guid = item.find("guid")
        assert guid is not None and guid.text and guid.get("isPermaLink") == "false"
        assert item.findtext("link")
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).tzinfo


def _check_rfc4287(root: etree._Element, expected_entries: int) -> None:
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), name
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    assert re.match(r"^[a-z][a-z0-9+.-]*:", root.findtext(f"{ATOM}id"))  # an IRI
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == expected_entries
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        assert re.match(r"^[a-z][a-z0-9+.-]*:\S+$", entry.findtext(f"{ATOM}id"))
        alternate = [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate" and link.get("href")
        ]
        assert alternate or entry.find(f"{ATOM}content") is not None
        assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)


def test_atom_news_feed_follows_rfc4287() -> None:
    root = xml(build("atom"))
    _check_rfc4287(root, len(make_entries()))
    assert [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")] == [
        e.entry_id for e in make_entries()
    ]


def test_changes_feed_follows_rfc4287() -> None:
    _check_rfc4287(xml(build_changes()), len(make_changes()))


# --- the change-log feed --------------------------------------------------------------


def test_changes_feed_has_one_entry_per_event() -> None:
    changes = make_changes()
    parsed = feedparser.parse(build_changes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [item.id for item in parsed.entries] == [change_event_id(c) for c in changes]
    assert all(item.id.startswith("urn:uuid:") for item in parsed.entries)
    assert len({item.id for item in parsed.entries}) == len(changes)
    assert [item.title for item in parsed.entries] == [
        "removed: Removed article",
        "updated: CSTO Secretary General met the delegation",
        "new: CSTO Secretary General met the delegation",
        "new: Untitled news item",
    ]
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == [CHANGES_SELF]
    assert tuple(parsed.feed.updated_parsed)[:6] == (2024, 5, 22, 9, 30, 0)
    assert tuple(parsed.entries[1].updated_parsed)[:6] == (2024, 5, 21, 9, 30, 0)
    assert parsed.entries[0].link == changes[0].url
    assert parsed.entries[3].link == SITE


def test_changes_feed_content_is_the_diff_or_a_description() -> None:
    parsed = feedparser.parse(build_changes())
    removed, updated, new, _ = (" ".join(c.value for c in e.content) for e in parsed.entries)
    assert "-They discussed." in updated
    assert "+They discussed cooperation. ]]&gt; &lt;b&gt;" in updated
    assert "text" in updated  # the changed field is named
    assert "2024-05-20" in new and "meeting" in new
    assert "no longer available" in removed


def test_change_event_ids_are_stable_and_distinct() -> None:
    first, second = make_changes()[1], make_changes()[2]
    assert change_event_id(first) == change_event_id(make_changes()[1])
    assert change_event_id(first) != change_event_id(second)  # same entry, other event
    # records without an event id (not stored yet) still get distinct ids
    a = ChangeRecord(at(1), "new", "urn:uuid:x", None, None, None, None)
    b = ChangeRecord(at(2), "updated", "urn:uuid:x", None, None, None, "d")
    assert change_event_id(a) != change_event_id(b)


def test_empty_changes_feed_is_valid_and_dated_by_generation() -> None:
    data = build_changes([])
    _check_rfc4287(xml(data), 0)
    assert tuple(feedparser.parse(data).feed.updated_parsed)[:4] == (2030, 1, 1, 12)


# --- determinism ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_same_input_same_bytes(fmt: str) -> None:
    first = build(fmt, generated_at=dt.datetime(2031, 1, 1, tzinfo=UTC))
    second = build(fmt, generated_at=dt.datetime(2032, 6, 1, tzinfo=UTC))
    assert first == second
    changed = make_entries()
    changed[0] = StoredEntry(**{**changed[0].__dict__, "updated": at(23)})
    assert build(fmt, entries=changed) != first


def test_same_changes_same_bytes() -> None:
    assert build_changes(generated_at=at(1)) == build_changes(generated_at=at(2))


# --- writing --------------------------------------------------------------------------


def test_write_atomically_writes_and_skips_identical_content(tmp_path: Path) -> None:
    target = tmp_path / "feed.atom"
    assert write_atomically(target, b"one") is True
    assert target.read_bytes() == b"one"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644

    old = 1_000_000_000
    os.utime(target, (old, old))
    inode = target.stat().st_ino
    assert write_atomically(target, b"one") is False
    assert target.stat().st_mtime == old and target.stat().st_ino == inode

    assert write_atomically(target, b"two") is True
    assert target.read_bytes() == b"two"
    assert target.stat().st_mtime != old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.atom"]  # no temp file left


def test_write_atomically_keeps_the_old_file_when_the_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "feed.rss"
    target.write_bytes(b"old")
    target.chmod(0o600)

    def broken_replace(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.rss"]
    monkeypatch.undo()
    assert write_atomically(target, b"new") is True
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # permissions kept


def test_write_feeds_writes_four_feeds_once(tmp_path: Path) -> None:
    directory = tmp_path / "data" / "feeds"  # created on demand
    paths = write_feeds(
        directory,
        make_entries(),
        make_changes(),
        channel=BUILT_IN_CHANNEL,
        base_url="https://example.org/newswatch",
        generated_at=at(1),
    )
    assert paths == {kind: directory / name for kind, name in FEED_FILES.items()}
    assert sorted(p.name for p in directory.iterdir()) == [
        ".feeds-digest",
        "changes.atom",
        "feed.atom",
        "feed.json",
        "feed.rss",
    ]
    assert json.loads(paths["json"].read_bytes())["feed_url"] == "https://example.org/newswatch/feed.json"
    for kind, path in paths.items():
        if kind == "json":
            continue
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (kind, parsed.get("bozo_exception"))
        self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_links == [f"https://example.org/newswatch/{FEED_FILES[kind]}"]

    old = 1_000_000_000
    for path in paths.values():
        os.utime(path, (old, old))
    write_feeds(
        directory,
        make_entries(),
        make_changes(),
        channel=BUILT_IN_CHANNEL,
        base_url="https://example.org/newswatch/",
        generated_at=at(2),
    )
    assert all(path.stat().st_mtime == old for path in paths.values())
    assert sorted(p.name for p in directory.iterdir()) == [
        ".feeds-digest",
        "changes.atom",
        "feed.atom",
        "feed.json",
        "feed.rss",
    ]


def test_write_feeds_default_base_url_is_the_local_server(tmp_path: Path) -> None:
    paths = write_feeds(tmp_path, [], [])
    parsed = feedparser.parse(paths["atom"].read_bytes())
    assert [link.href for link in parsed.feed.links if link.rel == "self"] == [DEFAULT_BASE_URL + "feed.atom"]
    assert parsed.entries == []


def test_entries_of_one_instant_get_distinct_seconds_in_feed_order():
    """Feed validators warn at two entries with one ``updated``; one page's items share one."""
    from feeds.builder import distinct_seconds

    at = dt.datetime(2025, 6, 30, 12, 0, 5, 123456, tzinfo=dt.UTC)
    older = at - dt.timedelta(seconds=1)
    second = dt.timedelta(seconds=1)
    plain = at.replace(microsecond=0)
    assert distinct_seconds([at, at, at, older]) == [
        plain,
        plain - second,
        plain - 2 * second,
        plain - 3 * second,
    ]
    assert distinct_seconds([at + 10 * second, at, at, older])[1:] == distinct_seconds([at, at, older])


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=120))
def test_distinct_seconds_step_back_from_each_second_to_the_first_free_one(offsets):
    """The rule as its docstring states it, followed one step at a time: each moment gets its
    second, or the latest free second before it; none is given twice."""
    from feeds.builder import distinct_seconds

    start = dt.datetime(2025, 6, 30, 12, 0, 0, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(seconds=offset, microseconds=offset * 1000) for offset in offsets]
    taken, expected = set(), []
    for moment in moments:
        second = moment.replace(microsecond=0)
        while second in taken:
            second -= dt.timedelta(seconds=1)
        taken.add(second)
        expected.append(second)
    assert distinct_seconds(moments) == expected


def test_feeds_built_from_the_same_inputs_are_not_built_again(tmp_path: Path, monkeypatch) -> None:
    """Nothing new, nothing built: the files stay as they are (and so their ETags)."""
    directory = tmp_path / "feeds"
    first = write_feeds(directory, make_entries(), make_changes(), generated_at=at(1))
    before = {kind: (path.read_bytes(), path.stat().st_mtime_ns) for kind, path in first.items()}

    def no_building(*args, **kwargs):
        raise AssertionError("the feeds were built again from the same inputs")

    monkeypatch.setattr("feeds.writer.build_entries_feed", no_building)
    monkeypatch.setattr("feeds.writer.build_changes_feed", no_building)
    again = write_feeds(directory, make_entries(), make_changes(), generated_at=at(2))
    assert again == first
    assert {kind: (path.read_bytes(), path.stat().st_mtime_ns) for kind, path in again.items()} == before


def test_feeds_are_built_again_when_an_entry_changed_or_a_file_is_missing(tmp_path: Path) -> None:
    directory = tmp_path / "feeds"
    entries = make_entries()
    paths = write_feeds(directory, entries, make_changes(), generated_at=at(1))
    retitled = [dataclasses.replace(entries[0], title="A corrected headline"), *entries[1:]]
    write_feeds(directory, retitled, make_changes(), generated_at=at(1))
    assert b"A corrected headline" in paths["atom"].read_bytes()
    paths["rss"].unlink()
    write_feeds(directory, retitled, make_changes(), generated_at=at(1))
    assert b"A corrected headline" in paths["rss"].read_bytes()


def test_feeds_are_built_again_for_another_base_url(tmp_path: Path) -> None:
    directory = tmp_path / "feeds"
    write_feeds(
        directory, make_entries(), make_changes(), base_url="http://127.0.0.1:8080/", generated_at=at(1)
    )
    paths = write_feeds(
        directory, make_entries(), make_changes(), base_url="https://news.example/", generated_at=at(1)
    )
    assert b"https://news.example/feed.atom" in paths["atom"].read_bytes()
