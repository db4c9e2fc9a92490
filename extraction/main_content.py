"""An article page's main content: its text without menus, sidebars, widgets and footers.

By trafilatura, measured against our own block text on real pages of many sites
(benchmarks/extraction.py): it keeps the article and drops the chrome around it, which our
reading of the whole page's visible text cannot tell apart on a template nobody here has
seen. Its fast mode (no fallback extractors) scored as well and costs less; when that text
misses most words of the page's own title and description, the full mode is asked as well.

trafilatura's last stage, its recall escalation, is left out (:func:`_without_recall_escalation`):
on a short extraction it measures the text of the whole page again, and retries in recall mode
when the extraction is under a fifth of it. News items are short, so it ran on most article
pages, a tenth of the cost of reading one, and on the 178 pages of the two extraction data
sets it changed one body and no figure of the benchmark.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Callable, Iterator

from lxml import etree

from extraction.normalize import fold

log = logging.getLogger(__name__)

MIN_EXTRACTED_CHARS = 1
"""trafilatura's default is 250: below it, it falls back to the page's whole text."""
RECALL_CHECK = 0.7
"""The share of the title's and description's words the fast text must hold to be kept."""
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_PARAGRAPH = "\x00"
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code"})
"""trafilatura's elements that are paragraphs of their own."""
_LINE_TAGS = frozenset({"lb", "item", "row"})
"""trafilatura's elements that start a new line; the rest (hi, ref, cell, del) are inline."""


def main_text(
    root: etree._Element,
    *,
    title: str | None,
    description: str | None,
    is_listing: Callable[[str], bool] | None = None,
) -> str | None:
    """The main content as paragraphs separated by a blank line; None when there is none.

    ``root`` is not changed (trafilatura cleans a copy). ``title`` and ``description``, the
    page's own, tell whether the fast mode found the article. A fast text that ``is_listing``
    calls a list of other pages' teasers is returned as it is: a listing page has no article,
    and its title's words are seldom in its list, so the fuller mode would be asked, at twice
    the cost, on every page of every listing, to tell nothing new.
    """
    text = _extract(root, fast=True)
    if text and is_listing is not None and is_listing(text):
        return text
    expected = _words(f"{title or ''} {description or ''}")
    if expected and _share_found(expected, text) < RECALL_CHECK:
        fuller = _extract(root, fast=False)
        if _share_found(expected, fuller) > _share_found(expected, text):
            text = fuller
    if not text:
        return text
    return without_closing_actions(root, within_article_block(root, text) or "") or None


def _extract(root: etree._Element, *, fast: bool) -> str | None:
    """trafilatura's main content of ``root``. It reads a copy: given an element, trafilatura
    copies it before cleaning it (``bare_extraction``: ``if tree is filecontent: tree =
    copy(tree)``; tests/test_main_content_block.py checks the page is left as it was)."""
    from trafilatura import bare_extraction  # imported when first needed: it is slow to import

    try:
        with _without_recall_escalation():
            result = bare_extraction(root, options=_options(fast))
    except Exception as error:  # a library failure on odd markup is "no main content"
        log.debug("main content: trafilatura failed: %s", error)
        return None
    body = getattr(result, "body", None) if result is not None else None
    return None if body is None else (_as_text(body) or None)


@contextlib.contextmanager
def _without_recall_escalation() -> Iterator[None]:
    """trafilatura without its recall escalation, for the call made inside (see the module's
    docstring for why). The library has no option for it: its gate is the longest extraction
    it retries (``trafilatura.core.ESCALATION_MAX_LENGTH``), set to nothing and then back, so
    that trafilatura called elsewhere in the process (the extraction benchmark's baseline)
    runs as shipped. Two threads reading at once could at worst run one reading with the
    escalation, or leave it off: either is the library's own behaviour, never a broken one.
    tests/test_main_content_block.py fails if the setting is gone."""
    import trafilatura.core as core

    shipped = core.ESCALATION_MAX_LENGTH
    core.ESCALATION_MAX_LENGTH = 0
    try:
        yield
    finally:
        core.ESCALATION_MAX_LENGTH = shipped


def _as_text(body: etree._Element) -> str:
    """trafilatura's output tree as text: its blocks (paragraphs, headings, lists, tables,
    quotes) separated by a blank line, its line breaks (``<lb/>``, list items, table rows) kept
    as single newlines, so that a paragraph reads as the page shows it and as our block text
    of the same page does. Text may also stand in the tails of top-level elements."""
    pieces: list[str] = []
    _collect(body, pieces)
    paragraphs = ("".join(pieces)).split(_PARAGRAPH)
    return "\n\n".join(text for paragraph in paragraphs if (text := _lines(paragraph)))


def _collect(element: etree._Element, pieces: list[str]) -> None:
    mark = _PARAGRAPH if element.tag in _BLOCK_TAGS else "\n" if element.tag in _LINE_TAGS else ""
    pieces.append(mark + (" " if element.tag == "cell" else "") + (element.text or ""))
    for child in element:
        _collect(child, pieces)
        pieces.append(child.tail or "")
    pieces.append(mark)


def _lines(paragraph: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in paragraph.split("\n"))
    return "\n".join(line for line in lines if line)


@functools.cache
def _options(fast: bool):
    """trafilatura's extraction options for one mode, built once: built for every page (every
    value read from the config anew, the date settings computed) they cost a tenth of its
    time. The same as ``bare_extraction`` builds from the arguments we used to give it."""
    from trafilatura.settings import Extractor

    return Extractor(
        config=_config(),
        output_format="python",
        fast=fast,
        comments=False,
        tables=True,
        images=False,
        dedup=False,
        with_metadata=False,
    )


@functools.cache
def _config():
    """trafilatura's settings, but for the length under which it gives up on the main content
    and returns the whole page's text instead (menus included): a short news item is short,
    and a short page is better read as it is than with its chrome."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_CHARS))
    return config


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def _share_found(expected: set[str], text: str | None) -> float:
    return len(expected & _words(text or "")) / len(expected)


def within_article_block(root: etree._Element, text: str) -> str | None:
    """``text`` cut to the article's block when the extractor returned the page's chrome too.

    On some templates (table layouts above all) the extractor cannot tell the article from
    the page and returns the whole page's text: its sign is that many of the lines are the
    text of links alone (the menus). The article's block is then the smallest element of
    the page that holds all of the text's lines of prose (long lines: a menu, a footer or a
    caption has none), and the lines outside it are dropped. Where the extractor did its
    job, the text is left as it is: a signature or a source line beside the article's block
    is the article's.
    """
    lines = [line for paragraph in text.split("\n\n") for line in paragraph.split("\n")]
    if not _mostly_links(root, lines):
        return text
    prose = [line for line in lines if len(line) >= PROSE_LINE_CHARS]
    anchors = _text_owners(root, prose)
    if len(anchors) < MIN_BODY_PARAGRAPHS:
        return text
    inside = _BlockText(_common_ancestor(anchors), root)
    paragraphs = ("\n".join(line for line in p.split("\n") if inside.holds(line)) for p in text.split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p) or None


class _BlockText:
    """What an element holds: any line that stands in its text, but for a line that is the
    whole text of an element or text node outside it: a site name or a menu entry that
    happens to be a phrase of the prose ("Collective Security Treaty Organization") is the
    page's, not the article's."""

    def __init__(self, block: etree._Element, root: etree._Element) -> None:
        self.text = _SPACES.sub(" ", "".join(block.itertext()))
        inside = set(block.iter())
        self.outside = {
            piece
            for element in root.iter()
            if element not in inside and isinstance(element.tag, str)
            for piece in _pieces(element)
        }

    def holds(self, line: str) -> bool:
        return line in self.text and line not in self.outside


def _pieces(element: etree._Element) -> set[str]:
    """An element's whole text and each of its text nodes, single-spaced."""
    return {_SPACES.sub(" ", piece or "").strip() for piece in ("".join(element.itertext()), element.text)}


def _mostly_links(root: etree._Element, lines: list[str]) -> bool:
    """Whether the lines hold a menu's worth of lines that are a link's text and nothing else.

    Most texts have too few short lines to hold a menu; their page's links are not read."""
    short = [line for line in lines if len(line) <= MENU_LINE_CHARS]
    if len(short) < MIN_MENU_LINES or len(short) < MENU_SHARE * len(lines):
        return False
    links = {_link_words(_SPACES.sub(" ", "".join(a.itertext()))) for a in root.iter("a")}
    links.discard("")
    linked = sum(_link_words(line) in links for line in short)
    return linked >= MIN_MENU_LINES and linked >= MENU_SHARE * len(lines)


def _link_words(text: str) -> str:
    return " ".join(_WORD.findall(fold(text)))


MENU_LINE_CHARS = 80
"""A menu entry, a breadcrumb, a footer link: a short line."""
MIN_MENU_LINES = 5
"""A menu has a few entries; an article may end with a link or two ("Source", a tag)."""
MENU_SHARE = 0.2
"""The share of the lines that are links' texts from which the text is the page's, not the article's."""
PROSE_LINE_CHARS = 120
"""A line of prose: longer than a menu line, a copyright line, a caption or a signature."""
MIN_BODY_PARAGRAPHS = 2
"""One line's element says little of where the article stands."""
_TEXT_START = 40
"""How much of a text node's start finds the paragraph that holds it."""


def _text_owners(root: etree._Element, paragraphs: list[str]) -> list[etree._Element]:
    """For each paragraph, the element whose own text (or tail) starts a run of it."""
    if not paragraphs:
        return []
    owners: list[etree._Element] = []
    remaining = list(paragraphs)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for piece, owner in ((element.text, element), (element.tail, element.getparent())):
            start = _SPACES.sub(" ", piece or "").strip()[:_TEXT_START]
            if len(start) < _TEXT_START or owner is None:
                continue
            found = next((p for p in remaining if start in p), None)
            if found is not None:
                owners.append(owner)
                remaining.remove(found)
        if not remaining:
            break
    return owners


def _common_ancestor(elements: list[etree._Element]) -> etree._Element:
    path = list(elements[0].iterancestors())[::-1] + [elements[0]]
    depth = len(path)
    for element in elements[1:]:
        ancestors = set(element.iterancestors()) | {element}
        while path[depth - 1] not in ancestors:
            depth -= 1
    return path[depth - 1]


ACTION_LINK = re.compile(
    r"^(?:javascript:|mailto:)|[/?&#=](?:user/)?(?:log-?in|sign-?in|register|sign-?up|comment|reply|share|print"
    r"|email|e-mail|subscribe)",
    re.IGNORECASE,
)
"""Links that act on the page (log in to comment, share, print, e-mail, subscribe), not content."""
ACTION_LINE_CHARS = 100
"""A line of the page's actions is short: "Log in to post comments", "Print this page"."""


def without_closing_actions(root: etree._Element, text: str) -> str:
    """``text`` without the short lines at its end built around a link that acts on the page.

    Extractors keep the line under an article that offers to log in and comment, to share,
    print or e-mail it: the page's actions, never the article's text. Only the end of the
    text is trimmed, and only such lines, which are no sentence: a link in the prose stays.
    """
    last = text.rstrip().rsplit("\n", 1)[-1].strip()
    if not _may_be_action(last):
        return text  # it ends in a sentence or a long line: the page's links are not read
    actions = {
        label
        for anchor in root.iter("a")
        if ACTION_LINK.search(anchor.get("href") or "")
        and len(label := _SPACES.sub(" ", "".join(anchor.itertext())).strip()) >= 2
    }
    if not actions:
        return text
    lines = text.split("\n")
    while lines and _is_action_line(lines[-1], actions):
        lines.pop()
    return "\n".join(lines).strip()


def _is_action_line(line: str, actions: set[str]) -> bool:
    line = line.strip()
    return not line or (_may_be_action(line) and any(label in line for label in actions))


def _may_be_action(line: str) -> bool:
    """Short and no sentence."""
    return bool(line) and len(line) <= ACTION_LINE_CHARS and line[-1] not in ".!?…"
