"""Dates in languages the date rules do not read (extraction.foreign_dates): a line that is
only a date, read by dateparser in the page's language, behind the rules.

The expected dates are the ones the test pages and lines were written with
(tests.support.foreign_site); English and Russian pages must read as before and never load
dateparser.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from extraction.dates import parse_date_line
from extraction.foreign_dates import primary_language, reading_language
from extraction.page_reader import read_page
from extraction.site_preview import preview_site
from extraction.urls import ArticleUrls
from tests.support.foreign_site import ARTICLES, ForeignSite, spelled
from tests.support.helpers import run_cli, run_python
from tests.support.loopback import LoopbackServer

AUGUST_14 = dt.date(2023, 8, 14)
ARTICLE_RULE = ArticleUrls.from_pattern("/aktuell/*/")


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("de", "14. August 2023"),
        ("de", "Montag, 14. August 2023"),
        ("fr", "14 août 2023"),
        ("fr", "lundi 14 août 2023"),
        ("es", "14 de agosto de 2023"),
        ("it", "14 agosto 2023"),
        ("pt-BR", "14 de agosto de 2023"),
        ("nl", "14 augustus 2023"),
    ],
)
def test_a_date_line_in_another_language_is_read_in_the_pages_language(language, line):
    with reading_language(language):
        assert parse_date_line(line) == AUGUST_14


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("es", "Madrid, 14 de agosto de 2023"),  # a dateline: text, as in English
        ("fr", "Le 14 août 2023 à Paris"),
        ("de", "August 2023"),  # no day: dateparser would take it from the clock
        ("de", "14. August"),  # no year: the same
        ("de", "Seite 2 von 10"),
        ("de", "030 1234 5678"),
        ("de", "Rubrik 2023"),
        ("xx", "14. August 2023"),  # a language dateparser does not know
    ],
)
def test_a_line_that_is_more_or_less_than_a_whole_date_is_no_date(language, line):
    with reading_language(language):
        assert parse_date_line(line) is None


@pytest.mark.parametrize("language", [None, "en", "en-GB", "ru"])
def test_pages_the_rules_read_never_reach_dateparser(language):
    with reading_language(language):
        assert parse_date_line("14. August 2023") is None  # German spelling: no English rule
        assert parse_date_line("14 August 2023") == AUGUST_14  # the rules, as before


def test_the_language_tag_is_read_down_to_its_primary_language():
    assert [primary_language(tag) for tag in ("de-AT", "pt_BR", " FR ", "", None, "x-klingon-1")] == [
        "de",
        "pt",
        "fr",
        None,
        None,
        None,
    ]


def listing(language: str, *, declared: bool) -> bytes:
    return ForeignSite(language, declared=declared).resource("/aktuell/").body


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_a_listing_in_another_language_dates_its_teasers_by_its_html_lang(language):
    page = read_page(
        listing(language, declared=True), url="http://site.example/aktuell/", articles=ARTICLE_RULE
    )
    dated = {teaser.url: teaser.published.value for teaser in page.teasers if teaser.published}
    assert dated == {f"http://site.example{item.path}": item.published for item in ARTICLES}


def test_the_sites_language_stands_in_for_a_page_that_says_none():
    body = listing("de", declared=False)
    unsaid = read_page(body, url="http://site.example/aktuell/", articles=ARTICLE_RULE)
    assert [teaser for teaser in unsaid.teasers if teaser.published] == []
    told = read_page(body, url="http://site.example/aktuell/", articles=ARTICLE_RULE, language="de")
    assert sorted(teaser.published.value for teaser in told.teasers) == sorted(
        item.published for item in ARTICLES
    )


def test_sites_add_shows_the_dates_of_a_listing_in_another_language():
    preview = preview_site(listing("fr", declared=False), url="http://site.example/aktuell/", language="fr")
    assert {item.url: item.published for item in preview.items} == {
        f"http://site.example{item.path}": item.published for item in ARTICLES
    }


def test_the_csto_pages_do_not_import_dateparser():
    program = (
        "import sys, json; from pathlib import Path; from extraction.page_reader import read_page; "
        "[read_page(p.read_bytes(), url='https://en.odkb-csto.org/news/') for d in ('html', 'mirror') for p in sorted(Path('fixtures', d).rglob('*.html'))]; "
        "print(json.dumps('dateparser' in sys.modules))"
    )
    done = run_python(program)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) is False


@pytest.mark.e2e
@pytest.mark.parametrize("language", ["de", "es"])
def test_a_site_in_another_language_is_crawled_with_its_dates(tmp_path, language):
    def newswatch(*args: str):
        return run_cli("--sites", str(tmp_path / "sites.toml"), *args, data_dir=tmp_path / "data")

    with LoopbackServer(ForeignSite(language, declared=False)) as server:
        added = newswatch(
            "sites", "add", f"{server.origin}/aktuell/", "--name", "aktuell", "--language", language
        )
        assert added.returncode == 0, added.stderr
        assert spelled(ARTICLES[-1].published, language) not in added.stdout  # dates shown as dates
        assert ARTICLES[-1].published.isoformat() in added.stdout
        crawl = newswatch("crawl", "--site", "aktuell", "--delay", "0")
        assert crawl.returncode == 0, crawl.stderr
    changes = json.loads(newswatch("changes", "--json").stdout)
    stored = {
        event["url"]: (event["title"], event["published"]) for event in changes if event["kind"] == "new"
    }
    assert stored == {
        f"{server.origin}{item.path}": (item.title, item.published.isoformat()) for item in ARTICLES
    }
