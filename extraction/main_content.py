"""An article page's main content: its text without menus, sidebars, widgets and footers.

By trafilatura, measured against our own block text on real pages of many sites
(benchmarks/extraction.py): it keeps the article and drops the chrome around it, which our
reading of the whole page's visible text cannot tell apart on a template nobody here has
seen. Its fast mode (no fallback extractors) scored as well and costs less; when that text
misses most words of the page's own title and description, the full mode is asked as well.
"""

from __future__ import annotations

import copy
import functools
import logging
import re

from lxml import etree

from extraction.normalize import fold

log = logging.getLogger(__name__)

MIN_EXTRACTED_CHARS = 1
"""trafilatura's default is 250: below it, it falls back to the page's whole text."""
RECALL_CHECK = 0.7
"""The share of the title's and description's words the fast text must hold to be kept."""
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_PARAGRAPH = "\x00"
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code"})
"""trafilatura's elements that are paragraphs of their own."""
_LINE_TAGS = frozenset({"lb", "item", "row"})
"""trafilatura's elements that start a new line; the rest (hi, ref, cell, del) are inline."""


def main_text(root: etree._Element, *, title: str | None, description: str | None) -> str | None:
    """The main content as paragraphs separated by a blank line; None when there is none.

    ``root`` is not changed (trafilatura cleans a copy). ``title`` and ``description``, the
    page's own, tell whether the fast mode found the article.
    """
    text = _extract(root, fast=True)
    expected = _words(f"{title or ''} {description or ''}")
    if expected and _share_found(expected, text) < RECALL_CHECK:
        fuller = _extract(root, fast=False)
        if _share_found(expected, fuller) > _share_found(expected, text):
            text = fuller
    return text


def _extract(root: etree._Element, *, fast: bool) -> str | None:
    from trafilatura import bare_extraction  # imported when first needed: it is slow to import

    try:
        result = bare_extraction(
            copy.deepcopy(root),
            config=_config(),
            fast=fast,
            with_metadata=False,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
        )
    except Exception as error:  # a library failure on odd markup is "no main content"
        log.debug("main content: trafilatura failed: %s", error)
        return None
    body = getattr(result, "body", None) if result is not None else None
    return None if body is None else (_as_text(body) or None)


def _as_text(body: etree._Element) -> str:
    """trafilatura's output tree as text: its blocks (paragraphs, headings, lists, tables,
    quotes) separated by a blank line, its line breaks (``<lb/>``, list items, table rows) kept
    as single newlines, so that a paragraph reads as the page shows it and as our block text
    of the same page does. Text may also stand in the tails of top-level elements."""
    pieces: list[str] = []
    _collect(body, pieces)
    paragraphs = ("".join(pieces)).split(_PARAGRAPH)
    return "\n\n".join(text for paragraph in paragraphs if (text := _lines(paragraph)))


def _collect(element: etree._Element, pieces: list[str]) -> None:
    mark = _PARAGRAPH if element.tag in _BLOCK_TAGS else "\n" if element.tag in _LINE_TAGS else ""
    pieces.append(mark + (" " if element.tag == "cell" else "") + (element.text or ""))
    for child in element:
        _collect(child, pieces)
        pieces.append(child.tail or "")
    pieces.append(mark)


def _lines(paragraph: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in paragraph.split("\n"))
    return "\n".join(line for line in lines if line)


@functools.cache
def _config():
    """trafilatura's settings, but for the length under which it gives up on the main content
    and returns the whole page's text instead (menus included): a short news item is short,
    and a short page is better read as it is than with its chrome."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_CHARS))
    return config


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def _share_found(expected: set[str], text: str | None) -> float:
    return len(expected & _words(text or "")) / len(expected)
