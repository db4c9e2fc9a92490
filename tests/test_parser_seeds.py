"""The parser on the five seed pages; every expectation below was read off the seed files."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from extraction.parsed import DateEvidence
from extraction.text_page import parse_page
from tests.support.helpers import SEED_FILES

NAVIGATION = ("Go back", "Back to the section", "Back to the all news")


def parse_seed(prefix: str):
    (path,) = [p for p in SEED_FILES if p.name.startswith(prefix)]
    return parse_page(path.read_text(encoding="utf-8"))


def dates_of(page):
    return [t.published.value if t.published else None for t in page.teasers]


def test_teaser_counts_per_seed_in_file_order():
    assert [len(parse_page(p.read_text(encoding="utf-8")).teasers) for p in SEED_FILES] == [5, 4, 5, 5, 4]


def test_article_dates_per_seed_in_file_order():
    articles = [parse_page(p.read_text(encoding="utf-8")).article for p in SEED_FILES]
    dates = [a.published.value if a.published else None for a in articles]
    assert dates == [
        dt.date(2022, 10, 18),
        dt.date(2022, 10, 20),
        None,
        dt.date(2019, 12, 25),
        dt.date(2023, 9, 5),
    ]


def test_seed_000_older_sidebar_dates_from_text():
    page = parse_seed("000")
    assert dates_of(page) == [
        dt.date(2023, 9, 20),
        dt.date(2023, 9, 15),
        dt.date(2023, 9, 14),
        dt.date(2023, 9, 7),
        dt.date(2023, 9, 6),
    ]
    # "from 11 to 15 September, this year": the year comes from the neighbours.
    assert page.teasers[1].published.evidence == DateEvidence.INFERRED
    assert page.teasers[0].published.evidence == DateEvidence.TEXT
    assert page.teasers[1].text.startswith("In accordance with the CSTO CCBCD Plan")
    assert page.teasers[1].text.endswith("carried out in order to legalize drug profits.")


def test_seed_000_article():
    article = parse_seed("000").article
    assert article.title == (
        'The Russian military will practice hostage rescue at the CSTO "Rubezh-2022" training in the Republic of Tajikistan'
    )
    assert article.body.startswith("Units of the 201st Russian military base")
    # paragraphs separated by single newlines stay single newlines inside the body
    assert "of the Central Asian region.\nTactical groups supported by T-72B3M tanks" in article.body
    assert "18.10.2022" not in article.body
    assert article.body.endswith("Joint press center of the CSTO trainings")


def test_seed_001_multi_paragraph_teaser_and_undated_teasers():
    page = parse_seed("001")
    assert dates_of(page) == [dt.date(2024, 7, 25), None, dt.date(2024, 7, 19), None]
    quote = page.teasers[1].text
    assert quote.startswith("Allow me to thank the Russian presidency")
    assert "\n\nI highly appreciate my participation" in quote
    assert page.teasers[3].text.startswith(
        "Imangali Tasmagambetov, the Collective Security Treaty Organization"
    )


def test_seed_001_article_keeps_signature_and_phone_line():
    article = parse_seed("001").article
    assert (
        article.title
        == "The CAR CRDF began the next phase of the training to block and destroy illegal armed groups"
    )
    assert article.body.startswith("Today, as part of a joint training")
    assert "CSTO Press Secretary Vladimir Zaynetdinov" in article.body
    assert article.body.endswith("+7495-621-33-23 - tel/fax")


def test_seed_002_years_inferred_from_newer_neighbour():
    page = parse_seed("002")
    assert dates_of(page) == [
        dt.date(2024, 2, 16),
        dt.date(2024, 2, 14),
        dt.date(2024, 2, 14),
        dt.date(2024, 2, 7),
        dt.date(2024, 2, 7),
    ]
    assert [t.published.inferred for t in page.teasers] == [False, False, False, True, True]


def test_seed_002_article_without_any_date():
    article = parse_seed("002").article
    assert (
        article.title
        == 'Preliminary results of the sub-regional anti-drug operation "Channel-Second Barrier" are summarized'
    )
    assert article.published is None
    assert article.body.startswith("In order to implement the proposals")
    assert "- 274 kg of narcotic drugs" in article.body
    assert article.body.endswith("for the benefit of all peoples of the CSTO member States.")


def test_seed_003_newer_sidebar_date_lines_win_over_text():
    page = parse_seed("003")
    assert dates_of(page) == [
        dt.date(2025, 6, 30),
        dt.date(2025, 6, 30),
        dt.date(2025, 6, 26),
        dt.date(2025, 6, 26),
        dt.date(2025, 6, 26),
    ]
    assert all(t.published.evidence == DateEvidence.LINE for t in page.teasers)
    # the fourth teaser's text says June 19; its date line says 26.06.2025
    assert page.teasers[3].text.startswith("On June 19, 2025, in Bosteri")
    assert not any(re.fullmatch(r"\d\d\.\d\d\.\d{4}", t.text) for t in page.teasers)


def test_seed_003_interview_with_date_line_and_source_url():
    article = parse_seed("003").article
    assert article.title.startswith(
        "The Acting Secretary General of the Collective Security Treaty Organization Valery Semerikov"
    )
    assert article.title.endswith("summed up the work of the Organization in 2019")
    assert article.body.startswith("https://mir24.tv/news/16391437/")
    assert "\n\nWhat can you say about the outgoing year? How difficult was it" in article.body
    assert article.body.endswith("Continue the interview in the video version.")


def test_seed_004_shares_its_sidebar_with_seed_001():
    assert parse_seed("004").teasers == parse_seed("001").teasers


def test_seed_004_article_title_with_mixed_quotes():
    article = parse_seed("004").article
    assert article.title == '"Interaction-2023”: special forces units conducted an anti-terrorist operation'
    assert article.body.endswith("The Republic of Belarus, Brestsky training ground")


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_navigation_never_in_any_text(path):
    page = parse_page(path.read_text(encoding="utf-8"))
    texts = [t.text for t in page.teasers] + [page.article.title, page.article.body]
    for text in texts:
        for line in text.split("\n"):
            assert line.strip() not in NAVIGATION


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_every_paragraph_lands_in_exactly_one_item(path):
    """Conservation: each non-navigation, non-date paragraph appears once, in page order."""
    raw = path.read_text(encoding="utf-8")
    page = parse_page(raw)
    title = page.article.title
    expected = []
    for paragraph in re.split(r"\n\s*\n", raw):
        lines = [" ".join(line.split()) for line in paragraph.split("\n")]
        text = "\n".join(line for line in lines if line and line not in NAVIGATION)
        is_date_line = re.fullmatch(r"\d\d\.\d\d\.\d{4}", text)
        is_repeated_title = re.fullmatch(re.escape(title) + r" \d\d\.\d\d\.\d{4}", text)
        if text and not is_date_line and not is_repeated_title:
            expected.append(text)
    produced = []
    for teaser in page.teasers:
        produced.extend(teaser.text.split("\n\n"))
    produced.append(title)
    produced.extend(page.article.body.split("\n\n"))
    assert produced == expected
