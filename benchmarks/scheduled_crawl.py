"""Issue 17, item 3: the CPU of one scheduled crawl of ``newswatch run``, its child spawned
cold versus forked from the warm fork server (scheduler.service.crawl_processes).

Both ways run the service's own supervisor (scheduler.service.supervisor) over the bundled
seed pages, offline, each with a store of its own, in turns (cold, warm, cold, warm...) so
that a noisy minute slows both alike. The first crawl of each store sees every page new,
the others nothing changed, as a service's crawls mostly do.

What a crawl costs, in CPU seconds (user + system):

- cold: this process's share (the supervisor) plus the spawned child's, from
  ``RUSAGE_CHILDREN`` (the child is waited for by the time the crawl returns);
- warm: this process's share plus the forked child's, which is accounted to the fork
  server, its parent: read from the fork server's /proc/<pid>/stat (Linux);
- the fork server's own CPU (its imports, once) is shown apart, and spread over the crawls.

    .venv/bin/python -m benchmarks.scheduled_crawl [--crawls 10] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.timing import children_cpu_seconds, own_cpu_seconds
from crawler.plan import CrawlPlan
from crawler.runner import fixture_urls
from scheduler.config import Config
from scheduler.service.crawl_child import CrawlRequest
from scheduler.service.crawl_processes import FORK_SERVER, SPAWN, CrawlProcesses
from scheduler.service.supervisor import CrawlSupervisor
from storage.location import default_database_url
from storage.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class Figures:
    crawls: int
    cold_cpu_per_crawl: float
    """Median CPU seconds of a crawl with a spawned child."""
    warm_cpu_per_crawl: float
    """Median CPU seconds of a crawl with a child forked from the warm fork server."""
    fork_server_cpu: float
    """The fork server's own CPU seconds over the run: its imports, paid once."""
    fork_server_rss_mib: float
    """The fork server's resident memory after the run: what the service keeps between crawls
    (its forked children share those pages until they write to them)."""

    @property
    def warm_with_start_up(self) -> float:
        """A warm crawl with the fork server's start-up spread over the crawls."""
        return self.warm_cpu_per_crawl + self.fork_server_cpu / self.crawls

    def as_json(self) -> dict:
        return {
            **asdict(self),
            "warm_with_start_up": self.warm_with_start_up,
            "warm_over_cold": self.warm_cpu_per_crawl / self.cold_cpu_per_crawl,
            "warm_with_start_up_over_cold": self.warm_with_start_up / self.cold_cpu_per_crawl,
        }


class Way:
    """One way of starting crawl children, with its own data directory and store."""

    def __init__(self, method: str, directory: Path) -> None:
        directory.mkdir(parents=True)
        self.processes = CrawlProcesses(method)
        self.config = Config(data_dir=directory, database_url=default_database_url(directory))
        self.store = Store.open(self.config.database_url)
        self.supervisor = CrawlSupervisor(
            self.store, self.config, TIMEOUT_SECONDS, threading.Event(), processes=self.processes
        )

    def crawl(self, plan: CrawlPlan | None = None) -> None:
        """One crawl as the service's schedule starts it; of the seed pages by default."""
        plan = plan or CrawlPlan(tuple(fixture_urls(SEEDS)), offline=True)
        attempt = self.supervisor.run(CrawlRequest(self.config, (plan,), quiet=True))
        if attempt.outcome != "finished":
            raise RuntimeError(f"a {self.processes.method} crawl {attempt.outcome}: {attempt.detail}")


def measure(crawls: int, work_dir: Path) -> Figures:
    cold = Way(SPAWN, work_dir / "cold")
    warm = Way(FORK_SERVER, work_dir / "warm")
    warm.processes.warm_up()
    cold_cpu, warm_cpu = [], []
    for _ in range(crawls):
        cold_cpu.append(cpu_of(cold.crawl, children_cpu_seconds))
        warm_cpu.append(cpu_of(warm.crawl, lambda: fork_server_cpu(warm.processes)[1]))
    for way in (cold, warm):
        way.store.close()
    return Figures(
        crawls=crawls,
        cold_cpu_per_crawl=statistics.median(cold_cpu),
        warm_cpu_per_crawl=statistics.median(warm_cpu),
        fork_server_cpu=fork_server_cpu(warm.processes)[0],
        fork_server_rss_mib=_fork_server_rss_mib(warm.processes),
    )


def cpu_of(crawl: Callable[[], None], children_cpu: Callable[[], float]) -> float:
    """CPU seconds of ``crawl()``: this process's and its crawl child's."""
    own, children = own_cpu_seconds(), children_cpu()
    crawl()
    return (own_cpu_seconds() - own) + (children_cpu() - children)


def fork_server_cpu(processes: CrawlProcesses) -> tuple[float, float]:
    """The fork server's own CPU seconds, and its children's (those it has waited for)."""
    fields = Path(f"/proc/{processes.server_pid()}/stat").read_text().rsplit(")", 1)[1].split()
    # after the command's closing parenthesis: state is field 3, utime..cstime fields 14-17
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    ticks = os.sysconf("SC_CLK_TCK")
    return (utime + stime) / ticks, (cutime + cstime) / ticks


def _fork_server_rss_mib(processes: CrawlProcesses) -> float:
    status = Path(f"/proc/{processes.server_pid()}/status").read_text()
    (kilobytes,) = [line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")]
    return int(kilobytes) / 1024


def report(figures: Figures) -> str:
    ratios = figures.as_json()
    return "\n".join(
        [
            f"{figures.crawls} scheduled crawls each way of {len(fixture_urls(SEEDS))} seed pages "
            "(offline), CPU seconds per crawl (medians; the service's share and the child's):",
            f"  cold, spawned child:           {figures.cold_cpu_per_crawl:6.3f}",
            f"  warm, forked child:            {figures.warm_cpu_per_crawl:6.3f}"
            f"   ratio warm/cold {ratios['warm_over_cold']:.2f}",
            f"  warm + fork server start-up:   {figures.warm_with_start_up:6.3f}"
            f"   ratio warm/cold {ratios['warm_with_start_up_over_cold']:.2f}"
            f"   (the fork server: {figures.fork_server_cpu:.3f} s once, spread over {figures.crawls})",
            f"  the fork server's resident memory between crawls: {figures.fork_server_rss_mib:.0f} MiB",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crawls", type=int, default=10, help="crawls each way (default 10)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newswatch-scheduled-crawl-") as work_dir:
        figures = measure(options.crawls, Path(work_dir))
    print(report(figures))
    if options.json:
        options.json.write_text(json.dumps(figures.as_json(), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
