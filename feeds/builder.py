"""Building the RSS 2.0 / Atom 1.0 documents from stored entries and change events.

Two promises shape this module:

* **Same input, same bytes.** Every timestamp in the output comes from the data (never from
  the clock, except ``generated_at`` for an empty feed), entries keep the order they are
  given in, and feed ids are derived, not random. A regeneration after a crawl that found
  nothing new therefore writes nothing (see :mod:`feeds.writer`), and HTTP validators
  (ETag / Last-Modified) stay put, so readers polling the feed get ``304``.
* **Always well-formed.** All text goes through :mod:`feeds.text` before it reaches
  feedgen, so a control character scraped from a page cannot break the whole feed.

The entry ids are the store's permanent ids (``StoredEntry.entry_id``): a reader must never
show the same news twice, even after its title or text was corrected.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from storage.records import ChangeRecord, StoredEntry, headline_from_text

from .channels import BUILT_IN_FEED_SITE, GENERATOR, Channel, FeedSite
from .text import ENTRY_TEXT_LIMIT, capped, excerpt, one_line, preformatted_html, text_to_html, xml_safe

if TYPE_CHECKING:  # feedgen and lxml are imported where a feed is built (see _new_feed)
    from feedgen.entry import FeedEntry
    from feedgen.feed import FeedGenerator

FeedFormat = Literal["rss", "atom"]

DEFAULT_TITLE = BUILT_IN_FEED_SITE.title
DEFAULT_CHANGES_TITLE = BUILT_IN_FEED_SITE.changes_title
UNTITLED = "Untitled news item"

_FEED_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://en.odkb-csto.org/#newswatch")
"""Namespace of the name-based UUIDs this module derives (feed ids, change-event ids)."""

_ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_MEDIA_TYPES: dict[str, str] = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def build_entries_feed(
    entries: Sequence[StoredEntry],
    fmt: FeedFormat,
    *,
    self_url: str,
    channel: Channel,
    generated_at: dt.datetime,
    labels: Mapping[str, FeedSite] | None = None,
) -> bytes:
    """The news feed in RSS 2.0 (``fmt="rss"``) or Atom 1.0 (``fmt="atom"``), UTF-8 bytes.

    ``entries`` are expected newest first and keep their order. Removed entries are listed
    like the others: they were published, and a reader that saw them must not see them
    vanish and reappear. The feed's ``updated`` / ``lastBuildDate`` is the newest entry
    change, or ``generated_at`` when there are no entries at all. With ``labels`` (the
    sites by name; a combined feed of several sites), each entry says its site.
    """
    if fmt not in _MEDIA_TYPES:
        raise ValueError(f"unknown feed format {fmt!r}; expected 'rss' or 'atom'")
    fg = _new_feed(
        channel,
        feed_id=_derived_urn(f"feed:entries:{channel.identity}"),
        title=one_line(channel.title) or DEFAULT_TITLE,
        description=channel.description,
        author=channel.author,
        self_url=self_url,
        self_type=_MEDIA_TYPES[fmt],
        updated=_newest((e.updated for e in entries), default=generated_at),
    )
    if labels is not None and fmt == "rss":
        fg.load_extension("dc", atom=False, rss=True)
    home = _home(channel)
    sites = [_label(labels, entry.site, home) for entry in entries]
    for entry, site, updated in zip(entries, sites, distinct_seconds(e.updated for e in entries)):
        fe = _news_entry(entry, fmt, site.home_url if site else home, updated)
        fg.add_entry(fe, order="append")
        if site is not None:
            _say_site(fe, site, fmt)
    if fmt == "rss":
        return fg.rss_str(pretty=True)
    return _with_entry_languages(fg.atom_str(pretty=True), channel, sites)


def build_changes_feed(
    changes: Sequence[ChangeRecord],
    *,
    self_url: str,
    channel: Channel,
    generated_at: dt.datetime,
    labels: Mapping[str, FeedSite] | None = None,
) -> bytes:
    """The change log as an Atom 1.0 feed: one entry per event, in the given order.

    Each event gets its own permanent id (see :func:`change_event_id`), so a reader shows
    every edit of a news item once, as its own item. The content of an ``updated`` event is
    its diff, preformatted; ``new`` and ``removed`` events get a short description. With
    ``labels``, each event says its site, as in :func:`build_entries_feed`.
    """
    fg = _new_feed(
        channel,
        feed_id=_derived_urn(f"feed:changes:{channel.identity}"),
        title=one_line(channel.changes_title) or DEFAULT_CHANGES_TITLE,
        description=channel.changes_description,
        author=GENERATOR,
        self_url=self_url,
        self_type=_MEDIA_TYPES["atom"],
        updated=_newest((c.at for c in changes), default=generated_at),
    )
    home = _home(channel)
    sites = [_label(labels, change.site, home) for change in changes]
    for change, site, at in zip(changes, sites, distinct_seconds(c.at for c in changes)):
        fe = _change_entry(change, site.home_url if site else home, at)
        fg.add_entry(fe, order="append")
        if site is not None:
            _say_site(fe, site, "atom")
    return _with_entry_languages(fg.atom_str(pretty=True), channel, sites)


def change_event_id(change: ChangeRecord) -> str:
    """A permanent ``urn:uuid:`` for one change event, derived from its event and entry ids.

    A fragment appended to the entry id (``urn:uuid:…#event-3``) is not a valid URN, hence a
    name-based (version 5) UUID. Records without an event id (``event_id == 0``, not stored
    yet) fall back to kind and timestamp so that two of them still get distinct ids.
    """
    if change.event_id:
        name = f"change:{change.entry_id}:{change.event_id}"
    else:
        name = f"change:{change.entry_id}:{change.kind}:{_utc(change.at).isoformat()}"
    return _derived_urn(name)


def _new_feed(
    channel: Channel,
    *,
    feed_id: str,
    title: str,
    description: str,
    author: str,
    self_url: str,
    self_type: str,
    updated: dt.datetime,
) -> FeedGenerator:
    """A FeedGenerator with the channel-level fields both feeds share.

    The self link is added before the alternate link on purpose: feedgen uses the *last*
    feed link as the RSS ``<channel><link>``, which must be the site, not the feed. The
    feed-level author is there because RFC 4287 requires one when entries carry none. A
    channel of sites in different languages states none (its entries are in several).

    feedgen (and lxml, dateutil with it) is imported here rather than with the module: the
    settings name this package's defaults, and a command such as ``newswatch changes``
    should not pay for a feed library it does not use.
    """
    from feedgen.feed import FeedGenerator

    home = _home(channel)
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.description(xml_safe(description))
    fg.subtitle(xml_safe(description))
    fg.link(href=xml_safe(self_url).strip(), rel="self", type=self_type)
    fg.link(href=home, rel="alternate", type="text/html")
    fg.author(name=one_line(author) or GENERATOR, uri=home)
    if channel.language:
        fg.language(channel.language)
    # feedgen's default names its own version; the output would change with a library
    # upgrade even when the data did not.
    fg.generator(GENERATOR)
    fg.updated(updated)
    return fg


def _with_entry_languages(atom: bytes, channel: Channel, sites: Sequence[FeedSite | None]) -> bytes:
    """An Atom feed of sites in several languages, each entry in its own (``xml:lang``).

    The feed states no language then (see :func:`_new_feed`), and feedgen sets none on
    entries, so the document is read back and each entry, in order, given its site's. Any
    other feed is returned as it is.
    """
    if channel.language or not any(site and site.language for site in sites):
        return atom
    from lxml import etree

    root = etree.fromstring(atom)
    for element, site in zip(root.iter(f"{{{_ATOM}}}entry"), sites):
        if site is not None and site.language:
            element.set(_XML_LANG, site.language)
    return etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=True)


def _home(channel: Channel) -> str:
    return xml_safe(channel.home_url).strip()


def _label(labels: Mapping[str, FeedSite] | None, name: str, home: str) -> FeedSite | None:
    """The site an entry of a combined feed says it is of; a site no longer watched (its
    entries are kept) by its name alone."""
    if labels is None:
        return None
    return labels.get(name) or FeedSite(name=name, title=name, home_url=home)


def _say_site(fe: FeedEntry, site: FeedSite, fmt: FeedFormat) -> None:
    """Which site an entry of a combined feed is of, where readers show it: the entry's
    author (Atom; ``dc:creator`` in RSS, whose ``author`` must be an e-mail address) is the
    site's title, and its category the site's name, for readers' filters."""
    title = one_line(site.title) or site.name
    if fmt == "rss":
        fe.dc.dc_creator(title)
        fe.category(term=site.name)
    else:
        fe.author(name=title, uri=xml_safe(site.home_url).strip())
        fe.category(term=site.name, label=title)


def _news_entry(entry: StoredEntry, fmt: FeedFormat, site_url: str, updated: dt.datetime) -> FeedEntry:
    """One news item (``updated``: its distinct second, see :func:`distinct_seconds`). RSS
    gets HTML in description/content:encoded, Atom typed text."""
    from feedgen.entry import FeedEntry

    fe = FeedEntry()
    fe.guid(xml_safe(entry.entry_id).strip(), permalink=False)
    fe.title(headline(entry))
    fe.link(href=xml_safe(entry.url).strip() or site_url, rel="alternate")
    fe.published(published_at(entry))
    fe.updated(updated)

    # The teaser is the site's own summary; an article seen without one is previewed by
    # the start of its body.
    teaser = xml_safe(entry.summary).strip() or excerpt(entry.body)
    content = xml_safe(entry.content).strip()
    link = xml_safe(entry.url).strip() or site_url
    if fmt == "rss":
        if teaser:
            fe.description(capped_html(teaser, link), isSummary=True)
        if content and content != teaser:
            # Escaped HTML as element text, not CDATA: a CDATA section cannot hold "]]>".
            fe.content(capped_html(content, link))
    else:
        if teaser:
            fe.summary(_capped_text(teaser, link), type="text")
        if content:
            fe.content(capped_html(content, link), type="html")
    return fe


def published_at(entry: StoredEntry) -> dt.datetime:
    """When an item was published, for every feed format: its date at midnight UTC, else
    (no date known) when it was first seen."""
    if entry.published is not None:
        return dt.datetime.combine(entry.published, dt.time(0), tzinfo=dt.UTC)
    return _utc(entry.first_seen)


def capped_html(text: str, link: str) -> str:
    """``text`` as HTML (RSS content, JSON Feed content_html), at most ENTRY_TEXT_LIMIT characters of it, then where the rest is."""
    kept, cut = capped(text)
    if not cut:
        return text_to_html(text)
    where = html.escape(link)
    return text_to_html(kept) + f'\n<p>… continued at <a href="{where}">{where}</a></p>'


def _capped_text(text: str, link: str) -> str:
    """Plain ``text``, at most ENTRY_TEXT_LIMIT characters of it, then where the rest is."""
    kept, cut = capped(text)
    return f"{kept}\n\n… continued at {link}" if cut else text


def _change_entry(change: ChangeRecord, site_url: str, at: dt.datetime) -> FeedEntry:
    """One change-log event: "<kind>: <title>", linking to the article when known; ``at`` is
    its distinct second (see :func:`distinct_seconds`)."""
    from feedgen.entry import FeedEntry

    fe = FeedEntry()
    fe.id(change_event_id(change))
    name = one_line(change.title) or xml_safe(change.url).strip() or UNTITLED
    fe.title(f"{one_line(change.kind)}: {name}")
    fe.link(href=xml_safe(change.url).strip() or site_url, rel="alternate")
    fe.published(at)
    fe.updated(at)
    fe.category(term=one_line(change.kind) or "change")
    fe.content(_change_html(change), type="html")
    return fe


def _change_html(change: ChangeRecord) -> str:
    """What a change-log reader needs to see: the diff, or what appeared / disappeared."""
    title = html.escape(one_line(change.title) or UNTITLED)
    url = xml_safe(change.url).strip()
    published = change.published.isoformat() if change.published else None
    where = f' at <a href="{html.escape(url)}">{html.escape(url)}</a>' if url else ""
    if change.kind == "updated":
        fields = ", ".join(one_line(f) for f in change.fields if one_line(f))
        head = f"<p>Changed: {html.escape(fields)}</p>" if fields else "<p>Changed.</p>"
        diff, cut = capped(xml_safe(change.diff).strip("\n"))
        rest = f"\n<p>… the diff goes on (cut at {ENTRY_TEXT_LIMIT} characters).</p>" if cut else ""
        return head + "\n" + (preformatted_html(diff) or "<p>(no diff recorded)</p>") + rest
    if change.kind == "removed":
        return f"<p>{title}: no longer available{where}. It stays in the news feed.</p>"
    dated = f" Published {published}." if published else " Publication date unknown."
    return f"<p>New: {title}{where}.{dated}</p>"


def headline(entry: StoredEntry) -> str:
    """The entry's headline, XML-safe and on one line, never empty (Atom requires a title;
    the JSON Feed shows the same one)."""
    return (
        one_line(entry.title)
        or one_line(headline_from_text(xml_safe(entry.summary or entry.body or "")))
        or UNTITLED
    )


def distinct_seconds(moments: Iterable[dt.datetime]) -> list[dt.datetime]:
    """Each moment in UTC to the second, a second earlier than that where an entry before it
    (newer, in feed order) already has that second.

    One page's items are stored in one transaction at one instant, so they share a second;
    feed validators warn at two entries with the same ``updated`` (it reads as a feed that
    stamps everything "now"). Stepping back keeps the order and the values stable across
    regenerations: an entry added later, at a later second, moves none of the others.
    """
    taken: set[dt.datetime] = set()
    reached: dict[dt.datetime, dt.datetime] = {}
    """From each second, the earliest one a step back from it came to: every second between
    is taken, so the next entry of that second resumes there (a page's hundred items would
    otherwise walk back over each other, a hundred squared steps)."""
    distinct: list[dt.datetime] = []
    for moment in moments:
        start = _utc(moment)
        second = reached.get(start, start)
        while second in taken:
            second -= dt.timedelta(seconds=1)
        taken.add(second)
        reached[start] = second
        distinct.append(second)
    return distinct


def _utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC to the second; a naive value is taken to be UTC already.

    Naive datetimes are what SQLite hands back for timezone-aware columns; refusing them
    would make the whole feed fail over a storage detail. Sub-second precision is noise in
    a feed and would make otherwise identical regenerations differ.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def _newest(moments: Iterable[dt.datetime], *, default: dt.datetime) -> dt.datetime:
    """The latest of ``moments`` in UTC, or ``default`` when there are none."""
    normalized = [_utc(m) for m in moments]
    return max(normalized) if normalized else _utc(default)


def _derived_urn(name: str) -> str:
    """A stable ``urn:uuid:`` for ``name`` within newswatch's namespace."""
    return f"urn:uuid:{uuid.uuid5(_FEED_NAMESPACE, name)}"
