"""The near-duplicate measure, in both directions, on texts taken from the seeds."""

from __future__ import annotations

import itertools

import pytest

from extraction.text_page import parse_page
from storage.ingest.similarity import is_near_duplicate
from tests.support.helpers import SEED_FILES

LAVROV = (
    "The CSTO Secretary General Imangali Tasmagambetov met with the Russian Foreign Minister "
    "Sergei Lavrov on 14 September 2023."
)
CHANNEL = (
    "In accordance with the CSTO CCBCD Plan of Basic Activities for 2023, a subregional anti-drug "
    'operation "Channel-Perekhvat" was carried out in the territory of the CSTO member states from '
    "11 to 15 September, this year, with a view to suppressing channels for the flow of drugs. "
    'The subregional anti-drug operation "Channel-Perekhvat" was carried out in order to legalize drug profits.'
)


@pytest.mark.parametrize(
    "edited",
    [
        CHANNEL.rsplit(" The subregional", 1)[0],  # a sentence dropped
        CHANNEL + " More than 2,000 officers took part.",  # a sentence added
        CHANNEL.replace("with a view to suppressing", "in order to suppress"),  # a phrase reworded
    ],
    ids=["dropped", "added", "reworded"],
)
def test_edited_teaser_is_the_same_item(edited):
    assert is_near_duplicate(CHANNEL, edited)
    assert is_near_duplicate(edited, CHANNEL)


def test_fixed_word_in_a_short_teaser_is_the_same_item():
    assert is_near_duplicate(LAVROV, LAVROV.replace("Sergei", "Sergey"))


def test_formulaic_teasers_about_different_meetings_are_different_items():
    other = "On 7 February, the CSTO Secretary General Imangali Tasmagambetov met with the Russian Foreign Minister Sergey Lavrov."
    assert not is_near_duplicate(LAVROV, other)
    assert not is_near_duplicate(
        LAVROV,
        LAVROV.replace(
            "Russian Foreign Minister Sergei Lavrov", "Belarusian Defence Minister Viktor Khrenin"
        ),
    )


def test_no_two_distinct_seed_teasers_are_near_duplicates():
    teasers = {t.text for path in SEED_FILES for t in parse_page(path.read_text(encoding="utf-8")).teasers}
    assert len(teasers) == 19
    for first, second in itertools.combinations(sorted(teasers), 2):
        assert not is_near_duplicate(first, second), (first[:60], second[:60])


def test_tiny_texts_never_match():
    assert not is_near_duplicate("CSTO news", "CSTO news")
