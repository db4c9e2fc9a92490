"""The memory a crawl forked from the service's fork server holds of its own.

A forked child shares the fork server's pages (its imports) until it writes to them, so its
resident size (RSS) counts the fork server's modules again, while the machine holds them
once for all of the service's crawls. What a scheduled crawl adds is its *private* memory:
the pages only it holds (``Private_Clean`` + ``Private_Dirty`` of /proc/PID/smaps_rollup,
Linux). :class:`ChildrenMemory` samples the fork server's children while a crawl runs and
keeps the peaks of both figures.
"""

from __future__ import annotations

import threading
from pathlib import Path

SAMPLE_SECONDS = 0.005


class ChildrenMemory:
    """Peak private and resident memory of the children of process ``parent``, sampled
    from a thread between :meth:`__enter__` and :meth:`__exit__`."""

    def __init__(self, parent: int) -> None:
        self.parent = parent
        self.peak_private_mib = 0.0
        self.peak_rss_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ChildrenMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            for child in children_of(self.parent):
                figures = rollup_kib(child)
                if figures:
                    private = figures.get("Private_Clean", 0) + figures.get("Private_Dirty", 0)
                    self.peak_private_mib = max(self.peak_private_mib, private / 1024)
                    self.peak_rss_mib = max(self.peak_rss_mib, figures.get("Rss", 0) / 1024)


def children_of(pid: int) -> list[int]:
    """The direct children of ``pid`` (none once it is gone)."""
    children: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            children += [int(child) for child in (task / "children").read_text().split()]
    except OSError:
        pass
    return children


def rollup_kib(pid: int) -> dict[str, int]:
    """The KiB figures of /proc/PID/smaps_rollup; empty if the process is gone."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return {}
    figures = {}
    for line in lines[1:]:
        name, _, rest = line.partition(":")
        value = rest.split()
        if value and value[0].isdigit():
            figures[name] = int(value[0])
    return figures
