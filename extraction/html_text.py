"""From an HTML page to *block text*: the page's visible text, paragraphs and line breaks kept.

The parser (:mod:`extraction.text_page`) reads a page the way a person reads it, from its
visible text, because the only thing we know about the watched site is what a browser shows
(the seeds in ``fixtures/seeds/``). This module is the bridge: it renders an HTML page to the
same text a browser shows, in the same shape as the seeds, and it pulls out the two things
text cannot carry, the links and the canonical URL.

Block text
==========
* Text of inline elements is joined as a browser joins it: whitespace runs (spaces, tabs,
  newlines) collapse to one space, ``A<b>B</b>`` reads ``AB``. A non-breaking space (and any
  other Unicode space) *means* a space: it becomes an ordinary space and collapses with its
  neighbours. Lines carry no leading or trailing spaces. Soft hyphens and zero-width spaces,
  invisible in a browser, are removed. ``<pre>`` keeps its line breaks.
* ``<br>`` is one line break (``\\n``); ``<br><br>`` is two (an empty line).
* Every block element (``p``, ``div``, ``li``, ``h1``-``h6``, ``blockquote``, ``tr``,
  ``section``, ``article``...) starts and ends a paragraph: one blank line (``\\n\\n``).
  Table cells of one row are joined by a space.
* **Stronger separation, two blank lines** (``\\n\\n\\n``), is emitted where the markup
  separates two blocks more strongly than two paragraphs are separated:

  1. *Sibling containers.* A *container* is an element with at least one block-level
     descendant that has visible text (a teaser card ``<div><p>..</p></div>``, an
     ``<li>`` holding a date ``<div>`` and a ``<p>``, a text ``<div>`` holding paragraphs).
     Two containers that are consecutive siblings (nothing with visible text between them;
     empty elements, scripts and comments do not count) are separated by two blank lines.
     Only the siblings directly under the lowest common ancestor of two neighbouring texts
     decide: paragraphs inside one card are one blank line apart, the cards themselves two.
     A container next to a plain block (an ``<h1>``, a ``<p>``) is one blank line away.
  2. *Spacers.* A line box without text between two blocks: a block holding only
     non-breaking spaces or ``<br>`` (``<p>&nbsp;</p>``, ``<p><br></p>``, the usual CMS
     spacer), or a ``<br>`` standing between blocks. ``<hr>`` is also a section break.

  A ``<br>`` at the end of a block, before the block's end, adds nothing, as in a browser.
  Separations never exceed two blank lines: the parser reads "two blank lines" as "another
  item", and more would carry no further meaning.
* Invisible and non-content markup is dropped: ``head``, ``script``, ``style``,
  ``noscript``, ``template``, comments, form controls, embedded objects, elements with the
  ``hidden`` attribute or an inline ``display:none``/``visibility:hidden`` style.
* Site chrome is dropped, recognized by its semantic markup only (the live site's class
  names are unknown to us, so none is used): ``<nav>``; ``<header>`` and ``<footer>`` that
  are page banners (not inside ``article``/``aside``/``main``/``nav``/``section``, where
  they belong to the content); elements with an ARIA landmark role ``navigation``,
  ``banner``, ``contentinfo`` or ``search`` (so ``<aside role="navigation">``); and
  ``<form>``, unless it wraps the page's main content (an ``<h1>``, ``<main>`` or
  ``<article>`` inside it, as ASP.NET pages wrap their whole body in one form).

Every function here accepts ``str`` or ``bytes`` and never raises on bad input: empty,
binary, truncated or huge documents give ``""`` (or ``[]``/``None``) or whatever text can be
recovered. Bytes are decoded with :func:`w3lib.encoding.html_to_unicode`: a BOM, then the
``encoding`` argument (the HTTP charset), then the page's ``<meta>`` charset, then UTF-8
with undecodable bytes replaced. Markup nested deeper than the parser goes is mended first
(:mod:`extraction.deep_markup`), so that what lies deep is read too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from extraction.deep_markup import flatten_deep_markup
from extraction.urls import joining_base

__all__ = ["HtmlReading", "canonical_url", "extract_links", "html_to_block_text", "read_html"]

# -- element classes -----------------------------------------------------------------------

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "html",
        "legend",
        "li",
        "listing",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "plaintext",
        "pre",
        "search",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
        "xmp",
    ]
)
CELL_TAGS = frozenset({"td", "th"})
INVISIBLE_TAGS = frozenset(
    [
        "head",
        "title",
        "meta",
        "link",
        "base",
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "canvas",
        "svg",
        "math",
        "audio",
        "video",
        "source",
        "track",
        "map",
        "area",
        "input",
        "select",
        "option",
        "optgroup",
        "textarea",
        "button",
        "datalist",
        "output",
        "param",
    ]
)
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search"})
SECTIONING_TAGS = frozenset({"article", "aside", "main", "nav", "section"})
MAX_NESTING = 1000
"""How deep a page's elements may nest once a page has exceeded the parser's own limit
(about 2,000): deep enough for any real page, shallow enough for every library that walks
the tree (trafilatura, htmldate)."""
_WEB_URL = re.compile(r"^https?://", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)

# -- text cleaning -------------------------------------------------------------------------

# Characters XML (hence lxml) refuses, plus C1 controls: never visible text.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Invisible in a browser: soft hyphen, zero-width space, word joiner, BOM.
_INVISIBLE_CHARS = re.compile("[\u00ad\u200b\u2060\ufeff]")
# HTML's collapsible whitespace plus every Unicode space separator (NBSP included).
_ANY_SPACE = re.compile("[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_BLANK = re.compile(
    "[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u00ad\u200b\u2060\ufeff]*"
)
"""Only spaces (``_ANY_SPACE``) and invisible characters (``_INVISIBLE_CHARS``): one class, so
that a long run of spaces before a visible character is scanned once, never backtracked."""
# Whitespace that a browser does NOT collapse away: it makes a line box on its own.
_HARD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")

# -- the token stream ----------------------------------------------------------------------
# Text is a ``str``; separators are ints: BR (a <br>), SPACER (a blank line box),
# PARAGRAPH / SECTION (block boundaries asking for 1 / 2 blank lines), and 0 (an unused
# placeholder, later raised to SECTION between two sibling containers).
BR = -1
SPACER = -2
NOTHING = 0
PARAGRAPH = 2
SECTION = 3


def html_to_block_text(html: str | bytes, encoding: str | None = None) -> str:
    """The visible text of an HTML page as block text (see the module docstring).

    ``encoding`` is the charset declared by the transport (HTTP ``Content-Type``); it is
    used for ``bytes`` only. Never raises: a page that cannot be read gives ``""``.
    """
    try:
        root = _parse(html, encoding)
        if root is None:
            return ""
        walker = _Walker(drop_chrome=True)
        walker.walk(root)
        return _render(walker.tokens)
    except Exception:
        return ""


def extract_links(
    html: str | bytes,
    base_url: str | None,
    *,
    encoding: str | None = None,
    include_chrome: bool = False,
) -> list[tuple[str, str]]:
    """The page's links as ``(absolute URL, visible link text)``, in document order.

    Only links a reader sees in the content are returned by default: links inside
    dropped markup (menus, page header and footer, scripts) are left out, since the
    parser pairs these links with the block text; pass ``include_chrome=True`` for every
    link of the body (to follow menus or a pagination bar inside ``<nav>``).

    URLs are resolved against the page's ``<base href>`` (if any) and ``base_url``, made
    safe (:func:`w3lib.url.safe_url_string`) and stripped of their fragment. Only
    ``http``/``https`` links are kept (``javascript:history.back()``, ``mailto:`` and
    same-page ``#anchors`` are not links to pages). A relative link on a page without a
    base URL is skipped. The link text is the link's block text on one line (an image
    link has the text ``""``). Duplicates are kept: a teaser may have an image link and a
    text link to the same article. Never raises.
    """
    try:
        root = _parse(html, encoding)
        if root is None:
            return []
        walker = _Walker(drop_chrome=not include_chrome, collect_links=True)
        walker.walk(root)
        return _links(walker.anchors, _document_base(root, base_url))
    except Exception:
        return []


def canonical_url(
    html: str | bytes, base_url: str | None = None, *, encoding: str | None = None
) -> str | None:
    """The page's canonical URL: ``<link rel="canonical">``, else ``<meta property="og:url">``.

    Relative values are resolved like links (see :func:`extract_links`); a value that is
    not an ``http``/``https`` URL is ignored. ``None`` when the page names none.
    """
    try:
        root = _parse(html, encoding)
        if root is None:
            return None
        return _canonical(root, _document_base(root, base_url))
    except Exception:
        return None


@dataclass(frozen=True)
class HtmlReading:
    """One page read once: its block text, its content links and its canonical URL."""

    text: str
    links: list[tuple[str, str]]
    canonical: str | None
    every_link: list[tuple[str, str]] = field(default_factory=list)
    """Every link of the body, menus and pager included, as ``extract_links(include_chrome=True)``."""
    root: etree._Element | None = None
    """The parsed document, for what else reads the markup (metadata, main content)."""
    next_page: str | None = None
    """The page the markup names as the next one: ``rel="next"`` on a ``<link>`` or ``<a>``."""


def read_html(html: str | bytes, base_url: str | None, *, encoding: str | None = None) -> HtmlReading:
    """:func:`html_to_block_text`, :func:`extract_links` (both kinds) and :func:`canonical_url`
    at once.

    A crawl needs all of them for every page; one parse and one walk instead of four
    halves the cost of an HTML page. Links resolve as in :func:`extract_links`, except on a page
    whose own address is no web address (a saved file): there they resolve against the
    canonical URL the page declares, which is where it lives on the web. Never raises.
    """
    try:
        root = _parse(html, encoding)
        if root is None:
            return HtmlReading("", [], None)
        walker = _Walker(drop_chrome=True, collect_links=True, collect_chrome_links=True)
        walker.walk(root)
        base = _document_base(root, base_url)
        canonical = _canonical(root, base)
        link_base = base if base and _WEB_URL.match(base) else canonical
        every_link = _resolved_anchors(walker.every_anchor, link_base)
        return HtmlReading(
            _render(walker.tokens),
            _content_links(walker.anchors, every_link),
            canonical,
            _content_links(walker.every_anchor, every_link),
            root,
            _rel_next(root, link_base),
        )
    except Exception:
        return HtmlReading("", [], None)


# -- parsing -------------------------------------------------------------------------------


def _decode(html: str | bytes, encoding: str | None) -> str:
    if isinstance(html, str):
        return html
    if not isinstance(html, (bytes, bytearray, memoryview)):
        return ""
    data = bytes(html)
    header = f"text/html; charset={encoding}" if encoding else None
    try:
        return html_to_unicode(header, data)[1]
    except Exception:
        return data.decode("utf-8", errors="replace")


def _parse(html: str | bytes, encoding: str | None) -> etree._Element | None:
    """Decode and parse with lxml's forgiving HTML parser; ``None`` if nothing is there."""
    text = _UNSAFE_CHARS.sub("", _decode(html, encoding))
    if not text.strip():
        return None
    # Parse UTF-8 bytes with the encoding forced: the text is already decoded, and a
    # <meta charset> must not make libxml2 decode it a second time. lxml.html's parser (the
    # same libxml2 parser) makes elements that trafilatura and htmldate take as they are.
    root, too_deep = _parse_text(text)
    if too_deep:
        # What lies deeper than libxml2's limit is lost: read the page mended instead.
        root, _ = _parse_text(flatten_deep_markup(text, MAX_NESTING, BLOCK_TAGS))
    if root is None:
        return None
    return root.getroottree().getroot()


def _parse_text(text: str) -> tuple[etree._Element | None, bool]:
    """The tree of ``text``, and whether the parser stopped at its nesting limit."""
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=True,
        recover=True,
    )
    parser.set_element_class_lookup(_html_element_classes())
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except Exception:
        return None, False
    too_deep = any(
        error.type_name == "ERR_RESOURCE_LIMIT" and "depth" in error.message.lower()
        for error in parser.error_log
    )
    return root, too_deep


@functools.cache
def _html_element_classes() -> etree.ElementNamespaceClassLookup:
    """The classes lxml.html gives a page's nodes (``HtmlElement``, ``FormElement`` for a
    ``<form>``...), looked up by libxml2's tag name in C.

    lxml.html's own lookup is a Python method, called each time a node is first touched
    from Python: by our walks, by trafilatura's and by every copy it makes, a few thousand
    times a page (tests/test_html_text.py holds the two to the same classes)."""
    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    by_tag = lookup.get_namespace(None)
    for tag, element_class in lxml.html.HtmlElementClassLookup._default_element_classes.items():
        by_tag[tag] = element_class
    return lookup


def _links(anchors: list[etree._Element], base: str | None) -> list[tuple[str, str]]:
    """``(absolute URL, link text)`` of the anchors that lead to a web page."""
    return [link for link in _resolved_anchors(anchors, base).values() if link is not None]


def _resolved_anchors(
    anchors: list[etree._Element], base: str | None
) -> dict[etree._Element, tuple[str, str] | None]:
    """Each anchor's ``(absolute URL, link text)``, or None for one that leads to no web
    page; in document order, each resolved once."""
    resolved: dict[etree._Element, tuple[str, str] | None] = {}
    for anchor in anchors:
        url = _absolute_url(anchor.get("href"), base)
        resolved[anchor] = None if url is None else (url, _inline_text(anchor))
    return resolved


def _content_links(
    anchors: list[etree._Element], resolved: dict[etree._Element, tuple[str, str] | None]
) -> list[tuple[str, str]]:
    return [link for anchor in anchors if (link := resolved[anchor]) is not None]


def _canonical(root: etree._Element, base: str | None) -> str | None:
    """``<link rel="canonical">``, else ``<meta property="og:url">``, if a web URL."""
    candidates: list[str | None] = []
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels:
            candidates.append(link.get("href"))
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        if key == "og:url":
            candidates.append(meta.get("content"))
    for candidate in candidates:
        url = _absolute_url(candidate, base)
        if url is not None:
            return url
    return None


def _rel_next(root: etree._Element, base: str | None) -> str | None:
    for element in root.iter("link", "a"):
        if "next" in (element.get("rel") or "").lower().split():
            url = _absolute_url(element.get("href"), base)
            if url is not None:
                return url
    return None


def _document_base(root: etree._Element, base_url: str | None) -> str | None:
    base = base_url or None
    for element in root.iter("base"):
        href = element.get("href")
        if href and href.strip():
            joined = urljoin(base or "", strip_html5_whitespace(href))
            if _WEB_URL.match(joined):
                return joined
            break
    return base


def _absolute_url(href: str | None, base: str | None) -> str | None:
    """``href`` resolved against ``base``, made safe, without fragment; None if unusable."""
    if not href:
        return None
    href = strip_html5_whitespace(_UNSAFE_CHARS.sub("", href))
    if not href or href.startswith("#"):
        return None
    return _resolved(href, _base_that_matters(href, base))


def _base_that_matters(href: str, base: str | None) -> str | None:
    """As much of ``base`` as resolving ``href`` depends on: none for an absolute URL, the
    origin for ``/a/path``; so that the menus and sidebars every page repeats are
    resolved once per crawl (:func:`_resolved` is cached), not once per page."""
    if _WEB_URL.match(href):
        return None
    return joining_base(href, base) if base else base


@functools.lru_cache(maxsize=8192)
def _resolved(href: str, base: str | None) -> str | None:
    try:
        url = urljoin(base, href) if base else href
        if not re.match(r"^https?://[^/?#\s]", url, re.I):
            return None
        return urldefrag(safe_url_string(url))[0]
    except Exception:
        return None


# -- walking the tree ----------------------------------------------------------------------


class _Frame:
    """Bookkeeping for one open element during the walk."""

    __slots__ = (
        "element",
        "block",
        "pre",
        "sectioned",
        "has_text",
        "has_block_text",
        "last_child_container",
        "placeholder",
        "cell",
    )

    def __init__(self, element: etree._Element, parent: _Frame | None, tag: str) -> None:
        self.element = element
        self.block = tag in BLOCK_TAGS
        self.cell = tag in CELL_TAGS
        self.pre = tag in {"pre", "listing", "xmp", "plaintext"} or bool(parent and parent.pre)
        self.sectioned = tag in SECTIONING_TAGS or bool(parent and parent.sectioned)
        self.has_text = False
        """Some visible (non-blank) text inside."""
        self.has_block_text = False
        """A block-level descendant with visible text inside: this element is a container."""
        self.last_child_container: bool | None = None
        """Whether the last child with visible text was a container (None: no such child)."""
        self.placeholder = -1


class _Walker:
    """Walks an lxml tree iteratively (no recursion limit) and emits a token stream."""

    def __init__(
        self, *, drop_chrome: bool, collect_links: bool = False, collect_chrome_links: bool = False
    ) -> None:
        self.drop_chrome = drop_chrome
        self.collect_links = collect_links
        self.collect_chrome_links = collect_chrome_links
        self.tokens: list[str | int] = []
        self.anchors: list[etree._Element] = []
        """The content's anchors: what a reader sees in the block text."""
        self.every_anchor: list[etree._Element] = []
        """With ``collect_chrome_links``: the anchors of menus and pager too, in page order."""

    # The walk: a stack of (frame, iterator over the element's children).
    def walk(self, root: etree._Element) -> None:
        tag = _tag(root)
        if tag is None or self._dropped(root, tag, None):
            return
        stack: list[tuple[_Frame, Iterator[etree._Element]]] = []
        stack.append((self._open(root, tag, None), iter(root)))
        while stack:
            frame, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                parent = stack[-1][0] if stack else None
                self._close(frame, parent)
                if parent is not None:
                    self._text(frame.element.tail, parent, tail=True)
                continue
            child_tag = _tag(child)
            if child_tag is None or self._dropped(child, child_tag, frame):
                self._chrome_links(child, child_tag)
                self._text(child.tail, frame, tail=True)
                continue
            if child_tag == "br":
                self.tokens.append(BR)
                self._text(child.tail, frame, tail=True)
                continue
            if child_tag == "hr":
                self.tokens.append(SECTION)
                self._text(child.tail, frame, tail=True)
                continue
            if child_tag == "wbr":
                self._text(child.tail, frame, tail=True)
                continue
            stack.append((self._open(child, child_tag, frame), iter(child)))

    def _chrome_links(self, element: etree._Element, tag: str | None) -> None:
        """The visible anchors of a subtree dropped as chrome (a menu, the pager), found by
        walking it as ``drop_chrome=False`` would: one parse gives both kinds of links."""
        if not self.collect_chrome_links or tag is None or tag in {"br", "hr", "wbr"}:
            return
        if _invisible(element, tag):
            return  # not chrome: its links are no page's links
        self.every_anchor.extend(_visible_anchors(element))

    def _dropped(self, element: etree._Element, tag: str, parent: _Frame | None) -> bool:
        if _invisible(element, tag):
            return True
        if not self.drop_chrome:
            return False
        if tag == "nav":
            return True
        if tag in {"header", "footer"} and not (parent and parent.sectioned):
            return True
        roles = (element.get("role") or "").lower().split()
        if roles and roles[0] in CHROME_ROLES:
            return True
        if tag == "form":
            return next(element.iter("h1", "main", "article"), None) is None
        return False

    def _open(self, element: etree._Element, tag: str, parent: _Frame | None) -> _Frame:
        frame = _Frame(element, parent, tag)
        frame.placeholder = len(self.tokens)
        self.tokens.append(NOTHING)
        if frame.block:
            self.tokens.append(PARAGRAPH)
        if self.collect_links and tag == "a" and element.get("href") is not None:
            self.anchors.append(element)
            self.every_anchor.append(element)
        self._text(element.text, frame, tail=False)
        return frame

    def _close(self, frame: _Frame, parent: _Frame | None) -> None:
        if frame.block:
            self.tokens.append(PARAGRAPH)
        elif frame.cell:
            self.tokens.append(" ")
        if parent is None or not frame.has_text:
            return
        container = frame.has_block_text
        if container and parent.last_child_container:
            self.tokens[frame.placeholder] = SECTION
        parent.last_child_container = container
        parent.has_text = True
        if frame.block or frame.has_block_text:
            parent.has_block_text = True

    def _text(self, text: str | None, frame: _Frame, *, tail: bool) -> None:
        if not text:
            return
        visible = not _is_blank(text)
        if frame.pre:
            lines = text.split("\n")
            for index, line in enumerate(lines):
                if index:
                    self.tokens.append(BR)
                if line:
                    self.tokens.append(line)
        else:
            self.tokens.append(text)
        if visible:
            frame.has_text = True
            if tail:
                # Inline text between two children: they are no longer consecutive.
                frame.last_child_container = False


def _visible_anchors(element: etree._Element) -> list[etree._Element]:
    """The anchors with an address in ``element``, in page order, but for those inside
    something never shown: what a walk of it that drops no chrome collects, found without
    rendering its text."""
    return [
        anchor
        for anchor in element.iter("a")
        if anchor.get("href") is not None and not _hidden_within(anchor, element)
    ]


def _hidden_within(element: etree._Element, top: etree._Element) -> bool:
    """Whether ``element``, ``top`` or an element between them is never shown."""
    while element is not None:
        tag = _tag(element)
        if tag is None or _invisible(element, tag):
            return True
        if element is top:
            return False
        element = element.getparent()
    return False


def _invisible(element: etree._Element, tag: str) -> bool:
    """Never shown to a reader: scripts and styles, ``hidden``, ``display: none``."""
    if tag in INVISIBLE_TAGS or element.get("hidden") is not None:
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _tag(element: etree._Element) -> str | None:
    tag = element.tag
    if not isinstance(tag, str):
        return None  # comment, processing instruction, entity
    if "}" in tag:
        tag = tag.rsplit("}", 1)[1]
    return tag.lower()


def _is_blank(text: str) -> bool:
    """Nothing but spaces and invisible characters (one scan, stopped at the first visible
    character: every text node of every page asks)."""
    return _BLANK.fullmatch(text) is not None


def _clean(text: str) -> str:
    """One line of visible text: invisible characters dropped, spaces collapsed. The
    invisible characters are none of them ASCII, so an ASCII line (most lines of most
    pages; CPython knows it without a scan) is not searched for them."""
    visible = text if text.isascii() else _INVISIBLE_CHARS.sub("", text)
    return _ANY_SPACE.sub(" ", visible).strip()


# -- rendering the token stream -------------------------------------------------------------


def _render(tokens: list[str | int]) -> str:
    """Join the stream: inline texts become lines, separator runs become newlines."""
    items: list[str | int] = []  # cleaned lines and separator tokens
    buffer: list[str] = []

    def flush() -> None:
        if not buffer:
            return
        raw = "".join(buffer)
        buffer.clear()
        line = _clean(raw)
        if line:
            items.append(line)
        elif _HARD_SPACE.search(raw):
            items.append(SPACER)  # a line holding only non-breaking spaces

    for token in tokens:
        if isinstance(token, str):
            buffer.append(token)
        elif token != NOTHING:
            flush()
            items.append(token)
    flush()

    out: list[str] = []
    separators: list[int] = []
    for item in items:
        if isinstance(item, str):
            if out:
                out.append("\n" * _newlines(separators))
            out.append(item)
            separators = []
        else:
            separators.append(item)
    return "".join(out)


def _newlines(separators: list[int]) -> int:
    """How many newlines a run of separators between two lines stands for (1 to 3)."""
    level = max((s for s in separators if s > 0), default=0)
    if level == 0:
        return max(1, min(separators.count(BR), SECTION))
    first_block = next(i for i, s in enumerate(separators) if s > 0)
    if SPACER in separators or BR in separators[first_block:]:
        return SECTION  # a blank line box between two blocks
    return min(level, SECTION)


def _inline_text(element: etree._Element) -> str:
    """An element's visible text on one line (a link's text).

    Most links hold their text and nothing else: that text, cleaned, is what the walk of
    the element would render, without the walk (a tenth of reading a page's links)."""
    tag = _tag(element)
    if len(element) == 0 and tag != "pre":
        if tag is None or _invisible(element, tag):
            return ""
        return " ".join(_clean(element.text or "").split())
    return _walked_inline_text(element)


def _walked_inline_text(element: etree._Element) -> str:
    """An element's visible text on one line, from a walk of its subtree."""
    walker = _Walker(drop_chrome=False)
    walker.walk(element)
    # The element's tail is not part of it: the walk of a root never reads the tail.
    return " ".join(_render(walker.tokens).split())
