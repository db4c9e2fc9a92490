"""The crawl workers' options through the real command line: one line and exit code 2 for a
usage error, before anything starts."""

from __future__ import annotations

from tests.support.helpers import run_cli


def test_a_worker_without_redis_is_a_usage_error(tmp_path):
    done = run_cli("worker", data_dir=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "newswatch: a worker needs the Redis server: --redis URL (or NEWSWATCH_REDIS)"
    ]


def test_a_redis_url_that_is_not_one_is_refused_with_its_source(tmp_path):
    done = run_cli("run", "--workers", "http://127.0.0.1:6379", data_dir=tmp_path)
    assert done.returncode == 2
    assert "command line: workers: not a Redis URL" in done.stderr
    done = run_cli("worker", data_dir=tmp_path, env={"NEWSWATCH_REDIS": "127.0.0.1:6379"})
    assert done.returncode == 2
    assert "environment: NEWSWATCH_REDIS: not a Redis URL" in done.stderr


def test_workers_cannot_crawl_offline(tmp_path):
    done = run_cli("run", "--workers", "redis://127.0.0.1:6379/15", "--offline", data_dir=tmp_path)
    assert done.returncode == 2
    assert "cannot be --offline" in done.stderr
