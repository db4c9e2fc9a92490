"""A publication line under an article's title: the date that CMS templates print there.

"Published: 15 January 2015", "Posted on January 15, 2015 by admin", "Submitted by admin on
Thu, 01/15/2015 - 12:00", "15.01.2015": a short line among the first lines after the title
that is a date and a few words of meta (who, when), not a sentence. A line about an update
("Updated", "Modified") dates the edit, not the publication, and is passed over. A numeric
date with slashes is read when a day above 12 says which side is the day, or when the page's
other slashed dates all say it (a template prints every date alike: "01/15/2015" in the
sidebar settles "01/12/2015" under the title); otherwise it is not guessed.
"""

from __future__ import annotations

import datetime as dt
import re

from extraction.dates import date_of_text
from extraction.normalize import fold

BYLINE_WINDOW = 6
"""How many lines after the title a publication line may stand."""
MAX_BYLINE_CHARS = 120
MAX_META_WORDS = 5
"""Words besides the date ("Submitted by admin on Thu"); a sentence has more."""
_UPDATE = re.compile(r"\b(?:updated|modified|edited|aktualisiert|обновлено)\b", re.IGNORECASE)
_SLASHED = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")
_WORD = re.compile(r"[^\W\d_]+")
_DATE_WORDS = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june"
    r"|july|august|september|october|november|december|mon|tue|wed|thu|fri|sat|sun|st|nd|rd|th|am|pm)$",
    re.IGNORECASE,
)


def byline_date(page_text: str, title: str) -> dt.date | None:
    """The date of the publication line that follows ``title`` in the page's block text."""
    lines = [line.strip() for line in page_text.split("\n") if line.strip()]
    heading = fold(title)
    day_first: bool | None = None
    for index, line in enumerate(lines):
        if fold(line) != heading:
            continue
        if day_first is None:
            day_first = _page_day_first(page_text)
        for candidate in lines[index + 1 : index + 1 + BYLINE_WINDOW]:
            if (found := _date_of_byline(candidate, day_first)) is not None:
                return found
    return None


def _page_day_first(page_text: str) -> bool | None:
    """Whether the page's slashed dates put the day first (True) or the month (False), as the
    ones with a day above 12 show; None when none shows it, or when they disagree."""
    orders = set()
    for match in _SLASHED.finditer(page_text):
        first, second = int(match[1]), int(match[2])
        if first > 12 >= second:
            orders.add(True)
        elif second > 12 >= first:
            orders.add(False)
    return orders.pop() if len(orders) == 1 else None


def is_byline(line: str) -> bool:
    """A short line of meta around a date (an ambiguous one too): a heading line, not text."""
    if len(line) > MAX_BYLINE_CHARS or line.endswith("."):
        return False
    meta_words = [word for word in _WORD.findall(line) if not _DATE_WORDS.match(word)]
    has_date = date_of_text(line) is not None or _SLASHED.search(line) is not None
    return has_date and len(meta_words) <= MAX_META_WORDS


def _date_of_byline(line: str, day_first: bool | None) -> dt.date | None:
    if not is_byline(line) or _UPDATE.search(line):
        return None
    parsed = date_of_text(line)
    if parsed is not None and not parsed.inferred:
        return parsed.value
    return _slashed(line, day_first)


def _slashed(line: str, day_first: bool | None) -> dt.date | None:
    match = _SLASHED.search(line)
    if match is None:
        return None
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if first > 12 >= second or (day_first is True and second <= 12):
        day, month = first, second
    elif second > 12 >= first or (day_first is False and first <= 12):
        day, month = second, first
    else:
        return None  # 05/06/2015 and nothing else on the page: May or June, nobody can tell
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
