"""What ``/healthz`` says: ``ok`` and, when it is not, the reason in one line and status 503."""

from __future__ import annotations

import datetime as dt

from werkzeug.test import Client

from scheduler.service.health import health_report
from scheduler.service.supervisor import CrawlAttempt
from scheduler.web.app import ServiceApp
from storage.store import CrawlSummary

AT = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def crawl(status: str, notes: str | None = None, started: dt.datetime = AT) -> CrawlSummary:
    return CrawlSummary(7, status, started, started, 5, 28, 0, 0, 0, 0, 0, notes)


def report(**given) -> dict:
    values = {"last_crawl": crawl("finished"), "last_attempt": None, "crawling": False, "next_run": None}
    return health_report(**(values | given), schedule="every 30m")


def test_a_finished_crawl_is_ok():
    assert report()["ok"] is True and report()["reason"] is None


def test_a_store_that_cannot_be_used_is_not_ok_and_says_why():
    problem = "database error: database disk image is malformed"
    answer = report(store_problem=problem)
    assert answer["ok"] is False and answer["reason"] == problem


def test_a_failed_crawl_or_attempt_says_why():
    assert report(last_crawl=crawl("failed", "interrupted by SIGTERM"))["reason"] == (
        "crawl 7 failed: interrupted by SIGTERM"
    )
    attempt = CrawlAttempt(AT + dt.timedelta(minutes=1), "crashed", "killed by SIGKILL")
    assert report(last_attempt=attempt)["reason"] == "the last crawl crashed: killed by SIGKILL"


def test_healthz_answers_503_when_not_ok(tmp_path):
    reports = iter([report(), report(store_problem="database error: disk I/O error")])
    client = Client(ServiceApp(None, tmp_path, "https://example.org/", lambda: next(reports)))
    assert client.get("/healthz").status_code == 200
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json["reason"] == "database error: disk I/O error"
