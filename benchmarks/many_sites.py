"""Many sites in one crawl (issue 13's targets): newswatch against bare Scrapy, side by side.

Every site is the synthetic mirror (tests/support/mirror.py) served on a loopback address
of its own, 127.0.0.2, 127.0.0.3, ...: distinct hosts, so that per-site politeness applies
as it does on the internet (Scrapy's download slots are per host). One round is:

* ``newswatch crawl --full --max-pages 0`` of every site, from a sites file giving each
  site the politeness ``delay``, into a fresh data directory: one process, one Scrapy
  crawler per site (crawler.runner.run_crawls);
* the download-only spider (benchmarks.bare_spider) over exactly the URLs that crawl
  fetched, with the same per-site politeness: one spider, Scrapy's per-host slots (why that
  is the baseline: benchmarks.bare_spider);
* the same two crawls of the first ``--few`` sites only: newswatch's peak memory at many
  sites against few says what each site costs it (the spider's is shown for comparison).

The crawls take turns round by round, so that a busy moment on a shared machine slows both;
the figures are medians. Each crawl is a child process (benchmarks.child_process: wall
time, and the CPU seconds and peak RSS of that process alone); the servers run in this process, and the
crawls share the machine with them alike.

    python -m benchmarks.many_sites [--sites 50] [--articles 40] [--delay 0.2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.child_process import ChildRun, run_child
from benchmarks.mirror_crawls import PER_PAGE, _without_newswatch_variables
from benchmarks.results import Check
from tests.support.loopback import LoopbackServer
from tests.support.mirror import build_mirror

FIRST_ADDRESS = ipaddress.IPv4Address("127.0.0.2")
"""The first site's address; 127.0.0.1 is left to everything else on the machine."""
ROBOTS = "/robots.txt"
TIME_RATIO = 1.5
CPU_RATIO = 4.0
MEMORY_RATIO = 1.5
"""Issue 13's targets: total time and CPU per page against bare Scrapy's; peak memory at
many sites against few."""


@dataclass
class Crawls:
    """One kind of crawl's runs, round by round, and the requests each made."""

    runs: list[ChildRun] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)

    def add(self, run: ChildRun, requests: int) -> None:
        self.runs.append(run)
        self.requests.append(requests)

    def median(self, figure: str) -> float:
        return statistics.median(getattr(run, figure) for run in self.runs)

    def cpu_ms_per_request(self) -> float:
        return statistics.median(self.cpu_ms_each())

    def cpu_ms_each(self) -> list[float]:
        """Each round's CPU milliseconds per request."""
        return [1000 * run.cpu_seconds / count for run, count in zip(self.runs, self.requests)]

    def as_text(self) -> str:
        return (
            f"{self.median('seconds'):.1f} s, {self.median('cpu_seconds'):.1f} s CPU, "
            f"{statistics.median(self.requests):.0f} requests ({self.cpu_ms_per_request():.2f} ms CPU each), "
            f"peak RSS {self.median('peak_rss_mb'):.0f} MB"
        )

    def as_json(self) -> dict:
        return {
            "seconds": self.median("seconds"),
            "cpu_seconds": self.median("cpu_seconds"),
            "cpu_ms_per_request": self.cpu_ms_per_request(),
            "peak_rss_mb": self.median("peak_rss_mb"),
            "requests": statistics.median(self.requests),
        }


@contextlib.contextmanager
def served_sites(count: int, articles: int) -> Iterator[list[LoopbackServer]]:
    """``count`` mirrors of ``articles`` each, every one on its own loopback address."""
    with contextlib.ExitStack() as stack:
        servers = []
        for index in range(count):
            server = stack.enter_context(LoopbackServer(host=str(FIRST_ADDRESS + index)))
            server.serve(build_mirror(articles, per_page=PER_PAGE, offsite_origin=server.alias_origin))
            servers.append(server)
        yield servers


def write_sites_file(path: Path, servers: Sequence[LoopbackServer], delay: float) -> Path:
    """The sites file a user would write for these sites, each with the politeness delay."""
    tables = [
        f'[sites.site-{number:03d}]\nurl = ["{server.origin}/news/"]\ndelay = {delay!r}\n'
        for number, server in enumerate(servers, start=1)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


def newswatch_crawl(servers: Sequence[LoopbackServer], work_dir: Path, delay: float) -> ChildRun:
    """``newswatch crawl --full`` of every site at once, into a fresh data directory."""
    sites_file = write_sites_file(work_dir / "sites.toml", servers, delay)
    command = [sys.executable, "-m", "scheduler.cli.main", "--data-dir", str(work_dir / "data"),
               "--sites", str(sites_file), "crawl", "--full", "--max-pages", "0"]  # fmt: skip
    return run_child(command, env=_without_newswatch_variables())


def bare_crawl(urls: Sequence[str], work_dir: Path, delay: float) -> ChildRun:
    url_list = work_dir / "urls.txt"
    url_list.parent.mkdir(parents=True, exist_ok=True)
    url_list.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return run_child([sys.executable, "-m", "benchmarks.bare_spider", str(url_list), "--delay", str(delay)])


def fetched(servers: Sequence[LoopbackServer]) -> list[str]:
    """Every URL the sites were asked for but robots.txt, once each, in order."""
    urls = (server.origin + request.target for server in servers for request in server.requests)
    return [url for url in dict.fromkeys(urls) if not url.endswith(ROBOTS)]


def requests_made(servers: Sequence[LoopbackServer]) -> int:
    return sum(len(server.requests) for server in servers)


def clear_logs(servers: Sequence[LoopbackServer]) -> None:
    for server in servers:
        server.clear_log()


def crawl_both(
    servers: Sequence[LoopbackServer], work_dir: Path, delay: float, newswatch: Crawls, bare: Crawls
) -> None:
    """newswatch's crawl of ``servers``, then the spider's over the URLs it fetched, which
    must be the same."""
    clear_logs(servers)
    newswatch.add(newswatch_crawl(servers, work_dir / "newswatch", delay), requests_made(servers))
    urls = fetched(servers)
    clear_logs(servers)
    bare.add(bare_crawl(urls, work_dir / "bare", delay), requests_made(servers))
    missed = set(urls) ^ set(fetched(servers))
    if missed:
        raise RuntimeError(f"the two crawls fetched different URLs, e.g. {sorted(missed)[:5]}")


def machine() -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {platform.system()}; load average {load}"
    )


def per_round_ratios(newswatch: Crawls, bare: Crawls) -> list[float]:
    """newswatch's CPU per request over bare Scrapy's, in each round: the two ran back to
    back, so the spread of these shows how much the machine moved the figure."""
    return [ours / theirs for ours, theirs in zip(newswatch.cpu_ms_each(), bare.cpu_ms_each())]


def report(args: argparse.Namespace, crawls: dict[str, Crawls]) -> dict:
    """Print every kind's medians and the three ratios against their targets; return the
    figures."""
    many, few = args.sites, args.few
    for name, kind in crawls.items():
        print(f"{name}: {kind.as_text()}")
    newswatch, bare = crawls[f"newswatch, {many} sites"], crawls[f"bare Scrapy, {many} sites"]
    checks = [
        Check("total time, newswatch / bare Scrapy", newswatch.median("seconds") / bare.median("seconds"),
              "<=", TIME_RATIO, "x"),
        Check("CPU per page, newswatch / bare Scrapy",
              newswatch.cpu_ms_per_request() / bare.cpu_ms_per_request(), "<=", CPU_RATIO, "x"),
        Check(f"newswatch's peak RSS, {many} sites / {few}",
              newswatch.median("peak_rss_mb") / crawls[f"newswatch, {few} sites"].median("peak_rss_mb"),
              "<=", MEMORY_RATIO, "x"),
    ]  # fmt: skip
    bare_memory = bare.median("peak_rss_mb") / crawls[f"bare Scrapy, {few} sites"].median("peak_rss_mb")
    for check in checks:
        verdict = "pass" if check.passed else "FAIL"
        print(f"{check.as_text()} (target {check.compare} {check.limit:g}{check.unit}): {verdict}")
    print(f"(bare Scrapy's peak RSS, {many} sites / {few}: {bare_memory:.2f}x)")
    print(f"(CPU per page, round by round: {', '.join(f'{r:.2f}x' for r in per_round_ratios(newswatch, bare))};"
          " the check above divides the two medians)")  # fmt: skip
    figures = {
        "sites": many,
        "few": few,
        "articles": args.articles,
        "delay": args.delay,
        "rounds": args.rounds,
        "crawls": {name: kind.as_json() for name, kind in crawls.items()},
        "checks": [{"name": c.name, "value": c.value, "limit": c.limit, "passed": c.passed} for c in checks],
    }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sites", type=int, default=50, help="sites crawled together (default 50)")
    parser.add_argument(
        "--few", type=int, default=5, help="the few sites memory is compared with (default 5)"
    )
    parser.add_argument("--articles", type=int, default=40, help="articles per site (default 40)")
    parser.add_argument("--delay", type=float, default=0.2,
                        help="politeness delay of every site, seconds (default 0.2; 0: CPU-bound)")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the four crawls (default 3)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.few <= args.sites:
        parser.error("--few must be between 1 and --sites")
    print(f"{args.sites} sites of {args.articles} articles, delay {args.delay:g} s, {args.rounds} rounds; "
          f"{machine()}", flush=True)  # fmt: skip
    crawls: dict[str, Crawls] = {}
    with served_sites(args.sites, args.articles) as servers, tempfile.TemporaryDirectory() as work:
        for number in range(1, args.rounds + 1):
            for size in (args.sites, args.few):
                newswatch = crawls.setdefault(f"newswatch, {size} sites", Crawls())
                bare = crawls.setdefault(f"bare Scrapy, {size} sites", Crawls())
                crawl_both(servers[:size], Path(work) / f"round-{number}-{size}", args.delay, newswatch, bare)
                print(f"round {number}, {size} sites: newswatch {newswatch.runs[-1].seconds:.1f} s "
                      f"({newswatch.runs[-1].cpu_seconds:.1f} s CPU), bare Scrapy {bare.runs[-1].seconds:.1f} s "
                      f"({bare.runs[-1].cpu_seconds:.1f} s CPU), CPU per page "
                      f"{per_round_ratios(newswatch, bare)[-1]:.2f}x", flush=True)  # fmt: skip
    print(f"medians of {args.rounds} rounds; load average now {machine().rpartition('load average ')[2]}")
    figures = report(args, crawls)
    if args.json:
        args.json.write_text(json.dumps(figures | {"machine": machine()}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
