"""Which feed sets a publish makes: the combined one if asked, and only the sites asked for
(scheduler.site_feeds.every_feed_set), so that each site of a crawl of many that publishes
its own feeds does not make every other site's too."""

from __future__ import annotations

from pathlib import Path

import pytest

import scheduler.site_feeds
from scheduler.site_feeds import every_feed_set
from scheduler.sites import WatchedSite

SITES = tuple(WatchedSite(f"site-{n}", (f"http://127.0.0.{n}/news/",)) for n in range(2, 7))
PLACES = {"data_dir": Path("/data"), "base_url": "http://127.0.0.1:8080/"}


def test_by_default_the_combined_set_then_every_site_in_order() -> None:
    assert [feeds.site for feeds in every_feed_set(SITES, **PLACES)] == [None, *(site.name for site in SITES)]


def test_only_the_sites_asked_for_and_the_combined_set_when_asked() -> None:
    names = [feeds.site for feeds in every_feed_set(SITES, **PLACES, combined=False, only={"site-4"})]
    assert names == ["site-4"]
    assert [feeds.site for feeds in every_feed_set(SITES, **PLACES, only=())] == [None]


def test_a_site_not_asked_for_costs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    original = scheduler.site_feeds.site_feeds

    def counting(site: WatchedSite, **places) -> scheduler.site_feeds.FeedSet:
        made.append(site.name)
        return original(site, **places)

    monkeypatch.setattr(scheduler.site_feeds, "site_feeds", counting)
    every_feed_set(SITES, **PLACES, combined=False, only={"site-3"})
    assert made == ["site-3"]
