"""What ``GET /healthz`` answers: is the service crawling as planned, and how did it go.

Read by monitoring and by people: the last crawl's record (from the store, so an on-demand
``newswatch crawl`` counts too), how the service's own last attempt ended (a crash or a
timeout leaves no successful record), whether a crawl is running now, and when the next
one is due.
"""

from __future__ import annotations

import datetime as dt

from scheduler.service.supervisor import CrawlAttempt
from storage.store import CrawlSummary


def health_report(
    *,
    last_crawl: CrawlSummary | None,
    last_attempt: CrawlAttempt | None,
    crawling: bool,
    next_run: dt.datetime | None,
    schedule: str,
) -> dict:
    """``ok`` is false when the latest crawl failed, or the service's latest attempt ended
    badly without any crawl record after it (a crash before the crawl could even begin)."""
    crawl_failed = last_crawl is not None and last_crawl.status == "failed"
    attempt_failed = (
        last_attempt is not None
        and last_attempt.outcome not in ("finished", "skipped")
        and (last_crawl is None or last_crawl.started_at < last_attempt.started_at)
    )
    return {
        "ok": not (crawl_failed or attempt_failed),
        "crawling": crawling,
        "schedule": schedule,
        "next_run": next_run.isoformat() if next_run else None,
        "last_crawl": _crawl_json(last_crawl) if last_crawl else None,
        "last_attempt": last_attempt.as_json() if last_attempt else None,
    }


def _crawl_json(summary: CrawlSummary) -> dict:
    return {
        "id": summary.crawl_id,
        "status": summary.status,
        "started_at": summary.started_at.isoformat(),
        "finished_at": summary.finished_at.isoformat() if summary.finished_at else None,
        "pages": summary.pages,
        "items_seen": summary.items_seen,
        "new": summary.new,
        "updated": summary.updated,
        "removed": summary.removed,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "notes": summary.notes,
    }
