"""Folding text to what a reader sees, so that cosmetic differences never count.

The site mixes quote styles (" “ ” « »), dash styles (- – —), non-breaking spaces and
Unicode forms from one page to the next. Comparisons, fingerprints and change detection all
go through :func:`fold`, so that none of these ever makes two items differ.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "–": "-",
        "—": "-",
        "‒": "-",
        "―": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
    }
)
_WHITESPACE = re.compile(r"\s+")
# A quote or dash with spaces on its inner side is a typing accident, not content:
# `" Channel -Second Barrier"` and `"Channel-Second Barrier"` read the same.
_SPACE_AFTER_OPEN_QUOTE = re.compile(r'(^|\s)"\s+')
_SPACE_AROUND_DASH = re.compile(r"\s*-\s*")


SHORT_TEXT_CHARS = 300
"""The longest text :func:`fold` remembers for the whole process: headlines, teasers, dates and
menu entries, which the pages of a site repeat. An article's body or main text is longer,
and meets fold only on its own page."""
_REMEMBERED_SHORT_TEXTS = 8192
_REMEMBERED_LONG_TEXTS = 16
"""Enough for the few times one page folds its own long texts (its main text, its body for
the content hash and the near-duplicate search), and no more: remembered like the short
ones, the bodies of a crawl of real pages held about 30 KiB a page (5.5 MiB after 178 pages
of benchmarks/body_compression.py's set) until the cache was full."""


def fold(text: str) -> str:
    """The comparison form of a text: NFKC, case-folded, one quote and dash style, one space.

    Remembered (see :data:`SHORT_TEXT_CHARS`): the same teaser is folded on every page whose
    sidebar shows it, the same body several times on its own page.
    """
    return _fold_short(text) if len(text) <= SHORT_TEXT_CHARS else _fold_long(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _WHITESPACE.sub(" ", text).strip()
    text = _SPACE_AFTER_OPEN_QUOTE.sub(r'\1"', text)
    return _SPACE_AROUND_DASH.sub(" - ", text)


_fold_short = functools.lru_cache(maxsize=_REMEMBERED_SHORT_TEXTS)(_fold)
_fold_long = functools.lru_cache(maxsize=_REMEMBERED_LONG_TEXTS)(_fold)


def fingerprint(text: str) -> str:
    """A short stable digest of the folded text, used as an identity key."""
    return hashlib.sha256(fold(text).encode("utf-8")).hexdigest()[:32]


def tidy(text: str) -> str:
    """The stored form of a text: Unicode NFC, each line stripped, runs of spaces collapsed.

    Paragraph breaks (blank lines) and line breaks are kept: they are how the site shows
    structure. Quote and dash styles are kept too: they are what the site published.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)
