"""Crawl children forked from the service's warm fork server (scheduler.service.crawl_processes):
a forked crawl that crashes, raises or hangs is reported so and ended, and the next crawl
runs; a fork server that dies is replaced; what it preloads leaves it fit to fork, and
frozen for the cycle collector.

The crawls run through the service's own supervisor in a process of their own
(tests/support/forked_crawls.py), with faults injected by tests/support/service_hooks.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler.service.crawl_processes import FORK_SERVER, SPAWN, start_method
from tests.support.helpers import ROOT, SEEDS, cli_environment, run_python
from tests.support.service_harness import crawl_runs
from tests.support.service_hooks import EXIT_ONCE_CODE, hook_env, hook_log

pytestmark = pytest.mark.timeout(180)

HANG_TIMEOUT_SECONDS = "3"


def forked_crawls(tmp_path: Path, hook: str | None, *args: str) -> tuple[list[dict], str]:
    """Each crawl's outcome, detail and fork server, and the log of the process that ran them."""
    env = cli_environment(hook_env(tmp_path, hook) if hook else {})
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.forked_crawls", str(tmp_path / "data"), str(SEEDS), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1]), done.stderr


def started_crawl(tmp_path: Path) -> tuple[int, int]:
    """The process id of the crawl the hook misbehaved in, and its parent's."""
    (started,) = [event for event in hook_log(tmp_path) if event.startswith("started")]
    _, pid, parent = started.split()
    return int(pid), int(parent)


def running(pid: int) -> bool:
    """Is ``pid`` still running (neither gone nor a zombie waiting for its parent)?"""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("hook", "outcome", "detail"),
    [
        ("exit_once", "crashed", f"the crawl process exited with code {EXIT_ONCE_CODE}"),
        ("crash_once", "crashed", "the crawl process was killed by SIGKILL"),
        ("raise_in_scrapy_once", "failed", "the crawl reported an error"),
    ],
)
def test_a_forked_crawl_that_ends_badly_is_reported_and_the_next_crawl_runs(tmp_path, hook, outcome, detail):
    attempts, _ = forked_crawls(tmp_path, hook, "--crawls", "2")
    assert [attempt["outcome"] for attempt in attempts] == [outcome, "finished"]
    assert attempts[0]["detail"].startswith(detail), attempts[0]
    _, parent = started_crawl(tmp_path)
    assert parent == attempts[0]["fork_server"], "the crawl was not forked from the fork server"
    bad, good = crawl_runs(tmp_path / "data")
    assert bad[1] == "failed" and good[1] == "finished", (bad, good)


@pytest.mark.e2e
def test_a_hung_forked_crawl_is_killed_at_its_timeout(tmp_path):
    attempts, _ = forked_crawls(tmp_path, "hang_once", "--crawls", "2", "--timeout", HANG_TIMEOUT_SECONDS)
    assert [attempt["outcome"] for attempt in attempts] == ["timed out", "finished"]
    assert attempts[0]["detail"] == f"still running after {HANG_TIMEOUT_SECONDS}s, stopped"
    pid, parent = started_crawl(tmp_path)
    assert parent == attempts[0]["fork_server"]
    assert not running(pid), "the hung crawl outlived its timeout"
    hung, recovered = crawl_runs(tmp_path / "data")
    assert hung[1] == "failed" and hung[4].startswith("timed out"), hung
    assert recovered[1] == "finished", recovered


@pytest.mark.e2e
@pytest.mark.parametrize("when", ["between", "just-before"])
def test_a_fork_server_that_died_is_replaced_and_logged(tmp_path, when):
    """Killed well before the next crawl, or just before it asks for a child (the fork server
    may then still be dying, and fail the request)."""
    attempts, log = forked_crawls(tmp_path, None, "--crawls", "2", "--kill-fork-server", when)
    assert [attempt["outcome"] for attempt in attempts] == ["finished", "finished"]
    first, second = (attempt["fork_server"] for attempt in attempts)
    assert first != second
    assert f"the crawl fork server (pid {first}) had ended; started a new one (pid {second})" in log


@pytest.mark.e2e
def test_a_fork_server_dying_mid_crawl_ends_that_crawl_too(tmp_path):
    attempts, _ = forked_crawls(tmp_path, "hang_once", "--crawls", "2", "--kill-fork-server", "during")
    assert [attempt["outcome"] for attempt in attempts] == ["crashed", "finished"]
    pid, _ = started_crawl(tmp_path)
    assert (
        attempts[0]["detail"] == f"the crawl fork server ended during the crawl; its process {pid} was killed"
    )
    assert not running(pid), "the orphaned crawl was left running, with no timeout over it"


def test_without_a_safe_fork_server_children_are_spawned():
    assert start_method(["fork", "spawn", "forkserver"], (3, 11, 7)) == FORK_SERVER
    assert start_method(["spawn"], (3, 11, 7)) == SPAWN  # Windows
    assert start_method(["fork", "spawn", "forkserver"], (3, 11, 0)) == SPAWN  # CVE-2022-42919


def test_the_preload_imports_a_crawls_modules_and_leaves_the_process_fit_to_fork():
    # the component modules newswatch's Scrapy settings switch on (crawler/settings.py), the
    # file handler of an offline crawl and the HTTP one of a live crawl, the store's dialect and
    # the main content's library
    expected = [
        "crawler.runner",
        "crawler.pipeline",
        "crawler.middlewares.conditional",
        "crawler.middlewares.throttle",
        "scrapy.core.downloader.handlers.file",
        "scrapy.core.downloader.handlers.http11",
        "scrapy.downloadermiddlewares.robotstxt",
        "sqlalchemy.dialects.sqlite.pysqlite",
        "trafilatura",  # imported by the main content at a crawl's first page, not before
        "extraction.html_page",
        "feedgen.feed",
        "scrapy.robotstxt",
    ]
    program = (
        "import gc, json, sys; import scheduler.service.crawl_preload as preload; "
        f"print(json.dumps([preload.fit_to_fork(), [name for name in {expected!r} if name not in sys.modules], "
        "gc.get_freeze_count(), gc.isenabled()]))"
    )
    done = run_python(program)
    assert done.returncode == 0, done.stderr
    unfit, missing, frozen, collecting = json.loads(done.stdout)
    assert unfit is None
    assert missing == []
    # what it imported is frozen before the forks (scheduler.quiet_imports), and the
    # collector is on again for what the children make
    assert frozen > 0 and collecting
    assert "could not import" not in done.stderr


IMPORTED_PER_CRAWL = ("twisted.internet.reactor", "encodings.")
"""What a crawl may import after the preload: its own reactor (a forked process must install
a fresh one), and the codecs of the pages it meets."""


@pytest.mark.e2e
def test_a_crawl_after_the_preload_imports_nothing_the_preload_could_have(tmp_path):
    """Every module a crawl imports after the fork is imported again by every crawl the
    service forks; what is not in the preload costs each of them (trafilatura: 45 ms)."""
    program = f"""
import json, sys
import scheduler.service.crawl_preload
from pathlib import Path
from tests.support.loopback import LoopbackServer
from tests.support.mirror import build_mirror
data = Path({str(tmp_path)!r})
with LoopbackServer() as server:  # started first: what it imports is not the crawl's
    server.serve(build_mirror(3, per_page=2, offsite_origin=server.alias_origin))
    before = set(sys.modules)
    from crawler.plan import CrawlPlan, Politeness
    from extraction.urls import CSTO_ARTICLES
    from scheduler.config import Config
    from scheduler.service.crawl_child import CrawlRequest, _crawl
    from storage.location import default_database_url
    plan = CrawlPlan((server.origin + "/news/",), politeness=Politeness(delay=0, max_pages=0),
                     article_pattern=CSTO_ARTICLES.pattern)
    code = _crawl(CrawlRequest(Config(data_dir=data, database_url=default_database_url(data)), (plan,), quiet=True))
print(json.dumps([code, sorted(set(sys.modules) - before)]))
"""
    done = run_python(program)
    assert done.returncode == 0, done.stderr[-3000:]
    code, imported = json.loads(done.stdout.splitlines()[-1])
    assert code == 0, done.stderr[-3000:]
    assert [name for name in imported if not name.startswith(IMPORTED_PER_CRAWL)] == []
