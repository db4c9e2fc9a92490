"""Turning scraped text into text that is safe to put into a feed.

Scraped text is hostile by accident: it can carry NUL bytes, form feeds and other C0 control
characters, lone surrogates from a bad decode, or ``]]>`` and ``<script>`` that look like
markup. XML 1.0 forbids some of these characters outright (lxml refuses them, and a feed
reader refuses a document that contains them), so they are removed here, once, before any
text reaches feedgen. Everything else is left to the serializer, which escapes ``<`` and
``&``: a feed must show the site's text, not reinterpret it.

RSS 2.0 ``description`` and ``content:encoded`` hold *HTML* (readers render them), so plain
text destined for them goes through :func:`text_to_html`, which escapes it and keeps its
paragraphs. Atom text constructs say their type explicitly, so Atom titles and summaries stay
plain text.
"""

from __future__ import annotations

import html
import re

# Characters outside XML 1.0's ``Char`` production: C0 controls except TAB, LF and CR;
# UTF-16 surrogates (only reachable as lone surrogates in a Python str); U+FFFE and U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile(r"\r\n?")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")

EXCERPT_LENGTH = 400
"""Upper bound for a description made from the start of an article body."""

ENTRY_TEXT_LIMIT = 30_000
"""Characters of one text (article, teaser, diff) in a feed entry; the rest stays on the page.
A long article has a few thousand; one huge page would otherwise make every feed huge."""


def xml_safe(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot carry, with newlines unified to LF.

    CR is legal XML but every parser folds it into LF anyway; doing it here keeps the
    serialized bytes free of ``&#13;`` noise and the output identical across platforms.
    """
    if not text:
        return ""
    return _XML_FORBIDDEN.sub("", _NEWLINES.sub("\n", text))


def one_line(text: str | None) -> str:
    """XML-safe text on one line, runs of whitespace folded: how titles are shown."""
    return " ".join(xml_safe(text).split())


def paragraphs(text: str | None) -> list[str]:
    """The non-empty paragraphs of ``text`` (blank-line separated), each stripped."""
    cleaned = xml_safe(text).strip()
    if not cleaned:
        return []
    return [part.strip() for part in _PARAGRAPH_BREAK.split(cleaned) if part.strip()]


def excerpt(text: str | None, limit: int = EXCERPT_LENGTH) -> str:
    """The start of ``text``: its first paragraph, cut at a word boundary to ``limit``.

    Used when an item has no teaser: a feed description is a preview, not the article.
    """
    parts = paragraphs(text)
    if not parts:
        return ""
    first = " ".join(parts[0].split())
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0] or first[:limit]
    return cut.rstrip() + "…"


def capped(text: str, limit: int = ENTRY_TEXT_LIMIT) -> tuple[str, bool]:
    """``text`` cut to at most ``limit`` characters, and whether it was cut.

    The cut is at the last paragraph break before the limit, or failing one in the second
    half of it, at the last line break or space, so no word is cut in two; a text without any
    is cut at the limit itself.
    """
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    for boundary in ("\n\n", "\n", " "):
        at = head.rfind(boundary)
        if at >= limit // 2:
            return head[:at].rstrip(), True
    return head, True


def text_to_html(text: str | None) -> str:
    """Plain text as a small HTML fragment: escaped, one ``<p>`` per paragraph.

    Single newlines inside a paragraph become ``<br/>`` so signatures and address blocks keep
    their lines. Because ``<`` and ``>`` are escaped, the fragment can never contain
    ``<script>`` or ``]]>`` — whatever the site's text says.
    """
    blocks = []
    for para in paragraphs(text):
        lines = [html.escape(" ".join(line.split())) for line in para.split("\n")]
        blocks.append("<p>" + "<br/>".join(line for line in lines if line) + "</p>")
    return "\n".join(blocks)


def preformatted_html(text: str | None) -> str:
    """Plain text as an escaped ``<pre>`` block: for diffs, whose line structure is the point."""
    cleaned = xml_safe(text).strip("\n")
    if not cleaned:
        return ""
    return "<pre>" + html.escape(cleaned) + "</pre>"
