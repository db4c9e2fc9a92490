"""Writing one page's sightings into the store: match, create or update, log the change.

Most sightings on a crawl are of items the store already holds, unchanged. That path costs
one query per page (the page's identity keys and their entries' columns, loaded together,
see storage.ingest.loaded_entry), a hash comparison per item and one UPDATE for the time and place of
all of them; only new or edited items pay for ORM entries, near-duplicate search, versions
and change events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from extraction.parsed import DateEvidence
from storage.ingest.diffing import Content, changed_fields, unified_diff
from storage.ingest.first_sight import first_sight, insert_first_sight
from storage.ingest.identity import lookup_keys
from storage.ingest.loaded_entry import KnownEntry, load_known
from storage.ingest.near_duplicates import near_duplicate
from storage.ingest.observation import Observation
from storage.models import BUILT_IN_SITE, ChangeEvent, Entry, EntryKey, EntryVersion

Matched = Entry | KnownEntry
"""An entry a sighting names: an ORM entry, or, while it is seen unchanged, its columns."""

_SEEN = update(Entry.__table__).where(Entry.__table__.c.id == bindparam("entry_id"))
_TOUCH_SEEN = _SEEN.values(last_seen=bindparam("seen_at"))
_TOUCH_PLACED = _SEEN.values(
    last_seen=bindparam("seen_at"), last_page=bindparam("page"), last_position=bindparam("position")
)


class PageWriter:
    """Stores the sightings of one page inside the caller's transaction.

    ``extractor`` is the version of the extractor that read the page, kept with every version
    it writes. A ``silent`` writer corrects entries without logging ``updated`` events: the
    page's bytes were read again by a newer extractor, so what differs is our reading, not
    the site (new items still get their ``new`` event: they were never published).
    """

    def __init__(
        self,
        session: Session,
        crawl_id: int,
        now: dt.datetime,
        *,
        extractor: int,
        site: str = BUILT_IN_SITE,
        silent: bool = False,
    ) -> None:
        self.session = session
        self.crawl_id = crawl_id
        self.site = site
        self.now = now
        self.extractor = extractor
        self.silent = silent
        self._known: dict[str, Matched] = {}
        self._tracked: set[int] = set()
        """Ids of the known entries this page handles through the ORM."""
        self._unchanged: dict[int, Observation | None] = {}
        """Known entries seen unchanged, by id: the teaser sighting that placed them last."""
        self._new_keys: list[dict] = []
        self._edits: dict[int, tuple[EntryVersion, ChangeEvent]] = {}
        """The latest version and the event of each entry edited on this page, not yet
        flushed: edits are written at commit, not flushed before every query."""

    def write(self, observations: list[Observation]) -> None:
        sightings = [(seen, lookup_keys(seen, self.site)) for seen in observations]
        self._known = load_known(self.session, {key for _, keys in sightings for key in keys})
        for seen, keys in sightings:
            self._register(self._store(seen, keys), keys)
        if self._new_keys:
            self.session.execute(insert(EntryKey.__table__), self._new_keys)
        self._touch_unchanged()

    def _store(self, seen: Observation, keys: list[str]) -> Matched:
        entry = self._match(seen, keys)
        if entry is None:
            return self._create(seen, keys[0])
        if isinstance(entry, KnownEntry) and is_unchanged(entry, seen):
            self._note_unchanged(entry.id, seen)
            return entry
        entry = self._tracked_entry(entry)
        self._update(entry, seen)
        return entry

    def _note_unchanged(self, entry_id: int, seen: Observation) -> None:
        if seen.position is not None:
            self._unchanged[entry_id] = seen
        else:
            self._unchanged.setdefault(entry_id, None)

    def _tracked_entry(self, entry: Matched) -> Entry:
        """The ORM entry, loaded at its first change on this page, and from then on used for
        every sighting of it (its earlier unchanged sightings move onto it)."""
        if isinstance(entry, KnownEntry):
            entry = self.session.get(Entry, entry.id)
        if entry.id is None or entry.id in self._tracked:
            return entry
        self._tracked.add(entry.id)
        for key, known in self._known.items():
            if isinstance(known, KnownEntry) and known.id == entry.id:
                self._known[key] = entry
        if entry.id in self._unchanged:
            placed = self._unchanged.pop(entry.id)
            if placed is not None:
                entry.last_page, entry.last_position = placed.page, placed.position
        entry.last_seen = self.now
        return entry

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
                self.session.execute(statement, rows)

    def _match(self, seen: Observation, keys: list[str]) -> Matched | None:
        """The entry this sighting is of: by an identity key, else by near-duplicate text."""
        for key in keys:
            entry = self._known.get(key)
            if entry is not None and not seen.conflicts_with(entry.url):
                return entry
        entry_id = near_duplicate(self.session, seen, self.site)
        return None if entry_id is None else self.session.get(Entry, entry_id)

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
        entry_id = insert_first_sight(self.session, sight)
        return KnownEntry(entry_id, *(sight.entry[name] for name in KnownEntry._fields[1:]))

    def _update(self, entry: Entry, seen: Observation) -> None:
        if self.silent and entry.removed:
            return  # stored bytes from before the article was removed bring nothing back
        if seen.position is not None:
            entry.last_page, entry.last_position = seen.page, seen.position
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
        entry: Entry,
        after: Content,
        evidence: DateEvidence,
        after_hash: str,
        fields: tuple[str, ...],
        page: str | None,
    ) -> None:
        with self.session.no_autoflush:
            previous, event = self._edits.get(entry.id) or (self._latest_version(entry), None)
            entry.title, entry.url, entry.published = after.title, after.url, after.published
            entry.summary, entry.body = after.summary, after.body
            entry.published_evidence, entry.content_hash = int(evidence), after_hash
            if not self.silent:  # a correction of our reading is not news to subscribers
                entry.updated_at = self.now
            version = self._new_version(entry, previous.number + 1, page)
            self.session.add(version)
            if not self.silent:
                event = log_change(
                    self.session,
                    entry,
                    self.crawl_id,
                    self.now,
                    "updated",
                    fields,
                    previous,
                    version,
                    event=event,
                )
        self._edits[entry.id] = (version, event)

    def _latest_version(self, entry: Entry) -> EntryVersion:
        return self.session.scalars(
            select(EntryVersion)
            .where(EntryVersion.entry_id == entry.id)
            .order_by(EntryVersion.number.desc())
            .limit(1)
        ).one()

    def _new_version(self, entry: Entry, number: int, page: str | None) -> EntryVersion:
        return EntryVersion(
            page=page,
            entry=entry,
            number=number,
            crawl_id=self.crawl_id,
            seen_at=self.now,
            title=entry.title,
            url=entry.url,
            published=entry.published,
            summary=entry.summary,
            body=entry.body,
            content_hash=entry.content_hash,
            extractor=self.extractor,
        )


def log_change(
    session: Session,
    entry: Entry,
    crawl_id: int,
    now: dt.datetime,
    kind: str,
    fields: tuple[str, ...],
    previous: EntryVersion | None = None,
    version: EntryVersion | None = None,
    *,
    event: ChangeEvent | None = None,
) -> ChangeEvent:
    """One event per entry and crawl: a later change in the same crawl joins that event
    (``event``, when the caller holds it; else it is looked up).

    A ``new`` event stays ``new`` (the reader sees the item once, as it is now); an
    ``updated`` event keeps the version the crawl started from, so its diff spans the crawl.
    """
    if event is None:
        event = session.scalars(
            select(ChangeEvent).where(ChangeEvent.entry_id == entry.id, ChangeEvent.crawl_id == crawl_id)
        ).one_or_none()
    if event is None:
        event = ChangeEvent(
            entry=entry, crawl_id=crawl_id, at=now, kind=kind, fields="", from_version=previous
        )
        session.add(event)
    elif kind == "removed":
        event.kind = kind
    event.fields = ",".join(dict.fromkeys([*filter(None, event.fields.split(",")), *fields]))
    if version is not None:
        event.to_version = version
        if event.kind == "updated" and event.from_version is not None:
            event.diff = unified_diff(content_of(event.from_version), content_of(version))
    return event


def is_unchanged(entry: KnownEntry, seen: Observation) -> bool:
    """Whether ``PageWriter._update`` would change nothing but when and where it was seen."""
    if entry.removed or (not seen.is_article and entry.summary is None and entry.body is not None):
        return False
    after, evidence = merged(entry, seen)
    return evidence <= entry.published_evidence and content_hash(after) == entry.content_hash


def content_of(row: Entry | EntryVersion | KnownEntry) -> Content:
    return Content(row.title, row.url, row.published, row.summary, row.body)


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
