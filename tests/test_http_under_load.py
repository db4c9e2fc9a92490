"""A short load from a second process while the service crawls: every feed request is
answered. Bounded in count and time; the figures are printed, no speed is asserted (the
machine is shared)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scheduler.service.crawl_child import HOOK_ENV
from tests.support.helpers import ROOT
from tests.support.service_harness import ServiceProcess, wait_for
from tests.support.service_hooks import HOOK_DIR_ENV, SLOW_SECONDS_ENV
from tests.support.synthetic_pages import write_pages

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

PAGES = 150
LOAD = ["--requests", "3000", "--seconds", "8", "--clients", "4"]


def test_the_feeds_keep_coming_while_a_crawl_runs(tmp_path):
    pages, hooks = tmp_path / "pages", tmp_path / "hooks"
    write_pages(pages, PAGES)
    hooks.mkdir()
    slow = {
        HOOK_ENV: "tests.support.service_hooks:slow_crawl",
        HOOK_DIR_ENV: str(hooks),
        SLOW_SECONDS_ENV: "2",
    }
    with ServiceProcess(tmp_path, pages, "--every", "2s", env=slow) as service:
        first = service.wait_for_crawl()  # the feeds exist from here on
        wait_for(lambda: service.health()["crawling"], "the next crawl to start")
        load = subprocess.run(
            [sys.executable, "-m", "benchmarks.http_load", "--port", str(service.port), *LOAD],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert load.returncode == 0, load.stderr
        service.wait_for_crawl(after=first["id"])  # the crawl under load finished too
    report = json.loads(load.stdout)
    print(f"\nload during a crawl: {report}")
    assert report["errors"] == 0, report["error_samples"]
    assert report["requests"] > 0 and report["during_crawl"] > 0
