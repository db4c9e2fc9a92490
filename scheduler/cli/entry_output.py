"""One entry's history as `newswatch show ID` prints it for a terminal.

The JSON form is the history's own (storage.history.EntryHistory.as_json). Scraped text goes
through scheduler.reports.printable, so a page cannot reach the terminal's control codes.
"""

from __future__ import annotations

import datetime as dt

from scheduler.reports import printable
from storage.history import EntryHistory, VersionRecord

INDENT = "    "


def history_as_text(history: EntryHistory) -> str:
    """The entry, its versions oldest first (the first in full, each later one as its diff
    from the one before, then its text), and its events."""
    state = " (removed from the site)" if history.removed else ""
    lines = [
        f"entry {history.entry_id}{state}",
        f"title: {_one_line(history.title) or '(untitled)'}",
        f"url: {printable(history.url) or '(no web address known)'}",
    ]
    for version in history.versions:
        lines += ["", *_version_lines(version)]
    lines += ["", f"events ({len(history.events)}):"]
    for event in history.events:
        fields = f" ({', '.join(event.fields)})" if event.kind == "updated" and event.fields else ""
        lines.append(f"{INDENT}{_when(event.at)}  {event.kind}{fields}")
    return "\n".join(lines)


def _version_lines(version: VersionRecord) -> list[str]:
    published = version.published.isoformat() if version.published else "unknown"
    lines = [
        f"version {version.number}, seen {_when(version.at)}",
        f"{INDENT}title: {_one_line(version.title) or '(untitled)'}",
        f"{INDENT}published: {published}",
        f"{INDENT}seen at: {printable(version.url) or 'a page with no known web address'}",
    ]
    if version.diff:
        lines.append(f"{INDENT}changes from version {version.number - 1}:")
        lines += [f"{INDENT}{INDENT}{printable(line)}" for line in version.diff.splitlines()]
    lines.append(f"{INDENT}text:")
    lines += [f"{INDENT}{INDENT}{printable(line)}".rstrip() for line in (version.text or "").splitlines()]
    return lines


def _one_line(text: str | None) -> str:
    return " ".join(printable(text).split())


def _when(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
