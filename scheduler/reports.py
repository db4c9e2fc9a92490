"""What the command line prints for people: the crawl report and the change-log table.

Scraped text is printed through :func:`printable`, so an escape sequence or a bidi override
hidden in a page can never reach the user's terminal.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named in annotations: printing needs no store (and no SQLAlchemy)
    from storage.records import ChangeRecord
    from storage.store import CrawlSummary

TITLE_WIDTH = 70
FAILURES_SHOWN = 20


def printable(text: str | None) -> str:
    """Text with control and format characters (ESC, bidi overrides...) made harmless."""
    if not text:
        return ""
    return "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else "\ufffd" for ch in text)


def crawl_seconds(summary: CrawlSummary) -> float:
    """How long the crawl ran, from its record: a wait for another crawl's lock is not part
    of it (scheduler.crawl_lock logs the wait)."""
    if summary.finished_at is None:
        return 0.0
    return max(0.0, (summary.finished_at - summary.started_at).total_seconds())


def crawl_summary_line(summary: CrawlSummary) -> str:
    """One line for a finished crawl: the command line prints it, the service logs it."""
    outcome = "finished" if summary.status == "finished" else f"FAILED ({summary.notes})"
    return (
        f"crawl {summary.crawl_id} {outcome} in {crawl_seconds(summary):.1f}s: "
        f"pages {summary.pages}, items seen {summary.items_seen}, new {summary.new}, "
        f"updated {summary.updated}, removed {summary.removed}, errors {summary.errors}, "
        f"warnings {summary.warnings}"
    )


def failure_lines(summary: CrawlSummary) -> list[str]:
    """One line per page the crawl did not get (the first few), saying why and what next."""
    lines = [
        f"{'failed' if failure.retry else 'not followed'}: {printable(failure.url)}: "
        f"{printable(failure.reason)}{' (retried by the next crawl)' if failure.retry else ''}"
        for failure in summary.failures[:FAILURES_SHOWN]
    ]
    if len(summary.failures) > FAILURES_SHOWN:
        lines.append(f"... and {len(summary.failures) - FAILURES_SHOWN} more")
    return lines


def crawl_report(summaries: list[CrawlSummary], feeds: dict[str, Path], database: str) -> str:
    """What ``newswatch crawl`` prints: each site's summary line and failures (the site named
    when there are several), the database, the feeds."""
    lines = []
    for summary in summaries:
        named = f"{summary.site}: " if len(summaries) > 1 else ""
        lines += [named + crawl_summary_line(summary), *failure_lines(summary)]
    lines.append(f"database: {database.split('@')[-1]}")
    lines += [f"feed ({kind}): {path}" for kind, path in feeds.items()]
    return "\n".join(lines)


def changes_table(changes: list[ChangeRecord], *, filtered: bool = False) -> str:
    """The change log as a table; when empty, why: nothing recorded yet, or nothing that
    matches ``--since``/``--kind`` (not to be mistaken for an empty store). A log of several
    sites has a site column: the same title may be news on two of them."""
    if not changes:
        return (
            "no changes match --since/--kind"
            if filtered
            else "no changes recorded yet (run: newswatch crawl)"
        )
    site_width = max(len(change.site) for change in changes) if len({c.site for c in changes}) > 1 else 0
    columns = _TableColumns(site_width)
    rows = [columns.row("when (UTC)", "kind", "site", "published", "title")]
    for change in changes:
        title = printable(change.title).replace("\n", " ")
        if len(title) > TITLE_WIDTH:
            title = title[: TITLE_WIDTH - 1] + "…"
        published = change.published.isoformat() if change.published else "-"
        when = change.at.strftime("%Y-%m-%d %H:%M")
        rows.append(columns.row(when, change.kind, change.site, published, title))
        if change.fields and change.kind == "updated":
            rows.append(columns.row("", "", "", "", f"changed: {', '.join(change.fields)}"))
        if change.diff:
            rows.extend(columns.indent + printable(line) for line in change.diff.splitlines())
    return "\n".join(rows)


@dataclass(frozen=True)
class _TableColumns:
    """The change table's columns; the site column only when its width is not 0."""

    site_width: int

    def row(self, when: str, kind: str, site: str, published: str, title: str) -> str:
        site_cell = f"{site:<{self.site_width}} " if self.site_width else ""
        return f"{when:<17} {kind:<8} {site_cell}{published:<10}  {title}"

    @property
    def indent(self) -> str:
        """Where a diff's lines start: under the title column's first characters."""
        return " " * (38 + (self.site_width + 1 if self.site_width else 0))
