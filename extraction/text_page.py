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
import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extraction.blocks import Line, join_lines, split_lines
from extraction.dates import (
    date_of_text,
    find_text_date,
    infer_years,
    opening_date,
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
from extraction.urls import CSTO_ARTICLES, ArticleUrls

MAX_TITLE_LENGTH = 400
# A sentence ends in punctuation, perhaps inside closing quotes or brackets: 'he said."'.
_SENTENCE_END = re.compile(r"[.:;,…][\"'”’»)\]]*$")
_FINISHED_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*$")
# "News", "Latest news", "News of the Secretariat": a heading over a list, not an item.
_HEADING_WORDS = 4
# A numeric date at the start of a line, followed by more text (see _separate_leading_dates).
_LEADING_DATE = re.compile(r"^(?P<date>\d{1,2}\.\d{1,2}\.\d{4})(?!\d)\s*(?P<rest>\S.*)$")
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
DOWNLOAD_LINE = re.compile(r"^(?:(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s+)?Download\s+document\b", re.IGNORECASE)
# List items and interview questions and answers ("— What can you say?", "- The year...").
_DASH_LED = re.compile(r"^[-–—•]")
# A subtitle on the title's own paragraph starts as a sentence does; a title broken in the
# middle of a sentence ("held in Minsk" / "on 7 September") goes on in lower case.
_SUBTITLE_START = re.compile(r"^[\"'“”«(\[]*(?P<letter>[^\W\d_])")
# How far into the text between two date lines a date is read as that text's own: an
# article whose lead opens with its own date dates itself (extraction.dates.opening_date); a
# date further on is about something else (seed 002 cites a 2021 meeting).
_LEAD_DATE_WINDOW = 200


@dataclass(frozen=True)
class _TitleMatch:
    index: int
    """Index of the title line."""
    published: ParsedDate | None
    metadata: frozenset[int]
    """Indices of lines that carry only the date (repeated title, date line, download line)."""


def parse_page(text: str, url: str | None = None, articles: ArticleUrls = CSTO_ARTICLES) -> ParsedPage:
    """Parse one page's block text; ``url`` is the page's (canonical) address, if known, and
    the article's too when ``articles`` (the site's article URLs) says it is one."""
    lines = _separate_leading_dates(split_lines(text))
    if not lines:
        return ParsedPage(url=url, warning="empty page: no visible text")
    closed_until = _items_closed_by_dates(lines)
    # Where dates close their items, the article can only start after the last of them.
    title = _find_title_after(lines, closed_until or 0)
    if title is None and closed_until is None:
        title = _title_after_overlong_last_teaser(lines)
    sidebar = lines[: title.index] if title else lines
    teasers = _split_teasers(sidebar, dates_close_items=closed_until is not None)
    article = _build_article(lines, title, url if articles.matches(url) else None) if title else None
    if article is None and not any(t.published for t in teasers):
        return ParsedPage(url=url, warning="no recognizable structure: no article title, no dated teaser")
    return ParsedPage(url=url, teasers=tuple(teasers), article=article)


def _title_after_overlong_last_teaser(lines: Sequence[Line]) -> _TitleMatch | None:
    """The article's title where a rendering ran it on from the last date-led teaser.

    A teaser of the newer layout is a headline and perhaps a lead: where the page shows no
    blank line and no finished sentence between the last teaser and the article, the lines
    after the last date line run on far past what any other teaser holds. The article is
    then looked for after as many lines as the longest other teaser has.
    """
    indices = _date_line_indices(lines)
    if len(indices) < 2:
        return None
    longest = _longest_item(indices)
    after_last = len(lines) - indices[-1] - 1
    if after_last <= longest + 1:
        return None
    return _find_title_after(lines, indices[-1] + 1 + longest)


def _separate_leading_dates(lines: Sequence[Line]) -> list[Line]:
    """Split a ``dd.mm.yyyy`` date run together with the text after it into its own line.

    Renderings that drop the break after a date line glue it to the text it introduces
    ("09.06.2018On June 9, ...", "30.06.2025 The President received ..."); the date is the
    item's, as it is on a line of its own. A document's dated download line stays whole.
    """
    separated: list[Line] = []
    for line in lines:
        match = _LEADING_DATE.match(line.text)
        if match is None or DOWNLOAD_LINE.match(line.text) or parse_date_line(match["date"]) is None:
            separated.append(line)
            continue
        separated.append(Line(match["date"], line.gap_before, line.opens_paragraph))
        separated.append(Line(match["rest"], 0, True))
    return separated


def _date_line_indices(lines: Sequence[Line]) -> list[int]:
    return [index for index, line in enumerate(lines) if _is_date_line(line)]


def _items_closed_by_dates(lines: Sequence[Line]) -> int | None:
    """Where the page's date lines close the items above them instead of opening the next,
    the index after the last of them; None where they lead (the site's own layout).

    The site puts a teaser's date line before it; other renderings and sites put it after
    ("... teaser text.\nOctober 7, 2020"). Between two date lines the two readings differ
    only in which date the text gets, so the evidence is at the ends and in the text: a page
    that opens with a date line has them lead, and so does one whose first date line comes
    after a mere heading ("Latest news"); a last date line with nothing after it, or with
    the article's header right after it, has them close; and a text that names its own day
    ("On June 30, 2025, ...") votes for the date line it agrees with. A tie keeps the
    site's own order.
    """
    indices = _date_line_indices(lines)
    if indices and _heads_article(lines, indices[-1]):
        indices.pop()
    if len(indices) < 2 or indices[0] == 0 or not _first_item_fits(indices):
        return None
    votes = _text_date_votes(lines, indices)
    if indices[0] == 1 and len(lines[0].text.split()) <= _HEADING_WORDS:
        votes -= 1
    after_last = indices[-1] + 1
    if after_last == len(lines) or _heads_article_at(lines, after_last):
        votes += 1
    return after_last if votes > 0 else None


def _heads_article_at(lines: Sequence[Line], index: int) -> bool:
    """The article's header starts here: its title repeated with its date, a document's
    download line, or a headline over a date line and text."""
    if index + 1 >= len(lines):
        return False
    return (
        _title_repeated_with_date(lines, index) is not None
        or _title_of_document(lines, index) is not None
        or _heads_article(lines, index + 1)
    )


def _first_item_fits(indices: Sequence[int]) -> bool:
    """The lines before the first date line could be one item: no more of them than the
    longest item between two date lines. More is the article or the page's chrome above a
    widget of dated items ("Related", "Recent posts"), which the dates do not close."""
    return indices[0] <= _longest_item(indices)


def _longest_item(indices: Sequence[int]) -> int:
    """The most lines between two consecutive date lines (at ``indices``, two or more)."""
    return max(later - earlier - 1 for earlier, later in zip(indices, indices[1:]))


def _heads_article(lines: Sequence[Line], index: int) -> bool:
    """A date line between a headline and text that is no headline: an article's header
    ("Title" / "25.12.2019" / body), which says nothing of how the sidebar's dates stand."""
    return (
        0 < index < len(lines) - 1
        and _is_date_line(lines[index])
        and _is_headline(lines[index - 1].text)
        and not _is_headline(lines[index + 1].text)
        and not _is_date_line(lines[index + 1])
    )


def _text_date_votes(lines: Sequence[Line], indices: Sequence[int]) -> int:
    """Texts between two date lines that name the later line's day, less those naming the earlier's."""
    votes = 0
    for earlier, later in zip(indices, indices[1:]):
        named = find_text_date(join_lines(lines[earlier + 1 : later])[:_LEAD_DATE_WINDOW])
        if named is None:
            continue
        day = (named.month, named.day)
        earlier_date, later_date = (parse_date_line(lines[i].text) for i in (earlier, later))
        votes += (day == (later_date.month, later_date.day)) - (day == (earlier_date.month, earlier_date.day))
    return votes


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
    return (
        _opens_title_block(lines, index)
        and _is_headline(lines[index].text)
        and not (index > 0 and _is_date_line(lines[index - 1]))
    )


def _opens_title_block(lines: Sequence[Line], index: int) -> bool:
    """A paragraph's first line, or a headline after a finished sentence (see _opens_block):
    a sentence run on from another inside one paragraph is no title."""
    return lines[index].opens_paragraph or (_opens_block(lines, index) and _is_headline(lines[index].text))


def _opens_block(lines: Sequence[Line], index: int) -> bool:
    """A paragraph's first line (or the first of the lines read), or a line after a finished
    sentence.

    Renderings that set blocks one line break apart (no blank line) still end a block with
    its last sentence; in the site's own rendering a line inside a paragraph that follows a
    finished sentence is rare and never a headline.
    """
    return (
        index == 0
        or lines[index].opens_paragraph
        or _FINISHED_SENTENCE.search(lines[index - 1].text) is not None
    )


_TitleRule = Callable[[Sequence[Line], int], _TitleMatch | None]


def _find_title_after(lines: Sequence[Line], start: int) -> _TitleMatch | None:
    """The article title among the lines from ``start`` on, read as a page of their own."""
    match = _find_title(lines[start:])
    if match is None or start == 0:
        return match
    return _TitleMatch(
        match.index + start, match.published, frozenset(index + start for index in match.metadata)
    )


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
    """``Title`` then ``Title dd.mm.yyyy``: the site's usual article header.

    The repetition is evidence enough: the title need not open a paragraph, since a
    rendering without blank lines runs it on from the last teaser's line.
    """
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
    if not match or not _opens_title_block(lines, index) or _is_download_line(line) or _is_date_line(line):
        return None
    end = index + 1
    while end < len(lines) and _is_download_line(lines[end]):
        end += 1
    date = parse_date_line(match["date"]) if match["date"] else None
    published = ParsedDate(date, DateEvidence.LINE) if date else None
    return _TitleMatch(index, published, frozenset(range(index + 1, end)))


def _title_before_date_line(lines: Sequence[Line], index: int) -> _TitleMatch | None:
    """A headline followed by a lone date line; in the sidebar a date line comes *before*.

    A heading of a few words over more date lines heads a list of dated items ("Latest
    news"), not an article.
    """
    if not _can_be_title(lines, index):
        return None
    date = parse_date_line(lines[index + 1].text)
    if date is None or _heads_dated_list(lines, index):
        return None
    return _TitleMatch(index, ParsedDate(date, DateEvidence.LINE), frozenset({index + 1}))


def _heads_dated_list(lines: Sequence[Line], index: int) -> bool:
    return len(lines[index].text.split()) <= _HEADING_WORDS and any(
        _is_date_line(line) for line in lines[index + 2 :]
    )


def _title_with_body(lines: Sequence[Line], index: int) -> _TitleMatch | None:
    """No date anywhere: the first headline with a body (or a subtitle) after it.

    A date line after the headline is neither: that shape is :func:`_title_before_date_line`'s.
    """
    if not _can_be_title(lines, index):
        return None
    following = lines[index + 1]
    if not following.opens_paragraph and not _starts_a_sentence(following.text):
        return None
    if _is_date_line(following):
        return None
    return _TitleMatch(index, None, frozenset())


def _starts_a_sentence(text: str) -> bool:
    match = _SUBTITLE_START.match(text)
    return match is not None and match["letter"].isupper()


# -- the sidebar ---------------------------------------------------------------------------


@dataclass
class _TeaserGroup:
    date: datetime.date | None
    """The date line that opened or closed this teaser, if any."""
    lines: list[Line]


def _split_teasers(sidebar: Sequence[Line], dates_close_items: bool) -> list[ParsedTeaser]:
    """Group sidebar lines into teasers and date them."""
    groups = _groups_closed_by_dates(sidebar) if dates_close_items else _groups_led_by_dates(sidebar)
    groups = [group for group in groups if group.lines]
    texts = [join_lines(group.lines) for group in groups]
    evidence = [
        group.date if group.date is not None else find_text_date(text) for group, text in zip(groups, texts)
    ]
    dates = infer_years(evidence)
    return [ParsedTeaser(text=text, published=date) for text, date in zip(texts, dates)]


def _groups_closed_by_dates(sidebar: Sequence[Line]) -> list[_TeaserGroup]:
    """Each date line ends the teaser above it; lines after the last date stand undated."""
    groups = [_TeaserGroup(None, [])]
    for line in sidebar:
        date = parse_date_line(line.text)
        if date is None:
            groups[-1].lines.append(line)
        else:
            groups[-1].date = date
            groups.append(_TeaserGroup(None, []))
    return groups


def _groups_led_by_dates(sidebar: Sequence[Line]) -> list[_TeaserGroup]:
    """Newer layout: a date line opens a teaser, which runs to the next date line.

    Undated lines before the first date line are the older layout, split by
    :func:`_starts_undated_teaser`.
    """
    groups: list[_TeaserGroup] = []
    rendering = _sidebar_rendering(sidebar)
    for index, line in enumerate(sidebar):
        date = parse_date_line(line.text)
        if date is not None:
            groups.append(_TeaserGroup(date, []))
        elif groups and (
            groups[-1].date is not None or not _starts_undated_teaser(sidebar, index, rendering, groups[-1])
        ):
            groups[-1].lines.append(line)
        else:
            groups.append(_TeaserGroup(None, [line]))
    return groups


class _Rendering(enum.Enum):
    """How the sidebar's text sets undated teasers apart."""

    WIDE_GAPS = "two blank lines between teasers, one between a teaser's paragraphs (the site's)"
    FLAT = "the same gap between any two blocks: each block is a teaser"
    FEW_BLOCKS = "two blocks or fewer, one gap: it may be either"


def _sidebar_rendering(sidebar: Sequence[Line]) -> _Rendering:
    """A sidebar of three blocks or more with no gap of two blank lines is not the site's."""
    if any(line.gap_before >= 2 for line in sidebar[1:]):
        return _Rendering.WIDE_GAPS
    blocks = sum(_opens_block(sidebar, index) for index in range(len(sidebar)))
    return _Rendering.FLAT if blocks >= 3 else _Rendering.FEW_BLOCKS


def _starts_undated_teaser(
    sidebar: Sequence[Line], index: int, rendering: _Rendering, current: _TeaserGroup
) -> bool:
    """Whether this line starts a teaser of the older layout (no date lines).

    In the site's rendering a paragraph one blank line after another goes on with the same
    teaser, unless it opens with its own date ("On 14 February 2024, ..."), as a lead does
    and a teaser's later paragraph does not. In a flat rendering nothing tells a teaser's
    second paragraph from the next teaser, so each block is one. With two blocks only, the
    second is a teaser of its own if it names a day with its year other than the first's:
    a second paragraph goes on with its teaser's story and rarely dates anything else.
    """
    line = sidebar[index]
    if rendering is _Rendering.WIDE_GAPS:
        return line.gap_before >= 2 or (line.opens_paragraph and _opens_with_its_date(line.text))
    if not _opens_block(sidebar, index):
        return False
    return rendering is _Rendering.FLAT or _names_another_day(line.text, join_lines(current.lines))


def _names_another_day(text: str, before: str) -> bool:
    named, named_before = date_of_text(text), date_of_text(before)
    return named is not None and named_before is not None and named.value != named_before.value


def _opens_with_its_date(text: str) -> bool:
    return opening_date(text) is not None


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
        url=url,
    )


def _date_of_lead(body: str) -> ParsedDate | None:
    """The date the lead paragraph opens with, if it names its year."""
    return infer_years([opening_date(body.split("\n\n", 1)[0])])[0]
