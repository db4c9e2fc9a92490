"""Running one crawl (or a peer's run) in a child process, and what it cost.

Scrapy runs once per process (crawler.runner), so every crawl is a child process. Its own
resource usage (CPU seconds and peak RSS of that child alone, where ``RUSAGE_CHILDREN`` would
mix every child waited for so far) is taken by a small launcher (benchmarks/own_usage.py):
taken here, the peak RSS of every child would be at least this process's own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = Path(__file__).with_name("own_usage.py")


class ChildFailed(RuntimeError):
    """A measured child process did not finish cleanly; its error output is in the message."""


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    """Wall time, start to exit (with the launcher's start, a few milliseconds)."""
    cpu_seconds: float
    """User plus system CPU time of the child."""
    peak_rss_mb: float
    stderr: str


def run_child(command: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path = ROOT) -> ChildRun:
    """Run ``command`` from ``cwd`` (the repository root) and measure it; raise ChildFailed
    on failure."""
    report, report_end = os.pipe()
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            [sys.executable, "-S", str(LAUNCHER), str(report_end), *command],
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=(report_end,),
        )
    except OSError:
        os.close(report)
        raise
    finally:
        os.close(report_end)
    stderr = process.stderr.read()
    process.stderr.close()
    returncode = process.wait()
    seconds = time.perf_counter() - started
    with os.fdopen(report, encoding="ascii") as usage:
        figures = usage.read().split()
    if returncode != 0 or len(figures) != 2:
        raise ChildFailed(f"{' '.join(command[:6])}... exited {returncode}:\n{stderr[-3000:]}")
    cpu_seconds, peak_kib = figures
    return ChildRun(seconds, float(cpu_seconds), int(peak_kib) / 1024, stderr)
