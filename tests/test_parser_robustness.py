"""No input makes the parser raise: empty, huge, binary-ish or mixed-encoding pages.

A crawl reads whatever the network hands it; one bad page must give a warning, never a
crash. Text goes through ``parse_page``, bytes through ``read_page`` (text and HTML paths).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.page_reader import read_page
from extraction.parsed import ParsedPage
from extraction.text_page import parse_page
from tests.support.helpers import SEED_FILES

TEN_MB = 10 * 1024 * 1024
PAGE_URLS = ("file:///pages/page.txt", "https://en.odkb-csto.org/news/news_odkb/a-page/")


def assert_well_formed(page: ParsedPage) -> None:
    """A page is either refused (a warning, no items) or holds items with text."""
    if page.warning:
        assert page.item_count == 0
    for teaser in page.teasers:
        assert teaser.text.strip()
    if page.article:
        assert page.article.title.strip()


def seed_text() -> str:
    return SEED_FILES[0].read_text(encoding="utf-8")


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_parses(text: str):
    assert_well_formed(parse_page(text))


@settings(max_examples=100, deadline=None)
@given(st.binary(), st.sampled_from(PAGE_URLS))
def test_any_bytes_read(body: bytes, url: str):
    assert_well_formed(read_page(body, url=url))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "\u00a0\u2028\u2029\x0b\x0c\x1c\x85",
        "Go back\n\nBack to the section\n\nBack to the all news",
        "".join(map(chr, range(0x20))) * 10,
        "\ud800\udfff lone surrogates",
        "30.06.2025",
        "31.02.2025\n\nNo such day",
    ],
    ids=[
        "empty",
        "blank",
        "unicode-spaces",
        "navigation-only",
        "controls",
        "surrogates",
        "date-only",
        "bad-date",
    ],
)
def test_odd_text_parses(text: str):
    assert_well_formed(parse_page(text))


def test_ten_megabytes_of_pages_parse():
    text = (seed_text() + "\n\n\n") * (TEN_MB // len(seed_text()) + 1)
    page = parse_page(text)
    assert page.article is not None and len(page.article.body) > TEN_MB // 2


def test_ten_megabytes_on_one_line_parse():
    assert_well_formed(parse_page("On 7 February, 1 to 2 and 3 - June" * (TEN_MB // 35)))


def test_ten_megabytes_of_latin1_noise_parse():
    noise = random.Random(3).randbytes(TEN_MB).decode("latin-1")
    assert_well_formed(parse_page(noise))


@pytest.mark.parametrize("url", PAGE_URLS)
def test_ten_megabytes_of_binary_are_refused(url: str):
    page = read_page(random.Random(4).randbytes(TEN_MB), url=url)
    assert page.item_count == 0 and page.warning


@pytest.mark.parametrize("url", PAGE_URLS)
def test_mixed_encodings_never_raise(url: str):
    seed = seed_text()
    body = b"\n\n".join(
        [
            seed[:2000].encode("utf-8"),
            "Организация Договора о коллективной безопасности".encode("cp1251"),
            "Café crème, naïve".encode("latin-1"),
            seed[2000:4000].encode("utf-16"),
            seed[4000:].encode("utf-8"),
        ]
    )
    assert_well_formed(read_page(body, url=url))
    assert_well_formed(read_page(body.decode("utf-8", errors="replace").encode(), url=url))
