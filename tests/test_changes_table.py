"""The change log as the terminal shows it (`newswatch changes`): one site's log as ever, a
log of several sites with a column naming each change's site."""

from __future__ import annotations

import datetime as dt

from scheduler.reports import changes_table
from storage.models import BUILT_IN_SITE
from storage.records import ChangeRecord

AT = dt.datetime(2026, 12, 6, 9, 30, tzinfo=dt.UTC)


def change(title: str, site: str = BUILT_IN_SITE, diff: str | None = None) -> ChangeRecord:
    kind = "updated" if diff else "new"
    return ChangeRecord(AT, kind, f"id-{title}", title, None, dt.date(2026, 12, 5), diff, site=site)


def test_one_sites_log_has_no_site_column():
    header, row, diff_old, _ = changes_table([change("Talks held in Minsk", diff="-a\n+b")]).splitlines()
    assert "site" not in header.split()
    assert row.split() == ["2026-12-06", "09:30", "updated", "2026-12-05", "Talks", "held", "in", "Minsk"]
    assert diff_old.index("-a") + 1 == row.index("Talks")


def test_a_log_of_several_sites_names_each_changes_site():
    table = changes_table(
        [change("Talks held", "csto-ru", diff="-old words\n+new words"), change("Talks held")]
    )
    header, first, diff_old, diff_new, second = table.splitlines()
    assert header.split()[:5] == ["when", "(UTC)", "kind", "site", "published"]
    assert first.split()[3] == "csto-ru" and second.split()[3] == BUILT_IN_SITE
    title_column = first.index("Talks held")
    assert second.index("Talks held") == title_column
    # a diff's lines hang their - or + one column left of the title, as in a one-site log
    assert diff_old.index("-old words") + 1 == diff_new.index("+new words") + 1 == title_column
