"""Is a page's main content a list of articles? A listing page is never an article.

A listing is made of repeated *cards*: a headline that links to another page of the site,
with a few lines of teaser around it. Main-content extractors keep the teasers' text and
often drop the linked headlines, so the test is on the cards, found in the markup: when most
of the main content's text stands inside the cards of links to other pages, the page lists
articles, whatever its URL looks like and whatever heading it has. An article's own related
links ("Related posts", "Most read") are cards too, but their text is a small share of the
article's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from extraction.normalize import fold
from extraction.urls import joining_base

MIN_CARDS = 1
"""Distinct linked cards from which a main content can be a list: one, as the last page of
a listing may hold a single teaser; an article's own text never stands inside a card."""
CARD_SHARE = 0.5
"""The share of the main content's text inside cards that makes it a list."""
HEADLINE_LENGTH = 20
"""Shorter link texts ("More", "Read on", a date) are not headlines; a longer one names one
article (two in one teaser are two items, see extraction.html_page)."""
CARD_LEVELS = 3
"""How far above its link a card may reach (link, heading, card)."""
HEADLINE_OFFSET = 40
"""How much may stand before a card's headline link: a date, a label."""
CARD_MAX_CHARS = 1000
"""A card is a headline and a few lines; a larger block around a lone link ("Back to the
section" under an article) is the article, not a card."""


def is_list_of_articles(body: str, cards: dict[str, TeaserCard]) -> bool:
    """Whether most of ``body`` (the main content) is teasers of other pages: paragraphs
    inside their ``cards`` (:func:`teaser_cards`), and the paragraph under a card that is
    only a headline."""
    blocks = [block for block in body.split("\n\n") if block.strip()]
    paragraphs = [fold(block) for block in blocks]
    linked: set[str] = set()
    teaser_chars = 0
    under_headline = False
    for block, paragraph in zip(blocks, paragraphs):
        urls = {url for url, card in cards.items() if paragraph in card.text}
        # a card that is only its headline (a table row) has its teaser in the next block
        headline = {url for url, card in cards.items() if paragraph == card.headline == card.text}
        if urls or under_headline:
            teaser_chars += len(paragraph)
        elif "\n" in block.strip():
            urls, chars = _cards_line_by_line(block, cards)
            teaser_chars += chars
        linked |= urls
        under_headline = bool(headline)
    total = sum(map(len, paragraphs))
    return len(linked) >= MIN_CARDS and total > 0 and teaser_chars >= CARD_SHARE * total


def _cards_line_by_line(block: str, cards: dict[str, TeaserCard]) -> tuple[set[str], int]:
    """The cards a block of lines holds, and their characters, when its lines are the cards'
    lines: a main content rendered as lines without paragraph breaks (cards of a date and a
    headline in ``<div>`` rows) is a list all the same. Only lines of a headline's length
    count: a short line ("News", a date) can stand inside any card's text by chance."""
    urls: set[str] = set()
    chars = 0
    for line in map(fold, block.split("\n")):
        if len(line) < HEADLINE_LENGTH:
            continue
        holding = {url for url, card in cards.items() if line in card.text}
        if holding:
            urls |= holding
            chars += len(line)
    return urls, chars


def without_closing_teasers(body: str, cards: dict[str, TeaserCard]) -> str:
    """``body`` without the paragraphs at its end that stand inside the cards of other pages:
    the "Related" or "More on this" teasers that extractors keep under an article. Only the
    end is trimmed: a card's text inside the article (a quote of another story) stays."""
    paragraphs = body.split("\n\n")
    while len(paragraphs) > 1 and _in_a_card(paragraphs[-1], cards):
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def _in_a_card(paragraph: str, cards: dict[str, TeaserCard]) -> bool:
    """A card's headline alone, or text under it; not a paragraph that opens with a link to
    another story, which is a card by its shape but the article's own text."""
    folded = fold(paragraph)
    return len(folded) >= HEADLINE_LENGTH and any(
        folded in card.text and (folded in card.headlines or not any(h in folded for h in card.headlines))
        for card in cards.values()
    )


@dataclass(frozen=True)
class TeaserCard:
    headline: str
    """Folded: the text of the last link to the card's URL."""
    text: str
    """Folded, like the headline."""
    headlines: frozenset[str] = frozenset()
    """Every link text to the card's URL on the page, folded."""


def teaser_cards(root: etree._Element, page_url: str | None) -> dict[str, TeaserCard]:
    """The card around each headline link to another page of the site, by the link's URL."""
    host = urlsplit(page_url).netloc.lower() if page_url else None
    here = (page_url or "").split("#")[0]
    headlines = {
        anchor: (anchor.get("href"), text)
        for anchor in root.iter("a")
        if len(text := _text_of(anchor)) >= HEADLINE_LENGTH
    }
    climb = _Climb(headlines)
    cards: dict[str, TeaserCard] = {}
    for anchor, (href, text) in headlines.items():
        url = _absolute(page_url or "", href or "")
        if url.split("#")[0] == here or (host and urlsplit(url).netloc.lower() != host):
            continue
        card_text = fold(climb.text(climb.card_of(anchor, text)))
        known = cards.get(url)
        headline = fold(text)
        cards[url] = (
            TeaserCard(headline, f"{known.text} {card_text}", known.headlines | {headline})
            if known
            else TeaserCard(headline, card_text, frozenset({headline}))
        )
    return cards


def _absolute(page_url: str, href: str) -> str:
    """``urljoin(page_url, href)``, each link the site's pages repeat joined once."""
    return _joined(joining_base(href, page_url), href)


@functools.lru_cache(maxsize=8192)
def _joined(base: str, href: str) -> str:
    return urljoin(base, href)


class _Climb:
    """Finding cards, with what one page's cards share (a list's container) computed once."""

    def __init__(self, headlines: dict[etree._Element, tuple[str | None, str]]) -> None:
        self.headlines = headlines
        self._texts: dict[etree._Element, str] = {}
        self._may_hold: dict[etree._Element, bool] = {}
        """Per ancestor: the cards of a list share theirs, each climbed to from every card."""

    def text(self, element: etree._Element) -> str:
        if element not in self._texts:
            self._texts[element] = _text_of(element)
        return self._texts[element]

    def card_of(self, anchor: etree._Element, headline: str) -> etree._Element:
        """The largest ancestor, a few levels up, that holds no other headline (short links,
        a category or "Continue reading", may stand in it) and not the page's own ``<h1>``,
        is no longer than a teaser and opens with the link (after a date, at most): the card.
        A link inside a paragraph of an article heads nothing."""
        card = anchor
        for _ in range(CARD_LEVELS):
            parent = card.getparent()
            if parent is None or not self._may_hold_a_card(parent):
                break
            text = self.text(parent)
            if len(text) > CARD_MAX_CHARS or text.find(headline) > HEADLINE_OFFSET:
                break
            card = parent
        return card

    def _may_hold_a_card(self, element: etree._Element) -> bool:
        """Whether ``element`` holds one headline at most and not the page's ``<h1>``."""
        if element not in self._may_hold:
            hrefs = {self.headlines[link][0] for link in element.iter("a") if link in self.headlines}
            self._may_hold[element] = len(hrefs) <= 1 and element.find(".//h1") is None
        return self._may_hold[element]


def _text_of(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())
