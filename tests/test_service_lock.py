"""The crawl locks: one crawl of a site at a time across processes, crawls of other sites
beside it, never left stale by a dead holder."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from scheduler.crawl_lock import CrawlBusy, crawl_lock, free_sites_held, free_sites_locked, lock_path
from storage.models import BUILT_IN_SITE
from tests.support.helpers import ROOT, cli_environment, run_cli
from tests.support.service_harness import wait_for

pytestmark = pytest.mark.timeout(60)

SITE = [BUILT_IN_SITE]

HELD_SECONDS = 10
"""How long the test holds the lock while a crawl waits for it (the crawl starts within it)."""

HOLD_AND_SLEEP = """
import sys, time
from pathlib import Path
from scheduler.crawl_lock import crawl_lock
from storage.models import BUILT_IN_SITE
with crawl_lock(Path(sys.argv[1]), [BUILT_IN_SITE], wait=0):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_second_holder_is_refused_until_the_first_lets_go(tmp_path):
    with crawl_lock(tmp_path, SITE, wait=0):
        assert lock_path(tmp_path, BUILT_IN_SITE).read_text().startswith(f"{os.getpid()} ")
        busy = f"another crawl of site {BUILT_IN_SITE} is running \\(pid {os.getpid()}, since "
        with pytest.raises(CrawlBusy, match=busy), crawl_lock(tmp_path, SITE, wait=0):
            pass
    with crawl_lock(tmp_path, SITE, wait=0):
        pass


def test_a_waiting_holder_gets_the_lock_when_it_is_released(tmp_path, caplog):
    released = threading.Event()
    with crawl_lock(tmp_path, SITE, wait=0):
        waiter = threading.Thread(target=lambda: _take_then_signal(tmp_path, released))
        waiter.start()
        wait_for(lambda: "waiting up to 30s" in caplog.text, "the waiter to say it waits")
        assert not released.is_set()
    waiter.join(30)
    assert released.is_set()


def _take_then_signal(directory, released: threading.Event) -> None:
    with crawl_lock(directory, SITE, wait=30):
        released.set()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_SLEEP, str(tmp_path)], stdout=subprocess.PIPE, cwd=ROOT, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(CrawlBusy, match=f"pid {holder.pid}"), crawl_lock(tmp_path, SITE, wait=0):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
    with crawl_lock(tmp_path, SITE, wait=5):
        pass


@pytest.mark.e2e
def test_crawl_waits_for_a_running_crawl_then_gives_up_clearly(tmp_path):
    with crawl_lock(tmp_path, SITE, wait=0):
        result = run_cli("crawl", "--offline", "--wait", "1", data_dir=tmp_path)
    assert result.returncode == 1
    assert f"another crawl of site {BUILT_IN_SITE} is running (pid {os.getpid()}, since" in result.stderr
    assert "waiting up to 1s for it to finish" in result.stderr
    assert (
        f"newswatch: another crawl of site {BUILT_IN_SITE} is still running (pid {os.getpid()}"
        in result.stderr
    )
    assert "after waiting 1s" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "feed.rss").exists()  # nothing was crawled or published


@pytest.mark.e2e
@pytest.mark.timeout(180)
def test_the_wait_for_the_lock_is_not_part_of_the_crawls_duration(tmp_path):
    """The crawl reports how long it ran once it had the lock; the wait is logged apart."""
    command = [sys.executable, "-m", "scheduler.cli.main", "--data-dir", str(tmp_path)]
    with crawl_lock(tmp_path, SITE, wait=0):
        crawl = subprocess.Popen(
            [*command, "crawl", "--offline", "--wait", "120"],
            cwd=ROOT,
            env=cli_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(HELD_SECONDS)
        assert crawl.poll() is None, "the crawl did not wait for the lock"
        released = time.monotonic()
    out, err = crawl.communicate(timeout=120)
    since_release = time.monotonic() - released
    assert crawl.returncode == 0, err
    duration = float(re.search(r"finished in ([\d.]+)s", out).group(1))
    assert duration <= since_release, (
        f"{duration}s reported, {since_release:.1f}s after the lock was released"
    )
    assert "the other crawl has finished after" in err and "of waiting" in err


def test_crawls_of_different_sites_run_side_by_side_never_two_of_one_site(tmp_path):
    with crawl_lock(tmp_path, ["alpha", "beta"], wait=0):
        with crawl_lock(tmp_path, ["gamma"], wait=0):
            pass  # another site: not held up
        for taken in (["beta"], ["gamma", "alpha"]):
            busy = pytest.raises(CrawlBusy, match="another crawl of site (alpha|beta) is running")
            with busy, crawl_lock(tmp_path, taken, wait=0):
                pass
        with crawl_lock(tmp_path, ["gamma"], wait=0):
            pass  # a refused crawl of gamma and alpha left gamma free


def test_the_free_sites_are_taken_and_the_busy_ones_left(tmp_path):
    with (
        crawl_lock(tmp_path, ["beta"], wait=0),
        free_sites_locked(tmp_path, ["alpha", "beta", "gamma"]) as free,
    ):
        assert free == ("alpha", "gamma")
        with pytest.raises(CrawlBusy), crawl_lock(tmp_path, ["gamma"], wait=0):
            pass
    with free_sites_locked(tmp_path, ["alpha", "beta", "gamma"]) as free:
        assert free == ("alpha", "beta", "gamma")


def test_a_site_released_early_can_be_crawled_while_the_others_stay_held(tmp_path):
    """A crawl child lets go of each site as soon as its run is recorded: the next crawl of
    that site may start while the child is still crawling the others."""
    with free_sites_held(tmp_path, ["alpha", "beta"]) as free:
        free.release("alpha")
        assert free.sites == ("beta",)
        with crawl_lock(tmp_path, ["alpha"], wait=0):
            pass
        with pytest.raises(CrawlBusy), crawl_lock(tmp_path, ["beta"], wait=0):
            pass
        free.release("alpha")  # again: nothing to release, no error
    with crawl_lock(tmp_path, ["alpha", "beta"], wait=0):
        pass  # both free once the block is left


def test_only_the_runs_of_the_sites_held_are_closed_as_abandoned(store):
    alive = store.begin_crawl("live", "alpha")  # another process is crawling alpha
    abandoned = store.begin_crawl("live", "beta")
    assert store.close_abandoned_crawls("interrupted", ["beta"]) == [abandoned]
    assert store.crawl_summary(alive).status == "running"
    assert store.crawl_summary(abandoned).status == "failed"
