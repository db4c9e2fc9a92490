"""Edits seen through the real command line: the crawl summary, `changes`, and changes.atom."""

from __future__ import annotations

import shutil

import feedparser
import pytest

from tests.support.helpers import FIXTURES, SEED_FILES, run_cli

pytestmark = pytest.mark.e2e


def test_edited_site_shows_in_summary_log_and_change_feed(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for seed in SEED_FILES:
        shutil.copy(seed, site / seed.name)
    data = tmp_path / "data"
    assert run_cli("crawl", "--offline", "--fixtures", str(site), data_dir=data).returncode == 0
    ids_before = {e.id for e in feedparser.parse((data / "feed.atom").read_bytes()).entries}

    for edited in (FIXTURES / "edited").glob("*.txt"):
        (seed,) = [s for s in SEED_FILES if s.name[:3] == edited.name[:3]]
        shutil.copy(edited, site / seed.name)  # the site edited these pages in place
    second = run_cli("crawl", "--offline", "--fixtures", str(site), data_dir=data)
    assert second.returncode == 0, second.stderr
    assert "new 0, updated 4, removed 0" in second.stdout

    updated = run_cli("changes", "--kind", "updated", "--json", data_dir=data).json()
    assert len(updated) == 4
    assert all(change["diff"].startswith("--- before\n+++ after") for change in updated)

    table = run_cli("changes", "--kind", "updated", data_dir=data).stdout
    assert "in which they rehearsed the command of units" in table

    changes_feed = feedparser.parse((data / "changes.atom").read_bytes())
    assert not changes_feed.bozo
    assert len(changes_feed.entries) == 24 + 4
    assert len({e.id for e in changes_feed.entries}) == 24 + 4
    edit_entries = [e for e in changes_feed.entries if e.title.startswith("updated")]
    assert len(edit_entries) == 4
    assert any("Sergei Lavrov" in e.content[0].value for e in edit_entries)

    ids_after = {e.id for e in feedparser.parse((data / "feed.atom").read_bytes()).entries}
    assert ids_after == ids_before
