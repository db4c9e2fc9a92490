"""``newswatch sites list``: each site's schedule (its own or the service's) and its next
crawl, reckoned from that schedule and its last crawl without asking the service."""

from __future__ import annotations

import datetime as dt
import re

import tomli_w

from scheduler.service.schedule import Schedule
from storage.store import Store

OWN_EVERY = dt.timedelta(minutes=10)
SERVICE_EVERY = "1h"
CRON = "0 6 * * *"


def local(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.datetime.now().astimezone().tzinfo)


def test_an_interval_is_due_that_long_after_the_last_crawl_or_now():
    last = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    schedule = Schedule(every=OWN_EVERY)
    assert schedule.next_after(last, now=last) == last + OWN_EVERY
    assert schedule.next_after(last, now=last + 2 * OWN_EVERY) == last + 2 * OWN_EVERY  # overdue: now
    assert schedule.next_after(None, now=last) == last  # never crawled: now


def test_a_cron_line_is_due_at_its_next_time_after_the_last_crawl():
    schedule = Schedule(cron=CRON)
    after_six = local(2026, 11, 28, 7, 0)
    assert schedule.next_after(after_six, now=after_six) == local(2026, 11, 29, 6, 0)
    at_six = local(2026, 11, 28, 6, 0)
    assert schedule.next_after(at_six, now=at_six) == local(2026, 11, 29, 6, 0)


def test_sites_list_shows_each_sites_schedule_next_crawl_and_last_error(tmp_path, cli):
    sites = {
        "hourly-news": {"url": ["http://127.0.0.1:9/news/"], "every": "10m"},
        "morning": {"url": ["http://127.0.0.1:9/morning/"], "cron": CRON},
        "broken": {"url": ["http://127.0.0.1:9/broken/"]},
    }
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(tomli_w.dumps({"sites": sites}), encoding="utf-8")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    store = Store.open(f"sqlite:///{data_dir / 'newswatch.sqlite3'}")
    try:
        crawled = store.begin_crawl("live", "hourly-news")
        store.finish_crawl(crawled, status="finished", pages=1, items_seen=1, errors=0, warnings=0)
        started = store.last_crawl(site="hourly-news").started_at
        failed = store.begin_crawl("live", "broken")
        store.finish_crawl(
            failed, status="failed", pages=0, items_seen=0, errors=1, warnings=0, notes="HTTP 500"
        )
    finally:
        store.close()

    listed = cli(
        "--sites", str(sites_file), "sites", "list", data_dir=data_dir, env={"NEWSWATCH_EVERY": SERVICE_EVERY}
    )
    assert listed.returncode == 0, listed.stderr
    header, *lines = (re.split(r"\s{2,}", line) for line in listed.stdout.splitlines())
    assert header == ["name", "url", "entries", "last crawl", "schedule", "next crawl", "last error"]
    rows = {row[0]: dict(zip(header, row, strict=False)) for row in lines}
    next_crawl = (started + OWN_EVERY).astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    assert (rows["hourly-news"]["schedule"], rows["hourly-news"]["next crawl"]) == ("every 10m", next_crawl)
    assert (rows["morning"]["schedule"], rows["morning"]["next crawl"]) == (f"cron '{CRON}'", "due now")
    assert rows["broken"]["schedule"] == f"every {SERVICE_EVERY}"  # the service's
    assert rows["broken"]["last error"] == "HTTP 500"
