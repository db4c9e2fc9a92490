"""Generated text pages shaped like the seeds, for tests that need many distinct items.

Each page has a newer-layout sidebar (a ``dd.mm.yyyy`` line before each teaser) and an
article (title, the title repeated with its date, body paragraphs). Teasers are shared
between neighbouring pages, as on the site; every item's text is unique.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

SIDEBAR_SIZE = 5
FIRST_DAY = dt.date(2024, 1, 1)
PLACES = ("Minsk", "Bishkek", "Astana", "Dushanbe", "Yerevan", "Moscow", "Cholpon-Ata")
BODY = (
    "Military contingents of the member states and task forces of the CSTO Joint Staff took part "
    "in the practical operations of training number {n}.",
    "The total number of participants in training {n} was about {people} people and more than "
    "{vehicles} pieces of military and special equipment.",
    "Joint press center of the CSTO trainings",
)


def item_date(number: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=number)


def teaser_text(number: int) -> str:
    place = PLACES[number % len(PLACES)]
    return (
        f"On {item_date(number):%d %B %Y}, in {place}, the CSTO held consultation round {number} "
        f"on regional security, attended by {10 + number % 40} delegations."
    )


def article_title(number: int) -> str:
    return f"CSTO training number {number} completed in {PLACES[number % len(PLACES)]}"


def page_text(number: int) -> str:
    """Page ``number``: teasers of the items numbered after it (newest first), its article."""
    lines: list[str] = []
    for teaser in range(number + SIDEBAR_SIZE, number, -1):
        lines += [f"{item_date(teaser):%d.%m.%Y}", "", teaser_text(teaser), "", ""]
    title = article_title(number)
    lines += [title, "", f"{title} {item_date(number):%d.%m.%Y}", ""]
    for paragraph in BODY:
        lines += [paragraph.format(n=number, people=100 + number, vehicles=20 + number % 50), ""]
    lines += ["Go back", "", "Back to the section", "", "Back to the all news"]
    return "\n".join(lines)


def write_pages(directory: Path, count: int) -> int:
    """Write ``count`` pages; returns how many distinct news items they hold."""
    directory.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (directory / f"page_{number:05d}.txt").write_text(page_text(number), encoding="utf-8")
    teasers = set(range(1, count + SIDEBAR_SIZE))
    return count + len(teasers)
