"""What ``GET /healthz`` answers: is the service crawling as planned, and how did it go.

Read by monitoring and by people, for each site and for all: the last crawl's record (from
the store, so an on-demand ``newswatch crawl`` counts too), how the service's own last
attempt ended (a crash or a timeout leaves no successful record), whether a crawl is running
now, and when the next one is due. When ``ok`` is false, ``reason`` says why in one line,
naming the site, and the answer's status is 503, so a monitor that looks only at the status
sees it too. One failing site makes the whole answer not ok: the others' are still there.

A store that breaks while the service runs does not stop the service: the feed files it
serves are still whole, and a passing fault (a full disk, a database server restarting)
heals by itself. It is reported here instead, until a crawl finishes again.

Notifications are reported per destination (pending, sent, failed, the last error); a
destination whose latest attempt failed makes ``ok`` false, until a message to it is
accepted again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from scheduler.notify.destinations import shown_spec
from scheduler.service.supervisor import CrawlAttempt
from storage.outbox import DestinationStatus
from storage.store import CrawlSummary


def site_health(
    *,
    last_crawl: CrawlSummary | None,
    last_attempt: CrawlAttempt | None,
    crawling: bool,
    next_run: dt.datetime | None,
    schedule: str,
) -> dict:
    """One site's part of the report. ``ok`` is false when its latest crawl failed, or the
    service's latest attempt at it ended badly without any crawl record after it (a crash
    before the crawl could even begin)."""
    reason = None
    if last_crawl is not None and last_crawl.status == "failed":
        reason = f"crawl {last_crawl.crawl_id} failed: {last_crawl.notes}"
        if _ended_by_the_service(last_attempt, last_crawl):
            reason = f"crawl {last_crawl.crawl_id} {last_attempt.outcome}: {last_attempt.detail}"
    elif (
        last_attempt is not None
        and last_attempt.outcome not in ("finished", "skipped")
        and (last_crawl is None or last_crawl.started_at < last_attempt.started_at)
    ):
        reason = f"the last crawl {last_attempt.outcome}: {last_attempt.detail}"
    return {
        "ok": reason is None,
        "reason": reason,
        "crawling": crawling,
        "schedule": schedule,
        "next_run": next_run.isoformat() if next_run else None,
        "last_crawl": _crawl_json(last_crawl) if last_crawl else None,
        "last_attempt": last_attempt.as_json() if last_attempt else None,
    }


def _ended_by_the_service(attempt: CrawlAttempt | None, crawl: CrawlSummary) -> bool:
    """The service stopped the attempt that ran this crawl (a timeout): that is why the crawl
    failed, more than the signal its record names."""
    return (
        attempt is not None
        and attempt.outcome in ("timed out", "crashed")
        and attempt.started_at <= crawl.started_at
    )


def _notification_json(status: DestinationStatus) -> dict:
    return {
        "destination": shown_spec(status.destination),
        "pending": status.pending,
        "sent": status.sent,
        "failed": status.failed,
        "last_attempt": status.last_attempt_at.isoformat() if status.last_attempt_at else None,
        "last_error": status.last_error,
    }


def health_report(
    *,
    sites: dict[str, dict],
    last_crawl: CrawlSummary | None,
    last_attempt: CrawlAttempt | None,
    schedule: str,
    store_problem: str | None = None,
    notifications: Sequence[DestinationStatus] = (),
) -> dict:
    """The whole report: each site's (:func:`site_health`) under ``sites``, the latest crawl
    and attempt of any site, and the notifications. ``ok`` is false when the store cannot be
    used, any site is not ok (``reason`` then names the first such site) or a destination's
    latest attempt failed."""
    failing = next(((name, site) for name, site in sites.items() if not site["ok"]), None)
    reason = store_problem or (f"site {failing[0]}: {failing[1]['reason']}" if failing else None)
    unsent = [status for status in notifications if status.last_error is not None]
    if reason is None and unsent:
        reason = f"notifications to {shown_spec(unsent[0].destination)} fail: {unsent[0].last_error}"
    next_runs = [site["next_run"] for site in sites.values() if site["next_run"]]
    return {
        "ok": reason is None,
        "reason": reason,
        "crawling": any(site["crawling"] for site in sites.values()),
        "schedule": schedule,
        "next_run": min(next_runs, key=dt.datetime.fromisoformat) if next_runs else None,
        "last_crawl": _crawl_json(last_crawl) if last_crawl else None,
        "last_attempt": last_attempt.as_json() if last_attempt else None,
        "sites": sites,
        "notifications": [_notification_json(status) for status in notifications],
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
