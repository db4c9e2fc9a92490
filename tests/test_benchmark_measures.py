"""What the benchmarks measure of other processes' memory and CPU.

A measured child process (benchmarks.child_process) reports its own peak memory and CPU,
not the measuring process's: Linux carries the peak RSS of the process a child was started
from into the child's own, and the benchmarks hold the mirror, the servers and the warm
fork server in that process. A forked child's private memory (benchmarks.private_memory)
counts what it holds alone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.child_process import ChildFailed, run_child
from benchmarks.private_memory import ChildrenMemory

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


@pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(),
    reason="this kernel does not list a process's children in /proc (CONFIG_PROC_CHILDREN)",
)
def test_the_private_memory_of_a_child_is_sampled_while_it_runs():
    code = (
        f"import time\nblock = bytearray({CHILD_ALLOCATES_MIB * MIB})\n"
        "for i in range(0, len(block), 4096): block[i] = 1\nprint('ready', flush=True)\ntime.sleep(0.5)"
    )
    with ChildrenMemory(os.getpid()) as memory:
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline() == "ready\n"
        time.sleep(0.1)
    child.wait()
    child.stdout.close()
    assert memory.peak_private_mib >= CHILD_ALLOCATES_MIB
    assert memory.peak_rss_mib >= memory.peak_private_mib
