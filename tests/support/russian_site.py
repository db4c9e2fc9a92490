"""A small news site in Russian, for the loopback tests of a site in another language.

Shaped like the CSTO's Russian site (odkb-csto.org) as its visible text shows it: a news
listing whose teasers carry a date line ("14.08.2023") and a headline linked to the article,
Cyrillic addresses (percent-encoded on the wire), and article pages dated in words in the
lead ("14 августа 2023 года в Минске ...") or by a date line. The texts are written here by
hand; every expected value of a test comes from :data:`ARTICLES`.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from urllib.parse import quote, unquote

from tests.support.mirror import Page

HTML_TYPE = "text/html; charset=utf-8"
GENITIVE_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


@dataclass(frozen=True)
class RussianArticle:
    slug: str
    title: str
    published: dt.date
    city: str
    paragraphs: tuple[str, ...]

    @property
    def path(self) -> str:
        """The address as the site writes it, in Cyrillic."""
        return f"/news/novosti/{self.slug}/"

    @property
    def href(self) -> str:
        """The address on the wire: percent-encoded UTF-8."""
        return quote(self.path)

    @property
    def spelled_date(self) -> str:
        return f"{self.published.day} {GENITIVE_MONTHS[self.published.month - 1]} {self.published.year} года"

    @property
    def lead(self) -> str:
        return f"{self.spelled_date} в {self.city} {self.paragraphs[0]}"


ARTICLES = (
    RussianArticle(
        "zasedanie-soveta-ministrov",
        "В Минске состоялось заседание Совета министров иностранных дел ОДКБ",
        dt.date(2023, 8, 14),
        "Минске",
        (
            "прошло очередное заседание Совета министров иностранных дел Организации Договора о коллективной безопасности.",
            "Министры обсудили вопросы международной и региональной безопасности и утвердили план консультаций на следующий год.",
        ),
    ),
    RussianArticle(
        "учения-взаимодействие-2023",
        "Начался активный этап совместного учения «Взаимодействие-2023»",
        dt.date(2023, 9, 2),
        "Бресте",
        (
            "начался активный этап совместного учения Коллективных сил оперативного реагирования ОДКБ.",
            "В учении принимают участие более двух тысяч военнослужащих и около пятисот единиц техники.",
        ),
    ),
    RussianArticle(
        "antinarkoticheskaya-operaciya-kanal",
        "Подведены итоги международной антинаркотической операции «Канал»",
        dt.date(2023, 10, 20),
        "Бишкеке",
        (
            "на заседании Координационного штаба подведены итоги международной операции «Канал».",
            "В ходе операции изъято более десяти тонн наркотических средств и психотропных веществ.",
        ),
    ),
    RussianArticle(
        "seminar-evraziyskaya-bezopasnost",
        "В Секретариате ОДКБ прошёл семинар по вопросам евразийской безопасности",
        dt.date(2023, 11, 7),
        "Москве",
        (
            "в Секретариате Организации прошёл образовательный семинар для студентов и молодых учёных.",
            "Участники обсудили актуальные угрозы и вызовы в евразийском пространстве безопасности.",
        ),
    ),
)


class RussianSite:
    """Serves :data:`ARTICLES`: a listing at /news/, one page per article, robots.txt."""

    changed_at = dt.datetime(2023, 11, 8, 9, tzinfo=dt.UTC)

    def resource(self, target: str) -> Page | None:
        path = unquote(target.partition("?")[0])
        if path == "/robots.txt":
            return Page(b"User-agent: *\nDisallow:\n", self.changed_at, "text/plain; charset=utf-8")
        if path == "/news/":
            return self._page("Новости", self._listing())
        for item in ARTICLES:
            if path == item.path:
                return self._page(item.title, self._article(item))
        return None

    def _page(self, title: str, main: str) -> Page:
        page = (
            f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>{html.escape(title)} | ОДКБ'
            '</title></head><body><header><nav><a href="/">Главная</a> <a href="/news/">Новости</a> '
            '<a href="/documents/">Документы</a></nav></header>'
            f"<main>{main}</main><footer>© Организация Договора о коллективной безопасности</footer>"
            "</body></html>"
        )
        return Page(page.encode("utf-8"), self.changed_at, HTML_TYPE)

    def _listing(self) -> str:
        cards = "".join(
            f'<div class="news-item"><div class="date">{item.published:%d.%m.%Y}</div>'
            f'<a href="{item.href}">{html.escape(item.title)}</a></div>'
            for item in sorted(ARTICLES, key=lambda item: item.published, reverse=True)
        )
        return f"<h1>Новости</h1>{cards}"

    def _article(self, item: RussianArticle) -> str:
        body = "".join(f"<p>{html.escape(text)}</p>" for text in (item.lead, *item.paragraphs[1:]))
        return f"<article><h1>{html.escape(item.title)}</h1>{body}</article>"
