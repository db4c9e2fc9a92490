"""Sending the outbox (storage.outbox) through Apprise: each message until its channel
accepts it, marked sent only then, under the same id every time.

- **Retries back off**: a message whose channel refused it (an error status, no answer
  within Apprise's timeouts, a refused connection) is tried again after 1, 2, 4, 8 s ... up
  to an hour between attempts; after ``GIVE_UP_AFTER`` it is marked ``failed`` and shown so
  by ``newswatch notify status`` and ``/healthz``.
- **Restarts and SIGKILL lose nothing**: what is to be sent and when is in the database, not
  in memory; a sender killed after the channel accepted a message and before it was marked
  sends it once more on its next pass, with the same id, so a receiver can drop the repeat
  (``X-Newswatch-Message-Id``; Apprise sets it as a header on ``json://``, ``form://``,
  ``xml://`` webhooks and as an e-mail header on ``mailto://``).
- **One sender at a time**: an advisory lock on ``DATA_DIR/notify.lock`` (released by the
  kernel however its holder ends), so the service's background sender and a ``newswatch
  crawl`` never send the same message at once. It is held for one pass over what is due,
  never while waiting for a retry.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scheduler.notify.destinations import Destination, parse_destination
from storage.outbox import QueuedMessage
from storage.store import Store, utcnow

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 3600.0
GIVE_UP_AFTER = dt.timedelta(hours=48)
"""A channel down for two days is not coming back by itself: the message is marked failed."""
LOCK_FILENAME = "notify.lock"
LOCK_WAIT_SECONDS = 60.0
"""How long a command waits for another sender's pass (one pass: seconds)."""
POLL_SECONDS = 0.2
ID_HEADER = "X-Newswatch-Message-Id"
HEADER_SCHEMES = ("json", "jsons", "form", "forms", "xml", "xmls", "mailto", "mailtos")
"""Apprise channels that take custom headers as ``+Name=value`` URL parameters."""


@dataclass
class Delivery:
    """What one or more passes over the outbox did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    """``destination: error`` of each failed attempt, in order."""
    busy: bool = False
    """Another process was sending: nothing was tried."""

    def add(self, other: Delivery) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.retrying = other.retrying
        self.errors += other.errors
        self.busy = other.busy


def send_message(
    destination: Destination, title: str, body: str, body_format: str, message_id: str
) -> str | None:
    """One attempt; None when the channel accepted the message, else why it did not."""
    import apprise

    sender = apprise.Apprise()
    if not sender.add(with_message_id(destination.url, message_id)):
        return "Apprise cannot use this URL"
    result = sender.notify(body=body, title=title, body_format=body_format)
    if result:
        return None
    said = [entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR", "CRITICAL")]
    return " ".join(said) or f"the channel did not accept the message ({result.status.name})"


def with_message_id(url: str, message_id: str) -> str:
    """The URL with the id as a header, where the channel takes headers."""
    scheme = url.partition("://")[0].lower()
    if scheme not in HEADER_SCHEMES:
        return url
    return f"{url}{'&' if '?' in url else '?'}+{ID_HEADER}={message_id}"


def retry_at(message: QueuedMessage, now: dt.datetime) -> dt.datetime | None:
    """When to try again after the message's failed attempt; None: give up."""
    if now - message.created_at >= GIVE_UP_AFTER:
        return None
    delay = min(FIRST_RETRY_SECONDS * 2**message.attempts, MAX_RETRY_SECONDS)
    return now + dt.timedelta(seconds=delay)


def send_due(store: Store, data_dir: Path, *, wait: float = LOCK_WAIT_SECONDS) -> Delivery:
    """One pass: every message whose attempt is due, once."""
    delivery = Delivery()
    with _sender_lock(data_dir, wait) as held:
        if not held:
            delivery.busy = True
            return delivery
        for message in store.due_messages():
            _attempt(store, message, delivery)
    delivery.retrying = store.pending_message_count()
    return delivery


def send_pending(store: Store, data_dir: Path, *, within: float) -> Delivery:
    """Passes until nothing is pending, or until the next retry falls beyond ``within``
    seconds from now (for commands, which must end: the service retries for ever after)."""
    deadline = time.monotonic() + within
    delivery = Delivery()
    while True:
        delivery.add(send_due(store, data_dir))
        due = store.next_message_due()
        if delivery.busy or due is None:
            return delivery
        pause = max(0.0, (due - utcnow()).total_seconds())
        if time.monotonic() + pause > deadline:
            return delivery
        time.sleep(pause)


def send_test(destination: Destination) -> str | None:
    """A test message to ``destination``, outside the outbox; None when it was accepted."""
    return send_message(
        destination,
        "newswatch: test message",
        "This is a test message from newswatch: notifications to this address work.",
        "text",
        f"test-{uuid.uuid4().hex}",
    )


def _attempt(store: Store, message: QueuedMessage, delivery: Delivery) -> None:
    try:
        destination = parse_destination(message.destination)
    except ValueError as error:  # a URL an upgraded Apprise no longer takes: it will not heal
        store.mark_message_failed(message.id, str(error), None)
        delivery.failed += 1
        delivery.errors.append(str(error))
        return
    error = send_message(destination, message.title, message.body, message.body_format, message.message_id)
    if error is None:
        store.mark_message_sent(message.id)
        delivery.sent += 1
        log.info(
            "notification %s (crawl %d) sent to %s", message.message_id, message.crawl_id, destination.shown
        )
        return
    again = retry_at(message, utcnow())
    store.mark_message_failed(message.id, error, again)
    delivery.errors.append(f"{destination.shown}: {error}")
    if again is None:
        delivery.failed += 1
        log.error("notification %s to %s failed for good: %s", message.message_id, destination.shown, error)
    else:
        log.warning(
            "notification %s to %s not accepted (%s); retrying at %s",
            message.message_id,
            destination.shown,
            error,
            again.isoformat(timespec="seconds"),
        )


@contextmanager
def _sender_lock(data_dir: Path, wait: float) -> Iterator[bool]:
    """True while this process holds the sender lock; False if another kept it past ``wait``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / LOCK_FILENAME, "a", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                yield False
                return
            time.sleep(POLL_SECONDS)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _try_lock(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
