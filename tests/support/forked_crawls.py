"""Crawls of the seed pages through the service's supervisor, forked from its fork server, in a
process of their own (for tests/test_crawl_processes.py).

A process of its own because the fork server is one per process and keeps the environment
it started with: the crawl hooks (tests/support/service_hooks.py, set in the environment)
then reach this run's crawls only. Prints one JSON object: each crawl's outcome and detail,
and the fork server's process id after each crawl. Logs to stderr.

    python -m tests.support.forked_crawls DATA_DIR FIXTURES --crawls 2 --timeout 10
        [--kill-fork-server between|just-before|during]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
from pathlib import Path

from crawler.plan import CrawlPlan
from crawler.runner import fixture_urls
from scheduler.config import Config
from scheduler.logging_setup import configure_logging
from scheduler.service.crawl_child import CrawlRequest
from scheduler.service.crawl_processes import FORK_SERVER, CrawlProcesses
from scheduler.service.supervisor import CrawlSupervisor
from storage.location import default_database_url
from storage.store import Store
from tests.support.service_harness import wait_for
from tests.support.service_hooks import note_path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("fixtures", type=Path)
    parser.add_argument("--crawls", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--kill-fork-server", choices=("between", "just-before", "during"))
    options = parser.parse_args()
    configure_logging(quiet=False, verbose=False)
    config = Config(data_dir=options.data_dir, database_url=default_database_url(options.data_dir))
    options.data_dir.mkdir(parents=True, exist_ok=True)
    processes = CrawlProcesses(FORK_SERVER)
    supervisor = CrawlSupervisor(
        Store.open(config.database_url), config, options.timeout, threading.Event(), processes=processes
    )
    request = CrawlRequest(config, (CrawlPlan(tuple(fixture_urls(options.fixtures)), offline=True),))
    attempts = []
    for number in range(options.crawls):
        if options.kill_fork_server == "during" and number == 0:
            threading.Thread(target=_kill_fork_server_once_started, args=(processes,), daemon=True).start()
        attempt = supervisor.run(request)
        attempts.append(
            {"outcome": attempt.outcome, "detail": attempt.detail, "fork_server": processes.server_pid()}
        )
        if options.kill_fork_server in ("between", "just-before") and number == 0:
            _kill(processes.server_pid(), wait=options.kill_fork_server == "between")
    print(json.dumps(attempts))


def _kill_fork_server_once_started(processes: CrawlProcesses) -> None:
    wait_for(lambda: note_path().exists() and "started" in note_path().read_text(), "the crawl to start")
    _kill(processes.server_pid())


def _kill(pid: int | None, *, wait: bool = False) -> None:
    """SIGKILL the fork server; with ``wait``, return once it has ended (leaving it unreaped,
    for multiprocessing to find dead), else at once: the next crawl may find it still dying."""
    assert pid is not None, "no fork server to kill"
    os.kill(pid, signal.SIGKILL)
    if wait:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)


if __name__ == "__main__":
    main()
