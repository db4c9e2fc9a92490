"""A listing whose main content comes out as lines, with no paragraph break between its
cards (a date and a headline per ``<div>`` or ``<li>`` row), is a listing: never an article
titled after the section's heading with the headlines as its body (extraction.listing)."""

from __future__ import annotations

import pytest

from extraction.page_reader import read_page
from tests.support.russian_site import ARTICLES, RussianSite

HEADLINES = (
    "Defence ministers agreed on the plan of joint exercises for next year",
    "The Secretary General met with the ambassador of the Republic of Armenia",
    "A seminar on countering cyber threats was held at the Secretariat",
    "Results of the regional anti-drug operation were summed up in Bishkek",
)


def listing_of_rows(row: str) -> bytes:
    rows = "".join(
        row.format(day=10 + n, href=f"/news/main/item-{n}/", title=t) for n, t in enumerate(HEADLINES)
    )
    return (
        "<html><head><title>News</title></head><body><nav><a href='/'>Home</a> <a href='/news/'>News</a></nav>"
        f"<h1>News</h1>{rows}<footer>All rights reserved</footer></body></html>"
    ).encode()


@pytest.mark.parametrize(
    "row",
    [
        "<li><span>{day}.03.2024</span> <a href='{href}'>{title}</a></li>",
        "<div class='row'><div>{day} March 2024</div><div><a href='{href}'>{title}</a></div></div>",
        "<p><a href='{href}'>{title}</a><br>{day}.03.2024</p>",
    ],
)
def test_rows_of_dated_headlines_are_a_listing_not_an_article(row):
    page = read_page(listing_of_rows(row), url="https://example.org/news/", content_type="text/html")
    assert page.article is None


def test_the_russian_sites_listing_gives_its_teasers_and_no_article():
    served = RussianSite().resource("/news/")
    page = read_page(served.body, url="http://127.0.0.1:9/news/", content_type=served.content_type)
    assert page.article is None
    assert sorted(teaser.published.value for teaser in page.teasers) == sorted(a.published for a in ARTICLES)


def test_an_article_written_in_short_lines_stays_an_article():
    lines = "<br>".join(
        f"Line {n} of the statement adopted by the ministers on the security of the region."
        for n in range(12)
    )
    related = "".join(f"<li><a href='/news/main/item-{n}/'>{t}</a></li>" for n, t in enumerate(HEADLINES[:2]))
    markup = (
        "<html><head><title>Statement of the ministers</title></head><body><article>"
        f"<h1>Statement of the ministers</h1><p>{lines}</p></article><ul>{related}</ul></body></html>"
    ).encode()
    page = read_page(markup, url="https://example.org/news/main/statement/", content_type="text/html")
    assert page.article is not None and page.article.title == "Statement of the ministers"
