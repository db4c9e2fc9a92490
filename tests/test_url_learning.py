"""Which links are articles, learnt from a listing page (docs/architecture.md, "Which links
are articles"): each family of URLs is learnt from one set of stories and checked on others
it never saw, on the site's chrome, and on real pages of other publishers when present."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from extraction.html_text import read_html
from extraction.page_reader import learn_articles_of_page
from extraction.site_preview import preview_site
from extraction.url_learning import learn_article_urls
from extraction.urls import CSTO_ARTICLES, ArticleUrls
from tests.support.url_families import FAMILIES, SECTIONS, Family, chrome_urls, listing_page, story

ORIGIN = "http://news.example.org"
SEEN = [story(number) for number in range(100, 112)]
UNSEEN = [story(number, dt.date(2019, 12, 31)) for number in range(7000, 7015)]
NEWS_PAGES = Path(__file__).resolve().parents[2] / "shared" / "extraction" / "news-pages"


def learnt_on(family: Family, stories=SEEN):
    body = listing_page(family, stories).encode()
    return learn_articles_of_page(body, url=ORIGIN + family.listing, content_type="text/html")


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.name)
def test_each_family_is_learnt_from_its_listing_and_holds_for_stories_it_never_saw(family):
    learnt = learnt_on(family)
    assert learnt.articles is not None, learnt.reason
    assert learnt.links == len(SEEN)
    assert all(learnt.articles.matches(ORIGIN + family.article(item)) for item in UNSEEN)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.name)
def test_a_learnt_rule_takes_no_page_of_the_chrome_for_an_article(family):
    articles = learnt_on(family).articles
    assert [url for url in chrome_urls(family) if articles.matches(ORIGIN + url)] == []


@pytest.mark.parametrize(
    ("family", "pattern"),
    [
        ("wordpress", "/<year>/<month>/<day>/<slug>/"),
        ("drupal", "/node/<number>"),
        ("id-slug-html", "/news/<number>-<slug>.html"),
        ("php-query", "/article.php?id=<number>"),
        ("aspnet", "/News/View.aspx?ID=<number>"),
    ],
)
def test_the_learnt_pattern_reads_as_the_family_writes_its_urls(family, pattern):
    (chosen,) = (f for f in FAMILIES if f.name == family)
    learnt = learnt_on(chosen).articles
    assert learnt.pattern.rstrip("/") == pattern.rstrip("/")


def test_the_reason_says_the_pattern_how_many_links_and_where():
    learnt = learnt_on(FAMILIES[2])
    assert learnt.reason == f"{learnt.articles.pattern}, learnt from {len(SEEN)} links on /news/"


def test_two_headline_links_are_too_few_to_learn_from():
    learnt = learnt_on(FAMILIES[0], SEEN[:2])
    assert learnt.articles is None
    assert "only 2 headline links share a URL shape" in learnt.reason


def test_a_shape_of_free_text_alone_is_every_page_of_a_site_and_is_refused():
    links = [(f"{ORIGIN}/{item.slug}/", item.title) for item in SEEN]
    learnt = learn_article_urls(f"{ORIGIN}/", links)
    assert learnt.articles is None and "share a URL shape" in learnt.reason


def test_a_shape_that_also_matches_the_sections_of_the_menu_is_refused():
    links = [(f"{ORIGIN}/news/{item.slug}/", item.title) for item in SEEN]
    links += [(f"{ORIGIN}/news/{name}/", name.title()) for name in SECTIONS]
    learnt = learn_article_urls(f"{ORIGIN}/news/", links)
    assert learnt.articles is None
    assert "links that are no headline" in learnt.reason


def test_a_shape_that_matches_the_listing_itself_is_refused():
    links = [(f"{ORIGIN}/news/{item.number}/", item.title) for item in SEEN]
    learnt = learn_article_urls(f"{ORIGIN}/news/", links, listings=[f"{ORIGIN}/news/2025/"])
    assert learnt.articles is None and "would also match the listing" in learnt.reason


def test_links_to_other_hosts_and_files_teach_nothing():
    links = [(f"http://other.example.com/news/{item.number}-{item.slug}.html", item.title) for item in SEEN]
    links += [(f"{ORIGIN}/files/{item.slug}.pdf", item.title) for item in SEEN]
    assert learn_article_urls(f"{ORIGIN}/news/", links).articles is None


def test_the_builtin_rule_is_the_csto_sites_own():
    assert CSTO_ARTICLES.matches("https://en.odkb-csto.org/news/news_odkb/talks-held/")
    assert CSTO_ARTICLES.matches("https://en.odkb-csto.org/documents/statements/a-statement/")
    assert not CSTO_ARTICLES.matches("https://en.odkb-csto.org/news/page/2/")
    assert not CSTO_ARTICLES.matches("https://en.odkb-csto.org/news/news_odkb/")


@pytest.mark.parametrize(
    ("pattern", "article", "not_article"),
    [
        ("/news/<number>-<slug>.html", "/news/123-talks-held.html", "/news/politics.html"),
        ("/<year>/<month>/<day>/<slug>/", "/2025/06/26/talks-held", "/2025/06/"),
        ("/view.aspx?ID=<number>", "/view.aspx?lang=en&ID=42", "/view.aspx?ID=new"),
        ("/news/*/* | /documents/*/*", "/documents/a/b/", "/news/page/3/"),
    ],
)
def test_a_given_pattern_matches_its_articles_only(pattern, article, not_article):
    articles = ArticleUrls.from_pattern(pattern)
    assert articles.matches(ORIGIN + article)
    assert not articles.matches(ORIGIN + not_article)


@pytest.mark.parametrize(
    ("pattern", "complaint"),
    [("news/<number>", "must start with /"), ("/news/<id>", "unknown <id>"), ("/a/* | ", "empty")],
)
def test_a_malformed_pattern_says_what_is_wrong(pattern, complaint):
    with pytest.raises(ValueError, match=complaint):
        ArticleUrls.from_pattern(pattern)


def test_a_preview_shows_the_items_examples_and_the_pattern():
    family = FAMILIES[0]
    body = listing_page(family, SEEN).encode()
    preview = preview_site(body, url=ORIGIN + family.listing, content_type="text/html")
    assert preview.refusal is None
    assert len(preview.items) == len(SEEN)
    assert [(item.title, item.published, item.url) for item in preview.examples] == [
        (item.title, item.published, ORIGIN + family.article(item)) for item in SEEN[:3]
    ]
    assert preview.how.startswith(preview.articles.pattern)


def test_a_preview_of_a_page_without_news_refuses_and_says_why():
    body = b"<html><body><h1>Welcome</h1><p><a href='/about/'>About us</a></p></body></html>"
    preview = preview_site(body, url=f"{ORIGIN}/", content_type="text/html")
    assert preview.items == () and preview.refusal.startswith("no news items: ")


def test_a_preview_with_a_given_pattern_uses_it():
    family = FAMILIES[1]
    body = listing_page(family, SEEN).encode()
    preview = preview_site(body, url=ORIGIN + family.listing, article_pattern="/node/<number>")
    assert len(preview.items) == len(SEEN) and preview.how == "/node/<number>, as given"


@pytest.mark.skipif(not NEWS_PAGES.is_dir(), reason="../shared/extraction/news-pages is not here")
def test_on_real_pages_a_learnt_rule_mostly_takes_the_page_itself_for_an_article():
    """Each page is an article of its publisher (labels.json gives its address), so a rule
    learnt from its links (sidebars, related stories) should match it; refusing is allowed."""
    labels = json.loads((NEWS_PAGES / "labels.json").read_text(encoding="utf-8"))
    right = wrong = 0
    for name, label in labels.items():
        reading = read_html((NEWS_PAGES / "pages" / name).read_bytes(), label["url"])
        articles = learn_article_urls(label["url"], reading.every_link).articles
        if articles is not None:
            right += articles.matches(label["url"])
            wrong += not articles.matches(label["url"])
    assert right >= 2 * wrong
