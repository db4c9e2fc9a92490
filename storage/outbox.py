"""The notification outbox: what is to be told, written with the changes it tells of.

A crawl's change events are written page by page (one transaction each, see storage.store);
its messages are written when the crawl run is closed, in the transaction that closes it,
whether the crawl finished, failed, or was killed and is closed later as abandoned. So a
closed crawl run has the messages of all its changes, and a message exists only for a closed
crawl whose changes are committed: no change without its message, no message without its
change. A message is composed once (its title and body are stored) and sent from here until
the channel accepts it, so every attempt sends the same message under the same id.

What a message says and whom it is for is the caller's (a ``Composer``, see
scheduler.notify); this module only keeps them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import BUILT_IN_SITE, ChangeEvent, Entry, OutboxMessage
from storage.records import headline_from_text

PENDING, SENT, FAILED = "pending", "sent", "failed"


@dataclass(frozen=True)
class CrawlChange:
    """One change of a crawl, as a message lists it and a destination's filter reads it."""

    kind: str
    entry_id: str
    title: str
    url: str | None
    published: dt.date | None
    diff: str | None
    text: str
    """The entry's fullest text (article body, else teaser), for keyword filters."""
    site: str = BUILT_IN_SITE
    """The name of the site the entry is of: a crawl run is of one site."""


@dataclass(frozen=True)
class NewMessage:
    """A message for one destination, as a Composer makes it."""

    destination: str
    title: str
    body: str
    body_format: str
    changes: int


Composer = Callable[[int, list[CrawlChange]], list[NewMessage]]
"""Makes a closed crawl's messages from its changes (crawl id, changes); none for no change."""


@dataclass(frozen=True)
class QueuedMessage:
    """A message waiting to be sent."""

    id: int
    message_id: str
    crawl_id: int
    destination: str
    title: str
    body: str
    body_format: str
    attempts: int
    created_at: dt.datetime


@dataclass(frozen=True)
class DestinationStatus:
    """How the messages of one destination stand."""

    destination: str
    pending: int
    sent: int
    failed: int
    last_error: str | None
    """The error of the latest failed attempt, if the latest attempt failed."""
    last_attempt_at: dt.datetime | None
    last_sent_at: dt.datetime | None


def write_for_crawl(session: Session, crawl_id: int, compose: Composer, now: dt.datetime) -> int:
    """The crawl's messages, inside the caller's transaction (the one closing the run)."""
    changes = crawl_changes(session, crawl_id)
    if not changes:
        return 0
    messages = compose(crawl_id, changes)
    for message in messages:
        session.add(
            OutboxMessage(
                message_id=uuid.uuid4().hex,
                crawl_id=crawl_id,
                destination=message.destination,
                title=message.title,
                body=message.body,
                body_format=message.body_format,
                changes=message.changes,
                created_at=now,
                status=PENDING,
                attempts=0,
                next_attempt_at=now,
            )
        )
    return len(messages)


def crawl_changes(session: Session, crawl_id: int) -> list[CrawlChange]:
    """The crawl's change events in the order they were found."""
    rows = session.execute(
        select(ChangeEvent, Entry)
        .join(Entry, Entry.id == ChangeEvent.entry_id)
        .where(ChangeEvent.crawl_id == crawl_id)
        .order_by(ChangeEvent.id)
    ).all()
    return [
        CrawlChange(
            kind=event.kind,
            entry_id=entry.feed_id,
            title=entry.title or headline_from_text(entry.summary or entry.body or ""),
            url=entry.url,
            published=entry.published,
            diff=event.diff,
            text=entry.body or entry.summary or "",
            site=entry.site,
        )
        for event, entry in rows
    ]


def due(session: Session, now: dt.datetime) -> list[QueuedMessage]:
    """Pending messages whose next attempt is due, oldest first."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
    ).all()
    return [
        QueuedMessage(
            row.id,
            row.message_id,
            row.crawl_id,
            row.destination,
            row.title,
            row.body,
            row.body_format,
            row.attempts,
            row.created_at,
        )
        for row in rows
    ]


def next_due(session: Session) -> dt.datetime | None:
    """When the next pending message is due; None when nothing is pending."""
    return session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.status == PENDING)
    )


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(OutboxMessage.status == PENDING)) or 0


def mark_sent(session: Session, message_id: int, now: dt.datetime) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            status=SENT,
            sent_at=now,
            last_attempt_at=now,
            last_error=None,
            attempts=OutboxMessage.attempts + 1,
        )
    )


def mark_failed(
    session: Session, message_id: int, now: dt.datetime, error: str, retry_at: dt.datetime | None
) -> None:
    """An attempt failed: retry at ``retry_at``, or give up (``failed``) when it is None."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(
            status=PENDING if retry_at else FAILED,
            next_attempt_at=retry_at or now,
            last_attempt_at=now,
            last_error=error,
            attempts=OutboxMessage.attempts + 1,
        )
    )


def statuses(session: Session) -> list[DestinationStatus]:
    """Every destination that has messages, with its counts and its latest attempt."""
    counts: dict[str, dict[str, int]] = {}
    for destination, status, count in session.execute(
        select(OutboxMessage.destination, OutboxMessage.status, func.count()).group_by(
            OutboxMessage.destination, OutboxMessage.status
        )
    ):
        counts.setdefault(destination, {})[status] = count
    return [_status(session, destination, found) for destination, found in sorted(counts.items())]


def _status(session: Session, destination: str, counts: dict[str, int]) -> DestinationStatus:
    latest = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.destination == destination, OutboxMessage.last_attempt_at.is_not(None))
        .order_by(OutboxMessage.last_attempt_at.desc(), OutboxMessage.id.desc())
        .limit(1)
    ).one_or_none()
    last_sent = session.scalar(
        select(func.max(OutboxMessage.sent_at)).where(OutboxMessage.destination == destination)
    )
    return DestinationStatus(
        destination=destination,
        pending=counts.get(PENDING, 0),
        sent=counts.get(SENT, 0),
        failed=counts.get(FAILED, 0),
        last_error=latest.last_error if latest is not None and latest.status != SENT else None,
        last_attempt_at=latest.last_attempt_at if latest is not None else None,
        last_sent_at=last_sent,
    )
