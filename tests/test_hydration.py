"""Pages rendered in the browser alone: the article HTML is in the page's React Server
Components payload (Next.js ``self.__next_f``), not in its DOM.

Built pages check the payload's rules (text rows measured in bytes, rows split across
scripts, JSON and base64 rows that are no body); real pages of two publishers, with their
article taken out of the DOM, check that the rule holds on pages it was not written from.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from benchmarks.extraction import page_precision, page_recall, same_title, shingle_counts
from extraction.html_page import parse_html_page
from extraction.hydration import text_rows

NEWS_PAGES = Path(__file__).resolve().parents[2] / "shared" / "extraction" / "news-pages"
URL = "https://news.example.org/articles/12345"
TITLE = "Министры согласовали повестку саммита"
PARAGRAPHS = [
    "Министры иностранных дел встретились в Минске в пятницу, чтобы обсудить повестку саммита.",
    "Они согласовали совместное заявление о региональной безопасности и следующие шаги рабочих групп.",
    "Следующий раунд переговоров пройдет в Астане в июне, сообщила пресс-служба.",
]


def text_row(row_id: str, text: str) -> str:
    """``ID:T<hex length in UTF-8 bytes>,<text>``, as the payload writes a long text."""
    return f"{row_id}:T{len(text.encode('utf-8')):x},{text}"


def pushes(stream: str, pieces: int) -> str:
    """The stream cut into ``pieces`` push scripts, as a server streams it."""
    size = -(-len(stream) // pieces)
    chunks = [stream[start : start + size] for start in range(0, len(stream), size)]
    return "".join(f"<script>self.__next_f.push({json.dumps([1, chunk])})</script>" for chunk in chunks)


def rendered_in_browser(stream: str) -> bytes:
    # A title a separator rule reads wrong ("... | Politics"): the payload's JSON-LD decides.
    head = f'<title>{TITLE} | Politics | Example News</title><meta property="og:site_name" content="Example News">'
    body = f'<div id="__next"></div><script>self.__next_f.push([0])</script>{pushes(stream, 3)}'
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


ARTICLE_HTML = '<div class="photo"><img src="/a.jpg"></div>' + "".join(
    f"<p>{text}</p>" for text in PARAGRAPHS
)
JSON_LD = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": TITLE})
BASE64_IMAGE = "/9j/4AAQSkZJRgABAQAAAQABAAD" * 40
STREAM = (
    '0:{"P":null,"b":"build"}\n'
    + text_row("1a", JSON_LD)
    + '2:["$","div",null,{"children":"$L3"}]\n'
    + text_row("1c", BASE64_IMAGE)
    + text_row("24", ARTICLE_HTML)
    + '25:["$","footer",null,{}]\n'
)


def test_text_rows_are_measured_in_bytes_and_need_no_end_mark():
    assert text_rows(STREAM.encode("utf-8")) == [JSON_LD, BASE64_IMAGE, ARTICLE_HTML]


def test_the_article_of_a_page_rendered_in_the_browser_is_read_from_its_payload():
    """Its body from the article HTML row, its title from the JSON-LD row."""
    article = parse_html_page(rendered_in_browser(STREAM), URL).article
    assert article is not None
    assert article.title == TITLE
    assert article.body.split("\n\n") == PARAGRAPHS


def test_a_payload_without_article_markup_gives_no_article():
    """JSON and base64 rows are no body: the page stays unpublished, as before."""
    stream = STREAM.replace(text_row("24", ARTICLE_HTML), "")
    assert parse_html_page(rendered_in_browser(stream), URL).article is None


def test_a_payload_is_read_only_on_a_page_that_calls_itself_an_article():
    """With nothing in the DOM to weigh it against, the longest piece of markup in a payload
    might be a footer's or a listing's: without an article type it is not published."""
    stream = STREAM.replace(text_row("1a", JSON_LD), "")
    assert parse_html_page(rendered_in_browser(stream), URL).article is None
    typed = rendered_in_browser(stream).replace(
        b"<head>", b'<head><meta property="og:type" content="article">'
    )
    assert parse_html_page(typed, URL).article.body.split("\n\n") == PARAGRAPHS


@pytest.mark.skipif(not NEWS_PAGES.is_dir(), reason="../shared/extraction/news-pages is not here")
@pytest.mark.parametrize("name", ["kr_HankookIlbo_2026_07_12.html", "tr_NTVTR_2025_11_10.html"])
def test_real_pages_with_their_article_taken_out_of_the_dom(name):
    """Two publishers whose pages also render the article server-side: with every element of
    the body but the scripts removed, the payload alone gives the labelled article back."""
    label = json.loads((NEWS_PAGES / "labels.json").read_text(encoding="utf-8"))[name]
    root = lxml.html.document_fromstring((NEWS_PAGES / "pages" / name).read_bytes())
    body = root.find("body")
    for child in list(body):
        if child.tag != "script":
            body.remove(child)
    assert not root.findall(".//p") and not root.findall(".//article")
    article = parse_html_page(lxml.html.tostring(root, encoding="utf-8"), label["url"]).article
    assert article is not None
    assert same_title(label["title"], article.title), article.title
    counts = shingle_counts(label["body"], article.body)
    assert page_precision(counts) >= 0.8 and page_recall(counts) >= 0.8
