"""``newswatch run`` end to end: a real service process on loopback, crawling a fixtures copy
every second, with faults injected into its crawl children (tests/support/service_hooks.py)."""

from __future__ import annotations

import os
import signal

import pytest

from storage.models import BUILT_IN_SITE
from tests.support.helpers import run_cli
from tests.support.service_harness import ServiceProcess, copy_seeds, crawl_runs, wait_for
from tests.support.service_hooks import SLOW_SECONDS_ENV, hook_env, hook_log, last_event

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

SEED_ITEMS = 24
EDITED_SEED = "001_fc7659276f95b503.txt"
SLOW_SECONDS = "5"
"""How much longer each crawl of the slow service takes: longer than an on-demand
``newswatch crawl`` takes to start on a busy machine, so that it finds the crawl running."""


def test_an_edited_page_shows_in_the_feed_and_the_change_log(tmp_path):
    fixtures = copy_seeds(tmp_path / "pages")
    with ServiceProcess(tmp_path, fixtures) as service:
        service.wait_for_crawl()  # the first, or a later one: crawls are a second apart
        news = [change for change in service.get("/changes.json").json() if change["kind"] == "new"]
        assert len(news) == SEED_ITEMS
        feed_before = service.get("/feed.atom")
        assert feed_before.status == 200 and b"1,000 men" in feed_before.body

        page = fixtures / EDITED_SEED
        page.write_text(page.read_text().replace("about 1,000 men", "about 1,200 men"))

        def updated_events():
            return [c for c in service.get("/changes.json").json() if c["kind"] == "updated"]

        (update,) = wait_for(updated_events, "an updated event in /changes.json")
        assert "-The total number of training participants is about 1,000 men" in update["diff"]
        assert "+The total number of training participants is about 1,200 men" in update["diff"]
        feed_after = wait_for(
            lambda: (a := service.get("/feed.atom")).body != feed_before.body and a, "a new feed"
        )
        assert b"1,200 men" in feed_after.body and b"1,000 men" not in feed_after.body
        assert feed_after.headers["ETag"] != feed_before.headers["ETag"]
        assert b"1,200 men" in service.get("/changes.atom").body
        assert service.stop() == 0


def test_a_crawl_slower_than_the_schedule_never_overlaps_and_crawl_waits_for_it(tmp_path):
    fixtures = copy_seeds(tmp_path / "pages")
    env = hook_env(tmp_path, "slow_crawl", **{SLOW_SECONDS_ENV: SLOW_SECONDS})
    with ServiceProcess(tmp_path, fixtures, env=env) as service:
        wait_for(lambda: hook_log(tmp_path).count("end") >= 2, "two slow crawls")
        assert "crawl skipped" not in service.log()  # the scheduler never started a second one
        wait_for(lambda: last_event(tmp_path) == "start", "a slow service crawl in progress")
        on_demand = run_cli(
            "crawl", "--offline", "--fixtures", str(fixtures), "--wait", "60", data_dir=service.data_dir
        )
        assert on_demand.returncode == 0, on_demand.stderr
        assert f"another crawl of site {BUILT_IN_SITE} is running (pid" in on_demand.stderr
        assert "waiting up to 60s" in on_demand.stderr
        assert service.stop() == 0

    events = hook_log(tmp_path)
    if events[-1] == "start":  # the crawl the stop interrupted in its slow start (never overlapping)
        events = events[:-1]
    assert events == ["start", "end"] * (len(events) // 2), events
    runs = crawl_runs(service.data_dir)
    assert len(runs) >= 4  # three service crawls and the on-demand one
    for earlier, later in zip(runs, runs[1:]):
        assert later[2] >= earlier[3], f"crawl {later[0]} started before crawl {earlier[0]} finished: {runs}"


@pytest.mark.parametrize(
    ("hook", "outcome", "note"),
    [
        ("crash_once", "crashed", "killed by SIGKILL"),
        ("hang_once", "timed out", "still running after 10s"),
        ("raise_in_scrapy_once", "failed", "RuntimeError: injected failure inside Scrapy"),
    ],
)
def test_a_failing_crawl_does_not_stop_the_service(tmp_path, hook, outcome, note):
    fixtures = copy_seeds(tmp_path / "pages")
    with ServiceProcess(
        tmp_path, fixtures, "--every", "1s", "--timeout", "10s", env=hook_env(tmp_path, hook)
    ) as service:
        failed = service.wait_for_crawl_run(status="failed")
        assert note in failed["notes"]
        recovered = service.wait_for_crawl(after=failed["id"])
        assert recovered["new"] == SEED_ITEMS
        health = service.health()
        assert health["ok"] is True and health["next_run"]
        assert service.get("/feed.rss").status == 200
        assert service.stop() == 0
    assert f"crawl of {BUILT_IN_SITE} {outcome}: " in service.log()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_the_service_and_its_crawl_promptly(tmp_path, number):
    fixtures = copy_seeds(tmp_path / "pages")
    with ServiceProcess(tmp_path, fixtures, env=hook_env(tmp_path, "hang_once")) as service:
        wait_for(lambda: last_event(tmp_path).startswith("started"), "the hanging crawl to start")
        child_pid = int(last_event(tmp_path).split()[1])
        assert service.stop(number) == 0
    assert not pid_alive(child_pid), "the crawl child outlived the service"
    (run,) = crawl_runs(service.data_dir)
    assert run[1] == "failed" and run[4].startswith("interrupted"), run
    assert "stopped" in service.log().splitlines()[-1]
    after = run_cli(
        "crawl", "--offline", "--fixtures", str(fixtures), "--wait", "0", data_dir=service.data_dir
    )
    assert after.returncode == 0, after.stderr  # no stale lock, nothing half-written in the way
    assert f"new {SEED_ITEMS}," in after.stdout


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
