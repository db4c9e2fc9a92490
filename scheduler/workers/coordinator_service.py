"""``newswatch run --workers URL``: the service as the workers' coordinator.

Everything of the one-process service stays (the schedule, the HTTP server, /healthz, a clean
stop); only what a scheduled crawl does changes: instead of a crawl child, each site's crawl
cycle is queued for the workers and closed, its feeds published, when done
(scheduler.workers.coordinator).
"""

from __future__ import annotations

import logging

from crawler.distributed.board import CycleBoard
from scheduler.crawl_job import publish_feeds
from scheduler.service.scheduled_service import JOB_DEFAULTS, Service
from scheduler.service.site_groups import ScheduleGroup
from scheduler.workers.coordinator import Coordinator

log = logging.getLogger(__name__)


class CoordinatorService(Service):
    """The service, its crawls done by workers on the shared queue."""

    job_defaults = JOB_DEFAULTS | {"max_instances": 1}
    """One run of a schedule at a time: it waits until every cycle open is closed, and two
    runs would close the same cycles. So here, unlike in the one-process service, a site
    whose cycle hangs holds its schedule-mates' next cycles until its requests time out."""

    def __init__(self, *args, board: CycleBoard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.coordinator = Coordinator(
            self.store, board, lambda: publish_feeds(self.store, self.config, self.sites)
        )

    def _crawl(self, group: ScheduleGroup) -> None:
        """The scheduled job of a schedule's sites: a cycle of each, until all are closed (a
        run that comes due meanwhile is skipped, as a crawl is in the one-process service)."""
        self.crawling.update(group.sites)  # what /healthz reports as "crawling"
        try:
            self.coordinator.crawl(group.plans, self.stop)
        except Exception:
            log.exception("the scheduled crawl cycles could not run")
        finally:
            self.crawling.subtract(group.sites)
        self.sender.wake()
