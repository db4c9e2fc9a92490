"""Our date rules against dateparser on dates in Russian and other languages, and non-dates.

Run it from the repository root, outside the test suite (dateparser is no dependency of
newswatch, only of the benchmarks: ``pip install -e ".[bench]"``)::

    python -m benchmarks.date_languages [--repeats 5]

Each string is labelled by reading it: the date it names (the last day of a range, as
``extraction.dates`` reads a range; no year where it names none) or none. A reading counts
as right when it gives that day and month, and that year where the string names one; a date
read from a string that names none is wrong. dateparser is given the string's language,
its best case; its ``search_dates`` reads sentences, as our rules must.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extraction.dates import find_text_date


@dataclass(frozen=True)
class Label:
    text: str
    language: str
    date: tuple[int, int, int | None] | None
    """(day, month, year or None), or None for a string that names no date."""


def _l(text: str, language: str, date: tuple[int, int, int | None] | None) -> Label:
    return Label(text, language, date)


RUSSIAN = [
    _l("14 августа 2023 года", "ru", (14, 8, 2023)),
    _l("14 августа 2023 г.", "ru", (14, 8, 2023)),
    _l("14 августа", "ru", (14, 8, None)),
    _l("1 января 2024 года", "ru", (1, 1, 2024)),
    _l("28 февраля 2022 года", "ru", (28, 2, 2022)),
    _l("3 марта 2024 года", "ru", (3, 3, 2024)),
    _l("15 апреля", "ru", (15, 4, None)),
    _l("9 мая 2020 года", "ru", (9, 5, 2020)),
    _l("12 июня 2021 г.", "ru", (12, 6, 2021)),
    _l("7 июля", "ru", (7, 7, None)),
    _l("30 сентября 2025 года", "ru", (30, 9, 2025)),
    _l("5 октября 2023 года", "ru", (5, 10, 2023)),
    _l("20 ноября", "ru", (20, 11, None)),
    _l("25 декабря 2019 года", "ru", (25, 12, 2019)),
    _l("14.08.2023", "ru", (14, 8, 2023)),
    _l(
        "14 августа 2023 года в Москве состоялось заседание Совета коллективной безопасности.",
        "ru",
        (14, 8, 2023),
    ),
    _l("Москва, 14 августа 2023 года – Генеральный секретарь ОДКБ провёл встречу.", "ru", (14, 8, 2023)),
    _l("16 августа Генеральный секретарь ОДКБ встретился с Министром обороны.", "ru", (16, 8, None)),
    _l("С 11 по 15 сентября в Республике Беларусь прошло учение.", "ru", (15, 9, None)),
    _l("11-15 сентября на полигоне прошли занятия.", "ru", (15, 9, None)),
    _l("с 30 августа по 2 сентября 2023 года прошли переговоры.", "ru", (2, 9, 2023)),
    _l("Встреча прошла 14 августа 2023г. в Минске.", "ru", (14, 8, 2023)),
    _l("28 декабря в Санкт-Петербурге прошла неформальная встреча глав государств.", "ru", (28, 12, None)),
    _l("20 декабря 2022 г. в Москве прошло заседание Объединённого штаба ОДКБ.", "ru", (20, 12, 2022)),
    _l("В Ереване 23 ноября 2022 года состоялась сессия Совета.", "ru", (23, 11, 2022)),
    _l("Заседание состоится 5 июня в Бишкеке.", "ru", (5, 6, None)),
    _l("По итогам встречи 18 мая 2023 года подписан протокол.", "ru", (18, 5, 2023)),
    _l("10 и 11 октября прошли консультации.", "ru", (11, 10, None)),
    _l("14-го августа 2023 года", "ru", (14, 8, 2023)),
    _l("Учения завершились 26 октября 2023 года на полигоне «Гоначхир».", "ru", (26, 10, 2023)),
    _l("Учение «Рубеж-2023» прошло на полигоне.", "ru", None),
    _l("Телефон: +7 (495) 621-33-23", "ru", None),
    _l("В учении приняли участие 1000 человек.", "ru", None),
    _l("В 2023 году организации исполнилось 31 год.", "ru", None),
    _l("август 2023", "ru", None),
    _l("Статья 4 Договора о коллективной безопасности", "ru", None),
    _l("Совещание начнётся в 10 часов.", "ru", None),
    _l("Генеральный секретарь ОДКБ принял участие в заседании Совета безопасности", "ru", None),
    _l("Председательство Республики Армения в ОДКБ в 2023 году", "ru", None),
    _l("Факс: 8-495-606-97-00", "ru", None),
]

OTHER = [
    _l("14. August 2023", "de", (14, 8, 2023)),
    _l("Am 14. August 2023 fand in Moskau eine Sitzung statt.", "de", (14, 8, 2023)),
    _l("Vom 11. bis 15. September fand die Übung statt.", "de", (15, 9, None)),
    _l("3. März 2024", "de", (3, 3, 2024)),
    _l("14 août 2023", "fr", (14, 8, 2023)),
    _l("Le 14 août 2023, le Secrétaire général a rencontré l'ambassadeur.", "fr", (14, 8, 2023)),
    _l("Du 11 au 15 septembre, l'exercice a eu lieu.", "fr", (15, 9, None)),
    _l("1er janvier 2024", "fr", (1, 1, 2024)),
    _l("14 de agosto de 2023", "es", (14, 8, 2023)),
    _l("El 14 de agosto de 2023 se celebró la reunión.", "es", (14, 8, 2023)),
    _l("Die Übung „Rubesch-2023“ fand statt.", "de", None),
    _l("Tel.: +7 495 621 33 23", "fr", None),
    _l("1000 Soldaten nahmen teil.", "de", None),
    _l("En 2023, l'Organisation a fêté ses 31 ans.", "fr", None),
]


def regex_reading(label: Label) -> tuple[int, int, int | None] | None:
    found = find_text_date(label.text)
    return None if found is None else (found.day, found.month, found.year)


def dateparser_reading(
    label: Label, settings: dict[str, object] | None = None
) -> tuple[int, int, int | None] | None:
    from dateparser.search import search_dates  # imported here: no dependency of newswatch

    found = search_dates(label.text, languages=[label.language], settings=settings)
    if not found:
        return None
    value: dt.datetime = found[0][1]
    return (value.day, value.month, value.year)


def strict_dateparser_reading(label: Label) -> tuple[int, int, int | None] | None:
    """dateparser told to read only what names a day and a month, as our rules do."""
    return dateparser_reading(label, {"REQUIRE_PARTS": ["day", "month"]})


def is_right(label: Label, reading: tuple[int, int, int | None]) -> bool:
    if label.date is None:
        return False
    day, month, year = label.date
    return reading[:2] == (day, month) and (year is None or reading[2] == year)


@dataclass(frozen=True)
class Score:
    precision: float | None
    """None where nothing was read: no reading, no wrong one."""
    recall: float
    microseconds: float


def score(read: Callable[[Label], object], labels: Sequence[Label], repeats: int) -> Score:
    readings = [read(label) for label in labels]
    made = [(label, reading) for label, reading in zip(labels, readings) if reading is not None]
    right = sum(is_right(label, reading) for label, reading in made)  # type: ignore[arg-type]
    dated = sum(label.date is not None for label in labels)
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for label in labels:
            read(label)
        runs.append((time.perf_counter() - start) / len(labels))
    return Score(right / len(made) if made else None, right / dated, statistics.median(runs) * 1e6)


READERS: tuple[tuple[str, Callable[[Label], object]], ...] = (
    ("regex", regex_reading),
    ("dateparser", dateparser_reading),
    ("dateparser strict", strict_dateparser_reading),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print(f"{'set':<8} {'reader':<17} {'precision':>9} {'recall':>7} {'µs/call':>9}")
    for name, labels in (("russian", RUSSIAN), ("other", OTHER)):
        dated = sum(label.date is not None for label in labels)
        print(f"{name}: {len(labels)} strings, {dated} dated, {len(labels) - dated} not")
        for reader, read in READERS:
            result = score(read, labels, args.repeats)
            precision = "-" if result.precision is None else f"{result.precision:.2f}"
            print(f"{name:<8} {reader:<17} {precision:>9} {result.recall:>7.2f} {result.microseconds:>9.1f}")


if __name__ == "__main__":
    main()
