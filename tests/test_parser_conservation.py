"""Conservation: every non-navigation line of a page ends up in exactly one item, in order.

The page is read here independently of ``extraction.blocks``: paragraphs are runs of non-blank
lines, navigation lines are dropped, whitespace is collapsed. Walking the page's lines and the
items' lines side by side, a page line that no item holds must be metadata (a date line, a
download line, the title repeated with its date), and the lines of one paragraph must all go
to the same item. The property is checked on every fixture page, on pages composed from the
seeds' own paragraphs in both sidebar layouts and every article form, and on random text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extraction.normalize import fold
from extraction.parsed import ParsedPage
from extraction.text_page import parse_page
from tests.support.helpers import FIXTURES, SEEDS

NAVIGATION = frozenset({"go back", "back to the section", "back to the all news"})
NAVIGATION_TEXT = "Go back\n\nBack to the section\n\nBack to the all news"
DATE_LINE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")
DOWNLOAD_LINE = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{4}\s+)?Download document\b.*", re.IGNORECASE)
PAGE_FOLDERS = ("seeds", "variants", "edited")  # text pages; mirror/robots.txt is none
TEXT_FIXTURES = sorted(path for folder in PAGE_FOLDERS for path in (FIXTURES / folder).glob("*.txt"))


# A line that ends a sentence (perhaps inside closing quotes or brackets).
FINISHED_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*$")


def page_paragraphs(raw: str) -> list[list[str]]:
    """The page's blocks as lists of lines, navigation left out.

    A block ends at a blank line, or after a line that finishes a sentence: renderings that
    set blocks a line break apart (no blank line) end each block with its last sentence, so
    an item may begin on the next line. A title that the next line repeats with its date is
    the article's header in any rendering: it starts a block too.
    """
    lines = [
        " ".join(raw_line.split()) for raw_line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    lines = [line if line.casefold() not in NAVIGATION else "" for line in lines]
    paragraphs: list[list[str]] = [[]]
    for index, line in enumerate(lines):
        if not line:
            paragraphs.append([])
            continue
        following = next((later for later in lines[index + 1 :] if later), "")
        if paragraphs[-1] and (
            FINISHED_SENTENCE.search(paragraphs[-1][-1]) or _repeats_with_date(line, following)
        ):
            paragraphs.append([])
        paragraphs[-1].append(line)
    return [paragraph for paragraph in paragraphs if paragraph]


def _repeats_with_date(line: str, following: str) -> bool:
    repeated = re.fullmatch(r"(.*\S)\s+\d{1,2}\.\d{1,2}\.\d{4}", following)
    return bool(repeated) and fold(repeated[1]).rstrip(". ") == fold(line).rstrip(". ")


def item_lines(page: ParsedPage) -> list[tuple[str, str]]:
    """``(item, line)`` for every line the page's items hold, in item order."""
    held = [(f"teaser {n}", t.text) for n, t in enumerate(page.teasers)]
    if page.article:
        held += [("article", page.article.title), ("article", page.article.body)]
    return [(item, line) for item, text in held for line in text.split("\n") if line]


def is_metadata(line: str, page: ParsedPage) -> bool:
    if DATE_LINE.fullmatch(line) or DOWNLOAD_LINE.fullmatch(line):
        return True
    title = page.article.title if page.article else None
    repeated = re.fullmatch(r"(.*\S)\s+\d{1,2}\.\d{1,2}\.\d{4}", line)
    return bool(title and repeated and fold(repeated[1]).rstrip(". ") == fold(title).rstrip(". "))


def assert_conserved(raw: str, page: ParsedPage) -> None:
    """Items hold every non-metadata line of the page once, in order, a paragraph per item;
    but the article's title may open the article inside a paragraph: renderings that show no
    blank line between the last teaser and the article run them on
    (extraction.text_page, ``_title_after_overlong_last_teaser``)."""
    produced = item_lines(page)
    title_at = produced.index(("article", page.article.title)) if page.article else None
    position = 0
    for paragraph in page_paragraphs(raw):
        owners: set[str] = set()
        for line in paragraph:
            if position < len(produced) and produced[position][1] == line:
                if position == title_at:
                    owners = set()
                owners.add(produced[position][0])
                position += 1
            else:
                assert is_metadata(line, page), f"line lost: {line!r}"
                if owners:  # a metadata line inside a paragraph may end an item there
                    assert len(owners) == 1, f"paragraph split across {owners}: {paragraph}"
                    owners = set()
        assert len(owners) <= 1, f"paragraph split across {owners}: {paragraph}"
    assert position == len(produced), f"lines not on the page: {produced[position:]}"


@pytest.mark.parametrize("path", TEXT_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_fixture_page_is_conserved(path):
    raw = path.read_text(encoding="utf-8")
    page = parse_page(raw)
    assert page.article is not None and page.warning is None
    assert_conserved(raw, page)


def test_the_check_catches_a_lost_and_a_duplicated_line():
    raw = (SEEDS / "000_9084d2b00069b3e5.txt").read_text(encoding="utf-8")
    page = parse_page(raw)
    article = page.article
    shorter = type(article)(article.title, article.body.rsplit("\n\n", 1)[0], article.published)
    with pytest.raises(AssertionError, match="line lost"):
        assert_conserved(raw, ParsedPage(url=None, teasers=page.teasers, article=shorter))
    with pytest.raises(AssertionError):
        assert_conserved(raw, ParsedPage(url=None, teasers=page.teasers * 2, article=article))


# --- pages composed from the seeds' paragraphs --------------------------------------------


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _tidy(paragraph: str) -> str:
    """A paragraph as the parser gives it back: each line single-spaced and stripped."""
    return "\n".join(" ".join(line.split()) for line in paragraph.strip().split("\n"))


def _older_teasers(prefix: str, title: str) -> list[list[str]]:
    sidebar = _seed(prefix).split(title)[0]
    return [
        [_tidy(p) for p in part.split("\n\n") if p.strip()]
        for part in sidebar.split("\n\n\n")
        if part.strip()
    ]


SEED_TITLES = [
    'The Russian military will practice hostage rescue at the CSTO "Rubezh-2022" training in the Republic of Tajikistan',
    "The CAR CRDF began the next phase of the training to block and destroy illegal armed groups",
    'Preliminary results of the sub-regional anti-drug operation "Channel-Second Barrier" are summarized',
    "The Acting Secretary General of the Collective Security Treaty Organization Valery Semerikov"
    ' in an interview with MIRK "MIR" summed up the work of the Organization in 2019',
    '"Interaction-2023”: special forces units conducted an anti-terrorist operation',
]
OLDER_TEASERS = (
    _older_teasers("000", SEED_TITLES[0])
    + _older_teasers("001", SEED_TITLES[1])
    + _older_teasers("002", SEED_TITLES[2])
)
NEWER_TEASERS = (
    [[text] for text in SEED_TITLES]
    + [
        [_tidy(part)]
        for part in re.split(r"\d\d\.\d\d\.\d{4}", _seed("003").split(SEED_TITLES[3])[0])
        if part.strip()
    ]
    + [[SEED_TITLES[1], OLDER_TEASERS[0][0]]]  # a headline and its lead
)
BODY_PARAGRAPHS = [
    _tidy(paragraph)
    for prefix, title in zip(["000", "001", "002", "004"], [0, 1, 2, 4])
    for paragraph in _seed(prefix).split(SEED_TITLES[title])[-1].split("\n\n")
    if paragraph.strip() and not re.match(r"\s*(On|From|Go back|Back to|\d\d\.\d\d\.)", paragraph)
]
INTERVIEW = ["— What can you say about the outgoing year?", "- The year was tense.\n- It was."]
SIGNATURES = [
    "Joint press center of the CSTO trainings",
    "CSTO Press Secretary Vladimir Zaynetdinov\n+7495-621-33-23 - tel/fax",
]
DOCUMENT_TITLE = "STATEMENT of the Collective Security Council of the Collective Security Treaty Organization"
SOURCE_URL = "https://mir24.tv/news/16391437/valerii-semerikov-podvel-itogi"
ARTICLE_FORMS = ("repeated", "date_line", "date_line_and_url", "document", "undated", "subtitle")
DATES = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))
BLANKS = st.sampled_from(["\n\n", "\n\n\n"])
LINE_BREAKS = st.sampled_from(["\n", "\n\n"])


@dataclass
class Composed:
    """A generated page and what the parser must read from it."""

    text: str
    teasers: list[str]
    teaser_dates: list[dt.date] | None
    """The date lines of a newer-layout sidebar; None for the older layout."""
    title: str | None
    body: str | None
    published: dt.date | None


@st.composite
def sidebars(draw: st.DrawFn) -> tuple[str, list[str], list[dt.date] | None]:
    layout = draw(st.sampled_from(["older", "newer", "none"]))
    if layout == "none":
        return "", [], None
    pool = OLDER_TEASERS if layout == "older" else NEWER_TEASERS
    teasers = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=6))
    texts = ["\n\n".join(paragraphs) for paragraphs in teasers]
    if layout == "older":
        return "\n\n\n".join(texts), texts, None
    dates = draw(st.lists(DATES, min_size=len(texts), max_size=len(texts)))
    parts = [f"{date:%d.%m.%Y}{draw(LINE_BREAKS)}{text}" for date, text in zip(dates, texts)]
    return "".join(draw(BLANKS) + part for part in parts), texts, dates


@st.composite
def article_headers(draw: st.DrawFn) -> tuple[list[str], str, list[str], dt.date | None]:
    """``(header lines, title, lines that open the body, date)`` for one article form."""
    form = draw(st.sampled_from(ARTICLE_FORMS))
    title = DOCUMENT_TITLE if form == "document" else draw(st.sampled_from(SEED_TITLES))
    date = draw(DATES)
    line = f"{date:%d.%m.%Y}"
    if form == "repeated":
        return [title, f"{title.replace('”', chr(34))} {line}"], title, [], date
    if form == "date_line":
        return [title, line], title, [], date
    if form == "date_line_and_url":
        return [title, line, SOURCE_URL], title, [SOURCE_URL], date
    if form == "document":
        return [title, f"{line} Download document Statement.docx"], title, [], date
    if form == "subtitle":
        subtitle = draw(st.sampled_from(SIGNATURES[:1] + SEED_TITLES))
        return [title, subtitle], title, [subtitle], None
    return [title], title, [], None


@st.composite
def composed_pages(draw: st.DrawFn) -> Composed:
    sidebar, teasers, teaser_dates = draw(sidebars())
    # A page needs an article or a dated sidebar; only the newer layout can go without one.
    if teaser_dates is not None and draw(st.booleans()):
        return Composed(sidebar, teasers, teaser_dates, None, None, None)
    header, title, body_start, published = draw(article_headers())
    header_text = header[0] + "".join(draw(LINE_BREAKS) + line for line in header[1:])
    body = draw(st.lists(st.sampled_from(BODY_PARAGRAPHS), min_size=1, max_size=4))
    body += draw(st.lists(st.sampled_from(INTERVIEW), max_size=2))
    body += draw(st.lists(st.sampled_from(SIGNATURES), max_size=2))
    body_text = "".join(draw(BLANKS) + paragraph for paragraph in body)
    text = (
        draw(st.sampled_from(["", "\n", "\n\n"]))
        + (sidebar.lstrip("\n") + draw(BLANKS) if sidebar else "")
        + header_text
        + body_text
        + draw(st.sampled_from(["", "\n\n" + NAVIGATION_TEXT, "\n\n\n" + NAVIGATION_TEXT]))
    )
    expected_body = "\n\n".join(body_start + body)
    return Composed(text, teasers, teaser_dates, title, expected_body, published)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(composed_pages())
def test_composed_pages_split_as_composed(composed: Composed):
    page = parse_page(composed.text)
    assert [t.text for t in page.teasers] == composed.teasers
    if composed.teaser_dates is not None:
        assert [t.published.value for t in page.teasers] == composed.teaser_dates
    if composed.title is None:
        assert page.article is None
    else:
        assert page.article.title == composed.title
        assert page.article.body == composed.body
        published = page.article.published
        assert (published.value if published else None) == composed.published
    assert_conserved(composed.text, page)


# --- random text ---------------------------------------------------------------------------

SOUP_LINES = st.sampled_from(
    [
        "", "", "30.06.2025", "Go back", "Back to the all news", "On 7 February, the meeting.",
        "A headline without a full stop", "A headline without a full stop 18.10.2022",
        "28.11.2024 Download document NAME.docx", "— What now?", "- Answer.", "Signature",
        "On June 30, 2025, a regular meeting was held.", "  \u00a0 ", "https://example.org/x",
    ]
)  # fmt: skip
# Printable text: the parser turns control and format characters into spaces, which the
# independent reading above does not.
RANDOM_LINES = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(SOUP_LINES, RANDOM_LINES), max_size=40))
def test_random_pages_are_conserved_or_refused(lines: list[str]):
    text = unicodedata.normalize("NFC", "\n".join(lines))
    page = parse_page(text)
    if page.warning:
        assert page.item_count == 0
    else:
        assert_conserved(text, page)
