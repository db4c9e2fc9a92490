"""``newswatch run`` with many sites: each on its own schedule, none held up by another.

Real service processes crawl markup sites served on loopback (tests.support.markups), each
its own server and so its own host. What a site holds and how it is edited come from the
markup sites themselves; the runs are read back from the store.
"""

from __future__ import annotations

import sqlite3

import pytest
import tomli_w

from scheduler.crawl_lock import crawl_lock
from tests.support.loopback import LoopbackServer
from tests.support.loopback_faults import Hang
from tests.support.markups import EDIT_SENTENCE, MARKUPS, MarkupSite
from tests.support.service_harness import ServiceProcess, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

ARTICLES = 6
FAST_EVERY = "2s"
SLOW_EVERY = "1h"
MARKUP_OF = {"fast": "html5", "other": "wordpress"}
CRAWL_TIMEOUT = "60s"
"""The service's crawl timeout: long enough for the fast site's crawls to go on, several times
over, while the hanging site's crawl is still being fetched."""


def write_sites(path, **sites: dict) -> str:
    path.write_text(tomli_w.dumps({"sites": sites}), encoding="utf-8")
    return str(path)


def site(server: LoopbackServer, **hints) -> dict:
    return {"url": [f"{server.origin}/news/"], "delay": 0, **hints}


def runs(service: ServiceProcess, name: str) -> list[str]:
    """The statuses of the site's crawl runs, oldest first."""
    with sqlite3.connect(service.data_dir / "newswatch.sqlite3") as connection:
        rows = connection.execute(
            "select status from crawl_runs where site = ? and mode = 'live' order by id", (name,)
        )
        return [status for (status,) in rows]


@pytest.fixture
def markup_sites() -> dict[str, MarkupSite]:
    return {name: MarkupSite(MARKUPS[markup], ARTICLES, per_page=5) for name, markup in MARKUP_OF.items()}


@pytest.fixture
def servers(markup_sites):
    started = {name: LoopbackServer(markup_site).start() for name, markup_site in markup_sites.items()}
    yield started
    for server in started.values():
        server.stop()


def test_a_site_with_its_own_schedule_is_crawled_on_it_the_others_on_the_services(tmp_path, servers):
    sites = write_sites(
        tmp_path / "sites.toml", fast=site(servers["fast"], every=FAST_EVERY), other=site(servers["other"])
    )
    with ServiceProcess(tmp_path, None, "--sites", sites, "--every", SLOW_EVERY) as service:
        wait_for(lambda: runs(service, "fast").count("finished") >= 3, "three crawls of the fast site")
        assert runs(service, "other") == ["finished"]
        health = service.health()
        assert health["ok"] is True, health
        assert health["sites"]["fast"]["schedule"] == f"every {FAST_EVERY}"
        assert health["sites"]["other"]["schedule"] == f"every {SLOW_EVERY}"
        assert health["sites"]["fast"]["next_run"] < health["sites"]["other"]["next_run"]
        assert service.stop() == 0


def test_a_hanging_site_leaves_the_others_crawls_and_feeds_fresh(tmp_path, servers, markup_sites):
    servers["other"].misbehave("/news/", Hang())
    sites = write_sites(
        tmp_path / "sites.toml", fast=site(servers["fast"], every=FAST_EVERY), hanging=site(servers["other"])
    )
    arguments = ("--sites", sites, "--every", SLOW_EVERY, "--timeout", CRAWL_TIMEOUT, "--recheck-days", "0")
    with ServiceProcess(tmp_path, None, *arguments) as service:
        wait_for(lambda: runs(service, "hanging") == ["running"], "the hanging site's crawl")
        wait_for(lambda: "finished" in runs(service, "fast"), "a crawl of the fast site")
        feed = service.data_dir / "feed.atom"
        before = (runs(service, "fast").count("finished"), feed.stat().st_mtime_ns)

        markup_sites["fast"].edit(markup_sites["fast"].news[0])

        def updated_events():
            changes = service.get("/changes.json").json()
            return [change for change in changes if change["kind"] == "updated" and change["url"]]

        (update,) = wait_for(updated_events, "the fast site's edit in the change log")
        assert EDIT_SENTENCE.strip() in update["diff"]
        wait_for(lambda: runs(service, "fast").count("finished") >= before[0] + 2, "more fast crawls")
        assert feed.stat().st_mtime_ns > before[1]
        assert runs(service, "hanging") == ["running"]  # still being fetched all along
        health = service.health()
        assert health["sites"]["hanging"]["crawling"] is True
        assert health["sites"]["fast"]["ok"] is True

        def failing() -> dict | None:
            """Not ok, and for the timeout: the child records its run failed a moment before
            the service learns that it stopped it for taking too long."""
            answer = service.health()
            timed_out = "timed out" in (answer["sites"]["hanging"]["reason"] or "")
            return answer if not answer["ok"] and timed_out else None

        health = wait_for(failing, "the hanging site's crawl to time out", seconds=120)
        assert health["reason"].startswith("site hanging: crawl ")
        assert "timed out" in health["sites"]["hanging"]["reason"]
        assert health["sites"]["fast"]["ok"] is True
        assert service.get("/healthz").status == 503
        assert service.stop() == 0
    assert runs(service, "hanging") == ["failed"]


def test_a_hanging_site_never_holds_up_its_schedule_mates(tmp_path, servers):
    """Both sites on one schedule, so one child crawls both: the fast site's next crawls
    start on time while the hanging site's first crawl is still being fetched."""
    servers["other"].misbehave("/news/", Hang())
    sites = write_sites(tmp_path / "sites.toml", fast=site(servers["fast"]), hanging=site(servers["other"]))
    arguments = ("--sites", sites, "--every", FAST_EVERY, "--timeout", CRAWL_TIMEOUT)
    with ServiceProcess(tmp_path, None, *arguments) as service:
        wait_for(lambda: runs(service, "fast").count("finished") >= 3, "three crawls of the fast site")
        assert runs(service, "hanging") == ["running"]  # its one crawl, still being fetched
        health = service.health()
        assert health["sites"]["fast"]["ok"] is True
        assert health["sites"]["hanging"]["crawling"] is True
        assert "still being crawled: hanging" in service.log()
        assert service.stop() == 0


def test_a_site_another_process_is_crawling_is_left_out_and_the_others_crawled(tmp_path, servers):
    """As if ``newswatch crawl --site other`` were running: the service's crawl of both sites
    (one schedule, so one child) crawls the free one and leaves the held one alone."""
    sites = write_sites(tmp_path / "sites.toml", fast=site(servers["fast"]), other=site(servers["other"]))
    held = crawl_lock(tmp_path / "data", ["other"], wait=0)
    with held, ServiceProcess(tmp_path, None, "--sites", sites, "--every", FAST_EVERY) as service:
        wait_for(lambda: runs(service, "fast").count("finished") >= 2, "two crawls of the free site")
        assert runs(service, "other") == []
        assert "still being crawled: other" in service.log()
        assert service.stop() == 0
    assert [request for request in servers["other"].requests if request.path == "/news/"] == []
