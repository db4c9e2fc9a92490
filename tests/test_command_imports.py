"""What a command imports before it answers (issue 17, "commands that answer at once").

Structural guards, not timings (those are benchmarks/command_start.py's): the parser, and so
``--help``, must be buildable without the libraries of the crawl, the feeds, the service or
the store; ``changes`` on a store whose schema is current reads it without Alembic. Each runs
in a child process, whose ``sys.modules`` is that command's alone.
"""

from __future__ import annotations

import sqlite3

import pytest

from storage.store import Store
from tests.support.helpers import run_python

CRAWL_AND_SERVICE = (
    "scrapy",
    "twisted",
    "trafilatura",
    "lxml",
    "apscheduler",
    "feedgen",
    "apprise",
    "werkzeug",
)
STORE = ("sqlalchemy", "alembic")

PROBE = """
import sys
from scheduler.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\nimported: " + " ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def top_level_modules(*args: str) -> set[str]:
    """The top-level packages imported by running ``newswatch ARGS`` in a child process."""
    done = run_python(PROBE, *args)
    last_line = done.stderr.rsplit("\n", 1)[-1]
    assert last_line.startswith("imported: "), done.stderr
    return set(last_line.removeprefix("imported: ").split())


def test_building_the_parser_imports_no_heavy_library():
    code = "import sys\nfrom scheduler.cli.parser import build_parser\nbuild_parser()\nprint(' '.join(sys.modules))"
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    imported = {name.split(".")[0] for name in done.stdout.split()}
    assert "scheduler" in imported  # the probe saw the parser's own imports
    assert imported.isdisjoint(CRAWL_AND_SERVICE + STORE), sorted(imported & set(CRAWL_AND_SERVICE + STORE))


@pytest.mark.parametrize("command", [(), ("changes",), ("crawl",), ("run",), ("sites", "list"), ("feed",)])
def test_help_imports_no_heavy_library(command):
    imported = top_level_modules(*command, "--help")
    assert "argparse" in imported
    assert imported.isdisjoint(CRAWL_AND_SERVICE + STORE), sorted(imported & set(CRAWL_AND_SERVICE + STORE))


def test_changes_on_a_current_sqlite_store_imports_no_library_of_the_store_or_the_crawl(tmp_path):
    """It is read with the standard library's sqlite3 (storage.quick_read)."""
    Store.open(f"sqlite:///{tmp_path / 'newswatch.sqlite3'}").close()  # created at the newest schema
    imported = top_level_modules("--data-dir", str(tmp_path), "changes", "--limit", "5")
    assert "sqlite3" in imported  # it did read the store
    assert imported.isdisjoint(CRAWL_AND_SERVICE + STORE), sorted(imported & set(CRAWL_AND_SERVICE + STORE))


def test_changes_on_a_store_to_migrate_opens_it_without_the_crawl(tmp_path):
    """A store one migration behind is read through the Store, which migrates it first."""
    url = f"sqlite:///{tmp_path / 'newswatch.sqlite3'}"
    Store.open(url).close()
    with sqlite3.connect(tmp_path / "newswatch.sqlite3") as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'unknown'")
    imported = top_level_modules("--data-dir", str(tmp_path), "changes", "--limit", "5")
    assert "sqlalchemy" in imported
    assert imported.isdisjoint(CRAWL_AND_SERVICE), sorted(imported & set(CRAWL_AND_SERVICE))
