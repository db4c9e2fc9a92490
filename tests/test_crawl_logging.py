"""What a crawl logs of Scrapy: its warnings, and with ``--verbose`` its debug lines too; the
records newswatch would drop are not made (crawler.runner._quiet_scrapy)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CRAWL_THEN_LEVEL = """
import logging, sys
from scheduler.cli.main import main
code = main(sys.argv[1:])
print("scrapy logger level", logging.getLevelName(logging.getLogger("scrapy").getEffectiveLevel()))
sys.exit(code)
"""

pytestmark = pytest.mark.e2e


def _offline_crawl(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-c",
        CRAWL_THEN_LEVEL,
        "--data-dir",
        str(tmp_path),
        *flags,
        "crawl",
        "--offline",
    ]
    environment = {name: value for name, value in os.environ.items() if not name.startswith("NEWSWATCH_")}
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_without_verbose_scrapy_says_only_warnings_and_makes_no_other_record(tmp_path: Path) -> None:
    done = _offline_crawl(tmp_path)
    assert done.returncode == 0, done.stderr
    assert " DEBUG scrapy." not in done.stderr and " INFO scrapy." not in done.stderr
    assert "scrapy logger level WARNING" in done.stdout


def test_verbose_shows_scrapys_debug_lines(tmp_path: Path) -> None:
    done = _offline_crawl(tmp_path, "--verbose")
    assert done.returncode == 0, done.stderr
    assert " DEBUG scrapy.core.engine: Crawled (200)" in done.stderr
    assert "scrapy logger level DEBUG" in done.stdout
