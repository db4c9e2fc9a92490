"""One huge page must not make every feed huge: an entry's text is capped, with a link to
the rest, and the capped feeds are still valid (W3C validator, no error, no warning). The
change log page caps its diffs the same way."""

from __future__ import annotations

import datetime as dt
import html
import subprocess
import sys

import feedparser
import pytest

from feeds import BUILT_IN_CHANNEL, build_changes_feed, build_entries_feed
from feeds.text import ENTRY_TEXT_LIMIT, capped
from scheduler.web.changes_page import ChangesQuery, render_changes_page
from scheduler.web.entry_page import render_entry_page
from storage.history import EntryHistory, VersionRecord
from storage.records import ChangeRecord, StoredEntry
from tests.support.helpers import ROOT

UTC = dt.UTC
SITE = "https://en.odkb-csto.org/"
URL = "https://en.odkb-csto.org/news/news_odkb/huge/"
VALIDATOR = ROOT.parent / "shared" / "tools" / "validate-feed"
PARAGRAPH = "The delegation discussed cooperation in the region at some length. " * 20
HUGE_BODY = "\n\n".join([PARAGRAPH.strip()] * 6_000)  # 8.5 MB, like the page that made feeds huge


def huge_entry(body: str = HUGE_BODY, summary: str | None = "A teaser.") -> StoredEntry:
    return StoredEntry(
        entry_id="urn:uuid:00000000-0000-4000-8000-000000000001",
        title="A huge page",
        url=URL,
        published=dt.date(2024, 5, 20),
        summary=summary,
        body=body,
        first_seen=dt.datetime(2024, 5, 20, 9, tzinfo=UTC),
        updated=dt.datetime(2024, 5, 20, 9, tzinfo=UTC),
    )


def build(fmt: str, entry: StoredEntry) -> bytes:
    return build_entries_feed(
        [entry],
        fmt,
        self_url=f"http://127.0.0.1:8080/feed.{fmt}",
        channel=BUILT_IN_CHANNEL,
        generated_at=dt.datetime(2030, 1, 1, tzinfo=UTC),
    )


def huge_change() -> ChangeRecord:
    return ChangeRecord(
        at=dt.datetime(2024, 5, 21, tzinfo=UTC),
        kind="updated",
        entry_id="urn:uuid:00000000-0000-4000-8000-000000000001",
        title="A huge page",
        url=URL,
        published=dt.date(2024, 5, 20),
        diff="--- text\n+++ text\n" + "".join(f"+{PARAGRAPH}\n" for _ in range(3_000)),
        fields=("text",),
        event_id=1,
    )


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_huge_article_is_cut_with_a_link_to_the_rest(fmt):
    data = build(fmt, huge_entry())
    assert len(data) < 2 * ENTRY_TEXT_LIMIT, len(data)
    (item,) = feedparser.parse(data).entries
    content = item.content[0].value
    assert content.endswith(f'<p>… continued at <a href="{URL}">{URL}</a></p>')
    kept = content.rsplit("\n<p>… continued", 1)[0]
    assert kept.endswith(f"{html.escape(PARAGRAPH.strip())}</p>"), "cut inside a paragraph"


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_huge_teaser_is_cut_too(fmt):
    data = build(fmt, huge_entry(body=None, summary=HUGE_BODY))
    assert len(data) < 4 * ENTRY_TEXT_LIMIT, len(data)
    (item,) = feedparser.parse(data).entries
    assert f"continued at {URL}" in item.summary or f'continued at <a href="{URL}">' in item.summary


def test_an_article_under_the_limit_is_whole():
    body = "\n\n".join([PARAGRAPH.strip()] * 5)
    (item,) = feedparser.parse(build("atom", huge_entry(body=body))).entries
    assert "continued at" not in item.content[0].value
    assert item.content[0].value.count("<p>") == 5


def test_a_huge_diff_is_cut_in_the_change_log():
    data = build_changes_feed(
        [huge_change()],
        self_url="http://127.0.0.1:8080/changes.atom",
        channel=BUILT_IN_CHANNEL,
        generated_at=dt.datetime(2030, 1, 1, tzinfo=UTC),
    )
    assert len(data) < 2 * ENTRY_TEXT_LIMIT, len(data)
    assert "the diff goes on" in feedparser.parse(data).entries[0].content[0].value


def test_a_huge_diff_is_cut_on_the_change_log_page():
    page = render_changes_page([huge_change()], 1, ChangesQuery(), SITE)
    assert len(page) < 2 * ENTRY_TEXT_LIMIT, len(page)
    assert "the diff goes on" in page


def test_huge_texts_and_diffs_are_cut_on_the_entry_page():
    change = huge_change()
    version = VersionRecord(2, change.at, "Huge", URL, None, None, HUGE_BODY, change.diff)
    history = EntryHistory(change.entry_id, URL, "Huge", False, (version,), (change,))
    page = render_entry_page(history)
    assert len(page) < 3 * ENTRY_TEXT_LIMIT, len(page)
    assert "the diff goes on" in page and "the text goes on" in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one two\n\nthree four", "one two"),  # a paragraph break in the second half
        ("one two three four", "one two three"),  # else a space: no word cut in two
        ("abcdefghijklmnopqrstuvwxyz", "abcdefghijklmn"),  # else the limit itself
    ],
)
def test_the_cut_is_at_a_boundary(text, expected):
    assert capped(text, limit=14) == (expected, True)
    assert capped(text, limit=len(text)) == (text, False)


@pytest.mark.e2e
@pytest.mark.parametrize("fmt", ["rss", "atom", "changes"])
def test_capped_feeds_pass_the_w3c_validator(tmp_path, fmt):
    if not VALIDATOR.exists():
        pytest.skip(f"the W3C feed validator is not at {VALIDATOR}")
    pytest.importorskip("html5lib", reason="the validator needs html5lib and rdflib")
    pytest.importorskip("rdflib", reason="the validator needs html5lib and rdflib")
    if fmt == "changes":
        data = build_changes_feed(
            [huge_change()],
            self_url="http://127.0.0.1:8080/changes.atom",
            channel=BUILT_IN_CHANNEL,
            generated_at=dt.datetime(2030, 1, 1, tzinfo=UTC),
        )
    else:
        data = build(fmt, huge_entry())
    feed = tmp_path / f"feed.{fmt}"
    feed.write_bytes(data)
    checked = subprocess.run(
        [sys.executable, str(VALIDATOR), str(feed)], capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
