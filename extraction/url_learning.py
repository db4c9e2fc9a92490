"""Which URLs of a site are its articles, learnt from the links of one of its listing pages.

A listing page links each of its articles by a headline: a link whose text is long enough to
name one story. The URLs of those links share a shape (``/2025/06/26/<slug>/``,
``/news/<number>-<slug>.html``, ``/node/<number>``, ``/view.aspx?ID=<number>``) that the
site's menus, sections and pagers do not have. So the rule is the shape shared by at least
:data:`MIN_LINKS` headline links, written as an :class:`extraction.urls.ArticleUrls` pattern,
and it is refused when the evidence is thin or when the shape would also take the page's
navigation for articles: a crawl that follows nothing can be told the pattern, a crawl that
follows junk publishes it (docs/architecture.md, "Which links are articles").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from extraction.blocks import is_navigation
from extraction.listing import HEADLINE_LENGTH
from extraction.normalize import fold
from extraction.urls import ALTERNATIVES, SPECIAL, ArticleUrls, is_numbered_listing_page

MIN_LINKS = 3
"""Headline links that must share a shape: two could be a menu's two long entries."""
HEADLINE_SHARE = 1 / 3
"""The share of the page's headline links that the best shape must hold: a listing's stories
share one shape; headlines scattered over many shapes are a page of widgets."""
RIVAL_SHARE = 3
"""Another shape is kept beside the best one when it has at least a third of its links (the
site's documents beside its news); a smaller group is a widget's, and is never the rule, not
even when the best shape is refused."""
STRAY_SHARE = 0.25
"""How many of the links a shape matches may be no headline (a menu entry, a section, a tag)
before the shape is too loose: at most a quarter of its headline links."""
EXTENSION = re.compile(r"\.[A-Za-z]{2,5}$")
FILES = frozenset({
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".rtf", ".zip", ".rar",
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".mp3", ".mp4", ".avi", ".mov",
    ".xml", ".rss", ".json", ".css", ".js", ".ics", ".csv", ".txt",
})  # fmt: skip
"""Extensions of files, which are no article pages however their links read."""
NUMBER_FIRST = re.compile(r"^\d+(?P<separator>[-_])\D")
NUMBER_LAST = re.compile(r"\D(?P<separator>[-_])\d+$")
YEAR = re.compile(r"^(?:19|20)\d\d$")
MONTH_OR_DAY = re.compile(r"^\d\d?$")


@dataclass(frozen=True)
class LearntArticleUrls:
    """The rule learnt from a page, or none and why."""

    articles: ArticleUrls | None
    links: int
    """The headline links the rule was learnt from (0 when refused)."""
    reason: str
    """How the rule was found, or why none was: words for the crawl log and ``sites add``."""


@dataclass(frozen=True)
class _Segment:
    """One part of a URL's path (or one query parameter) and the kind of value it holds."""

    kind: str
    """``number``, ``date`` (year, month and day segments together), or ``text``."""
    value: str
    extension: str = ""
    name: str = ""
    """For a query parameter, its name."""


def learn_article_urls(
    page_url: str, links: Iterable[tuple[str, str]], *, listings: Iterable[str] = ()
) -> LearntArticleUrls:
    """The article rule of the site of ``page_url`` from the page's ``(url, text)`` links.

    ``listings`` are URLs known to be no articles (the page itself when it is a listing, the
    start URLs): a shape that matches one of them is refused.
    """
    local = _local_links(page_url, links)
    headlines = _headline_urls(local)
    groups = _groups(headlines)
    candidates = [candidate for group in groups if (candidate := _candidate(group)) is not None]
    best = max((count for _, count in candidates), default=0)
    if best < MIN_LINKS:
        return _refused(f"only {best} headline links share a URL shape ({MIN_LINKS} needed)")
    if best < HEADLINE_SHARE * len(headlines):
        return _refused(
            f"no URL shape is shared by a third of the {len(headlines)} headline links ({best} at most)"
        )
    not_articles = {*listings, *(url for url, _ in local if is_numbered_listing_page(url))}
    kept: list[tuple[ArticleUrls, int]] = []
    refusals: list[str] = []
    for rule, count in sorted(candidates, key=lambda candidate: -candidate[1]):
        if count < max(MIN_LINKS, best / RIVAL_SHARE):
            break
        refusal = _refusal(rule, count, local, set(headlines), not_articles)
        if refusal:
            refusals.append(refusal)
        else:
            kept.append((rule, count))
    if not kept:
        return _refused(refusals[0])
    rule = ArticleUrls.from_pattern(ALTERNATIVES.join(rule.pattern for rule, _ in kept))
    count = sum(count for _, count in kept)
    path = urlsplit(page_url).path or "/"
    return LearntArticleUrls(rule, count, f"{rule.pattern}, learnt from {count} links on {path}")


def _refused(reason: str) -> LearntArticleUrls:
    return LearntArticleUrls(None, 0, f"no article pattern: {reason}")


def _local_links(page_url: str, links: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The links to other pages of the page's own host (``www.`` or not)."""
    host = _host(page_url)
    here = page_url.split("#")[0]
    return [
        (url.split("#")[0], text)
        for url, text in links
        if url.startswith(("http://", "https://")) and _host(url) == host and url.split("#")[0] != here
    ]


def _host(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    return host.removeprefix("www.")


def _headline_urls(links: Sequence[tuple[str, str]]) -> dict[str, None]:
    """The URLs that some link names by a headline, each once (a card links its story by its
    picture, its headline and "Read more": one story)."""
    return dict.fromkeys(
        url
        for url, text in links
        if len(folded := fold(text)) >= HEADLINE_LENGTH and not is_navigation(folded) and not _is_url(folded)
    )


def _is_url(text: str) -> bool:
    """A link that shows its own address names no story."""
    return text.startswith(("http://", "https://", "www."))


def _groups(urls: Iterable[str]) -> list[list[tuple[_Segment, ...]]]:
    """URLs by shape: the same number of segments, each of the same kind, with the same
    extension and the same query parameters."""
    groups: dict[tuple, list[tuple[_Segment, ...]]] = defaultdict(list)
    for url in urls:
        segments = _segments(url)
        if segments and segments[-1].extension in FILES:
            continue
        groups[tuple((s.kind, s.extension, s.name) for s in segments)].append(segments)
    return list(groups.values())


def _segments(url: str) -> tuple[_Segment, ...]:
    parts = urlsplit(url)
    path = [part for part in parts.path.split("/") if part]
    segments: list[_Segment] = []
    index = 0
    while index < len(path):
        date = _date_at(path, index)
        if date:
            segments.append(_Segment("date", "/".join(path[index : index + date])))
            index += date
            continue
        segments.append(_segment(path[index]))
        index += 1
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        segments.append(_Segment("number" if value.isdigit() else "text", value, name=name))
    return tuple(segments)


def _date_at(path: Sequence[str], index: int) -> int:
    """How many segments from ``index`` spell a date: ``2025/06/26`` (3) or ``2025/06`` (2)."""
    if not YEAR.match(path[index]) or index + 1 >= len(path) or not MONTH_OR_DAY.match(path[index + 1]):
        return 0
    if not 1 <= int(path[index + 1]) <= 12:
        return 0
    following = path[index + 2] if index + 2 < len(path) else ""
    return 3 if MONTH_OR_DAY.match(following) and 1 <= int(following) <= 31 else 2


def _segment(text: str) -> _Segment:
    extension = EXTENSION.search(text)
    stem, suffix = (
        (text[: extension.start()], extension.group()) if extension and extension.start() else (text, "")
    )
    return _Segment("number" if stem.isdigit() else "text", stem, suffix.lower())


def _candidate(group: Sequence[tuple[_Segment, ...]]) -> tuple[ArticleUrls, int] | None:
    """The pattern of a group of same-shaped URLs, or none when it says nothing but "some
    text in each segment" (``/<slug>/``, ``/*/<slug>/``): that is every page of a site."""
    pattern = _pattern(group)
    if pattern is None:
        return None
    return ArticleUrls.from_pattern(pattern), len(group)


def _pattern(group: Sequence[tuple[_Segment, ...]]) -> str | None:
    path: list[str] = []
    query: list[str] = []
    anchored = False
    for position in zip(*group, strict=True):
        piece, fixed = _generalised(position)
        if position[0].name:
            if _names_the_item(position):
                query.append(f"{position[0].name}={piece}")
                anchored = anchored or fixed
        else:
            path.append(piece)
            anchored = anchored or fixed
    if not anchored or not path and not query:
        return None
    text = "/" + "/".join(path) + ("/" if path and not group[0][-1].extension and not query else "")
    return f"{text}?{'&'.join(query)}" if query else text


def _names_the_item(values: Sequence[_Segment]) -> bool:
    """Whether a query parameter tells the articles apart (``?id=123``, ``?p=45``): a number
    that varies. One that stays the same names a section or a listing page, and a text one
    tracks the click (``utm_source``, ``mod``) or says where it came from."""
    return all(value.kind == "number" for value in values) and len({value.value for value in values}) > 1


def _generalised(values: Sequence[_Segment]) -> tuple[str, bool]:
    """One position of the group as a pattern piece, and whether it pins the shape down (a
    fixed text, a number, a date, an extension: anything but free text)."""
    first = values[0]
    extension = first.extension
    if first.kind == "date":
        return "/".join(("<year>", "<month>", "<day>")[: first.value.count("/") + 1]), True
    if first.kind == "number":
        return "<number>" + extension, True
    texts = [value.value for value in values]
    if len(set(texts)) == 1 and not SPECIAL & set(first.value):
        return first.value + extension, True
    for form, template in ((NUMBER_FIRST, "<number>{}<slug>"), (NUMBER_LAST, "<slug>{}<number>")):
        separators = {match.group("separator") if (match := form.search(text)) else None for text in texts}
        if len(separators) == 1 and None not in separators:
            return template.format(separators.pop()) + extension, True
    free = "*" if len(set(texts)) < len(texts) else "<slug>"
    return free + extension, bool(extension)


def _refusal(
    rule: ArticleUrls,
    count: int,
    links: Sequence[tuple[str, str]],
    headlines: set[str],
    not_articles: set[str],
) -> str | None:
    """Why a shape is no article rule: it matches a listing or a pager, or many links that are
    no headline (a menu's sections); None when it holds."""
    listing = next((url for url in sorted(not_articles) if rule.matches(url)), None)
    if listing:
        return f"{rule.pattern} would also match the listing {listing}"
    strays = sorted({url for url, _ in links if url not in headlines and rule.matches(url)})
    if len(strays) > STRAY_SHARE * count:
        return (
            f"{rule.pattern} would also match {len(strays)} links that are no headline, such as {strays[0]}"
        )
    return None
