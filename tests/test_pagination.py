"""Every common pager's form is walked: Bitrix, WordPress paths, Drupal's count from 0, plain
?page=N, rel="next", "Next"/"Load more" links; page 1 is always spelt as the listing."""

from __future__ import annotations

import pytest

from crawler.links import Site, page_links
from crawler.pagination import page_mark, read_pager
from extraction.html_page import parse_html_page
from extraction.urls import CSTO_ARTICLES

ORIGIN = "http://127.0.0.1:8000"
SITE = Site.of([f"{ORIGIN}/news/"])
NEWS = f"{ORIGIN}/news/"


@pytest.mark.parametrize(
    ("here", "links", "pages", "next_page"),
    [
        # WordPress: /page/N/ paths and an "Older posts" link
        (NEWS, [(f"{NEWS}page/2/", "2"), (f"{NEWS}page/3/", "3"), (f"{NEWS}page/2/", "Older posts")],
         (f"{NEWS}page/2/", f"{NEWS}page/3/"), f"{NEWS}page/2/"),
        (f"{NEWS}page/2/", [(NEWS, "1"), (f"{NEWS}page/3/", "3")], (NEWS, f"{NEWS}page/3/"), f"{NEWS}page/3/"),
        # Drupal: ?page=N counted from 0, the link text gives the ordinal
        (NEWS, [(f"{NEWS}?page=1", "2"), (f"{NEWS}?page=2", "3")], (f"{NEWS}?page=1", f"{NEWS}?page=2"),
         f"{NEWS}?page=1"),
        (f"{NEWS}?page=1", [(f"{NEWS}?page=0", "1"), (f"{NEWS}?page=2", "3")], (NEWS, f"{NEWS}?page=2"),
         f"{NEWS}?page=2"),
        # ?page=N counted from 1, and a "Load more" link
        (f"{NEWS}?page=2", [(f"{NEWS}?page=1", "1"), (f"{NEWS}?page=3", "Load more")], (NEWS, f"{NEWS}?page=3"),
         f"{NEWS}?page=3"),
        # Bitrix, page 1 written out
        (f"{NEWS}?PAGEN_1=2", [(f"{NEWS}?PAGEN_1=1", "1"), (f"{NEWS}?PAGEN_1=3", "»")],
         (NEWS, f"{NEWS}?PAGEN_1=3"), f"{NEWS}?PAGEN_1=3"),
        # the last page: numbered links back only
        (f"{NEWS}?page=3", [(f"{NEWS}?page=1", "1"), (f"{NEWS}?page=2", "2")], (NEWS, f"{NEWS}?page=2"), None),
    ],
)  # fmt: skip
def test_every_pager_form(here, links, pages, next_page):
    pager = read_pager(here, links)
    assert set(pager.pages) == set(pages)
    assert pager.next_page == next_page


def test_a_post_id_is_not_a_page_number():
    assert page_mark(f"{ORIGIN}/?p=123").number is None


def test_pages_of_a_listing_are_never_articles_whatever_their_path():
    assert not CSTO_ARTICLES.matches(f"{NEWS}page/2/")
    assert CSTO_ARTICLES.matches(f"{NEWS}news_odkb/page-two-of-the-talks/")
    found = page_links(NEWS, [(f"{NEWS}page/2/", "2"), (f"{NEWS}news_odkb/talks/", "Talks held")], SITE)
    assert found.articles == (f"{NEWS}news_odkb/talks/",)
    assert found.next_page == f"{NEWS}page/2/"


def test_a_next_article_link_is_not_the_next_page_of_a_listing():
    found = page_links(f"{NEWS}news_odkb/talks/", [(f"{NEWS}news_odkb/older-talks/", "Next")], SITE)
    assert found.next_page is None


def test_rel_next_in_the_head_is_read():
    html = (
        f'<html><head><link rel="next" href="{NEWS}?page=2"></head><body>'
        f'<div><a href="{NEWS}news_odkb/talks/">Ministers agree on the summit agenda</a></div></body></html>'
    ).encode()
    assert parse_html_page(html, NEWS).next_page == f"{NEWS}?page=2"
