"""Block text: a page's visible text as lines that remember their paragraph structure.

The site's layout speaks through blank lines: two blank lines separate sidebar teasers of the
older layout, one separates paragraphs of one teaser or of the article, and a single newline
separates lines of one paragraph (a title and its subtitle, a signature and its place). A
:class:`Line` keeps that structure, so the parser can cut a page anywhere, even inside a
paragraph, and still rebuild each item's text with its paragraph breaks (:func:`join_lines`).
Navigation lines (``Go back``...) are dropped here, once, so that they can never become
content.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

NAVIGATION_LINES = frozenset({"go back", "back to the section", "back to the all news"})


@dataclass(frozen=True)
class Line:
    """One visible line: its text (stripped, single-spaced) and where it stands."""

    text: str
    gap_before: int
    """Blank lines right before it; 0 for a line that continues a paragraph."""
    opens_paragraph: bool
    """True for the first line of a paragraph (the first line of a page included)."""


def is_navigation(line: str) -> bool:
    """True for the site's navigation links, which are never content."""
    return " ".join(line.split()).casefold() in NAVIGATION_LINES


def _clean_line(line: str) -> str:
    """A line as a reader sees it: single spaces, no outer blanks, no control characters.

    Invisible format characters (soft hyphen, zero-width space, BOM) are removed, as a
    browser shows them and as :mod:`extraction.html_text` renders them; other control
    characters become spaces.
    """
    line = " ".join(line.split())  # first, so that the usual non-breaking spaces cost nothing
    if not line.isprintable():
        line = " ".join("".join(_visible(ch) for ch in line).split())
    return line


def _visible(character: str) -> str:
    if character.isprintable():
        return character
    return "" if unicodedata.category(character) == "Cf" else " "


def split_lines(text: str) -> list[Line]:
    """The page's non-blank, non-navigation lines; a navigation line counts as a blank one."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines: list[Line] = []
    gap = 0
    for raw_line in text.split("\n"):
        line = _clean_line(raw_line)
        if not line or line.casefold() in NAVIGATION_LINES:
            gap += 1
            continue
        opens = not lines or gap > 0
        lines.append(Line(line, gap, opens))
        gap = 0
    return lines


def join_lines(lines: Sequence[Line]) -> str:
    """The text of consecutive lines: a newline inside a paragraph, a blank line between."""
    parts: list[str] = []
    for line in lines:
        if parts:
            parts.append("\n\n" if line.opens_paragraph else "\n")
        parts.append(line.text)
    return "".join(parts)
