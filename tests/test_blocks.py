"""Block text to lines: paragraphs, gaps, navigation and invisible characters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.blocks import Line, join_lines, split_lines

NAVIGATION = {"go back", "back to the section", "back to the all news"}


def test_lines_know_their_paragraph_and_gap():
    assert split_lines("\nTitle\nSubtitle\n\n\nBody") == [
        Line("Title", 1, True),
        Line("Subtitle", 0, False),
        Line("Body", 2, True),
    ]


def test_navigation_lines_are_dropped_and_count_as_blank():
    lines = split_lines("Body.\nGo back\n\u00a0Back to the  SECTION \n\nBack to the all news\nSignature")
    assert lines == [Line("Body.", 0, True), Line("Signature", 4, True)]


def test_navigation_words_inside_a_sentence_stay():
    assert [line.text for line in split_lines("Go back to the base, he said.")] == [
        "Go back to the base, he said."
    ]


def test_spaces_collapse_and_invisible_characters_go():
    (line,) = split_lines("\u00a0 Coun\u00adtry\u200b\ufeff  of the\tCSTO\x07training ")
    assert line.text == "Country of the CSTO training"


def test_crlf_and_cr_are_line_ends():
    assert [line.text for line in split_lines("A\r\nB\rC")] == ["A", "B", "C"]


def test_join_lines_rebuilds_paragraphs():
    lines = split_lines("A\nB\n\n\nC\n\nD")
    assert join_lines(lines) == "A\nB\n\nC\n\nD"
    assert join_lines(lines[1:]) == "B\n\nC\n\nD"  # a cut inside a paragraph starts a text


WORDS = st.text(st.characters(codec="ascii", categories=("L", "N", "P", "Zs")), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(st.lists(WORDS, max_size=12))
def test_join_of_split_is_the_text_without_extra_blanks(paragraphs):
    tidied = [" ".join(paragraph.split()) for paragraph in paragraphs]
    kept = [p for p in tidied if p and p.casefold() not in NAVIGATION]
    assert join_lines(split_lines("\n\n".join(paragraphs))) == "\n\n".join(kept)
