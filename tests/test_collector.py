"""A crawl runs with the imports' objects frozen and the young generation collected less
often, and leaves the collector as it found it (crawler.collector)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.collector import YOUNG_GENERATION_THRESHOLD, collecting_less

ROOT = Path(__file__).resolve().parent.parent
CRAWL_REPORTING_THE_COLLECTOR = """
import gc, sys
from pathlib import Path
from crawler.plan import CrawlPlan
from crawler.runner import fixture_urls, run_crawl
from storage.store import Store

before = gc.get_threshold()
def during():
    print("during", gc.get_threshold()[0], gc.get_freeze_count() > 0)
plan = CrawlPlan(tuple(fixture_urls(Path(sys.argv[2]))), offline=True)
summary = run_crawl(Store.open(sys.argv[1]), plan, before_finish=during)
print("status", summary.status)
print("after", gc.get_threshold() == before, gc.get_freeze_count())
"""


def test_within_the_young_generation_waits_longer_and_what_exists_is_frozen() -> None:
    thresholds = gc.get_threshold()
    with collecting_less():
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, *thresholds[1:])
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


def test_what_a_caller_froze_stays_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collecting_less():
            pass
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_an_exception_within_leaves_the_collector_as_it_was() -> None:
    thresholds = gc.get_threshold()
    with pytest.raises(RuntimeError), collecting_less():
        raise RuntimeError("crawl failed")
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0


@pytest.mark.e2e
def test_a_crawl_runs_collecting_less_and_restores_the_collector(tmp_path: Path) -> None:
    command = [sys.executable, "-c", CRAWL_REPORTING_THE_COLLECTOR,
               f"sqlite:///{tmp_path / 'store.sqlite3'}", str(ROOT / "fixtures" / "html")]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"during {YOUNG_GENERATION_THRESHOLD} True" in done.stdout
    assert "status finished" in done.stdout
    assert "after True 0" in done.stdout
