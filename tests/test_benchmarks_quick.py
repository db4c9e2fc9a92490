"""The benchmarks still run (``python -m benchmarks.run --quick``), and their bulk-built
stores hold what the ingest writes. No timing is asserted: the machine is shared and noisy."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from benchmarks.bulk_store import build_store
from benchmarks.mirror_items import article_page
from storage.store import Store
from tests.support.helpers import ROOT
from tests.support.loopback import LoopbackServer
from tests.support.mirror import build_mirror

MEASUREMENTS = set(range(1, 8))
PEER = 6
# Columns that differ between any two stores however written: the clocks.
VOLATILE = {"first_seen", "last_seen", "updated_at", "seen_at", "at"}


def run_benchmark(module: str, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    """``python -m benchmarks.MODULE ARGS`` from the repository root; it must succeed."""
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.mark.e2e
@pytest.mark.slow
def test_quick_benchmarks_report_every_measurement(tmp_path):
    run_benchmark("run", "--quick", "--out", str(tmp_path))
    rows = {row["number"]: row for row in json.loads((tmp_path / "results.json").read_text())["measurements"]}
    assert set(rows) == MEASUREMENTS
    assert "| 7 |" in (tmp_path / "results.md").read_text()
    for number, row in rows.items():
        if number == PEER and importlib.util.find_spec("urlwatch") is None:
            assert row["skipped"], "without urlwatch the peer row must say why it was skipped"
            continue
        assert row["skipped"] is None
        assert row["checks"], f"measurement {number} has no figure"
        for check in row["checks"]:
            assert isinstance(check["value"], (int, float)), check
            assert isinstance(check["passed"], bool), check
    if importlib.util.find_spec("urlwatch") is None:
        pytest.skip("urlwatch is not installed (pip install -e '.[bench]'): the peer was not measured")


def test_bulk_built_store_holds_the_rows_the_ingest_writes(tmp_path):
    bulk = build_store(f"sqlite:///{tmp_path / 'bulk.sqlite3'}", 30)
    ingested = Store.open(f"sqlite:///{tmp_path / 'ingested.sqlite3'}")
    crawl_id = ingested.begin_crawl("full")
    for index in range(30):
        ingested.record_page(crawl_id, article_page(index))
    for table in ("entries", "entry_keys", "entry_versions", "change_events"):
        assert _rows(bulk, table) == _rows(ingested, table), table


def _rows(store: Store, table: str) -> list[tuple]:
    with store.engine.connect() as connection:
        result = connection.execute(text(f"SELECT * FROM {table}"))
        kept = [index for index, name in enumerate(result.keys()) if name not in VOLATILE]
        return sorted(tuple(row[index] for index in kept) for row in result)


@pytest.mark.e2e
@pytest.mark.slow
def test_many_sites_benchmark_compares_the_same_fetches(tmp_path):
    """benchmarks.many_sites at its smallest: two sites on their own addresses, crawled by
    newswatch and by the bare spider over the same URLs; every figure reported."""
    sites, articles = 2, 3
    run_benchmark(
        "many_sites",
        "--sites",
        str(sites),
        "--few",
        "1",
        "--articles",
        str(articles),
        "--rounds",
        "1",
        "--delay",
        "0",
        "--json",
        str(tmp_path / "out.json"),
    )
    figures = json.loads((tmp_path / "out.json").read_text())
    crawls = figures["crawls"]
    newswatch, bare = crawls[f"newswatch, {sites} sites"], crawls[f"bare Scrapy, {sites} sites"]
    assert newswatch["requests"] == bare["requests"]
    assert newswatch["requests"] >= sites * len(build_mirror(articles).article_paths)
    assert [check["name"] for check in figures["checks"]] == [
        "total time, newswatch / bare Scrapy",
        "CPU per page, newswatch / bare Scrapy",
        "newswatch's peak RSS, 2 sites / 1",
    ]
    assert all(isinstance(check["value"], float) and check["value"] > 0 for check in figures["checks"])


def test_sites_add_benchmark_runs_the_command_against_a_fetch():
    """benchmarks.sites_add at its smallest: one round; `sites add` must succeed (a failed
    child process stops the benchmark), and the figure is reported against the target."""
    done = run_benchmark("sites_add", "--rounds", "1", "--latency", "0", timeout=120)
    first, _, verdict = done.stdout.splitlines()
    assert first.startswith("sites add beyond one fetch of the page, median of 1: ")
    assert verdict.startswith("target: at most 1.0 s: ")


@pytest.mark.e2e
@pytest.mark.slow
def test_scheduled_crawl_benchmark_measures_both_ways(tmp_path):
    """benchmarks.scheduled_crawl at its smallest: one crawl spawned cold, one forked warm,
    each finished (else it fails), every figure a positive number of CPU seconds."""
    done = run_benchmark(
        "scheduled_crawl", "--crawls", "1", "--json", str(tmp_path / "out.json"), timeout=120
    )
    figures = json.loads((tmp_path / "out.json").read_text())
    assert figures["crawls"] == 1
    for name in ("cold_cpu_per_crawl", "warm_cpu_per_crawl", "fork_server_cpu", "warm_over_cold"):
        assert isinstance(figures[name], float) and figures[name] > 0, (name, figures)
    assert "ratio warm/cold" in done.stdout


@pytest.mark.e2e
@pytest.mark.slow
def test_no_change_benchmark_reports_every_target(tmp_path):
    """benchmarks.nochange_check at its smallest: one round over a mirror of 3 articles; the
    re-crawl asks for every page the first crawl did (each answers 304)."""
    if importlib.util.find_spec("urlwatch") is None:
        pytest.skip("urlwatch is not installed (pip install -e '.[bench]')")
    done = run_benchmark("nochange_check", "--articles", "3", "--rounds", "1")
    verdicts = [line.split(":")[0].strip("=> ") for line in done.stdout.splitlines() if "=>" in line]
    assert verdicts == [
        "no-change CPU newswatch/urlwatch",
        "incremental no-change CPU newswatch/urlwatch",
        "first crawl CPU per page newswatch/download-only",
        "first crawl peak RSS MiB",
        "scheduled no-change CPU newswatch run/urlwatch",
        "scheduled incremental CPU newswatch run/urlwatch",
    ]
    figures = dict(line.strip().split(": ", 1) for line in done.stdout.splitlines() if "requests:" in line)
    assert figures["no-change requests"].split()[0] == figures["first requests"].split()[0]
    assert figures["scheduled no-change requests"].split()[0] == figures["first requests"].split()[0]
    assert figures["urlwatch no-change requests"].split()[0] == "3"


@pytest.mark.e2e
def test_bare_spider_ends_an_offsite_redirect_as_newswatch_does(tmp_path):
    """The baseline keeps newswatch's offsite-redirect middleware, which asks the spider
    for the request's site: answered, a redirect to another host ends quietly (not
    followed, as in newswatch's crawl), where a spider without the answer fails on every
    such redirect with a logged traceback, work newswatch's crawl does not do."""
    mirror = build_mirror(5, offsite_origin="http://offsite.invalid")
    moved = next(item for item in mirror.news if item.index % 10 == 4)
    with LoopbackServer(mirror) as server:
        targets = [*mirror.article_paths[:2], f"/news/news_odkb/old-address-{moved.index}/"]
        assert server.body(targets[0])  # an article; the last one redirects offsite
        url_list = tmp_path / "urls.txt"
        url_list.write_text("".join(f"{server.origin}{target}\n" for target in targets))
        done = run_benchmark("bare_spider", str(url_list))
        asked = {request.target for request in server.requests}
    assert set(targets) <= asked
    assert "Traceback" not in done.stderr and "ERROR" not in done.stderr, done.stderr[-2000:]
