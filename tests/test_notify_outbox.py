"""The outbox (storage.outbox): a crawl's messages are written in the transaction that closes
its run, so a closed run has its messages and a message only tells of a closed run's changes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from extraction.text_page import parse_page
from scheduler.notify.destinations import parse_destination
from scheduler.notify.messages import MessageComposer
from scheduler.notify.sender import retry_at
from storage.models import BUILT_IN_SITE, CrawlRun, OutboxMessage
from tests.test_change_tracking import edited, page_url, seeds

HOOK = "json://127.0.0.1:9/hook"
MAIL = "mailto://127.0.0.1:25?from=newswatch@example.org&to=reader@example.org"
UPDATES_ONLY = "json://127.0.0.1:9/updates?newswatch-kinds=updated"


@pytest.fixture
def notifying(store):
    destinations = [parse_destination(url) for url in (HOOK, MAIL, UPDATES_ONLY)]
    store.notify_with(MessageComposer(destinations, "http://news.example/"))
    return store


def record(store, pages: dict[str, str]) -> int:
    crawl_id = store.begin_crawl("test")
    for prefix, text in pages.items():
        store.record_page(crawl_id, parse_page(text, url=page_url(prefix)))
    return crawl_id


def finish(store, crawl_id: int) -> None:
    store.finish_crawl(crawl_id, status="finished", pages=1, items_seen=0, errors=0, warnings=0)


def messages(store) -> list[OutboxMessage]:
    with store._sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_closed_crawl_has_one_message_per_destination_its_changes_pass(notifying):
    first = record(notifying, seeds())
    assert messages(notifying) == []  # events, but the run is not closed: no message yet
    finish(notifying, first)
    second = record(notifying, edited())
    finish(notifying, second)
    summary = notifying.crawl_summary(second)
    rows = [(m.crawl_id, m.destination, m.changes) for m in messages(notifying)]
    assert rows == [
        (first, HOOK, notifying.crawl_summary(first).new),
        (first, MAIL, notifying.crawl_summary(first).new),
        (second, HOOK, summary.updated),
        (second, MAIL, summary.updated),
        (second, UPDATES_ONLY, summary.updated),
    ]
    assert len({m.message_id for m in messages(notifying)}) == 5
    assert {m.body_format for m in messages(notifying) if m.destination == MAIL} == {"html"}


def test_a_crawl_without_changes_writes_no_message(notifying):
    finish(notifying, record(notifying, seeds()))
    before = len(messages(notifying))
    finish(notifying, record(notifying, seeds()))
    assert len(messages(notifying)) == before


def test_a_crawl_whose_process_died_gets_its_messages_when_it_is_closed(notifying):
    crawl_id = record(notifying, seeds())  # killed here: its run stays "running"
    assert notifying.close_abandoned_crawls("interrupted", [BUILT_IN_SITE]) == [crawl_id]
    assert {m.crawl_id for m in messages(notifying)} == {crawl_id}
    assert notifying.close_abandoned_crawls("interrupted", [BUILT_IN_SITE]) == []
    assert len(messages(notifying)) == 2


def test_the_run_is_not_closed_without_its_messages(notifying):
    """One transaction: if the messages cannot be written, the run stays open (and is closed,
    with them, later)."""
    crawl_id = record(notifying, seeds())

    def broken(_crawl_id, _changes):
        raise RuntimeError("no messages")

    notifying.notify_with(broken)
    with pytest.raises(RuntimeError):
        finish(notifying, crawl_id)
    with notifying._sessions() as session:
        assert session.get(CrawlRun, crawl_id).status == "running"
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_without_destinations_nothing_is_written(store):
    finish(store, record(store, seeds()))
    assert messages(store) == []


def test_sent_failed_and_retried_messages_are_counted_per_destination(notifying):
    finish(notifying, record(notifying, seeds()))
    hook, mail = notifying.due_messages()
    notifying.mark_message_sent(hook.id)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    notifying.mark_message_failed(mail.id, "error=500", later)
    assert [m.id for m in notifying.due_messages()] == []
    assert [m.id for m in notifying.due_messages(later)] == [mail.id]
    assert notifying.next_message_due() == later
    status = {s.destination: s for s in notifying.notification_statuses()}
    assert (status[HOOK].sent, status[HOOK].pending, status[HOOK].last_error) == (1, 0, None)
    assert (status[MAIL].sent, status[MAIL].pending, status[MAIL].last_error) == (0, 1, "error=500")
    notifying.mark_message_failed(mail.id, "gave up", None)
    status = {s.destination: s for s in notifying.notification_statuses()}
    assert (status[MAIL].pending, status[MAIL].failed) == (0, 1)
    assert notifying.pending_message_count() == 0


def test_retries_back_off_and_give_up_after_two_days(notifying):
    finish(notifying, record(notifying, seeds()))
    message = notifying.due_messages()[0]
    now = message.created_at
    delays = []
    for attempts in range(14):
        at = retry_at(message.__class__(**{**message.__dict__, "attempts": attempts}), now)
        delays.append((at - now).total_seconds())
    assert delays[:4] == [1, 2, 4, 8]
    assert max(delays) == 3600 and delays == sorted(delays)
    assert retry_at(message, now + dt.timedelta(days=2)) is None
