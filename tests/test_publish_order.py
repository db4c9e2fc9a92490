"""A crawl is marked finished only once its feeds are written, so that whoever sees a finished
crawl (``/healthz``, a monitoring script) can fetch feeds that already hold its items."""

from __future__ import annotations

from scrapy import signals
from twisted.internet.task import Clock

import crawler.runner
import scheduler.crawl_job
from crawler.plan import CrawlPlan
from scheduler.config import Config
from scheduler.sites import WatchedSite


class NoScrapy(crawler.runner.CrawlerProcess):
    """The crawl's engine without the reactor (it starts once per process): nothing fetched,
    but every start page taken as answered (a crawl that reached none has failed), and each
    spider closed as Scrapy closes it."""

    def start(self, *args, **kwargs):
        for crawl in self.crawlers:
            for url in crawl.spider.plan.start_urls:
                crawl.spider.start_pages.reached(url)
            crawl.signals.send_catch_log(signal=signals.spider_closed, spider=crawl.spider, reason="finished")


def test_feeds_are_written_before_the_crawl_is_marked_finished(tmp_path, store, monkeypatch):
    monkeypatch.setattr(crawler.runner, "CrawlerProcess", NoScrapy)
    statuses_while_publishing = []
    real_publish = scheduler.crawl_job.publish_feeds

    def publish_and_look(store_, config, *args, **kwargs):
        statuses_while_publishing.append(store_.last_crawl().status)
        return real_publish(store_, config, *args, **kwargs)

    monkeypatch.setattr(scheduler.crawl_job, "publish_feeds", publish_and_look)
    config = Config(data_dir=tmp_path, database_url="unused: the store is given")
    plan = CrawlPlan(start_urls=("http://127.0.0.1:9/",), offline=True)

    [summary], feeds = scheduler.crawl_job.crawl_and_publish(store, config, [plan])

    assert statuses_while_publishing == ["running"]
    assert summary.status == "finished"
    assert sorted(path.name for path in feeds.values()) == [
        "changes.atom",
        "feed.atom",
        "feed.json",
        "feed.rss",
    ]
    assert all(path.exists() for path in feeds.values())


def test_with_many_sites_each_finish_writes_its_own_feeds_and_the_combined_ones_are_not_rewritten_each_time(
    tmp_path, store, monkeypatch
):
    """Three sites finishing within the interval: each one's own feeds as it finishes, the
    combined ones at the first finish and once more, for the other two, at the end."""
    monkeypatch.setattr(crawler.runner, "CrawlerProcess", NoScrapy)
    monkeypatch.setattr(crawler.runner, "_reactor_clock", Clock)
    published = []
    real_publish = scheduler.crawl_job.publish_feeds

    def publish_and_note(store_, config, sites, *, only=None, combined=True):
        published.append((tuple(only or ()), combined))
        return real_publish(store_, config, sites, only=only, combined=combined)

    monkeypatch.setattr(scheduler.crawl_job, "publish_feeds", publish_and_note)
    config = Config(data_dir=tmp_path, database_url="unused: the store is given")
    names = ("alpha", "beta", "gamma")
    sites = [WatchedSite(name, (f"http://{name}.example/news/",)) for name in names]
    plans = [CrawlPlan(start_urls=site.start_urls, site=site.name, offline=True) for site in sites]

    summaries, feeds = scheduler.crawl_job.crawl_locked_sites(store, config, plans, sites)

    assert [summary.status for summary in summaries] == ["finished"] * 3
    # the sites close in no set order
    assert [combined for _, combined in published] == [False, True, False, False, True]
    assert sorted(only for only, combined in published if not combined) == [(name,) for name in names]
    assert {"feed.atom", "changes.atom"} <= {path.name for path in feeds.values()}
    for name in names:
        assert (tmp_path / "sites" / name / "feed.atom").is_file()
    assert (tmp_path / "feed.atom").is_file()
