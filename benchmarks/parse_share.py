"""Measurement 1: how fast pages are parsed, and what share of a crawl's CPU time that is.

Throughput is timed in this process, on one core, over generated text and HTML pages of
1 KB to 50 KB (benchmarks.sized_pages) and over the repository's own pages
(benchmarks.parse_speed). The share divides the time it takes to parse every page a first
crawl of the mirror fetched, as the spider parses them (the page, and for HTML its links),
by that crawl's CPU time.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks import parse_speed
from benchmarks.sized_pages import html_page, text_page
from benchmarks.timing import median_seconds
from extraction.html_page import parse_html_page
from extraction.html_text import extract_links
from extraction.page_reader import read_page
from extraction.text_page import parse_page

PAGE_URL = "http://127.0.0.1/news/news_odkb/generated-page-100/"
HTML_TYPE = "text/html; charset=UTF-8"


def throughput(sizes_kb: Sequence[int], rounds: int, repeats: int) -> dict[str, float]:
    """Pages per second, by rendition and size, and over all sizes (``text``, ``html``)."""
    texts = [text_page(size) for size in sizes_kb]
    htmls = [html_page(size) for size in sizes_kb]
    rates = {}
    for size, text, markup in zip(sizes_kb, texts, htmls):
        rates[f"text {size} KB"] = parse_speed.pages_per_second(
            lambda _, text=text: parse_page(text), 1, rounds, repeats
        )
        rates[f"html {size} KB"] = parse_speed.pages_per_second(
            lambda _, markup=markup: parse_html_page(markup, PAGE_URL), 1, rounds, repeats
        )
    rates["text"] = parse_speed.pages_per_second(lambda i: parse_page(texts[i]), len(texts), rounds, repeats)
    rates["html"] = parse_speed.pages_per_second(
        lambda i: parse_html_page(htmls[i], PAGE_URL), len(htmls), rounds, repeats
    )
    return rates


def repository_pages(rounds: int, repeats: int) -> dict[str, float]:
    """benchmarks.parse_speed's figures: the seed text pages and the HTML fixtures."""
    return dict(parse_speed.measurements(rounds, repeats))


def parse_seconds(pages: Sequence[tuple[str, bytes]], repeats: int) -> float:
    """Median seconds to parse ``pages`` as the spider does (crawler.spider: the page, and
    its links for following)."""

    def parse_all() -> None:
        for url, body in pages:
            read_page(body, url=url, content_type=HTML_TYPE)
            extract_links(body.decode("utf-8"), url, include_chrome=True)

    return median_seconds(parse_all, repeats)
