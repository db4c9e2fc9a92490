"""What a notification says: one crawl's changes for one destination, in the form the
channel takes (plain text, Markdown or HTML).

Each change is listed with its kind, title, date, site and link, and an update with a short diff
(the lines it removed and added, a few at most, a long line narrowed to what changed in it). A long batch is cut after ``MAX_LISTED``
changes with "and N more" and a link to the change log, so that a first crawl of a large
site makes one readable message, not a wall of text a channel refuses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from markupsafe import escape

from scheduler.notify.destinations import KINDS, Destination
from storage.models import BUILT_IN_SITE
from storage.outbox import CrawlChange, NewMessage
from storage.store import Store

MAX_LISTED = 20
DIFF_LINES = 6
DIFF_LINE_LENGTH = 200
CONTEXT_CHARACTERS = 40
"""Around a change inside a long line: about this much of the unchanged text either side."""


class MessageComposer:
    """The storage.outbox Composer of the configured destinations: the global ones, and each
    site's own (``by_site``), told of that site's changes only."""

    def __init__(
        self,
        destinations: Sequence[Destination],
        base_url: str,
        by_site: Mapping[str, Sequence[Destination]] | None = None,
    ) -> None:
        self.destinations = tuple(destinations)
        self.by_site = {site: tuple(told) for site, told in (by_site or {}).items()}
        self.changes_url = base_url.rstrip("/") + "/changes"

    def __call__(self, crawl_id: int, changes: list[CrawlChange]) -> list[NewMessage]:
        """A crawl run is of one site: its messages go to every global destination and to
        that site's own, each once."""
        site = changes[0].site if changes else None
        told = dict.fromkeys((*self.destinations, *self.by_site.get(site, ())))
        messages = []
        for destination in told:
            chosen = [change for change in changes if destination.filter.admits(change)]
            if chosen:
                body_format = destination.body_format
                body = render(chosen, body_format, self.changes_url)
                messages.append(
                    NewMessage(destination.spec, message_title(chosen), body, body_format, len(chosen))
                )
        return messages


def message_title(changes: Sequence[CrawlChange]) -> str:
    """``newswatch: 2 new, 1 updated``; ``newswatch (csto-ru): 2 new`` for a site added to
    the built-in one: a crawl run, so a message, is of one site, which the title names when
    there may be several (a fresh install's messages read as they always did)."""
    counts = Counter(change.kind for change in changes)
    sites = sorted({change.site for change in changes} - {BUILT_IN_SITE})
    named = f"newswatch ({', '.join(sites)}): " if sites else "newswatch: "
    return named + ", ".join(f"{counts[kind]} {kind}" for kind in KINDS if counts[kind])


def render(changes: Sequence[CrawlChange], body_format: str, changes_url: str) -> str:
    listed, rest = changes[:MAX_LISTED], len(changes) - MAX_LISTED
    if body_format == "html":
        return _html(listed, rest, changes_url)
    if body_format == "markdown":
        return _markdown(listed, rest, changes_url)
    return _text(listed, rest, changes_url)


def _text(changes: Sequence[CrawlChange], rest: int, changes_url: str) -> str:
    blocks = []
    for change in changes:
        lines = [
            f"{change.kind}: {change.title}",
            f"  {_date(change.published)} · {change.site} · {change.url or 'no link'}",
        ]
        lines += [f"  {line}" for line in short_diff(change)]
        blocks.append("\n".join(lines))
    if rest > 0:
        blocks.append(f"and {rest} more: {changes_url}")
    return "\n\n".join(blocks)


def _markdown(changes: Sequence[CrawlChange], rest: int, changes_url: str) -> str:
    blocks = []
    for change in changes:
        title = _md_escape(change.title)
        linked = f"[{title}]({change.url})" if change.url else title
        lines = [f"- **{change.kind}** {linked} · {_date(change.published)} · {_md_escape(change.site)}"]
        diff = short_diff(change)
        if diff:
            lines += ["", "  ```diff", *(f"  {line}" for line in diff), "  ```"]
        blocks.append("\n".join(lines))
    if rest > 0:
        blocks.append(f"and {rest} more: [the change log]({changes_url})")
    return "\n".join(blocks)


def _html(changes: Sequence[CrawlChange], rest: int, changes_url: str) -> str:
    items = []
    for change in changes:
        title = escape(change.title)
        linked = f'<a href="{escape(change.url)}">{title}</a>' if change.url else title
        diff = short_diff(change)
        shown = f"<pre>{escape(chr(10).join(diff))}</pre>" if diff else ""
        items.append(
            f"<li><b>{change.kind}</b> {linked} · {_date(change.published)} · {escape(change.site)}{shown}</li>"
        )
    more = f'<p>and {rest} more: <a href="{escape(changes_url)}">the change log</a></p>' if rest > 0 else ""
    return f"<ul>{''.join(items)}</ul>{more}"


def short_diff(change: CrawlChange) -> list[str]:
    """An update's removed and added lines, at most DIFF_LINES of them, each cut short."""
    if change.kind != "updated" or not change.diff:
        return []
    lines = [
        line
        for line in change.diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---")) and line[1:].strip()
    ]
    shown = [_cut(line) for line in _narrowed(lines[:DIFF_LINES])]
    if len(lines) > DIFF_LINES:
        shown.append(f"… {len(lines) - DIFF_LINES} more lines")
    return shown


def _narrowed(lines: list[str]) -> list[str]:
    """A long sentence changed in one word shows that word: a removed line followed by its
    added line keeps only what differs between them, with a few words around it."""
    result = list(lines)
    for index in range(len(result) - 1):
        old, new = result[index], result[index + 1]
        if old.startswith("-") and new.startswith("+"):
            result[index], result[index + 1] = _around_difference(old[1:], new[1:])
    return result


def _around_difference(old: str, new: str) -> tuple[str, str]:
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    start = old.rfind(" ", 0, max(0, prefix - CONTEXT_CHARACTERS)) + 1
    end_old = old.find(" ", len(old) - suffix + CONTEXT_CHARACTERS)
    end_new = new.find(" ", len(new) - suffix + CONTEXT_CHARACTERS)
    return "-" + _slice(old, start, end_old), "+" + _slice(new, start, end_new)


def _slice(text: str, start: int, end: int) -> str:
    end = len(text) if end < 0 else end
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")


def _cut(line: str) -> str:
    return line if len(line) <= DIFF_LINE_LENGTH else line[: DIFF_LINE_LENGTH - 1] + "…"


def _date(published: dt.date | None) -> str:
    return published.isoformat() if published else "no date"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def notify_through(
    store: Store,
    destinations: Sequence[Destination],
    base_url: str,
    by_site: Mapping[str, Sequence[Destination]] | None = None,
) -> None:
    """Make the store write each closed crawl's messages for ``destinations`` and its site's
    own (``by_site``; none at all: no messages); ``base_url`` is where the service serves the
    change log, for "and N more"."""
    wanted = destinations or any((by_site or {}).values())
    store.notify_with(MessageComposer(destinations, base_url, by_site) if wanted else None)
