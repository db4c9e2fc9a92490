"""A command imports its libraries without the cycle collector running, and the ``newswatch``
program (one command, then the process ends) freezes what they made; a caller that runs on
gets the collector back as it was, nothing frozen (scheduler.quiet_imports)."""

from __future__ import annotations

import gc
import json

import pytest

from scheduler.quiet_imports import quiet_imports
from tests.support.helpers import SEEDS, run_cli, run_python

CRAWL_LIBRARIES = ("scrapy.crawler", "sqlalchemy.orm", "crawler.pipeline", "storage.store")
"""Modules a crawl imports in one go (crawler.runner and what it needs): a collection that
sees some of them loaded and not others ran while they were being imported."""

OFFLINE_CRAWL_WATCHING_THE_COLLECTOR = f"""
import gc, json, runpy, sys
libraries = {CRAWL_LIBRARIES!r}
seen = []
def watch(phase, info):
    if phase == "start":
        seen.append(sum(name in sys.modules for name in libraries))
gc.callbacks.append(watch)
sys.argv = ["newswatch", "--quiet", "--data-dir", sys.argv[1], "crawl", "--offline", "--fixtures", sys.argv[2]]
try:
    runpy.run_module("scheduler.cli.main", run_name="__main__")
except SystemExit as end:
    print(json.dumps([end.code, seen, gc.get_freeze_count()]))
"""


def test_within_nothing_is_collected_and_after_the_collector_is_back() -> None:
    assert gc.isenabled()
    with quiet_imports():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # this process runs on: nothing of it is frozen


def test_a_caller_that_turned_the_collector_off_keeps_it_off() -> None:
    gc.disable()
    try:
        with quiet_imports():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_within_turns_the_collector_back_on() -> None:
    with pytest.raises(ImportError), quiet_imports():
        raise ImportError("no such module")
    assert gc.isenabled()


def test_a_one_command_process_freezes_what_it_imported() -> None:
    program = (
        "import gc, json; from scheduler import quiet_imports as q; q.one_command_process()\n"
        "with q.quiet_imports():\n    import sqlalchemy.orm\n"
        "print(json.dumps([gc.get_freeze_count(), gc.isenabled()]))"
    )
    done = run_python(program)
    assert done.returncode == 0, done.stderr
    frozen, collecting = json.loads(done.stdout)
    assert frozen > 0 and collecting


@pytest.mark.e2e
def test_the_newswatch_program_crawls_without_collecting_amid_its_imports(tmp_path) -> None:
    done = run_python(OFFLINE_CRAWL_WATCHING_THE_COLLECTOR, str(tmp_path / "data"), str(SEEDS))
    assert done.returncode == 0, done.stderr
    code, loaded_at_each_collection, frozen = json.loads(done.stdout.splitlines()[-1])
    assert code == 0
    assert loaded_at_each_collection, "the collector never ran: the watch saw nothing"
    half_imported = [loaded for loaded in loaded_at_each_collection if 0 < loaded < len(CRAWL_LIBRARIES)]
    assert half_imported == []
    assert frozen > 0


def test_a_window_that_imports_nothing_freezes_nothing() -> None:
    program = (
        "import gc, json; from scheduler import quiet_imports as q; import sqlalchemy.orm; "
        "q.one_command_process()\n"
        "with q.quiet_imports():\n    import sqlalchemy.orm\n"
        "print(json.dumps(gc.get_freeze_count()))"
    )
    done = run_python(program)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == 0


@pytest.mark.e2e
def test_the_newswatch_program_closes_its_store_at_exit(tmp_path) -> None:
    """What the program made after its imports stays collectable, so the store's connections
    close at exit and SQLite folds its write-ahead log back into the file: a file left beside
    it would mean a connection never closed (and a store a read-only user cannot open).
    ``changes`` reads through a connection of its own (storage.quick_read)."""
    data_dir = tmp_path / "data"
    for command in (["crawl", "--offline"], ["feed"], ["sites", "list"], ["changes", "--limit", "1"]):
        done = run_cli(*command, data_dir=data_dir)
        assert done.returncode == 0, done.stderr
        assert sorted(path.name for path in data_dir.glob("newswatch.sqlite3*")) == ["newswatch.sqlite3"]
