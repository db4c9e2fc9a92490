"""One page, many text renderings: the parser must find the same items in each.

The pages are the seeds and the synthetic layout variants (``fixtures/variants/``, which
the rules were not written from). The reference for each page is its parse in the seeds'
own rendering, which ``test_parser_seeds.py`` and ``test_parser_variants.py`` pin to what a
reader of the files sees; the renderings are in ``tests/support/renderings.py``.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from extraction.parsed import ParsedPage, ParsedTeaser
from extraction.text_page import parse_page
from tests.support.helpers import FIXTURES, SEED_FILES
from tests.support.renderings import RENDERINGS, spelled_dates_after_items

PAGES = [*SEED_FILES, *sorted((FIXTURES / "variants").glob("*.txt"))]
# Renderings that keep two blank lines between teasers and one between paragraphs.
KEEPS_TEASER_GAPS = {"leading_blank_lines", "glued_date_lines"}


def _words(text: str) -> str:
    return " ".join(text.split())


def _date(teaser: ParsedTeaser):
    return teaser.published.value if teaser.published else None


def _read(path) -> tuple[str, ParsedPage]:
    text = path.read_text(encoding="utf-8")
    return text, parse_page(text)


def _assert_same_article(reference: ParsedPage, page: ParsedPage) -> None:
    if reference.article is None:
        assert page.article is None
        return
    assert page.article is not None, page.warning
    assert page.article.title == reference.article.title
    assert page.article.published == reference.article.published
    assert _words(page.article.body) == _words(reference.article.body)


def _assert_each_teaser_found(reference: ParsedPage, page: ParsedPage) -> None:
    """Every teaser starts an item with its date; an item never runs into the next teaser.

    A teaser of several paragraphs may come in pieces where the rendering sets teasers as
    far apart as paragraphs: nothing in the text tells them apart then.
    """
    found = [_words(t.text) for t in page.teasers]
    position = 0
    for teaser in reference.teasers:
        expected = _words(teaser.text)
        starts = [i for i in range(position, len(found)) if expected.startswith(found[i][:60])]
        assert starts, f"teaser lost: {expected[:80]!r}"
        first = starts[0]
        assert first == position, f"extra item before {expected[:60]!r}: {found[position][:80]!r}"
        assert _date(page.teasers[first]) == _date(teaser), expected[:60]
        pieces = [found[first]]
        while _words(" ".join(pieces)) != expected:
            following = first + len(pieces)
            assert following < len(found) and expected.startswith(
                _words(" ".join([*pieces, found[following]]))
            ), f"teaser {expected[:60]!r} read as {found[first][:200]!r}"
            pieces.append(found[following])
        position = first + len(pieces)
    assert position == len(found), f"items that are no teaser: {found[position:]}"


@pytest.mark.parametrize("rendering", sorted(RENDERINGS))
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_every_rendering_gives_the_same_items(path, rendering):
    text, reference = _read(path)
    page = parse_page(RENDERINGS[rendering](text))
    _assert_same_article(reference, page)
    if rendering in KEEPS_TEASER_GAPS:
        assert [(t.text, t.published) for t in page.teasers] == [
            (t.text, t.published) for t in reference.teasers
        ]
    else:
        _assert_each_teaser_found(reference, page)


_TEASER_GAP = re.compile(r"\n[^\S\n]*\n[^\S\n]*\n(?=[^\S\n]*On \d)")


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_one_blank_line_before_a_teaser_that_opens_with_its_date(path):
    """Two teasers one blank line apart, as paragraphs of one teaser are: the later one
    opens with its own date ("On 14 February 2024, ..."), as a lead does, so it is an item."""
    text, reference = _read(path)
    gaps = list(_TEASER_GAP.finditer(text))
    if not gaps:
        pytest.skip("no teaser opening with its date after two blank lines")
    for gap in gaps:
        narrowed = text[: gap.start()] + "\n\n" + text[gap.end() :]
        page = parse_page(narrowed)
        assert [(t.text, t.published) for t in page.teasers] == [
            (t.text, t.published) for t in reference.teasers
        ]
        _assert_same_article(reference, page)


DATE_LED = [
    path for path in PAGES if re.match(r"\s*\d\d\.\d\d\.\d{4}\s*\n", path.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("path", DATE_LED, ids=lambda p: p.stem)
def test_dates_after_the_items_in_words(path):
    text, reference = _read(path)
    title = reference.article.title if reference.article else None
    page = parse_page(spelled_dates_after_items(text, title))
    assert [(_words(t.text), _date(t)) for t in page.teasers] == [
        (_words(t.text), _date(t)) for t in reference.teasers
    ]
    _assert_same_article(reference, page)


@pytest.mark.parametrize("path", DATE_LED, ids=lambda p: p.stem)
def test_listing_page_whose_items_end_with_their_dates(path):
    """The sidebar alone, each item closed by its date: a list of items and no article."""
    text, reference = _read(path)
    if reference.article is None:
        pytest.skip("no article to take away")
    sidebar = text[: text.index(reference.article.title)]
    page = parse_page(spelled_dates_after_items(sidebar, None))
    assert page.article is None
    assert [(_words(t.text), _date(t)) for t in page.teasers] == [
        (_words(t.text), _date(t)) for t in reference.teasers
    ]


def test_dates_written_in_words_lead_items_too():
    """``June 30, 2025`` on its own line before each teaser reads as ``30.06.2025`` does."""
    (path,) = [p for p in SEED_FILES if p.name.startswith("003")]
    text, reference = _read(path)
    spelled = re.sub(
        r"(?m)^(\d\d)\.(\d\d)\.(\d{4})$",
        lambda m: f"{int(m[1])} {_MONTHS[int(m[2]) - 1]} {m[3]}",
        text,
    )
    page = parse_page(spelled)
    assert [(t.text, _date(t)) for t in page.teasers] == [(t.text, _date(t)) for t in reference.teasers]


_MONTHS = [date(2000, month, 1).strftime("%B") for month in range(1, 13)]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_a_dateline_opening_the_body_stays_body(path):
    """ "Vienna, June 23, 2020" names where and when the text was written: it is the body's
    first line, not a date line and not the article's date."""
    text, reference = _read(path)
    if reference.article is None or not reference.article.body:
        pytest.skip("no article body")
    first_body_line = reference.article.body.split("\n", 1)[0]
    at = text.index(first_body_line)
    page = parse_page(text[:at] + "Vienna, June 23, 2020\n\n" + text[at:])
    assert page.article.title == reference.article.title
    assert page.article.published == reference.article.published
    assert page.article.body == "Vienna, June 23, 2020\n\n" + reference.article.body


@pytest.mark.parametrize("path", DATE_LED, ids=lambda p: p.stem)
def test_a_heading_over_a_date_led_list_keeps_the_dates_leading(path):
    """A short heading ("Latest news") before the first date line is no item that a date
    line could close: each date still belongs to the teaser after it."""
    text, reference = _read(path)
    page = parse_page("Latest news\n\n" + text)
    assert [(_words(t.text), _date(t)) for t in page.teasers][-len(reference.teasers) :] == [
        (_words(t.text), _date(t)) for t in reference.teasers
    ]


def test_a_last_line_after_the_last_date_line_is_read_without_error():
    """Found by the conservation property: one line after the last of two date lines."""
    page = parse_page(
        "On 7 February, the meeting.\n30.06.2025\nA note\n30.06.2025\nOn 7 February, the meeting."
    )
    assert [t.text for t in page.teasers][-1] == "On 7 February, the meeting."
