"""Running one crawl (or a peer's run) in a child process, and what it cost.

Scrapy runs once per process (crawler.runner), so every crawl is a child process; its own
resource usage comes from ``os.wait4`` (CPU seconds and peak RSS of that child alone, where
``RUSAGE_CHILDREN`` would mix every child waited for so far).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class ChildFailed(RuntimeError):
    """A measured child process did not finish cleanly; its error output is in the message."""


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    """Wall time, start to exit."""
    cpu_seconds: float
    """User plus system CPU time of the child."""
    peak_rss_mb: float
    stderr: str


def run_child(command: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path = ROOT) -> ChildRun:
    """Run ``command`` from ``cwd`` (the repository root) and measure it; raise ChildFailed
    on failure."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    stderr = process.stderr.read()
    process.stderr.close()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise ChildFailed(f"{' '.join(command[:6])}... exited {process.returncode}:\n{stderr[-3000:]}")
    # ru_maxrss is in kilobytes on Linux
    return ChildRun(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stderr)
