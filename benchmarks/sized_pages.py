"""Generated pages of 1 KB to 50 KB, in text and in HTML, for measurement 1.

Both renditions hold the same page, in the site's newer layout: a sidebar of dated teasers
(linked, in HTML), then an article (title, title repeated with its date, body paragraphs,
navigation). The text comes from the mirror (tests.support.mirror), which recombines the seeds'
sentences; the body grows paragraph by paragraph until the page reaches its size.
"""

from __future__ import annotations

import html
import itertools

from tests.support.mirror import PARAGRAPHS, article

NAVIGATION = ("Go back", "Back to the section", "Back to the all news")
ARTICLE = 100


def text_page(size_kb: int) -> str:
    item = article(ARTICLE)
    head = [line for teaser in _sidebar(size_kb) for line in (teaser.date_line, "", teaser.lead, "", "")]
    head += [item.title, "", f"{item.title} {item.date_line}", ""]
    tail = [line for text in NAVIGATION for line in ("", text)]
    return "\n".join(head + _body(size_kb, len("\n".join(head + tail)), separator_length=2) + tail)


def html_page(size_kb: int) -> bytes:
    item = article(ARTICLE)
    cards = "".join(
        f'<div class="item"><div class="date">{teaser.date_line}</div>'
        f'<p><a href="{teaser.path}">{html.escape(teaser.lead)}</a></p></div>'
        for teaser in _sidebar(size_kb)
    )
    head = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">'
        f"<title>{html.escape(item.title)}</title></head><body>"
        f'<aside class="news-last">{cards}</aside><article><h1>{html.escape(item.title)}</h1>'
        f"<p>{html.escape(item.title)} {item.date_line}</p>"
    )
    tail = "".join(f'<p><a href="/news/">{text}</a></p>' for text in NAVIGATION) + "</article></body></html>"
    paragraphs = _body(size_kb, len(head) + len(tail), separator_length=7)
    return (head + "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs) + tail).encode("utf-8")


def _sidebar(size_kb: int):
    """Five teasers, as on the site; one on the smallest pages, which five would overfill."""
    return [article(index) for index in range(1 if size_kb < 2 else 5)]


def _body(size_kb: int, used: int, *, separator_length: int) -> list[str]:
    """Paragraphs until the page holds ``size_kb`` (at least one)."""
    paragraphs: list[str] = []
    texts = itertools.cycle(PARAGRAPHS)
    while used < size_kb * 1024 or not paragraphs:
        paragraphs.append(next(texts))
        used += len(paragraphs[-1]) + separator_length
    return paragraphs
