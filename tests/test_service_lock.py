"""The crawl lock: one crawl at a time across processes, never left stale by a dead holder."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from scheduler.crawl_lock import LOCK_FILENAME, CrawlBusy, crawl_lock
from tests.support.helpers import ROOT, cli_environment, run_cli
from tests.support.service_harness import wait_for

pytestmark = pytest.mark.timeout(60)

HELD_SECONDS = 10
"""How long the test holds the lock while a crawl waits for it (the crawl starts within it)."""

HOLD_AND_SLEEP = """
import sys, time
from pathlib import Path
from scheduler.crawl_lock import crawl_lock
with crawl_lock(Path(sys.argv[1]), wait=0):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_second_holder_is_refused_until_the_first_lets_go(tmp_path):
    with crawl_lock(tmp_path, wait=0):
        assert (tmp_path / LOCK_FILENAME).read_text().startswith(f"{os.getpid()} ")
        busy = f"another crawl is running \\(pid {os.getpid()}, since "
        with pytest.raises(CrawlBusy, match=busy), crawl_lock(tmp_path, wait=0):
            pass
    with crawl_lock(tmp_path, wait=0):
        pass


def test_a_waiting_holder_gets_the_lock_when_it_is_released(tmp_path, caplog):
    released = threading.Event()
    with crawl_lock(tmp_path, wait=0):
        waiter = threading.Thread(target=lambda: _take_then_signal(tmp_path, released))
        waiter.start()
        wait_for(lambda: "waiting up to 30s" in caplog.text, "the waiter to say it waits")
        assert not released.is_set()
    waiter.join(30)
    assert released.is_set()


def _take_then_signal(directory, released: threading.Event) -> None:
    with crawl_lock(directory, wait=30):
        released.set()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_SLEEP, str(tmp_path)], stdout=subprocess.PIPE, cwd=ROOT, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(CrawlBusy, match=f"pid {holder.pid}"), crawl_lock(tmp_path, wait=0):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
    with crawl_lock(tmp_path, wait=5):
        pass


@pytest.mark.e2e
def test_crawl_waits_for_a_running_crawl_then_gives_up_clearly(tmp_path):
    with crawl_lock(tmp_path, wait=0):
        result = run_cli("crawl", "--offline", "--wait", "1", data_dir=tmp_path)
    assert result.returncode == 1
    assert f"another crawl is running (pid {os.getpid()}, since" in result.stderr
    assert "waiting up to 1s for it to finish" in result.stderr
    assert f"newswatch: another crawl is still running (pid {os.getpid()}" in result.stderr
    assert "after waiting 1s" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "feed.rss").exists()  # nothing was crawled or published


@pytest.mark.e2e
@pytest.mark.timeout(180)
def test_the_wait_for_the_lock_is_not_part_of_the_crawls_duration(tmp_path):
    """The crawl reports how long it ran once it had the lock; the wait is logged apart."""
    command = [sys.executable, "-m", "scheduler.cli.main", "--data-dir", str(tmp_path)]
    with crawl_lock(tmp_path, wait=0):
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
