"""Reading publication dates from the site's visible text.

The site dates an item in one of three ways (see docs/architecture.md, "The pages"): a line that is only
``dd.mm.yyyy``, the article title repeated with `` dd.mm.yyyy`` appended, or not at all, in
which case the only date is the one the prose mentions ("On 7 February, ..."), often without
a year. This module reads all three and, for a year-less teaser, infers the year from its
neighbours in the newest-first sidebar, never from the clock: a page fetched years after it
was written must still be dated by what it shows.

The Russian site dates its pages in the same three ways, in Russian ("14 августа 2023 года",
"14 августа", "с 11 по 15 сентября"; see docs/architecture.md, "Dates in other languages"),
and is read by the same rules.

Everything here runs on every paragraph of every page, so it uses precompiled regular
expressions only; a general-purpose date parser would be slower and would also read years,
phone numbers and exercise names ("Rubezh-2022") as dates. Measured on labelled Russian
strings, dateparser was about two hundred times slower per call (milliseconds, against
microseconds here) and read 0.74 to 0.81 of its dates right, against all of them here. For
languages these rules do not cover it reads most dates: on a page in such a language, a line
the rules find no date in is read by it (extraction.foreign_dates).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from extraction.foreign_dates import foreign_date_line
from extraction.parsed import DateEvidence, ParsedDate

# A whole line that is a date: the newer sidebar layout puts one before each teaser.
# ``\s`` is Unicode-aware, so non-breaking spaces around the date are allowed too.
DATE_LINE: re.Pattern[str] = re.compile(r"\A\s*(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\s*\Z")
# The article title repeated with its date appended, on one line: "Some title 20.10.2022".
_TRAILING_DATE = re.compile(
    r"\A\s*(?P<text>.*?\S)[^\S\n]+(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\s*\Z"
)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Full names and the usual abbreviations ("Sept."); ``\b`` keeps "Mars" or "Marching" out.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
# What joins the two days of a range: "3-5", "3–5", "11 to 15", "10 and 11".
_RANGE = r"\s*(?:-|–|—|\bto\b|\band\b|\buntil\b|\btill\b)\s*"
# Only 19xx and 20xx: "on June 30, 1000 people came" names no year.
_YEAR = r"(?:,\s*|\s+)(?P<{name}>(?:19|20)\d\d)(?!\d)"

# Russian spells a date day first, the month in the genitive ("14 августа 2023 года"); the
# nominative ("14 август") is a slip the pattern forgives. A month name alone ("август 2023")
# dates nothing: without a day it is no date, as in English.
_RU_MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6,
    "июль": 7, "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
}  # fmt: skip
_RU_MONTH = "(?:" + "|".join(sorted(_RU_MONTHS, key=len, reverse=True)) + r")(?!\w)"
# "14-го августа": the ordinal ending, which English spells "14th".
_RU_ORDINAL = r"(?:-?го)?"
# What joins a Russian range: "11-15 сентября", "с 11 по 15 сентября", "10 и 11 мая".
_RU_RANGE = r"\s*(?:-|–|—|\bпо\b|\bи\b|\bдо\b)\s*"
# "2023 года", "2023 г.", "2023г." or the bare year: the word for "year" is optional.
_RU_YEAR = r"\s+(?P<r_year>(?:19|20)\d\d)(?!\d)(?:\s*(?:года|год|г\.?)(?!\w))?"
_RU_TEXT_DATE = rf"""
    (?=\d)(?<![\w.])
    (?:\d{{1,2}}{_RU_ORDINAL}(?:\s+{_RU_MONTH}(?:\s+\d{{4}})?)?{_RU_RANGE})?
    (?P<r_day>\d{{1,2}}){_RU_ORDINAL}\s+(?P<r_month>{_RU_MONTH})
    (?:{_RU_YEAR})?
"""
# One pattern, four spellings, so that a single left-to-right scan finds the FIRST date of
# the text whatever its spelling. A range ("from 11 to 15 September", "June 24-26") is matched
# whole and only its last day captured: a news item about an event is published after the
# event ends, so the end day is the one that agrees with the newest-first order of the
# sidebar (seed 000: 20 Sep 2023, "from 11 to 15 September, this year", 14 Sep 2023).
# A day is never preceded by a word character or a dot ("201st", "1,000", "+7495-621-33-23").
# Before a day, lower-case "may" and "march" are verbs ("the units march 20 km"), not months.
_TEXT_DATE = re.compile(
    rf"""
    (?<![\w.])(?P<n_day>\d{{1,2}})\.(?P<n_month>\d{{1,2}})\.(?P<n_year>\d{{4}})(?!\d)
    |
    (?<![\w.])
    (?:\d{{1,2}}{_ORDINAL}(?:\s+{_MONTH}(?:,?\s+\d{{4}})?)?{_RANGE})?
    (?P<d_day>\d{{1,2}}){_ORDINAL}\s+(?P<d_month>{_MONTH})
    (?:{_YEAR.format(name="d_year")})?
    |
    \b(?!(?-i:ma[ry]))(?P<m_month>{_MONTH})\s+
    (?:\d{{1,2}}{_ORDINAL}{_RANGE}(?:(?P<m_end_month>{_MONTH})\s+)?)?
    (?P<m_day>\d{{1,2}}){_ORDINAL}(?!\w)
    (?:{_YEAR.format(name="m_year")})?
    |
    {_RU_TEXT_DATE}
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "September 30th, 2025" and a range are the longest spellings of a date alone on its line.
_LONGEST_DATE_LINE = 40
# Any leap year: a year-less "29 February" is a real date until a year says otherwise.
_LEAP_YEAR = 2000


@dataclass(frozen=True)
class TextDate:
    """A date as the prose gives it; ``year`` is None when the text names none.

    The year is left open rather than guessed because only the neighbouring teasers can
    supply it (see :func:`infer_years`).
    """

    day: int
    month: int
    year: int | None


def parse_date_line(line: str) -> dt.date | None:
    """The date of a line that is a date and nothing else, with its year: ``dd.mm.yyyy`` (the
    site's own form) or in words (``June 30, 2025``, ``30 June 2025``, as other renderings of
    the same pages print it); None otherwise or if no such day. A line that says more
    ("Vienna, June 23, 2020", a dateline) is text, not a date line. On a page in a language
    these rules do not read, a line they find no date in is read by
    :mod:`extraction.foreign_dates`."""
    match = DATE_LINE.match(line)
    if match is not None:
        return _date(int(match["year"]), int(match["month"]), int(match["day"]))
    if len(line) > _LONGEST_DATE_LINE or not any(ch.isdigit() for ch in line):
        return foreign_date_line(line)
    spelled = _TEXT_DATE.fullmatch(line.strip())
    if spelled is None:
        return foreign_date_line(line)
    found = _text_date_of(spelled)
    return None if found.year is None else _date(found.year, found.month, found.day)


def split_trailing_date(line: str) -> tuple[str, dt.date] | None:
    """Split "Title dd.mm.yyyy" (the article's repeated title) into the title and its date."""
    if not line.rstrip()[-1:].isdigit():  # most lines end in a letter or a stop: no regex
        return None
    match = _TRAILING_DATE.match(line)
    if match is None:
        return None
    date = _date(int(match["year"]), int(match["month"]), int(match["day"]))
    return None if date is None else (match["text"].strip(), date)


def find_text_date(text: str) -> TextDate | None:
    """The first real date the prose mentions; for a range, its last day.

    A mention that is no calendar date ("31 February 2024", "45 May") is skipped and the
    search goes on, so one typo does not hide the date that follows it.
    """
    for match in _TEXT_DATE.finditer(text):
        found = _text_date_of(match)
        year = _LEAP_YEAR if found.year is None else found.year
        if _date(year, found.month, found.day) is not None:
            return found
    return None


# What may stand before the date a lead opens with: "On 20 September", "From 11 to 15
# September", Russian "С 11 по 15 сентября".
_OPENING_WORD = re.compile(r"(?:on|from|с|со)\s+", re.IGNORECASE)


def opening_date(text: str) -> TextDate | None:
    """The date ``text`` opens with, perhaps after "On" or "From" ("С"): how a lead dates its
    own news ("On 20 September 2023, ...", "14 августа 2023 года в Москве ..."). A date
    further on is about something else, and a lead that opens otherwise has none."""
    text = text.lstrip()
    word = _OPENING_WORD.match(text)
    match = _TEXT_DATE.match(text, word.end() if word else 0)
    if match is None:
        return None
    found = _text_date_of(match)
    year = _LEAP_YEAR if found.year is None else found.year
    return found if _date(year, found.month, found.day) is not None else None


def infer_years(dates: Sequence[TextDate | dt.date | None]) -> list[ParsedDate | None]:
    """Date one sidebar's teasers, given in page order (newest first).

    A ``datetime.date`` comes from a ``dd.mm.yyyy`` line; a :class:`TextDate` from the prose.
    A year-less text date takes its year from the nearest teasers that have a full date, so
    that the sidebar stays newest first; with no such neighbour it stays undated rather than
    being guessed.
    """
    anchors = [_full_date(item) for item in dates]
    newer = _nearest_before(anchors)
    older = _nearest_before(anchors[::-1])[::-1]
    return [
        _parsed(item, anchor) or _inferred(item, newer_anchor, older_anchor)
        for item, anchor, newer_anchor, older_anchor in zip(dates, anchors, newer, older)
    ]


def _nearest_before(anchors: Sequence[dt.date | None]) -> list[dt.date | None]:
    """For each position, the nearest full date before it: one pass, so a page of
    thousands of teasers is dated in linear time."""
    nearest: list[dt.date | None] = []
    last: dt.date | None = None
    for anchor in anchors:
        nearest.append(last)
        last = anchor if anchor is not None else last
    return nearest


def date_of_text(text: str) -> ParsedDate | None:
    """The date of a lone text (no neighbours to lend a year): its first date, if it has a year."""
    return infer_years([find_text_date(text)])[0]


def _text_date_of(match: re.Match[str]) -> TextDate:
    """Read whichever of the four spellings matched: numeric, day-first, month-first or Russian."""
    if match["n_day"]:
        return TextDate(int(match["n_day"]), int(match["n_month"]), int(match["n_year"]))
    if match["r_day"]:
        year = match["r_year"]
        return TextDate(
            int(match["r_day"]), _RU_MONTHS[match["r_month"].lower()], int(year) if year else None
        )
    if match["d_day"]:
        day, month, year = match["d_day"], match["d_month"], match["d_year"]
    else:  # "June 24-26" or "May 30 to June 2": the range ends in the second month, if any
        day, year = match["m_day"], match["m_year"]
        month = match["m_end_month"] or match["m_month"]
    return TextDate(int(day), _MONTHS[month[:3].lower()], int(year) if year else None)


def _full_date(item: TextDate | dt.date | None) -> dt.date | None:
    """The date an item gives by itself, without help from its neighbours."""
    if isinstance(item, TextDate):
        return None if item.year is None else _date(item.year, item.month, item.day)
    return item


def _parsed(item: TextDate | dt.date | None, full: dt.date | None) -> ParsedDate | None:
    if full is None:
        return None
    evidence = DateEvidence.TEXT if isinstance(item, TextDate) else DateEvidence.LINE
    return ParsedDate(full, evidence)


def _inferred(
    item: TextDate | dt.date | None,
    newer_anchor: dt.date | None,
    older_anchor: dt.date | None,
) -> ParsedDate | None:
    """The year that keeps a year-less date between its nearest newer and older anchors."""
    if not isinstance(item, TextDate) or item.year is not None:
        return None
    month_day = (item.month, item.day)
    if newer_anchor is not None:
        year = newer_anchor.year - (1 if month_day > (newer_anchor.month, newer_anchor.day) else 0)
    elif older_anchor is not None:
        year = older_anchor.year + (1 if month_day < (older_anchor.month, older_anchor.day) else 0)
    else:
        return None
    date = _date(year, item.month, item.day)
    return None if date is None else ParsedDate(date, DateEvidence.INFERRED)


def _date(year: int, month: int, day: int) -> dt.date | None:
    """A calendar date, or None for a day the calendar does not have ("31.02.2024")."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
