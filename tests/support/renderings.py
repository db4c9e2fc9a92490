"""Other text renderings of the same page, as other HTML-to-text tools produce them.

The seed pages set teasers two blank lines apart, paragraphs one blank line apart, and the
date of a newer-layout teaser on a ``dd.mm.yyyy`` line before it. Text tools render the
same HTML differently: a browser's ``innerText`` ends a ``<div>`` with one line break and a
``<p>`` with a blank line, some tools drop blank lines altogether, some start with blank
lines, some glue a date to the text that follows it, some print the date after the item and
in words. Each function here turns a page in the seeds' rendering into one of these, so that
a test can require the same items from every rendering of one page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

_BLANK_RUNS = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")
_DATE_LINE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")


def _blank_lines_between(text: str, width: Callable[[int], int]) -> str:
    """Replace each run of blank lines by ``width(blank lines in the run)`` blank lines."""

    def replace(match: re.Match[str]) -> str:
        blanks = match.group(0).count("\n") - 1
        return "\n" * (width(blanks) + 1)

    return _BLANK_RUNS.sub(replace, text)


def lines_only(text: str) -> str:
    """No blank line anywhere: every block ends with one line break."""
    return _blank_lines_between(text.strip("\n"), lambda blanks: 0)


def blocks_on_lines(text: str) -> str:
    """Teasers (two blank lines apart) on consecutive lines; paragraphs still a blank line apart."""
    return _blank_lines_between(text, lambda blanks: 0 if blanks >= 2 else blanks)


def one_blank_line(text: str) -> str:
    """One blank line between any two blocks: teasers as far apart as paragraphs."""
    return _blank_lines_between(text, lambda blanks: 1)


def leading_blank_lines(text: str) -> str:
    """The page starts with blank lines (and whitespace-only lines)."""
    return "\n \n\n\t\n" + text


def glued_date_lines(text: str) -> str:
    """A ``dd.mm.yyyy`` line glued to the next line of text: ``09.06.2018On June 9, ...``."""
    return re.sub(r"(?m)^(\d{2}\.\d{2}\.\d{4})[^\S\n]*\n(?:[^\S\n]*\n)*(?=\S)", r"\1", text)


def spelled_dates_after_items(text: str, article_title: str | None) -> str:
    """Newer layout turned around: each teaser's date after it, in words ("June 30, 2025").

    Only the date-led part of the page (the sidebar) changes: a date moves to the end of its
    teaser, which ends at the next date line or at the block that opens with
    ``article_title`` (None: a listing page, the sidebar runs to the end).
    """
    blocks = re.split(r"\n\s*\n", text.strip("\n"))
    out: list[str] = []
    pending: str | None = None
    in_article = False
    for block in blocks:
        in_article = in_article or (article_title is not None and block.strip().startswith(article_title))
        match = None if in_article else _DATE_LINE.match(block.strip())
        if (match or in_article) and pending is not None:
            out.append(pending)
            pending = None
        if match:
            day, month, year = (int(part) for part in match.groups())
            pending = f"{dt.date(year, month, day):%B} {day}, {year}"
        else:
            out.append(block)
    if pending is not None:
        out.append(pending)
    return "\n\n".join(out) + "\n"


RENDERINGS: dict[str, Callable[[str], str]] = {
    "lines_only": lines_only,
    "blocks_on_lines": blocks_on_lines,
    "one_blank_line": one_blank_line,
    "leading_blank_lines": leading_blank_lines,
    "glued_date_lines": glued_date_lines,
}
"""Renderings that change only the layout of the text, never which lines it has."""
