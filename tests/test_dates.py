"""Tests for extraction.dates: date lines, repeated titles, dates in prose, inferred years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extraction.dates import (
    DATE_LINE,
    TextDate,
    date_of_text,
    find_text_date,
    infer_years,
    parse_date_line,
    split_trailing_date,
)
from extraction.parsed import DateEvidence, ParsedDate

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"

LINE = DateEvidence.LINE
TEXT = DateEvidence.TEXT
INFERRED = DateEvidence.INFERRED


def seed(prefix: str) -> str:
    """The text of the seed page whose file name starts with ``prefix`` ("000" ... "004")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def sidebar(prefix: str, title: str) -> list[str]:
    """The teasers of an older-layout sidebar: two blank lines apart, before the title."""
    text = seed(prefix).split(title)[0]
    return [part.strip() for part in text.split("\n\n\n") if part.strip()]


def parsed(year: int, month: int, day: int, evidence: DateEvidence) -> ParsedDate:
    return ParsedDate(dt.date(year, month, day), evidence)


# --- parse_date_line ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("30.06.2025", dt.date(2025, 6, 30)),
        ("25.12.2019", dt.date(2019, 12, 25)),
        ("  26.06.2025  ", dt.date(2025, 6, 26)),
        ("\u00a030.06.2025\u00a0", dt.date(2025, 6, 30)),
        ("\t05.09.2023\n", dt.date(2023, 9, 5)),
        ("29.02.2024", dt.date(2024, 2, 29)),
    ],
)
def test_parse_date_line_reads_a_lone_date(line: str, expected: dt.date) -> None:
    assert parse_date_line(line) == expected
    assert DATE_LINE.match(line)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "31.02.2024",  # no such day
        "29.02.2023",  # not a leap year
        "12.13.2024",  # no 13th month
        "00.01.2024",
        "On 30.06.2025",
        "30.06.2025 Download document Decision.docx",
        "30.06.2025\nThe Kyrgyz President",
        "2025-06-30",
        "30/06/2025",
        "30.06.25",
        "30.06.20255",
        "The CAR CRDF began the next phase 20.10.2022",
    ],
)
def test_parse_date_line_rejects_anything_else(line: str) -> None:
    assert parse_date_line(line) is None


def test_parse_date_line_reads_the_date_lines_of_seed_003() -> None:
    lines = [line for line in seed("003").splitlines() if parse_date_line(line)]
    assert [parse_date_line(line) for line in lines] == [
        dt.date(2025, 6, 30),
        dt.date(2025, 6, 30),
        dt.date(2025, 6, 26),
        dt.date(2025, 6, 26),
        dt.date(2025, 6, 26),
        dt.date(2019, 12, 25),
    ]


# --- split_trailing_date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "line", "title", "date"),
    [
        (
            "001",
            "The CAR CRDF began the next phase of the training to block and destroy illegal"
            " armed groups 20.10.2022",
            "The CAR CRDF began the next phase of the training to block and destroy illegal armed groups",
            dt.date(2022, 10, 20),
        ),
        (
            "000",
            'The Russian military will practice hostage rescue at the CSTO "Rubezh-2022"'
            " training in the Republic of Tajikistan 18.10.2022",
            'The Russian military will practice hostage rescue at the CSTO "Rubezh-2022"'
            " training in the Republic of Tajikistan",
            dt.date(2022, 10, 18),
        ),
        (
            "004",
            '"Interaction-2023”: special forces units conducted an anti-terrorist operation 05.09.2023',
            '"Interaction-2023”: special forces units conducted an anti-terrorist operation',
            dt.date(2023, 9, 5),
        ),
    ],
)
def test_split_trailing_date_splits_the_repeated_title(
    prefix: str, line: str, title: str, date: dt.date
) -> None:
    assert f"\n{line}\n" in seed(prefix)  # a whole line of the page
    assert split_trailing_date(line) == (title, date)


def test_split_trailing_date_strips_the_title() -> None:
    line = "  A title\u00a0 01.02.2024\u00a0 "
    assert split_trailing_date(line) == ("A title", dt.date(2024, 2, 1))


@pytest.mark.parametrize(
    "line",
    [
        "30.06.2025",  # a date line has no text before the date
        "The CAR CRDF began the next phase",
        "A title 31.02.2024",  # no such day
        "A title 20.10.2022 and more",
        "A title20.10.2022",  # the date must be a separate word
        "A title\n20.10.2022",  # one line only
        "",
    ],
)
def test_split_trailing_date_rejects_other_lines(line: str) -> None:
    assert split_trailing_date(line) is None


# --- find_text_date: the examples of the brief --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On 20 September 2023, in Bishkek", TextDate(20, 9, 2023)),
        ("met with ... Lavrov on 14 September 2023.", TextDate(14, 9, 2023)),
        ("held in Minsk on 7 September 2023.", TextDate(7, 9, 2023)),
        ("On June 30, 2025, a regular meeting", TextDate(30, 6, 2025)),
        ("in Cholpon-Ata on June 30.", TextDate(30, 6, None)),
        ("On 3-5 June", TextDate(5, 6, None)),
        ("On 3–5 June", TextDate(5, 6, None)),
        ("On 3 — 5 June", TextDate(5, 6, None)),
        ("On June 24-26,", TextDate(26, 6, None)),
        ("From 1 to 23 April 2024", TextDate(23, 4, 2024)),
        ("from 11 to 15 September, this year", TextDate(15, 9, None)),
        ("On 10 and 11 December", TextDate(11, 12, None)),
        ("On 7 February,", TextDate(7, 2, None)),
        ("On May 27 this year", TextDate(27, 5, None)),
        ("the Special meeting of the Council of 23.08.2021, to combat", TextDate(23, 8, 2021)),
    ],
)
def test_find_text_date_reads_the_site_s_spellings(text: str, expected: TextDate) -> None:
    assert find_text_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 5 Jan 2024", TextDate(5, 1, 2024)),
        ("on 5 Feb. 2024", TextDate(5, 2, 2024)),
        ("on 5 Sept. 2021", TextDate(5, 9, 2021)),
        ("on Sep 9, 2021", TextDate(9, 9, 2021)),
        ("on 1 Oct", TextDate(1, 10, None)),
        ("ON 20 SEPTEMBER 2023", TextDate(20, 9, 2023)),
        ("on 20 september 2023", TextDate(20, 9, 2023)),
        ("on june 30, 2025", TextDate(30, 6, 2025)),
        ("on 5th June 2024", TextDate(5, 6, 2024)),
        ("on June 1st", TextDate(1, 6, None)),
        ("on June 30,2025", TextDate(30, 6, 2025)),
        ("from October 17 to 21 in southern Tajikistan", TextDate(21, 10, None)),
        ("from 30 May to 2 June 2022", TextDate(2, 6, 2022)),
        ("from May 30 to June 2, 2022", TextDate(2, 6, 2022)),
        ("from 30 December 2023 to 2 January 2024", TextDate(2, 1, 2024)),
        ("on 7\u00a0February\u00a02024", TextDate(7, 2, 2024)),
        # Two days joined by "and" read like a range: the later one dates the news.
        ("on 30 May and 2 June 2024", TextDate(2, 6, 2024)),
    ],
)
def test_find_text_date_reads_common_variants(text: str, expected: TextDate) -> None:
    assert find_text_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Rubezh-2022",
        "in 2019",
        "the 2019 session",
        "201st Military Base",
        "about 1,000 people",
        "+7495-621-33-23",
        "17 issues",
        "in May 2022",
        "The Mars mission",
        "the units march 20 km to the range",  # a verb, not a month
        "they may 5 times",
        "31 February 2024",
        "45 May",
        "Mi-24, Su-25 and artillery",
        "the T7 May exercise",  # a day is a word of its own
        "version 3.12.05.2024",
    ],
)
def test_find_text_date_ignores_what_is_no_date(text: str) -> None:
    assert find_text_date(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On 31 February 2024, or rather 2 March 2024", TextDate(2, 3, 2024)),
        ("On 45 May, no: on 6 May", TextDate(6, 5, None)),
        ("of 31.02.2024 and of 01.03.2024", TextDate(1, 3, 2024)),
        ("29 February 2023 then 1 March 2023", TextDate(1, 3, 2023)),
    ],
)
def test_find_text_date_skips_impossible_days_and_goes_on(text: str, expected: TextDate) -> None:
    assert find_text_date(text) == expected


def test_find_text_date_returns_the_first_date() -> None:
    text = "On 16 February 2024, following the meeting of 14 February 2024 and June 3, 2023"
    assert find_text_date(text) == TextDate(16, 2, 2024)
    assert find_text_date("On June 3, 2023 after 14 February 2024") == TextDate(3, 6, 2023)


def test_find_text_date_keeps_a_year_less_29_february() -> None:
    assert find_text_date("On 29 February, the staff met") == TextDate(29, 2, None)


def test_a_number_after_the_date_is_no_year() -> None:
    assert find_text_date("On June 30, 1000 people came") == TextDate(30, 6, None)


# --- find_text_date: the seeds ------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "sentence", "expected"),
    [
        (
            "000",
            "On 20 September 2023, in Bishkek, an international conference on combating"
            " terrorism and extremism was held.",
            TextDate(20, 9, 2023),
        ),
        (
            "000",
            "In accordance with the CSTO CCBCD Plan of Basic Activities for 2023, a subregional"
            ' anti-drug operation "Channel-Perekhvat" was carried out in the territory of the'
            " CSTO member states from 11 to 15 September, this year,",
            TextDate(15, 9, None),
        ),
        (
            "000",
            "The CSTO Secretary General Imangali Tasmagambetov met with the Russian Foreign"
            " Minister Sergei Lavrov on 14 September 2023.",
            TextDate(14, 9, 2023),
        ),
        (
            "000",
            "Within the framework of the chairmanship of the Republic of Belarus in the"
            " Collective Security Treaty Organization, a regular Coordination Meeting of Chief"
            " Narcologists of the CSTO member states was held in Minsk on 7 September 2023.",
            TextDate(7, 9, 2023),
        ),
        ("000", "On 6 September 2023, in Bishkek, the CSTO Secretary", TextDate(6, 9, 2023)),
        (
            "000",
            "The active phase of the joint training will take place from October 17 to 21 in"
            " southern Tajikistan.",
            TextDate(21, 10, None),
        ),
        (
            "001",
            "On 25 July 2024, staff of the CSTO Secretariat met with graduates of Central Asian universities",
            TextDate(25, 7, 2024),
        ),
        (
            "001",
            "The CSTO Secretary General Imangali Tasmagambetov took part in the debate on “UN"
            " cooperation with regional organizations: the CSTO, the CIS and the SCO” held on"
            " 19 July 2024 at the UN Security Council.",
            TextDate(19, 7, 2024),
        ),
        (
            "002",
            "On 16 February 2024, the CSTO Secretary General Imangali Tasmagambetov met with"
            " the Deputy Prime Minister",
            TextDate(16, 2, 2024),
        ),
        (
            "002",
            "On 14 February 2024, the CSTO Secretariat hosted an educational seminar",
            TextDate(14, 2, 2024),
        ),
        (
            "002",
            "On 7 February, the CSTO Secretary General Imangali Tasmagambetov met with the"
            " Russian Foreign Minister Sergey Lavrov.",
            TextDate(7, 2, None),
        ),
        (
            "002",
            "In order to implement the proposals made at the Special meeting of the Collective"
            " Security Council of the Collective Security Treaty Organization (CSTO) of"
            " 23.08.2021, to combat the transit of drugs",
            TextDate(23, 8, 2021),
        ),
        (
            "002",
            'a sub-regional anti-drug operation "Channel-Second Barrier" was conducted from 23'
            " to 27 May 2022 in the format of the CSTO.",
            TextDate(27, 5, 2022),
        ),
        (
            "002",
            "On May 27 this year, in Osh city, with the participation of Ulanbek Sultanov",
            TextDate(27, 5, None),
        ),
        (
            "003",
            "The Kyrgyz President Sadyr Japarov received the Ministers of Foreign Affairs of the"
            " CSTO member states and the Secretary General of the Organization in Cholpon-Ata on"
            " June 30.",
            TextDate(30, 6, None),
        ),
        (
            "003",
            "On June 30, 2025, a regular meeting of the CSTO Council of Foreign Ministers was"
            " held in Cholpon-Ata (the Kyrgyz Republic)",
            TextDate(30, 6, 2025),
        ),
        (
            "003",
            "On June 19, 2025, in Bosteri, Issyk-Kul region of the Kyrgyz Republic, the XIX meeting",
            TextDate(19, 6, 2025),
        ),
        (
            "003",
            "On June 24-26, the second staff negotiations were held in the Kyrgyz Republic",
            TextDate(26, 6, None),
        ),
    ],
)
def test_find_text_date_on_seed_sentences(prefix: str, sentence: str, expected: TextDate) -> None:
    assert sentence in seed(prefix)  # copied unchanged from the page
    assert find_text_date(sentence) == expected


@pytest.mark.parametrize(
    ("prefix", "sentence"),
    [
        (
            "000",
            "Units of the 201st Russian military base will support Tajikistan's special task"
            " forces in the release of hostages during the training “Rubezh-2022” of the"
            " Collective Rapid Deployment Forces of the Central Asian region.",
        ),
        (
            "000",
            "The total number of training participants in the Republic of Tajikistan will be"
            " about 1,000 people and more than 300 pieces of military and special equipment,"
            " including aircraft, helicopters and strike drones.",
        ),
        (
            "000",
            "Air support will be provided by Mi-24 attack helicopters of the Armed Forces of"
            " Russia and the Republic of Tajikistan.",
        ),
        (
            "001",
            "Allow me to thank the Russian presidency of the United Nations Security Council for"
            " the invitation to take part in the debate",
        ),
        (
            "001",
            "They carry out a fire attack on the advancing “enemy” reserve using two pairs of"
            " Mi-24, two pairs of Su-25 and artillery fire.",
        ),
        ("001", "+7495-621-33-23 - tel/fax"),
        (
            "002",
            "- 274 kg of narcotic drugs, psychotropic and potent substances, including more than"
            " 5 kg of heroin, about 70 kg of marijuana and 75 kg of hashish;",
        ),
        ("002", "- 51 firearms and 2,836 pieces of ammunition, including hand grenades."),
        (
            "002",
            "389 criminal cases related to illegal drug trafficking were initiated, including"
            " against 28 criminal drug groups, in 21 cases related to drug smuggling.",
        ),
        (
            "003",
            "The Acting Secretary General of the Collective Security Treaty Organization Valery"
            ' Semerikov in an interview with MIRK "MIR" summed up the work of the Organization'
            " in 2019",
        ),
        (
            "003",
            "https://mir24.tv/news/16391437/valerii-semerikov-podvel-itogi-raboty-odkb-v-2019"
            "-godu-eksklyuziv",
        ),
        (
            "003",
            "I can say that this work has been completed, as evidenced by the agenda of the 2019"
            " session, where our presidents considered 17 issues.",
        ),
        (
            "004",
            "In all, more than 2,500 servicemen and more than 500 units of weapons, military and"
            " special equipment were involved.",
        ),
    ],
)
def test_find_text_date_finds_nothing_in_undated_seed_sentences(prefix: str, sentence: str) -> None:
    assert sentence in seed(prefix)
    assert find_text_date(sentence) is None


# --- infer_years --------------------------------------------------------------------------


def test_infer_years_on_seed_000_dates_the_range_by_its_neighbours() -> None:
    teasers = sidebar("000", "The Russian military will practice hostage rescue")
    assert infer_years([find_text_date(text) for text in teasers]) == [
        parsed(2023, 9, 20, TEXT),
        parsed(2023, 9, 15, INFERRED),
        parsed(2023, 9, 14, TEXT),
        parsed(2023, 9, 7, TEXT),
        parsed(2023, 9, 6, TEXT),
    ]


def test_infer_years_on_seed_002_gives_7_february_its_newer_neighbour_s_year() -> None:
    teasers = sidebar("002", "Preliminary results of the sub-regional")
    assert [text[:14] for text in teasers[3:]] == ["On 7 February,", "On 7 February,"]
    assert infer_years([find_text_date(text) for text in teasers]) == [
        parsed(2024, 2, 16, TEXT),
        parsed(2024, 2, 14, TEXT),
        parsed(2024, 2, 14, TEXT),
        parsed(2024, 2, 7, INFERRED),
        parsed(2024, 2, 7, INFERRED),
    ]


def test_infer_years_on_seed_001_leaves_undated_teasers_undated() -> None:
    teasers = sidebar("001", "The CAR CRDF began the next phase")
    assert infer_years([find_text_date(text) for text in teasers]) == [
        parsed(2024, 7, 25, TEXT),
        None,
        parsed(2024, 7, 19, TEXT),
        None,
    ]


def test_infer_years_marks_date_lines_as_line_evidence() -> None:
    assert infer_years([dt.date(2025, 6, 30), dt.date(2025, 6, 26)]) == [
        parsed(2025, 6, 30, LINE),
        parsed(2025, 6, 26, LINE),
    ]


def test_infer_years_takes_a_year_from_a_date_line() -> None:
    assert infer_years([TextDate(30, 6, None), dt.date(2025, 6, 30)]) == [
        parsed(2025, 6, 30, INFERRED),
        parsed(2025, 6, 30, LINE),
    ]


def test_december_after_a_january_neighbour_is_in_the_previous_year() -> None:
    dates = [TextDate(10, 1, 2024), TextDate(28, 12, None)]
    assert infer_years(dates)[1] == parsed(2023, 12, 28, INFERRED)


def test_only_an_older_neighbour_gives_the_year() -> None:
    assert infer_years([TextDate(20, 3, None), dt.date(2024, 2, 14)])[0] == parsed(2024, 3, 20, INFERRED)
    # Newer than 14 February 2024 yet earlier in the calendar: the following year.
    assert infer_years([TextDate(7, 2, None), dt.date(2024, 2, 14)])[0] == parsed(2025, 2, 7, INFERRED)
    assert infer_years([TextDate(10, 1, None), TextDate(20, 12, 2023)])[0] == parsed(2024, 1, 10, INFERRED)


def test_the_same_day_as_a_neighbour_is_in_its_year() -> None:
    assert infer_years([dt.date(2024, 2, 14), TextDate(14, 2, None)])[1] == parsed(2024, 2, 14, INFERRED)
    assert infer_years([TextDate(14, 2, None), dt.date(2024, 2, 14)])[0] == parsed(2024, 2, 14, INFERRED)


def test_the_newer_neighbour_wins_over_the_older() -> None:
    dates = [dt.date(2024, 1, 10), TextDate(5, 1, None), TextDate(28, 12, 2022)]
    assert infer_years(dates)[1] == parsed(2024, 1, 5, INFERRED)


def test_the_nearest_full_date_is_the_neighbour() -> None:
    newer = [dt.date(2020, 1, 1), None, dt.date(2024, 2, 16), None, TextDate(7, 2, None)]
    assert infer_years(newer)[4] == parsed(2024, 2, 7, INFERRED)
    older = [TextDate(7, 2, None), None, TextDate(3, 3, None), dt.date(2024, 2, 1)]
    older.append(dt.date(2019, 1, 1))
    assert infer_years(older)[0] == parsed(2024, 2, 7, INFERRED)


@pytest.mark.parametrize(
    "dates",
    [
        [TextDate(7, 2, None)],
        [None, TextDate(7, 2, None), None],
        [TextDate(5, 3, None), TextDate(1, 3, None)],
        [TextDate(5, 3, None), TextDate(31, 2, 2024)],  # an impossible day anchors nothing
    ],
)
def test_without_a_full_date_nothing_is_guessed(dates: list[TextDate | None]) -> None:
    assert infer_years(dates) == [None] * len(dates)


def test_29_february_needs_a_leap_year() -> None:
    assert infer_years([dt.date(2023, 3, 1), TextDate(29, 2, None)])[1] is None
    assert infer_years([dt.date(2024, 3, 1), TextDate(29, 2, None)])[1] == parsed(2024, 2, 29, INFERRED)


def test_impossible_text_dates_are_none() -> None:
    assert infer_years([TextDate(31, 2, 2024), TextDate(1, 13, 2024)]) == [None, None]
    assert infer_years([dt.date(2024, 3, 1), TextDate(31, 2, None)]) == [
        parsed(2024, 3, 1, LINE),
        None,
    ]


def test_infer_years_keeps_none_and_length() -> None:
    assert infer_years([]) == []
    assert infer_years([None, dt.date(2024, 1, 1), None]) == [
        None,
        parsed(2024, 1, 1, LINE),
        None,
    ]


# --- date_of_text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On 20 September 2023, in Bishkek", parsed(2023, 9, 20, TEXT)),
        ("the Council of 23.08.2021, to combat", parsed(2021, 8, 23, TEXT)),
        ("On June 30, 2025, a regular meeting", parsed(2025, 6, 30, TEXT)),
        ("On 7 February, the CSTO Secretary General", None),
        ("in Cholpon-Ata on June 30.", None),
        # Only the first date counts; a later one is about something else.
        ("On 7 February, after the meeting of 14 February 2024", None),
        ("The maneuvers are aimed at training", None),
        ("", None),
    ],
)
def test_date_of_text(text: str, expected: ParsedDate | None) -> None:
    assert date_of_text(text) == expected


# --- properties ---------------------------------------------------------------------------

MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
SPELLINGS = ["On {d} {m} {y}", "on {m} {d}, {y}", "of {dd}.{mm}.{y}", "from 1 to {d} {m} {y}"]
REAL_DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
NO_DIGITS = st.text(st.characters(exclude_categories=("Nd", "No", "Cs")), max_size=40)


@given(st.text())
def test_find_text_date_never_raises(text: str) -> None:
    found = find_text_date(text)
    if found is not None:
        dt.date(found.year or 2000, found.month, found.day)  # only real days are returned


@given(st.text(st.sampled_from("0123456789 .,-–toandMayJuneSept\u00a0\n"), max_size=80))
def test_find_text_date_never_raises_on_date_like_text(text: str) -> None:
    find_text_date(text)


@given(
    REAL_DATES,
    st.sampled_from(SPELLINGS),
    st.booleans(),
    st.sampled_from([str.title, str.upper, str]),
    NO_DIGITS,
)
def test_find_text_date_reads_any_real_date(
    date: dt.date, spelling: str, abbreviate: bool, case: Callable[[str], str], before: str
) -> None:
    name = MONTH_NAMES[date.month - 1]
    month = case(name[:3] if abbreviate else name)
    written = spelling.format(d=date.day, dd=f"{date.day:02}", m=month, mm=f"{date.month:02}", y=date.year)
    found = find_text_date(f"{before} {written}, in Bishkek.")
    assert found == TextDate(date.day, date.month, date.year)


@given(REAL_DATES, st.sampled_from(["  ", "\u00a0", "\t", ""]))
def test_parse_date_line_round_trips(date: dt.date, padding: str) -> None:
    assert parse_date_line(f"{padding}{date:%d.%m.%Y}{padding}") == date


@given(REAL_DATES, st.integers(min_value=0, max_value=364))
def test_inference_recovers_any_date_within_a_year_of_its_neighbour(anchor: dt.date, days: int) -> None:
    older = anchor - dt.timedelta(days=days)
    newer = anchor + dt.timedelta(days=days)
    below = infer_years([anchor, TextDate(older.day, older.month, None)])[1]
    above = infer_years([TextDate(newer.day, newer.month, None), anchor])[0]
    assert below == ParsedDate(older, INFERRED)
    assert above == ParsedDate(newer, INFERRED)


def test_find_text_date_is_linear_on_adversarial_text() -> None:
    text = "1 to 2 and 3 - " * 20_000 + "June 1"
    assert find_text_date(text + " On 7 February 2024") == TextDate(1, 6, None)
    assert find_text_date("1 to " * 50_000) is None
