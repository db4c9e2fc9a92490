"""Timing on a shared, noisy machine: medians of repeats, and rivals timed turn by turn.

A single timing says little here (another job may take a core at any moment), so every
figure is the median of several repeats; things that are compared run in turns within one
run (see benchmarks.mirror_crawls), so that a noisy minute slows both alike.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Wall seconds taken by ``action()``, and its result."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    """The median wall time of ``repeats`` calls of ``action``."""
    return statistics.median(timed(action)[0] for _ in range(repeats))


def median(values: list[float]) -> float:
    return statistics.median(values)


def own_cpu_seconds() -> float:
    """User plus system CPU seconds of this process so far."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def children_cpu_seconds() -> float:
    """User plus system CPU seconds of this process's children that it has waited for."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
