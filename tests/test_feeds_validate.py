"""The feeds a crawl writes pass the W3C feed validator with no error and no warning.

The validator is the W3C Feed Validation Service's code, kept beside the repository
(``../shared/tools/validate-feed``); the test skips with the reason where it is absent.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.helpers import FIXTURES, run_cli
from tests.test_feed_entry_cap import VALIDATOR

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("fixtures", ["seeds", "html"])
def test_the_feeds_of_an_offline_crawl_pass_the_validator(tmp_path, fixtures):
    if not VALIDATOR.exists():
        pytest.skip(f"the W3C feed validator is not at {VALIDATOR}")
    pytest.importorskip("html5lib", reason="the validator needs html5lib and rdflib")
    pytest.importorskip("rdflib", reason="the validator needs html5lib and rdflib")
    crawled = run_cli("crawl", "--offline", "--fixtures", str(FIXTURES / fixtures), data_dir=tmp_path)
    assert crawled.returncode == 0, crawled.stderr
    feeds = [tmp_path / name for name in ("feed.rss", "feed.atom", "changes.atom")]
    checked = subprocess.run(
        [sys.executable, str(VALIDATOR), *map(str, feeds)], capture_output=True, text=True, timeout=300
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
