"""``newswatch run --notify``: the service tells a loopback webhook of each crawl's changes as
soon as the crawl ends, retries in the background, reports failures in /healthz, and sends
what a killed service left behind once it runs again."""

from __future__ import annotations

import signal

import pytest

from tests.support.notify_receivers import WebhookReceiver
from tests.support.service_harness import ServiceProcess, copy_seeds, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

EDITED_SEED = "001_fc7659276f95b503.txt"
SEED_ITEMS = 24
"""The news items of the five seed pages: the first crawl's message counts them all."""


def test_each_crawl_with_changes_is_told_once_as_it_ends(tmp_path):
    fixtures = copy_seeds(tmp_path / "pages")
    with (
        WebhookReceiver() as hook,
        ServiceProcess(tmp_path, fixtures, "--every", "1s", "--notify", hook.url()) as service,
    ):
        service.wait_for_crawl()
        (told,) = wait_for(hook.accepted, "the first crawl's message")
        assert told.payload["title"] == f"newswatch: {SEED_ITEMS} new"
        assert told.payload["message"].endswith(f"http://127.0.0.1:{service.port}/changes")

        page = fixtures / EDITED_SEED
        page.write_text(page.read_text().replace("about 1,000 men", "about 1,200 men"))
        edited = wait_for(lambda: len(hook.accepted()) == 2 and hook.accepted()[1], "the edit's message")
        assert edited.payload["title"] == "newswatch: 1 updated"
        assert "1,200 men" in edited.payload["message"]

        later = service.wait_for_crawl(after=service.health()["last_crawl"]["id"] + 2)
        assert later["new"] == later["updated"] == 0
        assert len(hook.received) == 2 and len({posted.message_id for posted in hook.received}) == 2
        (status,) = service.health()["notifications"]
        assert (status["sent"], status["pending"], status["failed"]) == (2, 0, 0)
        assert service.stop() == 0


def test_a_failing_destination_shows_in_healthz_and_a_restart_sends_what_was_left(tmp_path):
    fixtures = copy_seeds(tmp_path / "pages")
    with WebhookReceiver() as hook:
        hook.failures = [500] * 1000
        with ServiceProcess(tmp_path, fixtures, "--every", "1h", "--notify", hook.url()) as service:
            failing = wait_for(
                lambda: (h := service.health())["reason"] and "notification" in h["reason"] and h, "a failure"
            )
            assert failing["ok"] is False
            assert "error=500" in failing["notifications"][0]["last_error"]
            assert service.get("/healthz").status == 503
            assert service.stop(signal.SIGKILL) == -signal.SIGKILL

        hook.failures.clear()
        with ServiceProcess(tmp_path, fixtures, "--every", "1h", "--notify", hook.url()) as service:
            wait_for(hook.accepted, "the message left by the killed service")
            healthy = wait_for(lambda: (h := service.health())["ok"] and h, "/healthz to be ok again")
            assert healthy["notifications"][0]["sent"] == 1
            assert service.stop() == 0
    assert len({posted.message_id for posted in hook.received}) == 1
    assert len(hook.accepted()) == 1
