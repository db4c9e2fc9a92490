"""An HTML page's article decided by evidence, on templates written to the shapes real CMSes
emit (skip links, menus, sidebars, related posts, double-escaped JSON-LD), and on two real
pages of other publishers with their labels (fixtures/extraction/)."""

from __future__ import annotations

import json

import pytest

from benchmarks.extraction import page_precision, page_recall, same_day, same_title, shingle_counts
from extraction import main_content
from extraction.html_page import parse_html_page
from tests.support.helpers import FIXTURES

SITE = "https://news.example.org"
URL = f"{SITE}/politics/2024/05/03/talks-held-in-minsk/"
BODY = (
    "<p>The foreign ministers met in Minsk on Friday to discuss the agenda of the summit, "
    "which is due to take place in the autumn.</p>"
    "<p>They agreed on a joint statement about regional security and on the next steps of "
    "the working groups that prepare the meeting.</p>"
    "<p>The next round of talks will be held in Astana in June, the press service said.</p>"
)
TITLE = "Ministers agree on summit agenda"


def page(head: str = "", before: str = "", article: str = "", after: str = "") -> bytes:
    article = article or f"<h1>{TITLE}</h1>{BODY}"
    return (
        f"<html><head><title>{TITLE} | Example News</title>{head}</head><body>"
        '<a href="#main">Skip to content</a>'
        f'<header><nav><a href="{SITE}/">Home</a> <a href="{SITE}/about/">About</a> '
        f'<a href="{SITE}/news/">News</a></nav></header>{before}'
        f"<main id='main'><article>{article}</article></main>{after}"
        "<footer><p>© 2024 Example News. All rights reserved.</p></footer></body></html>"
    ).encode()


def related(count: int) -> str:
    links = "".join(
        f'<li><a href="{SITE}/politics/2024/04/{day:02d}/story-{day}/">A related story about '
        f"regional politics number {day}</a></li>"
        for day in range(1, count + 1)
    )
    return f"<aside><h2>Related posts</h2><ul>{links}</ul></aside>"


def test_the_h1_is_the_title_not_the_skip_link_or_the_menu():
    found = parse_html_page(page(), URL).article
    assert found.title == TITLE
    assert "Skip to content" not in found.body and "About" not in found.body


def test_a_json_ld_headline_wins_and_is_unescaped_once_more():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Minister: &quot;We agreed&quot;", "datePublished": "2024-05-03T22:30:00+02:00"}'
        "</script>"
    )
    found = parse_html_page(page(head), URL).article
    assert found.title == 'Minister: "We agreed"'
    assert found.published.value.isoformat() == "2024-05-03"  # the day as written, not in UTC


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Ministers agree - Example News", "Ministers agree"),
        ("Ministers agree | Example News", "Ministers agree"),
        ("Left - right: a debate", "Left - right: a debate"),
    ],
)
def test_a_json_ld_headline_loses_the_sites_name_as_a_title_does(headline, expected):
    """Some sites put their name into the JSON-LD headline too; it is never the article's."""
    head = (
        '<meta property="og:site_name" content="Example News">'
        f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{headline}"}}</script>'
    )
    assert parse_html_page(page(head), URL).article.title == expected


@pytest.mark.parametrize(
    ("og_title", "site_name", "expected"),
    [
        ("Ministers agree | Example News", "Example News", "Ministers agree"),
        ("Ministers agree - news.example.org", None, "Ministers agree"),
        ("Ministers agree – Example", None, "Ministers agree"),  # the host's name
        ("Left - right: a debate", "Example News", "Left - right: a debate"),  # no site name
    ],
)
def test_og_title_loses_only_a_suffix_that_names_the_site(og_title, site_name, expected):
    head = f'<meta property="og:title" content="{og_title}">'
    head += f'<meta property="og:site_name" content="{site_name}">' if site_name else ""
    article = BODY  # no h1, no JSON-LD: og:title is the best signal left
    html = page(head, article=article).replace(f"<title>{TITLE} | Example News</title>".encode(), b"")
    assert parse_html_page(html, URL).article.title == expected


@pytest.mark.parametrize("attribute", ["itemprop", "name"])
def test_a_headline_meta_tag_is_the_publishers_headline(attribute):
    """Microdata's headline, where there is neither JSON-LD nor an h1, beats an og:title whose
    suffix names a section and the site in a way no separator rule reads ("Title-Politics|Site")."""
    head = (
        f'<meta {attribute}="headline" content="{TITLE}">'
        f'<meta property="og:title" content="{TITLE}-Politics|Example News">'
    )
    html = page(head, article=BODY).replace(f"<title>{TITLE} | Example News</title>".encode(), b"")
    assert parse_html_page(html, URL).article.title == TITLE


def test_a_sidebar_date_never_dates_the_article():
    sidebar = "<aside><div><time datetime='2021-01-01'>1 January 2021</time><p>Old news</p></div></aside>"
    found = parse_html_page(page(before=sidebar), f"{SITE}/politics/talks-held/").article
    assert found.published is None


@pytest.mark.parametrize(
    ("head", "url", "day"),
    [
        ('<meta property="article:published_time" content="2024-05-02T08:00:00Z">', URL, "2024-05-02"),
        ('<meta name="parsely-pub-date" content="2024-05-01T08:00:00Z">', f"{SITE}/p/1/", "2024-05-01"),
        ("", URL, "2024-05-03"),  # the date in the address (htmldate, on the head and URL)
        # microdata, in the head or on an element of the page, whatever the case of its name
        ('<meta itemprop="datePublished" content="2024-04-29T08:00:00Z">', f"{SITE}/p/1/", "2024-04-29"),
        ('<link itemprop="DATEPUBLISHED" href="x" content="2024-04-28">', f"{SITE}/p/1/", "2024-04-28"),
    ],
)
def test_machine_dates_of_the_page_itself(head, url, day):
    assert parse_html_page(page(head), url).article.published.value.isoformat() == day


def test_related_posts_are_not_body():
    found = parse_html_page(page(after=related(4)), URL).article
    assert "related story" not in found.body.lower()
    assert found.body.startswith("The foreign ministers met") and found.body.endswith("said.")


def test_a_page_whose_main_content_is_a_list_of_articles_is_no_article():
    teasers = "".join(
        f'<div class="teaser"><h2><a href="{SITE}/politics/2024/04/{day:02d}/story-{day}/">'
        f"Headline of the story number {day} about politics</a></h2>"
        f"<p>A short lead of the story number {day}, two lines of summary text.</p></div>"
        for day in range(1, 9)
    )
    listing = parse_html_page(page(article=f"<h1>Politics</h1>{teasers}"), f"{SITE}/politics/")
    assert listing.article is None


def test_a_listing_is_read_once_by_the_main_content_extractor(monkeypatch):
    """Its list is seen in the fast reading: no second, fuller one (the cost of every page of
    every listing of a crawl), while an article whose fast reading misses its title gets it."""
    readings = []
    extract = main_content._extract
    monkeypatch.setattr(
        main_content, "_extract", lambda root, fast: readings.append(fast) or extract(root, fast=fast)
    )
    teasers = "".join(
        f'<div class="teaser"><h2><a href="{SITE}/politics/2024/04/{day:02d}/story-{day}/">'
        f"Headline of the story number {day} about politics</a></h2>"
        f"<p>A short lead of the story number {day}, two lines of summary text.</p></div>"
        for day in range(1, 9)
    )
    assert parse_html_page(page(article=f"<h1>Politics</h1>{teasers}"), f"{SITE}/politics/").article is None
    assert readings == [True]
    readings.clear()
    heading = "<div class='masthead'><h1>Harvest festival opens in Gomel</h1></div>"  # outside the article
    article = parse_html_page(page(before=heading, article=BODY), URL).article
    assert article is not None and readings == [True, False]


def test_the_markup_can_call_a_page_a_listing():
    head = '<script type="application/ld+json">{"@type": "CollectionPage", "name": "Politics"}</script>'
    assert parse_html_page(page(head), URL).article is None


def test_heading_lines_that_repeat_the_title_and_its_date_are_not_body():
    article = f"<h1>{TITLE}</h1><p>{TITLE} 03.05.2024</p>{BODY}"
    found = parse_html_page(page(article=article), URL).article
    assert found.body.startswith("The foreign ministers met")


def test_an_article_url_without_a_readable_article_is_reported_not_published():
    empty = b"<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    found = parse_html_page(empty, "https://en.odkb-csto.org/news/news_odkb/some-article/")
    assert found.article is None and found.item_count == 0
    assert found.warning.startswith("article not published: ")


LABELS = json.loads((FIXTURES / "extraction" / "labels.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(LABELS))
def test_real_pages_of_other_publishers(name):
    label = LABELS[name]
    found = parse_html_page((FIXTURES / "extraction" / name).read_bytes(), label["url"]).article
    assert same_title(label["title"], found.title), found.title
    assert same_day(label["published_day"], found.published.value.isoformat())
    counts = shingle_counts(label["body"], found.body)
    assert page_precision(counts) >= 0.8 and page_recall(counts) >= 0.9


@pytest.mark.parametrize(
    ("byline", "day"),
    [
        ("Published: 15 January 2015", "2015-01-15"),
        ("Posted on January 15, 2015 by admin", "2015-01-15"),
        ("Submitted by admin on Thu, 01/15/2015 - 12:00", "2015-01-15"),
        ("Von Anna Muster, 15.01.2015", "2015-01-15"),
        ("Submitted by admin on Mon, 01/12/2015 - 12:00", None),  # 12 January or 1 December
        ("Updated: 20 January 2015", None),  # the edit's date, not the publication's
        ("On 15 January 2015, the ministers met in Minsk to discuss the agenda.", None),  # a sentence
    ],
)
def test_the_publication_line_under_the_title(byline, day):
    found = parse_html_page(page(article=f"<h1>{TITLE}</h1><p>{byline}</p>{BODY}"), f"{SITE}/p/1/").article
    assert (found.published.value.isoformat() if found.published else None) == day
    assert byline not in found.body or day is None


@pytest.mark.parametrize(
    ("byline", "sidebar", "day"),
    [
        ("Submitted by admin on Mon, 01/12/2015 - 12:00", "01/15/2015", "2015-01-12"),  # month first
        ("Posted 01/12/2015", "15/01/2015", "2015-12-01"),  # day first
        ("Posted 05/06/2015", "12/11/2015", None),  # the sidebar settles nothing either
        ("Posted 05/06/2015", "01/15/2015 and 15/01/2015", None),  # the page disagrees with itself
    ],
)
def test_an_ambiguous_slashed_date_takes_the_order_the_page_shows(byline, sidebar, day):
    """A template prints every date alike: one with a day above 12 says which side is the day."""
    aside = f'<aside><p><a href="{SITE}/politics/x/">Another story of the day</a> {sidebar}</p></aside>'
    found = parse_html_page(
        page(article=f"<h1>{TITLE}</h1><p>{byline}</p>{BODY}", after=aside), f"{SITE}/p/1/"
    )
    assert (found.article.published.value.isoformat() if found.article.published else None) == day
