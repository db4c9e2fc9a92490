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

from urllib.parse import urljoin, urlsplit

from lxml import etree

from extraction.normalize import fold

MIN_CARDS = 1
"""Distinct linked cards from which a main content can be a list: one, as the last page of
a listing may hold a single teaser; an article's own text never stands inside a card."""
CARD_SHARE = 0.5
"""The share of the main content's text inside cards that makes it a list."""
HEADLINE_LENGTH = 20
"""Shorter link texts ("More", "Read on", a date) are not headlines."""
CARD_LEVELS = 3
"""How far above its link a card may reach (link, heading, card)."""
HEADLINE_OFFSET = 40
"""How much may stand before a card's headline link: a date, a label."""
CARD_MAX_CHARS = 1000
"""A card is a headline and a few lines; a larger block around a lone link ("Back to the
section" under an article) is the article, not a card."""


def is_list_of_articles(root: etree._Element, body: str, page_url: str | None) -> bool:
    """Whether most of ``body`` (the main content) is the text of cards linking elsewhere."""
    cards = _cards(root, page_url)
    paragraphs = [fold(paragraph) for paragraph in body.split("\n\n") if paragraph.strip()]
    in_cards = [paragraph for paragraph in paragraphs if any(paragraph in card for card in cards.values())]
    linked = {url for url, card in cards.items() if any(paragraph in card for paragraph in in_cards)}
    total = sum(len(paragraph) for paragraph in paragraphs)
    return len(linked) >= MIN_CARDS and total > 0 and sum(map(len, in_cards)) >= CARD_SHARE * total


def _cards(root: etree._Element, page_url: str | None) -> dict[str, str]:
    """The folded text of the card around each headline link to another page of the site."""
    host = urlsplit(page_url).netloc.lower() if page_url else None
    cards: dict[str, str] = {}
    for anchor in root.iter("a"):
        url = urljoin(page_url or "", anchor.get("href") or "")
        text = " ".join("".join(anchor.itertext()).split())
        if len(text) < HEADLINE_LENGTH or url.split("#")[0] == (page_url or "").split("#")[0]:
            continue
        if host and urlsplit(url).netloc.lower() != host:
            continue
        card = _card_of(anchor, text)
        cards[url] = cards.get(url, "") + " " + fold(" ".join("".join(card.itertext()).split()))
    return cards


def _card_of(anchor: etree._Element, headline: str) -> etree._Element:
    """The largest ancestor, a few levels up, that links nowhere else, is no longer than a
    teaser and opens with the link (after a date, at most): the card. A link inside a
    paragraph of an article heads nothing."""
    card = anchor
    for _ in range(CARD_LEVELS):
        parent = card.getparent()
        if parent is None or len({link.get("href") for link in parent.iter("a")}) > 1:
            break
        text = " ".join("".join(parent.itertext()).split())
        if len(text) > CARD_MAX_CHARS or text.find(headline) > HEADLINE_OFFSET:
            break
        card = parent
    return card
