"""One entry's whole history as an HTML page (``GET /entries/ID``), for people.

ID is the entry's feed id (the RSS guid, the Atom and JSON Feed id, ``entry_id`` in the
change log's JSON) URL-quoted: ``/entries/urn%3Auuid%3A…``. The unquoted form works too
(HTTP servers decode the path before routing), so an id pasted from a feed finds its page.
A full id rather than a shorter form: it is what every other view of the entry shows, it
never changes, and a reader can look it up in a feed without a table of short names.

The page shows the entry's present title, a link to the original article, its events, and
every version oldest first: title, publication date, where it was read (the page it was
read on: a listing for a teaser, the article's own page; else the article's address when one
was known then), when, the diff from the version before and
the text (as in the feeds, at most ENTRY_TEXT_LIMIT characters of each). Markup safety: scheduler.web.html_parts.
"""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup

from feeds.text import ENTRY_TEXT_LIMIT, capped, paragraphs
from scheduler.web.html_parts import diff_block, html_page, moment, one_line, web_link
from storage.history import EntryHistory, VersionRecord
from storage.records import ChangeRecord, headline_from_text

ENTRIES_PREFIX = "entries/"


def entry_href(entry_id: str) -> str:
    """The entry page's address relative to the service's root (``entries/urn%3Auuid%3A…``)."""
    return ENTRIES_PREFIX + quote(entry_id, safe="")


def render_entry_page(history: EntryHistory) -> str:
    """The page of ``history``; its links are relative to ``/entries/``."""
    title = _title(history)
    removed = (
        Markup(' · <span class="kind kind-removed">removed</span> from the site') if history.removed else ""
    )
    original = (
        Markup("<p>The original: {}{}</p>").format(web_link(history.url, history.url), removed)
        if history.url
        else Markup("<p>No web address of the original is known{}.</p>").format(removed)
    )
    header = Markup(
        '<p class="meta"><a href="../changes">← change log</a></p>\n<h1>{}</h1>\n{}\n'
        '<p class="meta">Entry id: <code>{}</code> · {} · {}</p>'
    ).format(
        title,
        original,
        history.entry_id,
        _count(len(history.versions), "version"),
        _count(len(history.events), "change"),
    )
    events = Markup("\n").join(_event(event) for event in history.events)
    latest = history.versions[-1] if history.versions else None
    versions = Markup("\n").join(
        _version(version, open_text=version is latest) for version in history.versions
    )
    body = Markup("<h2>Changes</h2>\n<ul>\n{}\n</ul>\n<h2>Versions, oldest first</h2>\n{}").format(
        events, versions
    )
    return html_page(f"newswatch: {title}", header, body)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _title(history: EntryHistory) -> str:
    """The present title, else one made from the latest text (a teaser has no title)."""
    if history.title:
        return one_line(history.title)
    latest = history.versions[-1].text if history.versions else ""
    return one_line(headline_from_text(latest or "")) or "(untitled)"


def _event(event: ChangeRecord) -> Markup:
    fields = f": {', '.join(event.fields)}" if event.kind == "updated" and event.fields else ""
    return Markup(
        '<li class="event"><span class="kind kind-{kind}">{kind}</span> {when}{fields}</li>'
    ).format(kind=event.kind, when=moment(event.at), fields=fields)


def _version(version: VersionRecord, *, open_text: bool) -> Markup:
    """One version; its text is shown open for the latest one, a click away for the others."""
    published = version.published.isoformat() if version.published else "unknown"
    seen_on = next((address for address in (version.page, version.url) if _on_the_web(address)), None)
    where = web_link(seen_on, seen_on) if seen_on else Markup("a page with no known web address")
    changes = (
        Markup("<p>Changes from version {}:</p>{}").format(version.number - 1, diff_block(version.diff))
        if version.diff
        else ""
    )
    kept, cut = capped(version.text or "")
    text = Markup("").join(Markup("<p>{}</p>").format(one_line(part)) for part in paragraphs(kept))
    if cut:
        text += Markup("<p>… the text goes on (cut at {} characters): see the original.</p>").format(
            ENTRY_TEXT_LIMIT
        )
    return Markup(
        '<article class="version" id="version-{number}">\n'
        "<h3>Version {number}</h3>\n"
        '<p class="meta">seen {when} · at {where} · published {published}</p>\n'
        "<h2>{title}</h2>\n{changes}\n"
        '<details{open}><summary>The text of version {number}</summary><div class="text">{text}</div></details>\n'
        "</article>"
    ).format(
        number=version.number,
        when=moment(version.at),
        where=where,
        published=published,
        title=one_line(version.title) or "(no title: a teaser)",
        changes=changes,
        open=Markup(" open") if open_text else "",
        text=text or Markup("<p>(no text)</p>"),
    )


def _on_the_web(address: str | None) -> bool:
    """A page's web address; a local file's (an offline crawl of saved pages) is no place a
    reader can go."""
    return bool(address) and address.startswith(("http://", "https://"))
