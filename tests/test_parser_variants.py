"""The parser on the synthetic layout variants (``fixtures/variants/``).

Every expectation was read off the fixture files, which were written from the issue's
descriptions of the site's layouts (see ``fixtures/README.md``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from extraction.parsed import DateEvidence, ParsedPage
from extraction.text_page import parse_page
from tests.support.helpers import FIXTURES

VARIANTS = FIXTURES / "variants"
VARIANT_FILES = sorted(VARIANTS.glob("*.txt"))
NAVIGATION = ("Go back", "Back to the section", "Back to the all news")


def parse_variant(name: str) -> ParsedPage:
    return parse_page((VARIANTS / f"{name}.txt").read_text(encoding="utf-8"))


def dates_of(page: ParsedPage) -> list[dt.date | None]:
    return [t.published.value if t.published else None for t in page.teasers]


def test_every_variant_is_tested_here():
    assert len(VARIANT_FILES) == 10


# --- newer sidebar ------------------------------------------------------------------------


def test_newer_sidebar_of_six_with_headline_teasers():
    page = parse_variant("newer_sidebar_headlines")
    assert [t.text for t in page.teasers] == [
        "CSTO Secretary General met with the Foreign Minister of the Republic of Belarus",
        "The Collective Security Council of the CSTO held its regular session in Astana",
        "Meeting of the Council of Defense Ministers of the CSTO member states\n\n"
        "On 27 November 2024, the Council of Defense Ministers considered the plan of joint"
        " training of the Collective Forces for 2025.",
        "The CSTO Secretariat hosted a round table on information security, which was attended"
        " by experts of the member states.",
        "Ceremony of handing over the chairmanship in the CSTO Military Committee",
        "The CSTO Parliamentary Assembly summed up the results of monitoring of the"
        " military-political situation",
    ]
    assert dates_of(page) == [
        dt.date(2024, 11, 28), dt.date(2024, 11, 28), dt.date(2024, 11, 27),
        dt.date(2024, 11, 26), dt.date(2024, 11, 25), dt.date(2024, 11, 22),
    ]  # fmt: skip
    assert {t.published.evidence for t in page.teasers} == {DateEvidence.LINE}


def test_newer_sidebar_article_with_repeated_title_keeps_signature():
    article = parse_variant("newer_sidebar_headlines").article
    assert article.title == (
        "The CSTO Collective Security Council adopted a declaration on the 2025 Year of the Collective Forces"
    )
    assert article.published.value == dt.date(2024, 11, 28)
    assert article.body.startswith("The session of the Collective Security Council")
    assert (
        "for 2025 and considered the state of the Collective Forces.\nThe participants noted" in article.body
    )
    assert article.body.endswith(
        "Russian Federation.\n\nPress Service of the CSTO Secretariat\n\nAstana\n\n"
        "+7 (495) 606-97-71 - tel/fax"
    )


def test_title_and_subtitle_in_one_paragraph_without_date():
    page = parse_variant("newer_sidebar_subtitle_same_paragraph")
    assert dates_of(page) == [dt.date(2025, 3, 14), dt.date(2025, 3, 12), dt.date(2025, 3, 11)]
    assert page.teasers[2].text == "Exercises of the CSTO peacekeeping forces will be held in Belarus"
    article = page.article
    assert (
        article.title == 'Results of the CSTO anti-drug operation "Channel - Illegal" in the spring of 2025'
    )
    assert article.published is None
    assert article.body.startswith(
        "Operation carried out by the competent authorities of the member states\n\n"
        "The operation covered the territory"
    )
    assert article.body.endswith("for Countering Illicit Drug Trafficking.")


def test_document_page_download_line_is_metadata():
    page = parse_variant("document_statement")
    assert dates_of(page) == [
        dt.date(2024, 12, 2),
        dt.date(2024, 11, 29),
        dt.date(2024, 11, 29),
        dt.date(2024, 11, 28),
    ]
    assert (
        page.teasers[1].text
        == "Statement of the CSTO Council of Foreign Ministers on the situation in the Middle East"
    )
    article = page.article
    assert article.title.startswith("STATEMENT of the Ministers of Foreign Affairs of the Member States")
    assert article.title.endswith("on strengthening international information security")
    assert article.published.value == dt.date(2024, 11, 28)
    assert article.published.evidence == DateEvidence.LINE
    assert "Download document" not in article.body
    assert article.body.startswith("The Ministers of Foreign Affairs of the member states")
    assert article.body.endswith("purposes.\n\nAstana, 28 November 2024")


def test_document_title_and_download_lines_in_one_paragraph():
    page = parse_variant("document_same_paragraph")
    assert dates_of(page) == [dt.date(2024, 11, 26), dt.date(2024, 11, 27)]
    article = page.article
    assert article.title.startswith("DECISION of the Collective Security Council")
    assert article.published.value == dt.date(2024, 11, 28)
    assert article.body == ""


# --- older sidebar, one teaser, none ------------------------------------------------------


def test_older_sidebar_and_subtitle_paragraph_without_date():
    page = parse_variant("older_sidebar_subtitle_paragraph")
    assert len(page.teasers) == 4
    assert page.teasers[2].text == (
        "Chief of the CSTO Joint Staff held a working meeting with the military attaches of the"
        " member states accredited in Moscow.\n\nThe participants discussed the preparation of"
        " the joint trainings planned for the autumn."
    )
    assert dates_of(page) == [dt.date(2024, 5, 21), dt.date(2024, 5, 16), None, dt.date(2024, 5, 14)]
    article = page.article
    assert article.title == (
        "The CSTO Secretary General addressed the participants of the international conference"
        ' "Eurasian security: challenges and responses"'
    )
    assert article.published is None
    assert article.body.startswith(
        "The conference gathered more than 200 experts from the CSTO member states, the CIS and the SCO\n\n"
    )
    assert article.body.endswith("the protection of information space.")


def test_page_without_sidebar():
    page = parse_variant("no_sidebar")
    assert page.teasers == ()
    article = page.article
    assert (
        article.title
        == "The CSTO Secretary General met with the Ambassador of the Republic of Armenia to the Russian Federation"
    )
    assert article.published.value == dt.date(2024, 4, 15)
    assert article.body.endswith("Council of Foreign Ministers.\n\nCSTO Secretariat\nMoscow")


def test_sidebar_of_one_teaser_and_title_with_mixed_quotes():
    page = parse_variant("one_teaser_mixed_quotes")
    assert len(page.teasers) == 1
    assert page.teasers[0].text.startswith("On 3 October 2024, the CSTO Secretary General took part")
    assert dates_of(page) == [dt.date(2024, 10, 3)]
    article = page.article
    # the title as the page shows it first; its repetition, in straight quotes, is the date
    assert article.title == (
        "«Search-2024”: reconnaissance units of the CSTO Collective Forces completed the"
        ' "active phase" of the training'
    )
    assert article.published.value == dt.date(2024, 10, 4)
    assert article.body.startswith("At the Kharbmaidon training ground")
    assert "04.10.2024" not in article.body
    assert article.body.endswith(
        "Joint Press Centre of the CSTO trainings\nRepublic of Tajikistan, Kharbmaidon training ground"
    )


def test_no_date_anywhere_leaves_every_date_empty():
    page = parse_variant("no_date_anywhere")
    assert dates_of(page) == [None, None, None]
    assert page.article.title == "Anti-drug cooperation of the CSTO member states in the Central Asian region"
    assert page.article.published is None
    assert page.article.body.startswith(
        "The member states of the Collective Security Treaty Organization continue"
    )


# --- dates, interviews --------------------------------------------------------------------


def test_older_sidebar_date_forms_and_inferred_years():
    page = parse_variant("older_sidebar_date_forms")
    assert [(t.published.value, t.published.evidence) for t in page.teasers] == [
        (dt.date(2024, 12, 11), DateEvidence.INFERRED),
        (dt.date(2024, 6, 5), DateEvidence.INFERRED),
        (dt.date(2024, 4, 23), DateEvidence.TEXT),
        (dt.date(2023, 9, 14), DateEvidence.TEXT),
        (dt.date(2023, 2, 7), DateEvidence.INFERRED),
    ]
    assert page.article.title == "The CSTO cyber security centre held its meeting in Minsk"
    assert page.article.published.value == dt.date(2024, 12, 12)


def test_interview_after_date_line_and_source_url():
    page = parse_variant("title_date_line_source_interview")
    assert dates_of(page) == [dt.date(2024, 11, 12), dt.date(2024, 11, 8)]
    article = page.article
    assert (
        article.title == 'Chief of the CSTO Joint Staff: "The Collective Forces are ready to fulfil any task"'
    )
    assert article.published.value == dt.date(2024, 11, 11)
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0] == "https://www.example-news-agency.ru/interviews/2024/11/11/csto-joint-staff-chief"
    assert paragraphs[1] == "— What tasks did the Collective Forces practice this year?"
    assert paragraphs[3].startswith(
        "- How do you assess the level of interaction between the contingents?\n- The contingents act"
    )
    assert (
        paragraphs[-1]
        == "— Next year the trainings will be held in the Republic of Belarus and in the Republic of Kazakhstan."
    )
    assert len(paragraphs) == 6


# --- every variant ------------------------------------------------------------------------


@pytest.mark.parametrize("path", VARIANT_FILES, ids=lambda p: p.stem)
def test_navigation_never_in_any_variant(path):
    page = parse_page(path.read_text(encoding="utf-8"))
    texts = [t.text for t in page.teasers] + [page.article.title, page.article.body]
    lines = {line for text in texts for line in text.split("\n")}
    assert lines.isdisjoint(NAVIGATION)


# --- the same layouts with single newlines instead of blank lines ---------------------------

HEADLINE = "The CSTO Secretary General met with the Ambassador of Armenia"
LEAD = "The parties discussed the schedule of events for the current year."


@pytest.mark.parametrize("joint", ["\n", "\n\n"], ids=["one paragraph", "apart"])
def test_newer_sidebar_with_date_lines_inside_a_paragraph(joint):
    page = parse_page(
        f"30.06.2025{joint}First teaser headline of the day{joint}26.06.2025{joint}{LEAD}\n\n"
        f"{HEADLINE}{joint}{HEADLINE} 01.07.2025{joint}{LEAD}"
    )
    assert [(t.text, t.published.value) for t in page.teasers] == [
        ("First teaser headline of the day", dt.date(2025, 6, 30)),
        (LEAD, dt.date(2025, 6, 26)),
    ]
    assert (page.article.title, page.article.body) == (HEADLINE, LEAD)
    assert page.article.published.value == dt.date(2025, 7, 1)


@pytest.mark.parametrize("joint", ["\n", "\n\n"], ids=["one paragraph", "apart"])
def test_title_date_line_and_source_in_one_paragraph_or_apart(joint):
    page = parse_page(f"{LEAD}\n\n\n{HEADLINE}{joint}25.12.2019{joint}https://mir24.tv/news/1\n\n{LEAD}")
    assert page.article.title == HEADLINE
    assert page.article.published.value == dt.date(2019, 12, 25)
    assert page.article.body == f"https://mir24.tv/news/1\n\n{LEAD}"


def test_a_headline_broken_mid_sentence_is_no_title():
    page = parse_page(f"On 7 September 2023, in Minsk\na meeting was held.\n\n\n{HEADLINE}\n\n{LEAD}")
    assert page.teasers[0].text == "On 7 September 2023, in Minsk\na meeting was held."
    assert page.article.title == HEADLINE


def test_a_headline_ending_in_a_quoted_sentence_is_no_title():
    quoted = 'He said: "The tasks have been fulfilled."'
    page = parse_page(f"{quoted}\n\n\n{HEADLINE}\n\n{LEAD}")
    assert [t.text for t in page.teasers] == [quoted]
    assert page.article.title == HEADLINE


def test_repeated_title_may_differ_in_case_quotes_and_final_stop():
    title = "«Rubezh-2025»: the CSTO training began"
    page = parse_page(f'{title}\n\n"RUBEZH-2025": the CSTO training began. 20.10.2025\n\n{LEAD}')
    assert page.article.title == title
    assert page.article.published.value == dt.date(2025, 10, 20)
    assert page.article.body == LEAD


def test_interview_without_date_never_takes_a_dash_line_for_its_title():
    page = parse_page(f"— What can you say about the year\n\n— It was tense\n\n{HEADLINE}\n\n{LEAD}")
    assert page.article.title == HEADLINE
