"""Odd pages read as far as they can be read: a damaged byte costs one character, a page in
UTF-16 reads as its UTF-8 twin, stray control bytes are ignored, nesting deeper than the HTML
parser goes loses nothing; only truly binary content (an image, a PDF, an archive) is refused,
with a warning that says what it is. The odd pages are made here from the seed pages (text
and their HTML twins) and the synthetic mirror, so each has a sound twin to compare with."""

from __future__ import annotations

import gzip
import io
import random
import re
import zipfile

import pytest

from crawler.counters import CrawlCounters
from crawler.pipeline import StorePipeline
from crawler.scrapy_items import PageItem
from extraction.html_text import html_to_block_text
from extraction.page_reader import read_page
from tests.support.helpers import FIXTURES, SEED_FILES
from tests.support.mirror import build_mirror
from tests.support.synthetic_pages import page_text

SEED = SEED_FILES[1]  # the seed with the most curly quotes: UTF-8 that a misreading shows
KINDS = {
    "text": (SEED, "file:///pages/odd.txt"),
    "html": (FIXTURES / "html" / f"{SEED.stem}.html", "file:///pages/odd.html"),
}
REPLACEMENT = "\ufffd".encode()


def source(kind: str) -> tuple[bytes, str]:
    path, url = KINDS[kind]
    return path.read_bytes(), url


def cyrillic(body: bytes) -> bytes:
    """The page with the organisation's Russian name: characters beyond Latin-1."""
    return body.decode("utf-8").replace("CSTO", "ОДКБ").encode("utf-8")


def insert_into_article(body: bytes, url: str, insert: bytes) -> bytes:
    """``body`` with ``insert`` in the middle of a sentence of its article's body."""
    article = read_page(body, url=url).article
    assert article is not None
    middle = len(article.body) // 2
    anchor = article.body[middle : middle + 24].encode("utf-8")
    assert body.count(anchor) == 1, anchor
    at = body.index(anchor) + len(anchor) // 2
    return body[:at] + insert + body[at:]


def sprinkled(body: bytes, every: int) -> bytes:
    """A control byte (SOH, ESC, BEL in turn) after every ``every`` characters."""
    text = body.decode("utf-8")
    controls = "\x01\x1b\x07"
    pieces = [
        text[start : start + every] + controls[(start // every) % 3] for start in range(0, len(text), every)
    ]
    return "".join(pieces).encode("utf-8")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_one_invalid_utf8_byte_costs_one_character(kind):
    body, url = source(kind)
    damaged = read_page(insert_into_article(body, url, b"\xff"), url=url)

    assert damaged == read_page(insert_into_article(body, url, REPLACEMENT), url=url)
    assert damaged.item_count > 0 and "\ufffd" in damaged.article.body


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_page_with_or_without_byte_order_mark_reads_as_its_utf8_twin(kind, codec):
    body, url = source(kind)
    body = cyrillic(body)
    twin = read_page(body, url=url)

    assert twin.item_count > 0
    assert read_page(body.decode("utf-8").encode(codec), url=url) == twin


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_few_control_bytes_are_ignored(kind):
    body, url = source(kind)
    assert read_page(sprinkled(body, every=15), url=url) == read_page(body, url=url)


def test_a_small_page_with_a_few_control_bytes_is_read():
    body, url = page_text(3).encode("utf-8"), "file:///pages/small.txt"
    assert len(body) < 2000
    assert read_page(sprinkled(body, every=12), url=url) == read_page(body, url=url)


def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.txt", data)
    return buffer.getvalue()


def _png() -> bytes:
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    return header + random.Random(1).randbytes(600)


BINARY = {
    "png": (_png(), "a PNG image"),
    "png-header": (_png()[:16], "a PNG image"),
    "pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" * 20, "a PDF document"),
    "zip": (_zip(SEED.read_bytes()), "a ZIP archive"),
    "gzip": (gzip.compress(SEED.read_bytes()), "gzip-compressed data"),
    "noise": (random.Random(2).randbytes(3000), "control bytes in its first 3000"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_content_is_refused_with_a_warning_that_says_what_it_is(kind, name):
    body, what = BINARY[name]
    page = read_page(body, url=KINDS[kind][1])

    assert page.item_count == 0
    assert page.warning is not None and page.warning.startswith("binary content, not a page: ")
    assert what in page.warning


def test_text_nested_deeper_than_the_parser_goes_is_kept():
    for depth in (3000, 50_000):
        html = "<div>" * depth + "<p>deep</p>" + "</div>" * depth + "<p>after</p>"
        assert html_to_block_text(html).split() == ["deep", "after"]
    levels = "".join(f"<div>level {n}" for n in range(5000)) + "</div>" * 5000
    assert re.findall(r"level \d+", html_to_block_text(levels)) == [f"level {n}" for n in range(5000)]


@pytest.mark.parametrize(
    "start, end",
    [
        ("<div>", "</div>"),
        ("<div><section>", "</section></div>"),
        ('<div class="frame"><span>', "</span></div>"),
    ],
)
def test_a_page_wrapped_thousands_deep_reads_as_the_page_itself(start, end):
    mirror = build_mirror(12)
    target = mirror.article_paths[0]
    body = mirror.resource(target).body.decode("utf-8")
    url = "http://127.0.0.1:9" + target
    content_start = body.index(">", body.index("<body")) + 1
    content_end = body.index("</body>")
    deep = (
        body[:content_start]
        + start * 3000
        + body[content_start:content_end]
        + end * 3000
        + body[content_end:]
    )

    page = read_page(deep.encode("utf-8"), url=url, content_type="text/html; charset=UTF-8")
    assert page.item_count > 0
    assert page == read_page(body.encode("utf-8"), url=url, content_type="text/html; charset=UTF-8")


def test_a_refused_page_is_a_warning_of_the_crawl_with_its_reason(store, caplog):
    url = "http://127.0.0.1:9/news/photo/"
    crawl_id = store.begin_crawl("live")
    pipeline = StorePipeline()
    pipeline.store, pipeline.crawl_id, pipeline.counters = store, crawl_id, CrawlCounters()
    body, what = BINARY["png"]

    pipeline.process_item(PageItem(read_page(body, url=url, content_type="text/html"), url, 200, body=body))

    assert pipeline.counters.warnings == 1
    assert f"page {url}: binary content, not a page: {what}; 0 items" in caplog.text
    (failure,) = store.crawl_summary(crawl_id).failures
    assert failure.reason == f"not published: binary content, not a page: {what}"
