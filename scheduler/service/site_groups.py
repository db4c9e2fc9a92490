"""Which sites the service crawls together: those on the same schedule.

A site with its own ``every`` or ``cron`` in the sites file is crawled on it, the others on
the service's schedule (``--every``/``--cron``). Sites on one schedule come due at the same
moments, so they share one crawl child: one Scrapy process, each site at its own pace
(crawler.runner). Each group is one job of the service's scheduler.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crawler.plan import CrawlPlan
from scheduler.service.schedule import Schedule
from scheduler.sites import WatchedSite


@dataclass(frozen=True)
class ScheduleGroup:
    """The sites crawled on one schedule, and the scheduler job that crawls them."""

    schedule: Schedule
    plans: tuple[CrawlPlan, ...]

    @property
    def job_id(self) -> str:
        return f"crawl {self.schedule.describe()}"

    @property
    def sites(self) -> tuple[str, ...]:
        return tuple(plan.site for plan in self.plans)


def own_schedule(site: WatchedSite) -> Schedule | None:
    """The site's schedule in the sites file; None: it goes by the service's."""
    if site.every is not None:
        return Schedule(every=site.every)
    if site.cron is not None:
        return Schedule(cron=site.cron)
    return None


def own_schedules(sites: Sequence[WatchedSite]) -> dict[str, Schedule]:
    """The sites that have a schedule of their own, by name."""
    return {site.name: schedule for site in sites if (schedule := own_schedule(site)) is not None}


def schedule_groups(
    plans: Sequence[CrawlPlan], own: Mapping[str, Schedule], default: Schedule
) -> tuple[ScheduleGroup, ...]:
    """The plans grouped by schedule, in the order of their first site."""
    grouped: dict[Schedule, list[CrawlPlan]] = {}
    for plan in plans:
        grouped.setdefault(own.get(plan.site, default), []).append(plan)
    return tuple(ScheduleGroup(schedule, tuple(members)) for schedule, members in grouped.items())
