"""The change log page's filters, search and pages, and the entry page, through the WSGI app.

The store is filled here with an article seen, edited twice and removed, beside enough
other articles to need several pages; what each page must show is read off those edits.
The same pages in a real browser, on a phone's screen: tests/test_http_changes_page.py.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import quote, unquote

import pytest
from werkzeug.test import Client

from scheduler.web.app import ServiceApp
from scheduler.web.changes_page import PAGE_SIZE
from tests.test_entry_history import URL, article_page, crawl, edited_then_removed

SITE = "https://en.odkb-csto.org/"
MORE = PAGE_SIZE + 10  # articles beyond the edited one: the log needs two pages
HOSTILE = 'Drill <script>alert(1)</script> "Shield & Sword" <b>bold</b> ended'


class Links(HTMLParser):
    """Every <a href> of a page, in order."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])


@pytest.fixture
def client(store):
    entry_id = edited_then_removed(store)
    more = [
        article_page(
            f"{SITE}news/news_odkb/more-{n}/", f"Briefing {n} on border security", f"Border talks {n}."
        )
        for n in range(MORE)
    ]
    crawl(store, *more, article_page(f"{SITE}news/news_odkb/hostile/", HOSTILE, "It ended on time."))
    app = ServiceApp(store, None, SITE, lambda: {"ok": True})
    return Client(app), entry_id


def page_of(client: Client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    return answer.get_data(as_text=True)


def entries_linked(page: str) -> list[str]:
    return [
        unquote(href.removeprefix("entries/")) for href in Links(page).hrefs if href.startswith("entries/")
    ]


def test_the_log_comes_fifty_a_page_newest_first_and_the_pages_join_up(client, store):
    client, _ = client
    everything = [change.entry_id for change in store.changes()]
    first = page_of(client, "/changes")
    assert entries_linked(first) == everything[:PAGE_SIZE]
    older = [href for href in Links(first).hrefs if "page=2" in href]
    assert older == ["changes?page=2"]
    second = page_of(client, "/" + older[0])
    assert entries_linked(second) == everything[PAGE_SIZE : 2 * PAGE_SIZE]
    assert "changes" in Links(second).hrefs  # back to the first page


def test_the_kind_filter_and_the_search_narrow_the_log_and_stay_in_the_page_links(client):
    client, entry_id = client
    updated = page_of(client, "/changes?kind=updated")
    assert entries_linked(updated) == [entry_id, entry_id]
    removed = page_of(client, "/changes?kind=removed&q=three+DAYS")  # words of its first version only
    assert entries_linked(removed) == [entry_id]
    briefings = page_of(client, "/changes?q=briefing+border")
    assert (
        len(entries_linked(briefings)) == PAGE_SIZE
        and "changes?q=briefing+border&page=2" in Links(briefings).hrefs
    )
    assert len(entries_linked(page_of(client, "/changes?q=briefing+border&page=2"))) == MORE - PAGE_SIZE
    nothing = page_of(client, "/changes?q=%25")  # a LIKE wildcard is a character like any other
    assert entries_linked(nothing) == [] and "No change matches" in nothing


def test_the_form_keeps_what_was_asked_and_submits_to_the_page_itself(client):
    client, _ = client
    page = page_of(client, '/changes?kind=updated&q="><script>x')
    assert re.search(r'<form method="get" action="changes"', page)
    assert '<option value="updated" selected>' in page
    assert 'value="&#34;&gt;&lt;script&gt;x"' in page and "<script>" not in page


@pytest.mark.parametrize(
    "query", ["kind=edited", "page=0", "page=-1", "page=two", "page=1e3", "q=" + "x" * 201]
)
def test_a_bad_query_is_a_short_400(client, query):
    client, _ = client
    answer = client.get(f"/changes?{query}")
    assert answer.status_code == 400 and answer.headers["Content-Type"].startswith("text/plain")
    assert answer.get_data(as_text=True).count("\n") == 1


def test_a_page_past_the_last_says_so(client):
    client, _ = client
    page = page_of(client, "/changes?page=99")
    assert "There is no page 99 of 2" in page and entries_linked(page) == []


def test_every_change_links_to_its_entry_page_and_that_page_has_the_whole_history(client):
    client, entry_id = client
    href = next(
        href for href in Links(page_of(client, "/changes?kind=removed")).hrefs if href.startswith("entries/")
    )
    assert href == "entries/" + quote(entry_id, safe="")
    page = page_of(client, "/" + href)
    assert [int(n) for n in re.findall(r'<article class="version" id="version-(\d+)">', page)] == [1, 2, 3]
    assert re.search(r'<span class="del">-It will last three days\.</span>', page)
    assert re.search(r'<span class="add">\+It will last four days\.</span>', page)
    assert f'<a href="{URL}" rel="noopener noreferrer">' in page  # the original article
    assert "../changes" in Links(page).hrefs
    kinds = re.findall(r'<li class="event"><span class="kind kind-(\w+)">', page)
    assert kinds == ["new", "updated", "updated", "removed"]


def test_the_entry_page_takes_the_id_unquoted_too_and_404s_an_unknown_one(client):
    client, entry_id = client
    assert client.get(f"/entries/{entry_id}").status_code == 200
    assert client.get("/entries/urn%3Auuid%3A00000000-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/entries/").status_code == 404
    assert client.get(f"/entries/{quote(entry_id, safe='')}/x").status_code == 404


def test_scraped_markup_is_shown_as_text_on_both_pages(client):
    client, _ = client
    log = page_of(client, "/changes?q=drill")
    assert "<script>" not in log and "&lt;script&gt;alert(1)&lt;/script&gt;" in log
    (href,) = [h for h in Links(log).hrefs if h.startswith("entries/")]
    entry = page_of(client, "/" + href)
    assert "<script>" not in entry and "&lt;b&gt;bold&lt;/b&gt;" in entry


def test_the_pages_forbid_scripts_and_allow_their_own_form(client):
    client, entry_id = client
    for path in ("/changes", f"/entries/{quote(entry_id, safe='')}"):
        policy = client.get(path).headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert "form-action 'self'" in policy


def test_the_entry_page_answers_304_to_a_current_copy(client):
    client, entry_id = client
    path = f"/entries/{quote(entry_id, safe='')}"
    first = client.get(path)
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert dt.datetime.strptime(first.headers["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
