"""Russian dates, as the CSTO's Russian site prints them, read as the English site's are.

The expectations below come from reading the strings: "14 августа 2023 года" is 14 August 2023
whatever the code does with it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from extraction.dates import TextDate, find_text_date, opening_date, parse_date_line
from extraction.parsed import DateEvidence, ParsedDate
from extraction.text_page import parse_page

LINE = DateEvidence.LINE
TEXT = DateEvidence.TEXT
INFERRED = DateEvidence.INFERRED


def parsed(year: int, month: int, day: int, evidence: DateEvidence) -> ParsedDate:
    return ParsedDate(dt.date(year, month, day), evidence)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 августа 2023 года в Москве состоялось заседание.", TextDate(14, 8, 2023)),
        ("14 августа 2023 г. в Москве состоялось заседание.", TextDate(14, 8, 2023)),
        ("Встреча прошла 14 августа 2023г. в Минске.", TextDate(14, 8, 2023)),
        ("14 августа Генеральный секретарь встретился с послом.", TextDate(14, 8, None)),
        ("1 января", TextDate(1, 1, None)),
        ("31 декабря 2022 года", TextDate(31, 12, 2022)),
        ("3 марта 2024 года", TextDate(3, 3, 2024)),
        ("9 мая 2020 года", TextDate(9, 5, 2020)),
        ("14-го августа 2023 года", TextDate(14, 8, 2023)),
        ("11-15 сентября в Беларуси прошло учение.", TextDate(15, 9, None)),
        ("11–15 сентября 2023 года", TextDate(15, 9, 2023)),
        ("С 11 по 15 сентября на полигоне прошло учение.", TextDate(15, 9, None)),
        ("с 30 августа по 2 сентября 2023 года", TextDate(2, 9, 2023)),
        ("10 и 11 октября", TextDate(11, 10, None)),
        ("14 август 2023", TextDate(14, 8, 2023)),
        ("Москва, 14.08.2023 – заседание", TextDate(14, 8, 2023)),
    ],
)
def test_russian_dates_in_prose(text: str, expected: TextDate | None) -> None:
    assert find_text_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Учение «Рубеж-2023» прошло на полигоне.",
        "Телефон: +7 (495) 621-33-23",
        "В учении приняли участие 1000 человек.",
        "В 2023 году организации исполнилось 31 год.",
        "август 2023",
        "31 февраля 2024 года",
        "45 мая",
        "Председательство в 2024 году",
    ],
)
def test_russian_non_dates_are_not_dates(text: str) -> None:
    assert find_text_date(text) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("14 августа 2023 года", dt.date(2023, 8, 14)),
        ("14 августа 2023 г.", dt.date(2023, 8, 14)),
        ("  14 августа 2023  ", dt.date(2023, 8, 14)),
        ("1 декабря 2019 года", dt.date(2019, 12, 1)),
        ("Москва, 14 августа 2023 года", None),
        ("14 августа", None),
        ("14 августа 2023 года в Москве", None),
    ],
)
def test_russian_date_lines(line: str, expected: dt.date | None) -> None:
    assert parse_date_line(line) == expected


NEWER_LAYOUT_PAGE = """\
14.08.2023

Генеральный секретарь ОДКБ Имангали Тасмагамбетов провёл встречу с Послом Республики Армения.


10.08.2023

С 7 по 10 августа в Республике Таджикистан прошли штабные переговоры по подготовке учения.


Генеральный секретарь ОДКБ принял участие в заседании Совета безопасности

14 августа 2023 года

Москва, 14 августа 2023 года – Генеральный секретарь ОДКБ принял участие в заседании.

Стороны обсудили вопросы сотрудничества.

Назад
"""


def test_russian_page_with_date_lines() -> None:
    page = parse_page(NEWER_LAYOUT_PAGE)
    assert [teaser.published for teaser in page.teasers] == [
        parsed(2023, 8, 14, LINE),
        parsed(2023, 8, 10, LINE),
    ]
    assert page.article is not None
    assert page.article.title == "Генеральный секретарь ОДКБ принял участие в заседании Совета безопасности"
    assert page.article.published == parsed(2023, 8, 14, LINE)
    assert page.article.body.startswith("Москва, 14 августа 2023 года – Генеральный секретарь")
    assert "Стороны обсудили" in page.article.body


OLDER_LAYOUT_PAGE = """\
18 августа 2023 года в Минске состоялось заседание Совета министров иностранных дел ОДКБ.


16 августа Генеральный секретарь ОДКБ встретился с Министром обороны Республики Беларусь.


С 11 по 15 августа в Республике Беларусь прошло учение «Рубеж-2023», в котором участвовали 1000 человек.


28 декабря в Санкт-Петербурге прошла неформальная встреча глав государств.


20 декабря 2022 г. в Москве прошло заседание Объединённого штаба ОДКБ.


Заседание Совета министров иностранных дел ОДКБ

18 августа 2023 года

Минск, 18 августа 2023 года. Министры обсудили положение в регионе коллективной безопасности.
"""


def test_russian_page_with_dates_in_prose_infers_years() -> None:
    page = parse_page(OLDER_LAYOUT_PAGE)
    assert [teaser.published for teaser in page.teasers] == [
        parsed(2023, 8, 18, TEXT),
        parsed(2023, 8, 16, INFERRED),
        parsed(2023, 8, 15, INFERRED),
        parsed(2022, 12, 28, INFERRED),
        parsed(2022, 12, 20, TEXT),
    ]
    assert page.article is not None
    assert page.article.title == "Заседание Совета министров иностранных дел ОДКБ"
    assert page.article.published == parsed(2023, 8, 18, LINE)
    assert page.article.body.startswith("Минск, 18 августа 2023 года.")


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("On 20 September 2023, in Bishkek, a conference was held.", (20, 9, 2023)),
        ("From 11 to 15 September 2023 the exercise took place.", (15, 9, 2023)),
        ("14 августа 2023 года в Москве состоялось заседание Совета.", (14, 8, 2023)),
        ("С 11 по 15 сентября 2023 года прошли учения.", (15, 9, 2023)),
        ("On Monday the ministers met; the treaty of 5 May 2023 was discussed.", None),
        ("В Москве 14 августа 2023 года состоялось заседание.", None),
    ],
)
def test_a_lead_dates_its_news_only_with_the_date_it_opens_with(lead, expected):
    found = opening_date(lead)
    assert (None if found is None else (found.day, found.month, found.year)) == expected


def test_a_russian_article_without_a_date_line_is_dated_by_its_lead():
    page = parse_page(
        "Совет министров обороны ОДКБ провёл заседание в Минске\n\n"
        "14 августа 2023 года в Минске состоялось заседание Совета министров обороны.\n\n"
        "Участники обсудили план совместной подготовки.\n"
    )
    assert page.article.title == "Совет министров обороны ОДКБ провёл заседание в Минске"
    assert page.article.published.value == dt.date(2023, 8, 14)
