"""Turn a page's block text into its sidebar teasers and its article.

The site offers no machine-readable structure, so the page is read the way a person reads
it (see docs/architecture.md, "The pages"):

* the **article** starts at its title, found by the strongest evidence on the page: the
  title repeated with `` dd.mm.yyyy`` appended, a document's ``dd.mm.yyyy Download document``
  line, a headline followed by a lone date line, and, failing all of these, the first
  headline-shaped line (with, perhaps, a subtitle under it);
* everything before the title is the **sidebar**: teasers introduced by a ``dd.mm.yyyy``
  line (newer layout) or separated by two blank lines (older layout);
* metadata lines (the date line, the repeated title, the download line) become the item's
  date; every other line ends up in exactly one item, in page order, with its paragraph.

The page is read line by line rather than paragraph by paragraph because a title, its
date and its subtitle may share one paragraph (separated by single newlines) as well as
stand in paragraphs of their own; both renderings must give the same items.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extraction.blocks import Line, join_lines, split_lines
from extraction.dates import (
    date_of_text,
    find_text_date,
    infer_years,
    parse_date_line,
    split_trailing_date,
)
from extraction.normalize import fold
from extraction.parsed import (
    DateEvidence,
    ParsedArticle,
    ParsedDate,
    ParsedPage,
    ParsedTeaser,
)
from extraction.urls import is_article_url

MAX_TITLE_LENGTH = 400
# A sentence ends in punctuation, perhaps inside closing quotes or brackets: 'he said."'.
_SENTENCE_END = re.compile(r"[.:;,…][\"'”’»)\]]*$")
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
DOWNLOAD_LINE = re.compile(r"^(?:(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s+)?Download\s+document\b", re.IGNORECASE)
# List items and interview questions and answers ("— What can you say?", "- The year...").
_DASH_LED = re.compile(r"^[-–—•]")
# A subtitle on the title's own paragraph starts as a sentence does; a title broken in the
# middle of a sentence ("held in Minsk" / "on 7 September") goes on in lower case.
_SUBTITLE_START = re.compile(r"^[\"'“”«(\[]*(?P<letter>[^\W\d_])")
# An article whose lead opens with its own date ("On 20 September 2023, ...") dates itself;
# a date further into the body is about something else (seed 002 cites a 2021 meeting).
_LEAD_OPENS_WITH_DATE = re.compile(r"^(?:on|from)\s+\S", re.IGNORECASE)
_LEAD_DATE_WINDOW = 200


@dataclass(frozen=True)
class _TitleMatch:
    index: int
    """Index of the title line."""
    published: ParsedDate | None
    metadata: frozenset[int]
    """Indices of lines that carry only the date (repeated title, date line, download line)."""


def parse_page(text: str, url: str | None = None) -> ParsedPage:
    """Parse one page's block text; ``url`` is the page's (canonical) address, if known."""
    lines = split_lines(text)
    if not lines:
        return ParsedPage(url=url, warning="empty page: no visible text")
    title = _find_title(lines)
    teasers = _split_teasers(lines[: title.index] if title else lines)
    article = _build_article(lines, title, url) if title else None
    if article is None and not any(t.published for t in teasers):
        return ParsedPage(url=url, warning="no recognizable structure: no article title, no dated teaser")
    return ParsedPage(url=url, teasers=tuple(teasers), article=article)


# -- the title -----------------------------------------------------------------------------


def _is_date_line(line: Line) -> bool:
    return parse_date_line(line.text) is not None


def _is_download_line(line: Line) -> bool:
    return DOWNLOAD_LINE.match(line.text) is not None


def _is_headline(text: str) -> bool:
    """A line that can be a headline: not a sentence, not a date, link, list item or number."""
    return (
        3 <= len(text) <= MAX_TITLE_LENGTH
        and not _SENTENCE_END.search(text)
        and not _URL_LINE.match(text)
        and not _DASH_LED.match(text)
        and not DOWNLOAD_LINE.match(text)
        and parse_date_line(text) is None
        and any(ch.isalpha() for ch in text)
    )


def _can_be_title(lines: Sequence[Line], index: int) -> bool:
    """A headline opening a paragraph, not introduced by a date line (a newer-layout teaser)."""
    line = lines[index]
    return (
        line.opens_paragraph
        and _is_headline(line.text)
        and not (index > 0 and _is_date_line(lines[index - 1]))
    )


_TitleRule = Callable[[Sequence[Line], int], _TitleMatch | None]


def _find_title(lines: Sequence[Line]) -> _TitleMatch | None:
    """Locate the article title by the strongest evidence the page offers."""
    rules: tuple[_TitleRule, ...] = (
        _title_repeated_with_date,
        _title_of_document,
        _title_before_date_line,
        _title_with_body,
    )
    for rule in rules:
        for index in range(len(lines) - 1):
            match = rule(lines, index)
            if match:
                return match
    return None


def _title_repeated_with_date(lines: Sequence[Line], index: int) -> _TitleMatch | None:
    """``Title`` then ``Title dd.mm.yyyy``: the site's usual article header."""
    if not lines[index].opens_paragraph:
        return None
    split = split_trailing_date(lines[index + 1].text)
    if split is None or _title_key(split[0]) != _title_key(lines[index].text):
        return None
    return _TitleMatch(index, ParsedDate(split[1], DateEvidence.LINE), frozenset({index + 1}))


def _title_key(title: str) -> str:
    """Titles compare folded, and a final full stop on one copy only does not matter."""
    return fold(title).rstrip(". ")


def _title_of_document(lines: Sequence[Line], index: int) -> _TitleMatch | None:
    """A document's title, then ``dd.mm.yyyy Download document NAME.docx`` line(s)."""
    line = lines[index]
    match = DOWNLOAD_LINE.match(lines[index + 1].text)
    if not match or not line.opens_paragraph or _is_download_line(line) or _is_date_line(line):
        return None
    end = index + 1
    while end < len(lines) and _is_download_line(lines[end]):
        end += 1
    date = parse_date_line(match["date"]) if match["date"] else None
    published = ParsedDate(date, DateEvidence.LINE) if date else None
    return _TitleMatch(index, published, frozenset(range(index + 1, end)))


def _title_before_date_line(lines: Sequence[Line], index: int) -> _TitleMatch | None:
    """A headline followed by a lone date line; in the sidebar a date line comes *before*."""
    if not _can_be_title(lines, index):
        return None
    date = parse_date_line(lines[index + 1].text)
    if date is None:
        return None
    return _TitleMatch(index, ParsedDate(date, DateEvidence.LINE), frozenset({index + 1}))


def _title_with_body(lines: Sequence[Line], index: int) -> _TitleMatch | None:
    """No date anywhere: the first headline with a body (or a subtitle) after it."""
    if not _can_be_title(lines, index):
        return None
    following = lines[index + 1]
    if not following.opens_paragraph and not _starts_a_sentence(following.text):
        return None
    return _TitleMatch(index, None, frozenset())


def _starts_a_sentence(text: str) -> bool:
    match = _SUBTITLE_START.match(text)
    return match is not None and match["letter"].isupper()


# -- the sidebar ---------------------------------------------------------------------------


@dataclass
class _TeaserGroup:
    line_date: datetime.date | None
    """The ``dd.mm.yyyy`` line that opened this teaser (newer layout), if any."""
    lines: list[Line]

    def takes(self, line: Line) -> bool:
        """Newer layout: all up to the next date line; older: paragraphs one blank line apart."""
        return self.line_date is not None or line.gap_before < 2


def _split_teasers(sidebar: Sequence[Line]) -> list[ParsedTeaser]:
    """Group sidebar lines into teasers and date them."""
    groups: list[_TeaserGroup] = []
    for line in sidebar:
        line_date = parse_date_line(line.text)
        if line_date is not None:
            groups.append(_TeaserGroup(line_date, []))
        elif groups and groups[-1].takes(line):
            groups[-1].lines.append(line)
        else:
            groups.append(_TeaserGroup(None, [line]))
    groups = [group for group in groups if group.lines]
    texts = [join_lines(group.lines) for group in groups]
    evidence = [
        group.line_date if group.line_date is not None else find_text_date(text)
        for group, text in zip(groups, texts)
    ]
    dates = infer_years(evidence)
    return [ParsedTeaser(text=text, published=date) for text, date in zip(texts, dates)]


# -- the article ---------------------------------------------------------------------------


def _build_article(lines: Sequence[Line], title: _TitleMatch, url: str | None) -> ParsedArticle:
    body_lines = [
        line
        for index, line in enumerate(lines[title.index + 1 :], start=title.index + 1)
        if index not in title.metadata
    ]
    body = join_lines(body_lines)
    return ParsedArticle(
        title=lines[title.index].text,
        body=body,
        published=title.published or _date_of_lead(body),
        url=url if is_article_url(url) else None,
    )


def _date_of_lead(body: str) -> ParsedDate | None:
    """The date the lead paragraph opens with, if it names its year."""
    lead = body.split("\n\n", 1)[0]
    if not _LEAD_OPENS_WITH_DATE.match(lead):
        return None
    return date_of_text(lead[:_LEAD_DATE_WINDOW])
