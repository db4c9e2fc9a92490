"""Faults injected into the service's crawl children (see scheduler.service.crawl_child.HOOK_ENV).

Each hook runs in a crawl child before it crawls, and patches that child only. The
"once" hooks misbehave in the first crawl and leave a marker, so the next crawl is normal
and the test can see the service recover. They log to ``$NEWSWATCH_TEST_HOOK_DIR/hook.log``.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import crawler.runner
from scheduler.service.crawl_child import HOOK_ENV

HOOK_DIR_ENV = "NEWSWATCH_TEST_HOOK_DIR"
SLOW_SECONDS_ENV = "NEWSWATCH_TEST_SLOW_SECONDS"
HANG_SECONDS = 3600
EXIT_ONCE_CODE = 3


def hook_env(tmp_path: Path, hook: str, **extra: str) -> dict[str, str]:
    """The environment that makes a service's crawl children run ``hook`` (a name here)."""
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    return {HOOK_ENV: f"tests.support.service_hooks:{hook}", HOOK_DIR_ENV: str(hook_dir), **extra}


def hook_log(tmp_path: Path) -> list[str]:
    """What the hooks of a test (its ``hook_env``) have noted so far."""
    path = tmp_path / "hook" / "hook.log"
    return path.read_text().split("\n")[:-1] if path.exists() else []


def last_event(tmp_path: Path) -> str:
    return (hook_log(tmp_path) or [""])[-1]


def _hook_dir() -> Path:
    return Path(os.environ[HOOK_DIR_ENV])


def note_path() -> Path:
    """The hook log."""
    return _hook_dir() / "hook.log"


def note(event: str) -> None:
    """Append ``event`` to the hook log (O_APPEND: lines from processes never mix)."""
    with open(note_path(), "a", encoding="utf-8") as log:
        log.write(f"{event}\n")


def _first_time(name: str) -> bool:
    marker = _hook_dir() / f"{name}.done"
    if marker.exists():
        return False
    marker.touch()
    return True


def slow_crawl() -> None:
    """Every crawl takes NEWSWATCH_TEST_SLOW_SECONDS longer, inside the crawl lock."""
    real_run_crawls = crawler.runner.run_crawls
    delay = float(os.environ[SLOW_SECONDS_ENV])

    def slow_run_crawls(store, plans, **options):
        note("start")
        time.sleep(delay)
        try:
            return real_run_crawls(store, plans, **options)
        finally:
            note("end")

    crawler.runner.run_crawls = slow_run_crawls


def _patch_scrapy_start(name: str, behaviour) -> None:
    """Replace what happens when the first crawl's Scrapy process starts (after its run is
    recorded), in whichever child gets that far first: with runs due every second, two
    children may start at once, and the one that ran its hook first may be the one that
    finds the site's lock taken and crawls nothing."""

    class FaultyProcess(crawler.runner.CrawlerProcess):
        def start(self, *args, **kwargs):
            if not _first_time(name):
                return super().start(*args, **kwargs)
            note(f"started {os.getpid()} {os.getppid()}")
            behaviour()

    crawler.runner.CrawlerProcess = FaultyProcess


def crash_once() -> None:
    """The first crawl's process dies mid-crawl, as if killed by the out-of-memory killer."""
    _patch_scrapy_start("crash", lambda: os.kill(os.getpid(), signal.SIGKILL))


def exit_once() -> None:
    """The first crawl's process ends mid-crawl with EXIT_ONCE_CODE, no clean-up at all."""
    _patch_scrapy_start("exit", lambda: os._exit(EXIT_ONCE_CODE))


def hang_once() -> None:
    """The first crawl hangs and ignores SIGTERM: only SIGKILL ends it."""

    def hang() -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(HANG_SECONDS)

    _patch_scrapy_start("hang", hang)


def raise_in_scrapy_once() -> None:
    """The first crawl's Scrapy engine raises an exception out of ``start()``."""

    def fail() -> None:
        raise RuntimeError("injected failure inside Scrapy")

    _patch_scrapy_start("raise", fail)
