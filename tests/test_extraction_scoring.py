"""The extraction benchmark's scoring (benchmarks/extraction.py) on tiny texts scored by hand.

No labelled pages needed: these never read ../shared.
"""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.extraction import (
    BodyScore,
    Case,
    Extraction,
    ShingleCounts,
    body_score,
    body_score_as_published,
    f1,
    main,
    normalise_title,
    page_precision,
    page_recall,
    run_data_set,
    same_day,
    same_title,
    shingle_counts,
    shingles,
    summary,
    words,
)


def test_words_are_runs_of_word_characters_in_any_script():
    assert words("Don't stop—now, 2024!") == ["Don", "t", "stop", "now", "2024"]
    assert words("Größe über_alles") == ["Größe", "über_alles"]
    assert words(None) == []


def test_shingles_overlap_and_repeat():
    # a b c d e -> abcd, bcde; the repeated text a b c d a b c d -> abcd twice, bcda, cdab, dabc
    assert shingles("a b c d e") == Counter({("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1})
    assert shingles("a b c d a b c d") == Counter(
        {("a", "b", "c", "d"): 2, ("b", "c", "d", "a"): 1, ("c", "d", "a", "b"): 1, ("d", "a", "b", "c"): 1}
    )


def test_a_short_text_is_one_short_shingle_and_an_empty_one_none():
    assert shingles("just two") == Counter({("just", "two"): 1})
    assert shingles("  ... ") == Counter()


def test_counts_are_normalised_by_their_sum():
    # truth a b c d e f: abcd bcde cdef; extracted a b c d e x: abcd bcde cdex
    # tp = 2 (abcd, bcde), fp = 1 (cdex), fn = 1 (cdef); sum 4
    counts = shingle_counts("a b c d e f", "a b c d e x")
    assert counts == ShingleCounts(0.5, 0.25, 0.25)
    assert page_precision(counts) == pytest.approx(2 / 3)
    assert page_recall(counts) == pytest.approx(2 / 3)


def test_a_repeated_shingle_counts_as_often_as_it_occurs():
    # truth: abcd once; extracted "a b c d a b c d": abcd x2, bcda, cdab, dabc
    # tp = 1, fp = 1 (second abcd) + 3 = 4, fn = 0; sum 5
    counts = shingle_counts("a b c d", "a b c d a b c d")
    assert counts == ShingleCounts(0.2, 0.8, 0.0)
    assert page_precision(counts) == pytest.approx(0.2)
    assert page_recall(counts) == 1.0


def test_a_shingle_both_texts_repeat_is_a_true_positive_each_time():
    # truth: abcd x2, bcda, cdab, dabc; extracted "a b c d x a b c d": abcd x2, bcdx, cdxa, dxab, xabc
    # tp = 2, fp = 4, fn = 3; sum 9
    counts = shingle_counts("a b c d a b c d", "a b c d x a b c d")
    assert counts == ShingleCounts(pytest.approx(2 / 9), pytest.approx(4 / 9), pytest.approx(3 / 9))
    assert page_precision(counts) == pytest.approx(2 / 6)
    assert page_recall(counts) == pytest.approx(2 / 5)


def test_case_matters():
    counts = shingle_counts("One two three four", "one two three four")
    assert counts == ShingleCounts(0.0, 0.5, 0.5)
    assert page_precision(counts) == 0.0
    assert page_recall(counts) == 0.0


def test_an_empty_extraction_scores_zero_and_two_empty_texts_score_one():
    nothing = shingle_counts("a b c d e", "")
    assert nothing == ShingleCounts(0.0, 0.0, 1.0)
    assert (page_precision(nothing), page_recall(nothing)) == (0.0, 0.0)
    both_empty = shingle_counts("", None)
    assert (page_precision(both_empty), page_recall(both_empty)) == (1.0, 1.0)


def test_precision_and_recall_are_averaged_over_pages_and_f1_taken_from_the_averages():
    perfect = shingle_counts("a b c d e", "a b c d e")  # P 1, R 1
    half = shingle_counts("a b c d e f", "a b c d e x")  # P 2/3, R 2/3
    padded = shingle_counts("a b c d", "a b c d a b c d")  # P 0.2, R 1
    score = body_score([perfect, half, padded])
    precision = (1 + 2 / 3 + 0.2) / 3  # 0.6222...
    recall = (1 + 2 / 3 + 1) / 3  # 0.8888...
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)
    assert score.f1 == pytest.approx(2 * precision * recall / (precision + recall))
    # F1 of the averages, not the average of per-page F1s (which would be (1 + 2/3 + 1/3) / 3)
    assert score.f1 != pytest.approx((1 + 2 / 3 + 1 / 3) / 3)


def test_an_empty_extraction_counts_in_our_averages_but_not_in_the_published_precision():
    perfect = shingle_counts("a b c d e", "a b c d e")
    nothing = shingle_counts("a b c d e", None)
    assert body_score([perfect, nothing]) == BodyScore(0.5, 0.5, 0.5)
    published = body_score_as_published([perfect, nothing])
    assert (published.precision, published.recall) == (1.0, 0.5)
    assert published.f1 == pytest.approx(2 / 3)


def test_f1_of_nothing_is_zero():
    assert f1(0.0, 0.0) == 0.0
    assert f1(1.0, 0.5) == pytest.approx(2 / 3)


def test_titles_match_after_nfkc_quote_folding_and_whitespace_collapsing():
    assert (
        normalise_title("  „Niemand glaubt Euch“,\n\t‘Totalschaden’ ")
        == "\"Niemand glaubt Euch\", 'Totalschaden'"
    )
    assert (
        normalise_title("Ｆｕｌｌ\u00a0width ﬁ") == "Full width fi"
    )  # NFKC: full width, no-break space, ligature
    assert same_title("Trump ‘congratulates’ China", "Trump 'congratulates'  China")
    assert not same_title("Trump congratulates China", "Trump congratulates China | Site")
    assert not same_title("Any title", None)
    assert not same_title("Any title", "any title")


def test_soft_hyphens_are_not_folded():
    # The labels keep them as stored; NFKC leaves U+00AD alone, so a title without it differs.
    assert not same_title("Helikopter\u00adlandeplatz", "Helikopterlandeplatz")


def test_the_day_is_the_first_ten_characters_of_the_extracted_date():
    assert same_day("2024-05-03", "2024-05-03T15:47:42+00:00")
    assert same_day("2024-05-03", "2024-05-03")
    assert not same_day("2024-05-03", "2024-05-04T00:10:00+02:00")  # not converted to the label's zone
    assert not same_day("2024-05-03", "03.05.2024")
    assert not same_day("2024-05-03", "2024-05")
    assert not same_day("2024-05-03", None)


def test_a_missing_data_folder_is_one_line_on_stderr(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "nowhere"), "--only", "newswatch"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "no labelled pages at" in error


def test_a_page_with_no_article_scores_zero_and_still_counts():
    found = Case("found", "https://example.org/1", b"<p>1</p>", "a b c d e", "Title one", "2024-05-03")
    lost = Case("lost", "https://example.org/2", b"<p>2</p>", "f g h i j", "Title two", "2024-05-04")

    def extract(html: bytes, url: str) -> Extraction:
        if url.endswith("/1"):
            return Extraction("Title  one", "2024-05-03T10:00:00+02:00", "a b c d e")
        return Extraction()

    pages = run_data_set([found, lost], {"fake": extract})["fake"]
    figures = summary(pages)
    # page 1: P 1, R 1; page 2: P 0, R 0 -> averages 0.5 and 0.5, F1 0.5
    assert (figures["body_precision"], figures["body_recall"], figures["body_f1"]) == (0.5, 0.5, 0.5)
    # as published, page 2 leaves the precision average: P 1, R 0.5, F1 2/3
    assert figures["body_f1_as_published"] == pytest.approx(0.6667)
    assert (figures["title_exact"], figures["day_exact"], figures["empty_bodies"]) == (1, 1, 1)
    assert figures["pages"] == 2
