"""Finding the entry an edited item is of, when none of its identity keys names one.

An edited teaser or article has new text, so new fingerprints; it is looked for among the
entries of the same date or of the same page position, and is the first whose teaser or
lead is a near duplicate of its text (storage.ingest.similarity). Only the columns the comparison
reads are loaded, with statements built once: this search runs for every new item.
"""

from __future__ import annotations

from sqlalchemy import Connection, Select, and_, bindparam, or_, select

from storage.ingest.observation import Observation, lead_of
from storage.ingest.similarity import is_near_duplicate
from storage.models import Entry

CANDIDATES = 50

_CANDIDATES = (
    select(Entry.id, Entry.url, Entry.summary, Entry.body)
    .where(Entry.site == bindparam("site"))
    .order_by(Entry.id.desc())
    .limit(CANDIDATES)
)
_SAME_DATE = Entry.published == bindparam("published")
_SAME_PLACE = and_(Entry.last_page == bindparam("page"), Entry.last_position == bindparam("position"))
_BY_DATE = _CANDIDATES.where(_SAME_DATE)
_BY_PLACE = _CANDIDATES.where(_SAME_PLACE)
_BY_DATE_OR_PLACE = _CANDIDATES.where(or_(_SAME_DATE, _SAME_PLACE))


def near_duplicate(connection: Connection, seen: Observation, site: str) -> int | None:
    """The id of the entry of ``site`` that ``seen`` is an edited sighting of, or None."""
    statement = _candidates_of(seen)
    if statement is None or not seen.identity_text:
        return None
    parameters = {"published": seen.published, "page": seen.page, "position": seen.position, "site": site}
    for entry_id, url, summary, body in connection.execute(statement, parameters):
        texts = (summary, lead_of(body))
        if not seen.conflicts_with(url) and any(
            text and is_near_duplicate(text, seen.identity_text) for text in texts
        ):
            return entry_id
    return None


def _candidates_of(seen: Observation) -> Select | None:
    by_date = seen.published is not None
    by_place = seen.page is not None and seen.position is not None
    if by_date and by_place:
        return _BY_DATE_OR_PLACE
    return _BY_DATE if by_date else _BY_PLACE if by_place else None
