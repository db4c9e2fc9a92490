"""Date lines in the languages extraction.dates' rules do not cover, read by dateparser.

The rules read English and Russian (the CSTO's two sites) and the numeric ``dd.mm.yyyy``;
a page in German, French, Spanish and the many other languages dateparser knows has its
date lines ("14. August 2023", "14 août 2023", "14 de agosto de 2023") read here instead,
behind the rules, never before them. docs/architecture.md, "Dates in other languages", has
the measurement behind the choice.

Only a line that is a date and nothing else, with a day, a month and a year, counts: a
dateline ("Madrid, 14 de agosto de 2023") stays text as it does in English, and a date
missing its day or year is no date (dateparser would take it from today's clock). The page's
language comes from its ``<html lang>`` or the site's ``language`` hint, set for the time of
one page's reading by :func:`reading_language`; a page in no known language, or in one the
rules cover, never reaches dateparser, so English and Russian pages read exactly as before
and pay nothing. dateparser is imported at the first such line (about 60 ms, and its
language's data at its first date, 10 to 80 ms), then about 1 ms a line.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

log = logging.getLogger(__name__)

RULES_LANGUAGES = frozenset({"en", "ru"})
"""Languages extraction.dates' rules read: dateparser is never asked for them."""
LONGEST_DATE_LINE = 48
"""Longer lines say more than a date ("Montag, 14. September 2023" is 26 characters)."""

_PAGE_LANGUAGE: ContextVar[str | None] = ContextVar("page_language", default=None)
_STRICT = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "DATE_ORDER": "DMY",
}


def primary_language(tag: str | None) -> str | None:
    """``de`` of ``de-AT``, ``pt`` of ``pt_BR``; None for no tag or an odd one."""
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


@contextmanager
def reading_language(tag: str | None) -> Iterator[None]:
    """The language of the page being read (a tag such as ``de`` or ``pt-BR``; None: not
    known), for the date lines read meanwhile."""
    token = _PAGE_LANGUAGE.set(primary_language(tag))
    try:
        yield
    finally:
        _PAGE_LANGUAGE.reset(token)


def declared_language(root) -> str | None:
    """The language an HTML page says it is in: ``<html lang>`` (or ``xml:lang``)."""
    return root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")


def foreign_date_line(line: str) -> dt.date | None:
    """The date of a line that is only a date, in the page's language when the rules do not
    cover it; None otherwise."""
    language = _PAGE_LANGUAGE.get()
    if language is None or language in RULES_LANGUAGES:
        return None
    text = " ".join(line.split())
    if not text or len(text) > LONGEST_DATE_LINE or not any(ch.isdigit() for ch in text):
        return None
    return _date_in(language, text)


@functools.lru_cache(maxsize=4096)
def _date_in(language: str, text: str) -> dt.date | None:
    import dateparser  # only for pages in a language the rules do not read

    try:
        found = dateparser.parse(text, languages=[language], settings=_STRICT)
    except ValueError:  # a language dateparser does not know: no reading
        return None
    except Exception as error:  # a library failure on odd text is "no date", never a crash
        log.debug("date line %r (%s): dateparser failed: %s", text, language, error)
        return None
    return found.date() if found is not None else None
