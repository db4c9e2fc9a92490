"""Notifications end to end: the real command line crawls the seed pages, edits them, crawls
again, and tells a loopback webhook and a loopback SMTP server (tests.support.notify_receivers).

What must hold (issue 14): one message per crawl with changes and destination, none for a
crawl without; a receiver that fails (500, a timeout, a refused connection) gets each message
accepted once, every attempt under the same id; a sender killed after the channel accepted a
message and before marking it sends it at most once more, with the same id."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from scheduler.notify.messages import MAX_LISTED
from tests.support.helpers import FIXTURES, SEED_FILES, run_cli, start_offline_crawl
from tests.support.notify_receivers import Posted, SmtpReceiver, WebhookReceiver

pytestmark = pytest.mark.e2e

BASE_URL = "http://news.example/"


def copy_site(directory: Path) -> Path:
    directory.mkdir()
    for seed in SEED_FILES:
        shutil.copy(seed, directory / seed.name)
    return directory


def edit_site(site: Path) -> None:
    """The site edits some of its pages in place (fixtures/edited)."""
    for edited in (FIXTURES / "edited").glob("*.txt"):
        (seed,) = [s for s in SEED_FILES if s.name[:3] == edited.name[:3]]
        shutil.copy(edited, site / seed.name)


def crawl(site: Path, data: Path, *destinations: str, env: dict | None = None):
    notify = [option for url in destinations for option in ("--notify", url)]
    result = run_cli(
        "crawl",
        "--offline",
        "--fixtures",
        str(site),
        *notify,
        data_dir=data,
        env={"NEWSWATCH_BASE_URL": BASE_URL, **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    return result


def outbox(data: Path) -> list[tuple]:
    with sqlite3.connect(data / "newswatch.sqlite3") as connection:
        return connection.execute(
            "select crawl_id, message_id, status, attempts from outbox order by id"
        ).fetchall()


def kinds_of(data: Path) -> Counter:
    return Counter(change["kind"] for change in run_cli("changes", "--json", data_dir=data).json())


@pytest.fixture(scope="module")
def two_crawls(tmp_path_factory):
    """Three crawls told to a webhook, a filtered webhook (updates only) and an SMTP server:
    the first crawl, one after the site's edits, and one with nothing changed."""
    tmp = tmp_path_factory.mktemp("notify")
    site, data = copy_site(tmp / "site"), tmp / "data"
    with WebhookReceiver() as hook, WebhookReceiver() as updates, SmtpReceiver() as mail:
        destinations = (hook.url(), updates.url("newswatch-kinds=updated"), mail.url())
        first = crawl(site, data, *destinations)
        new_count = kinds_of(data)["new"]
        edit_site(site)
        second = crawl(site, data, *destinations)
        updated = run_cli("changes", "--kind", "updated", "--json", data_dir=data).json()
        third = crawl(site, data, *destinations)
        status = run_cli(
            "notify", "status", "--json", *(f"--notify={d}" for d in destinations), data_dir=data
        )
        yield {
            "hook": hook.received,
            "updates": updates.received,
            "mail": mail.messages,
            "new_count": new_count,
            "updated": updated,
            "outputs": (first.stdout, second.stdout, third.stdout),
            "status": status.json(),
            "data": data,
        }


def test_each_crawl_with_changes_gives_one_message_per_destination(two_crawls):
    hook, mail = two_crawls["hook"], two_crawls["mail"]
    assert len(hook) == 2 and all(posted.status == 200 for posted in hook)
    assert len(mail) == 2
    assert len({posted.message_id for posted in hook}) == 2
    assert len({message["X-Newswatch-Message-Id"] for message in mail}) == 2
    titles = [posted.payload["title"] for posted in hook]
    assert titles == [
        f"newswatch: {two_crawls['new_count']} new",
        f"newswatch: {len(two_crawls['updated'])} updated",
    ]
    assert [message["Subject"] for message in mail] == titles


def test_a_crawl_without_changes_sends_nothing(two_crawls):
    first, second, third = two_crawls["outputs"]
    assert "notifications: 2 sent" in first and "notifications: 3 sent" in second
    assert "notifications" not in third
    assert [row[0] for row in outbox(two_crawls["data"])] == [1, 1, 2, 2, 2]


def test_a_filtered_destination_gets_only_what_it_asked_for(two_crawls):
    (only,) = two_crawls["updates"]
    assert only.payload["title"] == f"newswatch: {len(two_crawls['updated'])} updated"


def test_a_long_batch_is_cut_with_a_link_to_the_change_log(two_crawls):
    body = two_crawls["hook"][0].payload["message"]
    assert body.count("\nnew: ") + body.startswith("new: ") == MAX_LISTED
    assert body.endswith(f"and {two_crawls['new_count'] - MAX_LISTED} more: {BASE_URL}changes")


def test_an_update_lists_title_date_link_and_its_diff(two_crawls):
    body = two_crawls["hook"][1].payload["message"]
    for change in two_crawls["updated"]:
        assert f"updated: {change['title']}" in body
        assert change["published"] in body
        lines = [
            line
            for line in change["diff"].splitlines()
            if line[:1] in "+-" and line[:3] not in ("+++", "---")
        ]
        others = {word for line in lines[1:] for word in line[1:].split()}
        changed_words = [word for word in lines[0][1:].split() if word not in others]
        assert any(word in body for word in changed_words), changed_words


def test_e_mail_goes_as_html_with_a_text_part(two_crawls):
    message = two_crawls["mail"][1]
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "<li><b>updated</b>" in html
    assert two_crawls["updated"][0]["title"].split()[0] in text


def test_status_counts_what_was_sent(two_crawls):
    status = two_crawls["status"]
    assert [(row["sent"], row["pending"], row["failed"]) for row in status] == [
        (2, 0, 0),
        (1, 0, 0),
        (2, 0, 0),
    ]
    assert all(row["last_error"] is None for row in status)


def test_a_receiver_failing_twice_gets_each_message_once(tmp_path):
    site = copy_site(tmp_path / "site")
    with WebhookReceiver() as hook:
        hook.failures = [500, 500]
        result = crawl(site, tmp_path / "data", hook.url())
    assert [posted.status for posted in hook.received] == [500, 500, 200]
    assert len({posted.message_id for posted in hook.received}) == 1
    assert "notifications: 1 sent" in result.stdout
    assert [row[2:] for row in outbox(tmp_path / "data")] == [("sent", 3)]


def test_a_refused_connection_and_a_timeout_are_retried_under_the_same_id(tmp_path):
    site, data = copy_site(tmp_path / "site"), tmp_path / "data"
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
    refused_url = f"json://127.0.0.1:{closed.getsockname()[1]}/hook"
    with WebhookReceiver() as slow:
        slow.on_receipt = lambda posted: time.sleep(3) if len(slow.received) == 1 else None
        result = crawl(site, data, refused_url, slow.url("rto=1"))
    assert len(slow.received) == 2 and len({posted.message_id for posted in slow.received}) == 1
    assert "1 waiting for a retry" in result.stdout
    status = run_cli("notify", "status", "--json", data_dir=data).json()
    (refused,) = [row for row in status if row["pending"]]
    assert "Connection error" in refused["last_error"]

    port = closed.getsockname()[1]
    closed.close()
    with WebhookReceiver(port) as healed:
        sent = run_cli("notify", "send", data_dir=data)
    assert sent.returncode == 0, sent.stderr
    assert [posted.status for posted in healed.received] == [200]
    ids = {row[1]: row[2] for row in outbox(data)}
    assert ids[healed.received[0].message_id] == "sent"


def test_a_sender_killed_before_marking_sends_at_most_once_more_with_the_same_id(tmp_path):
    site, data = copy_site(tmp_path / "site"), tmp_path / "data"
    with WebhookReceiver() as hook:
        crawling: list[subprocess.Popen] = []

        def kill_sender(posted: Posted) -> None:
            if len(hook.received) == 1:  # accepted below, but the sender never learns it
                os.kill(crawling[0].pid, signal.SIGKILL)

        hook.on_receipt = kill_sender
        crawling.append(start_offline_crawl(site, data, env={"NEWSWATCH_NOTIFY": hook.url()}))
        assert crawling[0].wait(120) == -signal.SIGKILL
        assert [row[2] for row in outbox(data)] == ["pending"]
        again = run_cli("notify", "send", data_dir=data)
        once_more = run_cli("notify", "send", data_dir=data)
    assert again.returncode == 0 and once_more.returncode == 0, again.stderr + once_more.stderr
    assert "no notification waiting" in once_more.stdout
    assert len(hook.received) == 2
    assert hook.received[0].message_id == hook.received[1].message_id
    assert [row[2] for row in outbox(data)] == ["sent"]
