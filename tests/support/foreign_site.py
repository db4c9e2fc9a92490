"""A small news site in German, French or Spanish, for the tests of dates in languages the
date rules do not read (extraction.foreign_dates).

Its listing's teasers carry a date line spelled in the site's language ("14. August 2023",
"14 août 2023", "14 de agosto de 2023") over a headline linked to the article, and each
article repeats its date line under its title. Whether the pages say their language
(``<html lang>``) is the site's choice: without it, only the sites file's ``language``
tells newswatch. The texts are written here by hand; every expected value of a test comes
from :data:`ARTICLES` and :data:`MONTHS`.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from tests.support.mirror import Page

HTML_TYPE = "text/html; charset=utf-8"
MONTHS = {
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}


def spelled(date: dt.date, language: str) -> str:
    """The date as a page in ``language`` writes it alone on its line."""
    month = MONTHS[language][date.month - 1]
    if language == "de":
        return f"{date.day}. {month} {date.year}"
    if language == "es":
        return f"{date.day} de {month} de {date.year}"
    return f"{date.day} {month} {date.year}"


@dataclass(frozen=True)
class ForeignArticle:
    slug: str
    title: str
    published: dt.date
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/aktuell/{self.slug}/"


ARTICLES = (
    ForeignArticle(
        "konferenz-in-minsk-1",
        "Internationale Konferenz über regionale Sicherheit in Minsk eröffnet",
        dt.date(2023, 8, 14),
        (
            "In Minsk hat eine internationale Konferenz über Fragen der regionalen Sicherheit begonnen.",
            "Vertreter von zwölf Staaten beraten zwei Tage lang über gemeinsame Maßnahmen.",
        ),
    ),
    ForeignArticle(
        "uebung-abgeschlossen-2",
        "Gemeinsame Übung der Streitkräfte erfolgreich abgeschlossen",
        dt.date(2023, 9, 2),
        (
            "Die gemeinsame Übung der schnellen Eingreiftruppen wurde am Samstag abgeschlossen.",
            "Mehr als zweitausend Soldaten und fünfhundert Fahrzeuge nahmen an der Übung teil.",
        ),
    ),
    ForeignArticle(
        "generalsekretaer-traf-minister-3",
        "Generalsekretär traf den Außenminister zu Gesprächen über Zusammenarbeit",
        dt.date(2023, 10, 20),
        (
            "Der Generalsekretär empfing den Außenminister zu einem ausführlichen Gespräch.",
            "Beide Seiten vereinbarten, die Zusammenarbeit im kommenden Jahr zu vertiefen.",
        ),
    ),
    ForeignArticle(
        "seminar-fuer-studenten-4",
        "Seminar für Studenten und junge Wissenschaftler im Sekretariat",
        dt.date(2023, 11, 7),
        (
            "Im Sekretariat fand ein Seminar für Studenten und junge Wissenschaftler statt.",
            "Die Teilnehmer sprachen über aktuelle Bedrohungen und Herausforderungen.",
        ),
    ),
)


class ForeignSite:
    """Serves :data:`ARTICLES` with dates in ``language``: a listing at /aktuell/, one page
    per article, robots.txt; ``declared``: whether each page says its language."""

    changed_at = dt.datetime(2023, 11, 8, 9, tzinfo=dt.UTC)

    def __init__(self, language: str, *, declared: bool) -> None:
        self.language, self.declared = language, declared

    def resource(self, target: str) -> Page | None:
        path = target.partition("?")[0]
        if path == "/robots.txt":
            return Page(b"User-agent: *\nDisallow:\n", self.changed_at, "text/plain; charset=utf-8")
        if path == "/aktuell/":
            return self._page("Aktuelles", self._listing())
        for item in ARTICLES:
            if path == item.path:
                return self._page(item.title, self._article(item))
        return None

    def _page(self, title: str, main: str) -> Page:
        lang = f' lang="{self.language}"' if self.declared else ""
        page = (
            f'<!DOCTYPE html><html{lang}><head><meta charset="utf-8"><title>{html.escape(title)} | Organisation'
            '</title></head><body><header><nav><a href="/">Start</a> <a href="/aktuell/">Aktuelles</a> '
            '<a href="/dokumente/">Dokumente</a></nav></header>'
            f"<main>{main}</main><footer>© Organisation für kollektive Sicherheit</footer></body></html>"
        )
        return Page(page.encode("utf-8"), self.changed_at, HTML_TYPE)

    def _listing(self) -> str:
        cards = "".join(
            f'<div class="news-item"><div class="date">{spelled(item.published, self.language)}</div>'
            f'<a href="{item.path}">{html.escape(item.title)}</a></div>'
            for item in sorted(ARTICLES, key=lambda item: item.published, reverse=True)
        )
        return f"<h1>Aktuelles</h1>{cards}"

    def _article(self, item: ForeignArticle) -> str:
        body = "".join(f"<p>{html.escape(text)}</p>" for text in item.paragraphs)
        date = spelled(item.published, self.language)
        return f'<article><h1>{html.escape(item.title)}</h1><p class="date">{date}</p>{body}</article>'
