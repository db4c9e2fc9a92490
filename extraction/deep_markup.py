"""Markup nested deeper than the HTML parser goes, made shallow enough to read whole.

libxml2 stops building the tree at a nesting depth of about 2,000 elements (even with
``huge_tree``) and drops whatever lies deeper: a page that wraps its content in thousands of
``<div>``s would read as empty. Such a page is rare and hostile, so it is mended only when the
parser reports the limit (:mod:`extraction.html_text`).

The mending keeps both ends of every deep chain of elements: the page's outer structure (the
elements less than ``max_depth / 2`` deep: body, header, menus) and its inner structure (the
elements with less than ``max_depth / 2`` levels below them: the article, its paragraphs and
links, a teaser card). Only the middle of a deep chain loses its tags, never its text; a
block-level element there leaves a line break, so that its text does not run into its
neighbour's. What is left is at most ``max_depth`` deep, since along any chain the levels
below an element fall as its depth grows.

The scan is a plain tokenizer, not a parser: comments and the raw text of ``<script>``,
``<style>`` and the like are skipped, an end tag closes up to the element it names, and
elements left open close at the end.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
RAW_TEXT_TAGS = frozenset(["script", "style", "textarea", "title", "xmp", "plaintext", "noscript"])
_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][^\s/<>]*)[^<>]*>", re.DOTALL)
"""A comment, or a tag; a ``<`` inside a tag ends it, so that a scan stays linear."""
_LINE_BREAK = "<br>"


class _Elements:
    """The elements of a token stream: for each, its name, its depth, the levels of
    elements below it (its height) and the tokens of its start and end tags."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.depths: list[int] = []
        self.heights: list[int] = []
        self.tags: list[list[int]] = []
        self._open: list[int] = []
        self._open_by_name: dict[str, list[int]] = {}
        """The open elements of each name, innermost last: an end tag finds its own at once."""

    def start(self, name: str, token: int) -> None:
        element = len(self.names)
        self.names.append(name)
        self.depths.append(len(self._open))
        self.heights.append(0)
        self.tags.append([token])
        self._open.append(element)
        self._open_by_name.setdefault(name, []).append(element)

    def end(self, name: str, token: int) -> None:
        """Closes the innermost open element named ``name`` (and those left open inside
        it); an end tag that closes nothing is left for the parser to ignore."""
        same_name = self._open_by_name.get(name)
        if not same_name:
            return
        element = same_name[-1]
        self.tags[element].append(token)
        while self._pop() != element:
            pass

    def close_all(self) -> None:
        while self._open:
            self._pop()

    def _pop(self) -> int:
        element = self._open.pop()
        self._open_by_name[self.names[element]].pop()
        if self._open:
            parent = self._open[-1]
            self.heights[parent] = max(self.heights[parent], self.heights[element] + 1)
        return element


def flatten_deep_markup(markup: str, max_depth: int, block_tags: Collection[str]) -> str:
    """``markup`` with its nesting no deeper than ``max_depth`` elements (see the module
    docstring); text, and the tags of both ends of deep chains, are kept as they are."""
    tokens = list(_tokens(markup))
    elements = _elements(tokens)
    half = max_depth // 2
    replaced: dict[int, str] = {}
    for name, depth, height, tags in zip(
        elements.names, elements.depths, elements.heights, elements.tags, strict=True
    ):
        if depth >= half and height >= half:
            replaced.update(dict.fromkeys(tags, _LINE_BREAK if name in block_tags else ""))
    out: list[str] = []
    position = 0
    for index, (_, _, start, end) in enumerate(tokens):
        if index in replaced:
            out.append(markup[position:start])
            out.append(replaced[index])
            position = end
    out.append(markup[position:])
    return "".join(out)


def _elements(tokens: list[tuple[bool, str, int, int]]) -> _Elements:
    elements = _Elements()
    for index, (closing, name, _, _) in enumerate(tokens):
        if name in VOID_TAGS:
            continue
        if closing:
            elements.end(name, index)
        else:
            elements.start(name, index)
    elements.close_all()
    return elements


def _tokens(markup: str) -> Iterator[tuple[bool, str, int, int]]:
    """``(closing, lower-case name, start, end)`` for each tag, past comments and the raw
    text of a ``<script>`` (and the like), where a ``<`` is no tag."""
    position = 0
    while (match := _TOKEN.search(markup, position)) is not None:
        position = match.end()
        if match[2] is None:
            continue  # a comment
        name = match[2].lower()
        yield bool(match[1]), name, match.start(), match.end()
        if not match[1] and name in RAW_TEXT_TAGS:
            close = re.compile(rf"</{re.escape(name)}\b", re.IGNORECASE).search(markup, position)
            position = close.start() if close else len(markup)
