"""What ``/healthz`` says: ``ok`` and, when it is not, the reason in one line (naming the
site) and status 503; each site's state under ``sites``."""

from __future__ import annotations

import datetime as dt

from werkzeug.test import Client

from scheduler.service.health import health_report, site_health
from scheduler.service.supervisor import CrawlAttempt
from scheduler.web.app import ServiceApp
from storage.store import CrawlSummary

AT = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def crawl(
    status: str, notes: str | None = None, started: dt.datetime = AT, site: str = "alpha"
) -> CrawlSummary:
    return CrawlSummary(7, status, started, started, 5, 28, 0, 0, 0, 0, 0, notes, site=site)


def one_site(**given) -> dict:
    values = {"last_crawl": crawl("finished"), "last_attempt": None, "crawling": False, "next_run": None}
    return site_health(**(values | given), schedule="every 30m")


def report(store_problem: str | None = None, **sites: dict) -> dict:
    sites = sites or {"alpha": one_site()}
    return health_report(
        sites=sites,
        last_crawl=crawl("finished"),
        last_attempt=None,
        schedule="every 30m",
        store_problem=store_problem,
    )


def test_a_finished_crawl_is_ok():
    assert report()["ok"] is True and report()["reason"] is None
    assert report()["sites"]["alpha"]["ok"] is True


def test_a_store_that_cannot_be_used_is_not_ok_and_says_why():
    problem = "database error: database disk image is malformed"
    answer = report(store_problem=problem)
    assert answer["ok"] is False and answer["reason"] == problem


def test_a_failed_crawl_or_attempt_says_why():
    assert one_site(last_crawl=crawl("failed", "interrupted by SIGTERM"))["reason"] == (
        "crawl 7 failed: interrupted by SIGTERM"
    )
    attempt = CrawlAttempt(AT + dt.timedelta(minutes=1), "crashed", "killed by SIGKILL")
    assert one_site(last_attempt=attempt)["reason"] == "the last crawl crashed: killed by SIGKILL"


def test_a_crawl_the_service_stopped_for_taking_too_long_says_so_not_its_signal():
    stopped = crawl("failed", "interrupted by SIGTERM before it finished")
    timed_out = CrawlAttempt(AT - dt.timedelta(seconds=1), "timed out", "still running after 60s, stopped")
    assert one_site(last_crawl=stopped, last_attempt=timed_out)["reason"] == (
        "crawl 7 timed out: still running after 60s, stopped"
    )
    earlier = CrawlAttempt(AT - dt.timedelta(hours=1), "finished")
    assert one_site(last_crawl=stopped, last_attempt=earlier)["reason"] == (
        "crawl 7 failed: interrupted by SIGTERM before it finished"
    )


def test_one_failing_site_makes_the_report_not_ok_and_is_named():
    failing = one_site(last_crawl=crawl("failed", "HTTP 500", site="beta"))
    later = (AT + dt.timedelta(minutes=5)).isoformat()
    answer = report(alpha=one_site(next_run=AT + dt.timedelta(minutes=5)), beta=failing)
    assert answer["ok"] is False
    assert answer["reason"] == "site beta: crawl 7 failed: HTTP 500"
    assert answer["sites"]["alpha"]["ok"] is True and answer["sites"]["beta"]["ok"] is False
    assert answer["next_run"] == later


def test_healthz_answers_503_when_not_ok(tmp_path):
    reports = iter([report(), report(store_problem="database error: disk I/O error")])
    client = Client(ServiceApp(None, tmp_path, "https://example.org/", lambda: next(reports)))
    assert client.get("/healthz").status_code == 200
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json["reason"] == "database error: disk I/O error"
