"""Answers about URLs are kept, so a crawl judges each URL once (extraction.urls.UrlVerdicts)."""

from __future__ import annotations

import extraction.urls
from crawler.links import Site
from extraction.urls import ArticleUrls, UrlVerdicts


def test_each_url_is_judged_once_and_the_answers_start_over_past_the_bound(monkeypatch) -> None:
    monkeypatch.setattr(extraction.urls, "MAX_JUDGED_URLS", 3)
    asked: list[str] = []
    verdicts = UrlVerdicts(lambda url: asked.append(url) or url.endswith("/"))
    assert [verdicts(url) for url in ("/a/", "/b", "/a/", "/b", "/c/")] == [True, False, True, False, True]
    assert asked == ["/a/", "/b", "/c/"]
    verdicts("/d")  # a fourth URL: the three kept answers are dropped
    verdicts("/a/")
    assert asked == ["/a/", "/b", "/c/", "/d", "/a/"]


def test_a_rule_and_a_site_answer_as_before_when_asked_again() -> None:
    rule = ArticleUrls.from_pattern("/news/<number>-<slug>.html | /view.aspx?ID=<number>")
    site = Site.of(["https://example.org/news/"], rule)
    urls = ["https://example.org/news/12-a.html", "https://EXAMPLE.org/news/12-a.html#top",
            "https://example.org/view.aspx?ID=7&utm=x", "https://other.org/news/12-a.html",
            "https://example.org/news/page/2/", "https://example.org/news/world/", "mailto:a@b.c"]  # fmt: skip
    first = [(site.local(url), site.is_article(url), site.is_section(url)) for url in urls]
    again = [(site.local(url), site.is_article(url), site.is_section(url)) for url in urls]
    assert first == again
    assert [article for _, article, _ in first] == [True, True, True, True, False, False, False]
    assert [local is not None for local, _, _ in first] == [True, True, True, False, True, True, False]
    assert [section for _, _, section in first] == [False, False, False, False, False, True, False]


def test_a_site_that_learns_its_rule_forgets_the_answers_of_the_old_one() -> None:
    site = Site.of(["https://example.org/news/"], None)
    url = "https://example.org/news/12-a.html"
    assert not site.is_article(url)
    assert site.with_articles(ArticleUrls.from_pattern("/news/<number>-<slug>.html")).is_article(url)
