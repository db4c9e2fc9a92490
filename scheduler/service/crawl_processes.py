"""How the service starts its crawl children: forked from a warm fork server, else spawned.

A crawl child needs Scrapy, Twisted, lxml, trafilatura and SQLAlchemy: about a second of CPU
to import in a fresh interpreter, paid on every crawl of every site when each child is
``spawn``-ed. Instead the service starts one fork server (multiprocessing's ``forkserver``)
that imports all of that once (scheduler.service.crawl_preload) and forks one child per
crawl from it; each crawl still runs in a process of its own, with a reactor of its own,
and can still be killed alone.

Why this is safe where forking the service itself is not:

- The fork server is a fresh interpreter with one thread; the service has several (HTTP
  server, scheduler), and a child forked from them could inherit a lock held mid-operation.
- The preload only imports: no reactor, no database engine, no open file, no logging
  handler (each child configures its own logging and opens its own store).
- Each child restores default signal handlers and leaves the service's process group, as a
  spawned child did; the fork server ignores Ctrl-C and exits when the service does.

If the fork server dies (killed by someone, or by the out-of-memory killer), the next crawl
starts a new one, and the service logs it. Where there is no ``forkserver`` (Windows), or
it is unsafe (Python 3.11.0), the children are spawned as before.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.forkserver
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess

log = logging.getLogger(__name__)

FORK_SERVER = "forkserver"
SPAWN = "spawn"
SAFE_FORK_SERVER = (3, 11, 1)
"""The first Python whose fork server only its own user can reach."""
PRELOAD = ["__main__", "scheduler.service.crawl_preload"]
"""``__main__`` first, as multiprocessing does by default: a child then need not run the
main script again to find its entry point."""
SERVER_END_SECONDS = 5.0
"""How long a fork server that failed a request may take to end before it is asked again."""
LOST_EXIT_CODE = 255
"""What multiprocessing reports for a forked child whose fork server died before it could
tell how the child ended (the child itself may still be running)."""


def start_method(
    available: Sequence[str] | None = None, python: tuple[int, ...] = sys.version_info[:3]
) -> str:
    """``forkserver`` where the platform has it and Python's is safe, else ``spawn``.

    Before Python 3.11.1 the fork server listened on Linux's abstract socket namespace,
    where any local user could send it a pickle to run (CVE-2022-42919)."""
    methods = multiprocessing.get_all_start_methods() if available is None else available
    return FORK_SERVER if FORK_SERVER in methods and python >= SAFE_FORK_SERVER else SPAWN


class CrawlProcesses:
    """Starts crawl children, all with one start method; safe to use from several threads."""

    def __init__(self, method: str | None = None) -> None:
        self.method = method or start_method()
        self.context: BaseContext = multiprocessing.get_context(self.method)
        if self.method == FORK_SERVER:
            self.context.set_forkserver_preload(PRELOAD)
        self._lock = threading.Lock()
        self._server_pid: int | None = None

    @property
    def forks(self) -> bool:
        return self.method == FORK_SERVER

    def warm_up(self) -> None:
        """Start the fork server now, so that the first crawl finds it warm (it imports in
        the background: this returns at once)."""
        if self.forks:
            with self._lock:
                self._ensure_server()

    def start(self, target: Callable[..., object], args: tuple, name: str) -> BaseProcess:
        """A started child running ``target(*args)``.

        A fork server that dies just as a crawl asks it for a child (so that it still looked
        alive) fails that request: the crawl then waits for it to end and asks a new one."""
        with self._lock:
            if not self.forks:
                return self._started(target, args, name)
            self._ensure_server()
            try:
                return self._started(target, args, name)
            except (EOFError, OSError) as error:
                log.warning("the crawl fork server could not fork a crawl (%r)", error)
                self._await_server_end()
                self._ensure_server()
                return self._started(target, args, name)

    def lost(self, child: BaseProcess) -> bool:
        """Did the fork server die while ``child`` ran, so that its end went unreported?"""
        return self.forks and child.exitcode == LOST_EXIT_CODE and process_exists(child.pid)

    def server_pid(self) -> int | None:
        """The fork server's process id (None: not started, or children are spawned)."""
        return _fork_server_pid() if self.forks else None

    def _started(self, target: Callable[..., object], args: tuple, name: str) -> BaseProcess:
        child = self.context.Process(target=target, args=args, name=name)
        child.start()
        return child

    def _await_server_end(self) -> None:
        """Wait (a little) until the fork server has ended, leaving it for multiprocessing to
        reap (WNOWAIT): multiprocessing then sees it dead, and starts a new one."""
        deadline = time.monotonic() + SERVER_END_SECONDS
        while self._server_pid is not None and time.monotonic() < deadline:
            try:
                if os.waitid(os.P_PID, self._server_pid, os.WEXITED | os.WNOHANG | os.WNOWAIT):
                    return
            except ChildProcessError:  # already reaped
                return
            time.sleep(0.05)

    def _ensure_server(self) -> None:
        multiprocessing.forkserver.ensure_running()
        pid = _fork_server_pid()
        if self._server_pid is None:
            log.debug("crawl fork server started (pid %s)", pid)
        elif pid != self._server_pid:
            log.warning(
                "the crawl fork server (pid %s) had ended; started a new one (pid %s)", self._server_pid, pid
            )
        self._server_pid = pid


def process_exists(pid: int | None) -> bool:
    """Is there a process ``pid`` (a zombie counts: it is not yet reaped)?"""
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fork_server_pid() -> int | None:
    """multiprocessing keeps the fork server's id to itself; read where it keeps it (None if
    a future Python moves it: only the restart's log line depends on it)."""
    return getattr(multiprocessing.forkserver._forkserver, "_forkserver_pid", None)
