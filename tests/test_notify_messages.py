"""Destinations, their filters, and what a message says (scheduler.notify)."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.notify.destinations import ChangeFilter, parse_destination, parse_destinations
from scheduler.notify.messages import DIFF_LINES, MAX_LISTED, MessageComposer, render, short_diff
from scheduler.notify.sender import ID_HEADER, with_message_id
from scheduler.settings import SettingsError, Sources
from storage.ingest.diffing import Content, unified_diff
from storage.outbox import CrawlChange
from tests.support.helpers import run_cli

HOOK = "json://127.0.0.1:9/hook"


def change(kind: str = "new", title: str = "Summit in Minsk", text: str = "", **fields) -> CrawlChange:
    values = {"entry_id": "id", "url": "https://site.example/news/1/", "published": dt.date(2026, 11, 27)}
    values.update(fields)
    return CrawlChange(kind=kind, title=title, text=text, diff=values.pop("diff", None), **values)


def edit(before: str, after: str) -> str:
    content = Content("Title", None, None, None, before)
    return unified_diff(content, Content("Title", None, None, None, after))


# -- destinations and filters -----------------------------------------------------------------


def test_a_url_with_a_filter_is_split_into_the_apprise_url_and_the_filter():
    destination = parse_destination(
        f"{HOOK}?method=PUT&newswatch-kinds=updated,new&newswatch-keywords=summit,Lavrov&newswatch-match=Mins?k"
    )
    assert destination.url == f"{HOOK}?method=PUT"
    assert destination.filter == ChangeFilter(("new", "updated"), ("summit", "Lavrov"), "Mins?k")
    assert parse_destination(destination.spec) == destination


def test_a_config_table_is_the_same_destination_as_its_url():
    table = {"url": HOOK, "kinds": ["removed"], "keywords": ["summit"]}
    assert parse_destination(table) == parse_destination(
        f"{HOOK}?newswatch-kinds=removed&newswatch-keywords=summit"
    )


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("nosuch://x", "not a notification URL Apprise can use"),
        (f"{HOOK}?newswatch-kinds=edited", "not a kind of change"),
        (f"{HOOK}?newswatch-match=(", "not a regular expression"),
        (f"{HOOK}?newswatch-only=new", "unknown filter newswatch-only"),
        ({"link": HOOK}, "a notification table takes url"),
    ],
)
def test_a_bad_destination_says_what_is_wrong(value, says):
    with pytest.raises(ValueError, match=says):
        parse_destination(value)


@pytest.mark.parametrize(
    ("kind", "title", "text", "wanted"),
    [
        ("new", "Summit", "", True),
        ("removed", "Summit", "", False),
        ("updated", "Exercise", "Lavrov met them.", True),
        ("updated", "Exercise", "Nobody met.", False),
        ("updated", "Meeting in minsk", "", True),
    ],
)
def test_a_filter_reads_kind_and_words_or_pattern_in_title_and_text(kind, title, text, wanted):
    words = ChangeFilter(("new", "updated"), keywords=("summit", "lavrov"))
    pattern = ChangeFilter(("new", "updated"), match=r"\bMinsk\b")
    admitted = words.admits(change(kind, title, text)) or pattern.admits(change(kind, title, text))
    assert admitted is wanted


def test_urls_from_the_environment_are_separated_by_spaces_and_a_bad_one_names_its_source():
    sources = Sources({}, {"NEWSWATCH_NOTIFY": f"{HOOK} {HOOK}?newswatch-kinds=new"})
    assert [d.filter.kinds for d in sources.value("notify")] == [("new", "updated", "removed"), ("new",)]
    with pytest.raises(SettingsError, match="environment: NEWSWATCH_NOTIFY: not a kind of change"):
        Sources({}, {"NEWSWATCH_NOTIFY": f"{HOOK}?newswatch-kinds=old"}).value("notify")


def test_the_config_file_takes_a_list_of_urls_and_tables(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'notify = ["{HOOK}", {{url = "{HOOK}", kinds = ["updated"]}}]\n', encoding="utf-8")
    destinations = Sources({"config": str(config)}, {}).value("notify")
    assert [d.filter.kinds for d in destinations] == [("new", "updated", "removed"), ("updated",)]
    assert parse_destinations([HOOK, HOOK]) == (parse_destination(HOOK),)


def test_a_bad_notify_option_is_one_line_and_exit_code_2(tmp_path):
    result = run_cli("crawl", "--offline", "--notify", "nosuch://x", data_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("newswatch: command line: notify: not a notification URL")
    assert len(result.stderr.splitlines()) == 1


def test_the_message_id_goes_as_a_header_where_the_channel_takes_headers():
    assert with_message_id(HOOK, "abc") == f"{HOOK}?+{ID_HEADER}=abc"
    assert with_message_id("mailto://h?to=a@b.c", "abc") == f"mailto://h?to=a@b.c&+{ID_HEADER}=abc"
    assert with_message_id("tgram://1:a/2/", "abc") == "tgram://1:a/2/"


# -- messages ----------------------------------------------------------------------------------


def test_each_destination_gets_its_changes_in_the_format_its_channel_takes():
    composer = MessageComposer(
        [
            parse_destination(HOOK),
            parse_destination("mailto://127.0.0.1?from=newswatch@example.org&to=reader@example.org"),
            parse_destination(
                "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#news?newswatch-kinds=removed"
            ),
        ],
        "http://news.example/",
    )
    made = composer(1, [change("new"), change("updated", diff=edit("One.", "Two."))])
    assert [(m.body_format, m.changes, m.title) for m in made] == [
        ("text", 2, "newswatch: 1 new, 1 updated"),
        ("html", 2, "newswatch: 1 new, 1 updated"),
    ]


def test_a_sites_own_destinations_are_told_of_that_sites_changes_only():
    own = parse_destination("json://127.0.0.1:9/ru-only")
    composer = MessageComposer([parse_destination(HOOK)], "http://news.example/", {"csto-ru": (own,)})
    russian = composer(1, [change("new", site="csto-ru")])
    english = composer(2, [change("new", site="csto-en")])
    assert sorted(message.destination for message in russian) == sorted([HOOK, own.spec])
    assert [message.destination for message in english] == [HOOK]


def test_a_message_of_an_added_site_names_it_in_its_title():
    composer = MessageComposer([parse_destination(HOOK)], "http://news.example/")
    (made,) = composer(1, [change("new", site="csto-ru"), change("new", site="csto-ru")])
    assert made.title == "newswatch (csto-ru): 2 new"


@pytest.mark.parametrize("body_format", ["text", "markdown", "html"])
def test_a_message_lists_title_date_site_link_and_cuts_long_batches(body_format):
    changes = [
        change(title=f"Item {number}", url=f"https://site.example/{number}/", site="council")
        for number in range(MAX_LISTED + 3)
    ]
    body = render(changes, body_format, "http://news.example/changes")
    assert "Item 0" in body and f"Item {MAX_LISTED - 1}" in body and f"Item {MAX_LISTED}" not in body
    assert "https://site.example/0/" in body and "2026-11-27" in body and "council" in body
    assert "and 3 more" in body and "http://news.example/changes" in body


def test_titles_are_escaped_for_html_and_markdown():
    risky = change(title="<b>A</b> [link](x) *bold*")
    assert "&lt;b&gt;A&lt;/b&gt;" in render([risky], "html", "u")
    assert r"\[link\](x) \*bold\*" in render([risky], "markdown", "u")


def test_an_update_shows_the_lines_it_removed_and_added_at_most_a_few():
    small = change("updated", diff=edit("The talks went on.", "The talks ended."))
    assert short_diff(small) == ["-The talks went on.", "+The talks ended."]
    before = "\n".join(f"Line {n}." for n in range(10))
    large = change("updated", diff=edit(before, before.replace("Line", "Row")))
    shown = short_diff(large)
    assert len(shown) == DIFF_LINES + 1 and shown[-1] == f"… {20 - DIFF_LINES} more lines"
    assert short_diff(change("new", diff=None)) == []


def test_a_long_line_changed_in_one_word_is_narrowed_to_that_word():
    words = [f"word{number}" for number in range(60)]
    before = " ".join(words) + "."
    after = before.replace("word30 ", "changed ")
    removed, added = short_diff(change("updated", diff=edit(before, after)))
    assert removed.startswith("-…") and removed.endswith("…") and "word30" in removed
    assert added.startswith("+…") and "changed" in added and "word30" not in added
    assert "word0 " not in removed and "word59" not in removed
