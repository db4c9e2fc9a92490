"""extraction.normalize.fold remembers the short texts a site repeats, not every body it
folds: a crawl of a thousand real article pages would otherwise hold tens of MiB of bodies
it never folds again."""

from __future__ import annotations

import gc
import tracemalloc

from extraction.normalize import SHORT_TEXT_CHARS, fold

BODY_CHARS = 20_000
BODIES = 200


def _held_after_folding(texts: list[str]) -> int:
    """Bytes still allocated once ``texts`` are folded and dropped: what fold kept of them."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for text in texts:
            fold(text)
        del texts[:]
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def _bodies(count: int, tag: str) -> list[str]:
    return [f"{tag} body {number}: " + "The ministers met. " * (BODY_CHARS // 19) for number in range(count)]


def test_folding_many_bodies_keeps_few_of_them():
    held = _held_after_folding(_bodies(BODIES, "once"))
    assert held < BODIES * BODY_CHARS / 10, f"fold kept {held} bytes of {BODIES} bodies"


def test_a_short_text_is_folded_the_same_as_a_long_one_holding_it():
    headline = "“Channel – Second Barrier”  drills\u00a0ENDED"
    assert len(headline) <= SHORT_TEXT_CHARS
    long_text = (headline + " ") * (SHORT_TEXT_CHARS // len(headline) + 1)
    assert fold(headline) == '"channel - second barrier" drills ended'
    assert fold(long_text) == " ".join([fold(headline)] * (SHORT_TEXT_CHARS // len(headline) + 1))
