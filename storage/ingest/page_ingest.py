"""Writing one page's sightings into the store: match, create or update, log the change.

Most sightings on a crawl are of items the store already holds, unchanged. That path costs
one query per page (the page's identity keys and their entries' columns, loaded together,
see storage.ingest.loaded_entry), a hash comparison per item and one UPDATE for the time and place of
all of them; only new or edited items pay for the near-duplicate search, versions and
change events. Nothing here goes through the ORM's unit of work (storage.ingest.edit_rows says
why); the store's ORM session lends its connection, so all of it is one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

from sqlalchemy import Connection, bindparam, insert, update
from sqlalchemy.orm import Session

from extraction.parsed import DateEvidence
from storage.ingest.diffing import Content, changed_fields, content_of, unified_diff
from storage.ingest.edit_rows import (
    EditedEntry,
    EventRow,
    VersionRow,
    crawl_event,
    event_from_content,
    insert_event,
    insert_version,
    latest_version_and_event,
    load_entry,
    save_entry,
    update_event,
)
from storage.ingest.first_sight import first_sight, insert_first_sight
from storage.ingest.identity import lookup_keys
from storage.ingest.loaded_entry import KnownEntry, load_known
from storage.ingest.near_duplicates import near_duplicate
from storage.ingest.observation import Observation
from storage.models import BUILT_IN_SITE, Entry, EntryKey

Matched = EditedEntry | KnownEntry
"""An entry a sighting names: its columns as stored, or as this page changes them."""

_SEEN = update(Entry.__table__).where(Entry.__table__.c.id == bindparam("entry_id"))
_TOUCH_SEEN = _SEEN.values(last_seen=bindparam("seen_at"))
_INSERT_KEYS = insert(EntryKey.__table__)
_TOUCH_PLACED = _SEEN.values(
    last_seen=bindparam("seen_at"), last_page=bindparam("page"), last_position=bindparam("position")
)


class PageWriter:
    """Stores the sightings of one page inside the caller's transaction (on ``connection``).

    ``extractor`` is the version of the extractor that read the page, kept with every version
    it writes. A ``silent`` writer corrects entries without logging ``updated`` events: the
    page's bytes were read again by a newer extractor, so what differs is our reading, not
    the site (new items still get their ``new`` event: they were never published).

    Every row is read and written with Core statements on the session's connection (see
    storage.ingest.edit_rows): an entry is known by its columns, and one this page changes
    becomes an :class:`EditedEntry`, written back after each sighting that changes it.
    """

    def __init__(
        self,
        connection: Connection,
        crawl_id: int,
        now: dt.datetime,
        *,
        extractor: int,
        site: str = BUILT_IN_SITE,
        silent: bool = False,
    ) -> None:
        self.connection = connection
        self.crawl_id = crawl_id
        self.site = site
        self.now = now
        self.extractor = extractor
        self.silent = silent
        self._known: dict[str, Matched] = {}
        self._edited: dict[int, EditedEntry] = {}
        """The entries this page changes, by id: one object per entry for all its sightings."""
        self._unchanged: dict[int, Observation | None] = {}
        """Known entries seen unchanged, by id: the teaser sighting that placed them last."""
        self._new_keys: list[dict] = []
        self._edits: dict[int, tuple[VersionRow, EventRow | None]] = {}
        """The latest version and the event of each entry edited on this page."""

    def write(self, observations: list[Observation]) -> None:
        sightings = [(seen, lookup_keys(seen, self.site)) for seen in observations]
        self._known = load_known(self.connection, {key for _, keys in sightings for key in keys})
        for seen, keys in sightings:
            self._register(self._store(seen, keys), keys)
        if self._new_keys:
            self.connection.execute(_INSERT_KEYS, self._new_keys)
        self._touch_unchanged()

    def _store(self, seen: Observation, keys: list[str]) -> Matched:
        entry = self._match(seen, keys)
        if entry is None:
            return self._create(seen, keys[0])
        if isinstance(entry, KnownEntry) and is_unchanged(entry, seen):
            self._note_unchanged(entry.id, seen)
            return entry
        entry = self._edited_entry(entry)
        self._update(entry, seen)
        save_entry(self.connection, entry)
        return entry

    def _note_unchanged(self, entry_id: int, seen: Observation) -> None:
        if seen.position is not None:
            self._unchanged[entry_id] = seen
        else:
            self._unchanged.setdefault(entry_id, None)

    def _edited_entry(self, entry: Matched) -> EditedEntry:
        """The entry as this page changes it, made at its first change on this page and from
        then on used for every sighting of it (its earlier unchanged sightings move onto it)."""
        if isinstance(entry, EditedEntry):
            return entry
        edited = self._edited[entry.id] = EditedEntry.of(entry)
        for key, known in self._known.items():
            if known.id == entry.id:
                self._known[key] = edited
        placed = self._unchanged.pop(entry.id, None)
        if placed is not None:
            edited.place(placed.page, placed.position)
        edited.last_seen = self.now
        return edited

    def _touch_unchanged(self) -> None:
        """When (and, for teasers, where) the unchanged entries were seen: two statements at
        most for the whole page, instead of an UPDATE per entry."""
        placed = [
            {"entry_id": entry_id, "seen_at": self.now, "page": seen.page, "position": seen.position}
            for entry_id, seen in self._unchanged.items()
            if seen is not None
        ]
        unplaced = [
            {"entry_id": entry_id, "seen_at": self.now}
            for entry_id, seen in self._unchanged.items()
            if seen is None
        ]
        for statement, rows in ((_TOUCH_PLACED, placed), (_TOUCH_SEEN, unplaced)):
            if rows:
                self.connection.execute(statement, rows)

    def _match(self, seen: Observation, keys: list[str]) -> Matched | None:
        """The entry this sighting is of: by an identity key, else by near-duplicate text."""
        for key in keys:
            entry = self._known.get(key)
            if entry is not None and not seen.conflicts_with(entry.url):
                return entry
        entry_id = near_duplicate(self.connection, seen, self.site)
        if entry_id is None:
            return None
        return self._edited.get(entry_id) or load_entry(self.connection, entry_id)

    def _register(self, entry: Matched, keys: list[str]) -> None:
        """Make every key of this sighting name the entry, unless it already names one."""
        for key in keys:
            if key not in self._known:
                self._new_keys.append({"key": key, "entry_id": entry.id})
                self._known[key] = entry

    def _create(self, seen: Observation, first_key: str) -> KnownEntry:
        """A new entry (see storage.ingest.first_sight), known from now on by its columns."""
        content = Content(seen.title, seen.url, seen.published, seen.summary, seen.body)
        sight = first_sight(
            seen, first_key, content_hash(content), self.crawl_id, self.now, self.extractor, self.site
        )
        entry_id = insert_first_sight(self.connection, sight)
        return KnownEntry(entry_id, *(sight.entry[name] for name in KnownEntry._fields[1:]))

    def _update(self, entry: EditedEntry, seen: Observation) -> None:
        if self.silent and entry.removed:
            return  # stored bytes from before the article was removed bring nothing back
        if seen.position is not None:
            entry.place(seen.page, seen.position)
        if not seen.is_article and entry.summary is None and entry.body is not None:
            entry.summary = seen.summary  # the article's own teaser: no news in it
        after, evidence = merged(entry, seen)
        if evidence > entry.published_evidence:
            # Stronger evidence refines the date: not an edit, so it makes no event.
            entry.published, entry.published_evidence = after.published, int(evidence)
        after_hash = content_hash(after)
        if after_hash == entry.content_hash and not entry.removed:
            return
        fields = changed_fields(content_of(entry), after)
        if entry.removed:
            entry.removed = False
            fields = ("restored", *fields)
        if entry.title is None and entry.body is None and after.body is not None:
            fields = ("linked", *fields)
        if not fields:
            entry.content_hash = after_hash  # a refined date or a cosmetic difference
            return
        self._record_edit(entry, after, evidence, after_hash, fields, seen.page)

    def _record_edit(
        self,
        entry: EditedEntry,
        after: Content,
        evidence: DateEvidence,
        after_hash: str,
        fields: tuple[str, ...],
        page: str | None,
    ) -> None:
        previous, event = self._edits.get(entry.id) or latest_version_and_event(
            self.connection, entry.id, self.crawl_id
        )
        entry.title, entry.url, entry.published = after.title, after.url, after.published
        entry.summary, entry.body = after.summary, after.body
        entry.published_evidence, entry.content_hash = int(evidence), after_hash
        if not self.silent:  # a correction of our reading is not news to subscribers
            entry.updated_at = self.now
        version = self._new_version(entry, previous.number + 1, page)
        if not self.silent:
            event = self._log_update(entry.id, fields, previous, version, event)
        self._edits[entry.id] = (version, event)

    def _new_version(self, entry: EditedEntry, number: int, page: str | None) -> VersionRow:
        content = {name: getattr(entry, name) for name in ("title", "url", "published", "summary", "body")}
        row = content | {
            "entry_id": entry.id,
            "page": page,
            "number": number,
            "crawl_id": self.crawl_id,
            "seen_at": self.now,
            "content_hash": entry.content_hash,
            "extractor": self.extractor,
        }
        return VersionRow(insert_version(self.connection, row), number, **content)

    def _log_update(
        self,
        entry_id: int,
        fields: tuple[str, ...],
        previous: VersionRow,
        version: VersionRow,
        event: EventRow | None,
    ) -> EventRow:
        """The edit joins the entry's event in this crawl (a ``new`` event stays ``new``: the
        reader sees the item once, as it is now), or starts an ``updated`` event whose diff
        spans the crawl, from the version it started from."""
        if event is None:
            row = {"entry_id": entry_id, "crawl_id": self.crawl_id, "at": self.now, "kind": "updated",
                   "fields": "", "from_version_id": previous.id}  # fmt: skip
            event = EventRow(
                insert_event(self.connection, row), "updated", "", previous.id, content_of(previous)
            )
        event.fields = ",".join(dict.fromkeys([*filter(None, event.fields.split(",")), *fields]))
        values = {"fields": event.fields, "to_version_id": version.id}
        before = event_from_content(self.connection, event) if event.kind == "updated" else None
        if before is not None:
            values["diff"] = unified_diff(before, content_of(version))
        update_event(self.connection, event.id, values)
        return event


def log_removal(session: Session, entry_id: int, crawl_id: int, now: dt.datetime) -> None:
    """The entry's page is gone: its event in this crawl becomes ``removed``, or one starts
    (one event per entry and crawl, as for edits)."""
    connection = session.connection()
    event = crawl_event(connection, entry_id, crawl_id)
    if event is not None:
        update_event(connection, event.id, {"kind": "removed"})
        return
    row = {"entry_id": entry_id, "crawl_id": crawl_id, "at": now, "kind": "removed", "fields": "",
           "from_version_id": None}  # fmt: skip
    insert_event(connection, row)


def is_unchanged(entry: KnownEntry, seen: Observation) -> bool:
    """Whether ``PageWriter._update`` would change nothing but when and where it was seen."""
    if entry.removed or (not seen.is_article and entry.summary is None and entry.body is not None):
        return False
    after, evidence = merged(entry, seen)
    return evidence <= entry.published_evidence and content_hash(after) == entry.content_hash


def content_hash(content: Content) -> str:
    """A digest of the folded content: equal digests, no visible change."""
    return hashlib.sha256(repr(content.folded()).encode("utf-8")).hexdigest()


def merged(entry: Matched, seen: Observation) -> tuple[Content, DateEvidence]:
    """The entry's content after this sighting, and the evidence behind its date."""
    known_evidence = DateEvidence(entry.published_evidence)
    if date_wins(seen.evidence, known_evidence):
        published, evidence = seen.published, seen.evidence
    else:
        published, evidence = entry.published, known_evidence
    content = replace(
        content_of(entry),
        url=seen.url or entry.url,
        published=published,
    )
    if seen.is_article:
        return replace(content, title=seen.title, body=seen.body), evidence
    return replace(content, summary=seen.summary), evidence


def date_wins(seen: DateEvidence, known: DateEvidence) -> bool:
    """Stronger evidence wins; equal evidence is an edit, except between two guesses.

    Two pages may infer different years for one teaser (their neighbours differ); letting
    the last guess win would flip the date on every crawl, so the first guess stays.
    """
    if seen == DateEvidence.INFERRED:
        return known == DateEvidence.NONE
    return seen != DateEvidence.NONE and seen >= known
