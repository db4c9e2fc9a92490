"""Readable diffs of an entry's content, for the change log and the changes feed."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from extraction.normalize import fold


@dataclass(frozen=True)
class Content:
    """The visible content of an entry: what a change is measured on."""

    title: str | None
    url: str | None
    published: dt.date | None
    summary: str | None
    body: str | None

    def folded(self) -> tuple:
        """The comparison form: quote, dash, case and whitespace styles do not count."""
        return (
            fold(self.title or ""),
            self.url or "",
            self.published,
            fold(self.summary or ""),
            fold(self.body or ""),
        )

    def lines(self) -> list[str]:
        """The content as lines of text, one sentence per line, paragraphs apart.

        A sentence per line keeps a diff to the sentence that changed rather than a whole
        paragraph, which reads well in a terminal and in a feed reader.
        """
        head = [
            f"Title: {self.title or ''}",
            f"URL: {self.url or ''}",
            f"Published: {self.published.isoformat() if self.published else ''}",
        ]
        texts = [text for text in (self.summary, self.body) if text]
        return head + [
            sentence
            for text in texts
            for line in [""] + text.split("\n")
            for sentence in (_SENTENCE_BREAK.split(line) if line else [""])
        ]


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“«(])")


def content_of(row: object) -> Content:
    """The visible content of an entry, a version, or their plain rows."""
    return Content(row.title, row.url, row.published, row.summary, row.body)


FIELD_NAMES = ("title", "url", "published", "text", "body")


def changed_fields(before: Content, after: Content) -> tuple[str, ...]:
    """Names of the fields whose folded form differs."""
    return tuple(name for name, old, new in zip(FIELD_NAMES, before.folded(), after.folded()) if old != new)


def unified_diff(before: Content, after: Content) -> str:
    """A unified diff of the two contents, lines wrapped as the site wraps paragraphs."""
    return "\n".join(difflib.unified_diff(before.lines(), after.lines(), "before", "after", lineterm="", n=1))
