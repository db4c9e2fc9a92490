"""A publication line under an article's title: the date that CMS templates print there.

"Published: 15 January 2015", "Posted on January 15, 2015 by admin", "Submitted by admin on
Thu, 01/15/2015 - 12:00", "15.01.2015": a short line among the first lines after the title
that is a date and a few words of meta (who, when), not a sentence. A line about an update
("Updated", "Modified") dates the edit, not the publication, and is passed over. Numeric
dates with slashes are read only when unambiguous (a day above 12 on one side).
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
    for index, line in enumerate(lines):
        if fold(line) != heading:
            continue
        for candidate in lines[index + 1 : index + 1 + BYLINE_WINDOW]:
            if (found := _date_of_byline(candidate)) is not None:
                return found
    return None


def is_byline(line: str) -> bool:
    """A short line of meta around a date (an ambiguous one too): a heading line, not text."""
    if len(line) > MAX_BYLINE_CHARS or line.endswith("."):
        return False
    meta_words = [word for word in _WORD.findall(line) if not _DATE_WORDS.match(word)]
    has_date = date_of_text(line) is not None or _SLASHED.search(line) is not None
    return has_date and len(meta_words) <= MAX_META_WORDS


def _date_of_byline(line: str) -> dt.date | None:
    if not is_byline(line) or _UPDATE.search(line):
        return None
    parsed = date_of_text(line)
    if parsed is not None and not parsed.inferred:
        return parsed.value
    return _slashed(line)


def _slashed(line: str) -> dt.date | None:
    match = _SLASHED.search(line)
    if match is None:
        return None
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        day, month = second, first
    else:
        return None  # 05/06/2015: May or June, nobody can tell
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
