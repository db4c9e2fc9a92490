"""What the benchmarks measure of other processes' memory and CPU.

A measured child process (benchmarks.child_process) reports its own peak memory and CPU,
not the measuring process's: Linux carries the peak RSS of the process a child was started
from into the child's own, and the benchmarks hold the mirror, the servers and the warm
fork server in that process."""

from __future__ import annotations

import sys

import pytest

from benchmarks.child_process import ChildFailed, run_child

MIB = 1024 * 1024
HELD_BY_PARENT_MIB = 160
CHILD_ALLOCATES_MIB = 48


def _touched(size: int) -> bytearray:
    """``size`` bytes, every page written, so that they count in this process's RSS."""
    block = bytearray(size)
    for offset in range(0, size, 4096):
        block[offset] = 1
    return block


def test_a_child_does_not_report_the_memory_of_the_process_that_measures_it():
    held = _touched(HELD_BY_PARENT_MIB * MIB)
    run = run_child([sys.executable, "-c", "pass"])
    assert len(held) == HELD_BY_PARENT_MIB * MIB
    assert run.peak_rss_mb < HELD_BY_PARENT_MIB / 2


def test_a_child_reports_what_it_uses_itself():
    code = (
        f"block = bytearray({CHILD_ALLOCATES_MIB * MIB})\nfor i in range(0, len(block), 4096): block[i] = 1"
    )
    run = run_child([sys.executable, "-c", code])
    assert run.peak_rss_mb >= CHILD_ALLOCATES_MIB
    assert run.cpu_seconds > 0


def test_a_failing_child_raises_with_its_error_output():
    with pytest.raises(ChildFailed, match="exited 3") as failed:
        run_child([sys.executable, "-c", "import sys; print('the reason', file=sys.stderr); sys.exit(3)"])
    assert "the reason" in str(failed.value)
