"""Issue 17's crawl targets, side by side in one run: a check with nothing changed against
urlwatch's, a first crawl against the download-only spider, and a crawl's peak memory.

    python -m benchmarks.nochange_check [--before REV] [--articles 240] [--rounds 3]

One mirror (``tests/support/mirror.py``) is served on loopback; each round runs, in turns,
for this checkout and (with ``--before``) for an earlier revision from a temporary git
worktree with this checkout's virtualenv (so only the code differs):

- ``newswatch crawl --full --delay 0 --max-pages 0`` into an empty data directory (the
  first crawl: CPU, peak RSS, requests the server saw);
- the same crawl again, the site unchanged (the no-change check: every page answers 304);
- the default incremental ``newswatch crawl`` after it (what ``newswatch run`` does on its
  schedule: the first listing page answers 304, nothing is new, no article is due for a
  re-check yet);
- the download-only spider (benchmarks.bare_spider) of that tree over the URLs the first
  crawl fetched;
- for this checkout, the same ``--full`` crawl as ``newswatch run`` starts it on its
  schedule, forked from the service's warm fork server (benchmarks.scheduled_crawl): a
  first one, then two no-change checks, whose CPU is the service's share plus the child's,
  then the default incremental check the service makes every 30 minutes; and the memory of
  the first one's forked child: its peak RSS, and its peak private memory, what it adds to
  the fork server's pages, which the service holds once for all its crawls
  (benchmarks.private_memory);

and once per round urlwatch's first and second run over the mirror's article URLs (the
second: nothing changed). It prints the medians and the ratios the issue sets targets for:
no-change CPU newswatch/urlwatch (<= 1.0x) and requests (no more than urlwatch's), first
crawl CPU per page newswatch/download-only (<= 3x), peak RSS of the first crawl (<= 80 MiB).

Each tree's modules are compiled to bytecode first, as ``pip install`` does: a shell with
``PYTHONDONTWRITEBYTECODE`` set would otherwise have newswatch compile its own source on
every run (0.1-0.2 s), while urlwatch and Scrapy come compiled from their wheels.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

from benchmarks import peer_urlwatch
from benchmarks.child_process import ROOT, run_child
from benchmarks.crawl_cost import checkout, crawl
from benchmarks.mirror_crawls import served_mirror
from benchmarks.private_memory import ChildrenMemory, rollup_kib
from benchmarks.scheduled_crawl import Way, cpu_of, fork_server_cpu
from crawler.plan import CrawlPlan, Politeness
from extraction.urls import CSTO_ARTICLES
from scheduler.service.crawl_processes import FORK_SERVER
from tests.support.loopback import HOST, LoopbackServer

PACKAGES = ("crawler", "storage", "extraction", "feeds", "scheduler", "benchmarks", "tests/support")

TARGETS = {
    "no-change CPU newswatch/urlwatch": 1.0,
    "incremental no-change CPU newswatch/urlwatch": 1.0,
    "first crawl CPU per page newswatch/download-only": 3.0,
    "first crawl peak RSS MiB": 80.0,
    "scheduled no-change CPU newswatch run/urlwatch": 1.0,
    "scheduled incremental CPU newswatch run/urlwatch": 1.0,
}


def compile_tree(tree: Path) -> None:
    """Bytecode for the tree's own modules, as an installed newswatch has (see the docstring)."""
    folders = [str(tree / name) for name in PACKAGES if (tree / name).is_dir()]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *folders], check=True, stdout=subprocess.DEVNULL
    )


def _site_requests(server: LoopbackServer) -> list[str]:
    """Targets the crawl asked the mirror's own host for (robots.txt included)."""
    return [request.target for request in server.requests if request.host.startswith(HOST)]


def one_tree_round(tree: Path, server: LoopbackServer, work: Path, figures: dict) -> None:
    """A first crawl, the no-change re-crawl and the download-only spider, for one tree."""
    data_dir = work / "newswatch"
    server.clear_log()
    first = crawl(tree, server.origin, data_dir)
    fetched = _site_requests(server)
    server.clear_log()
    again = crawl(tree, server.origin, data_dir)
    again_requests = len(server.requests)
    server.clear_log()
    incremental = crawl(tree, server.origin, data_dir, full=False)
    figures["incremental CPU s"].append(incremental.cpu_seconds)
    figures["incremental requests"].append(len(server.requests))
    urls = work / "urls.txt"
    targets = dict.fromkeys(target for target in fetched if target != "/robots.txt")
    urls.write_text("\n".join(server.origin + target for target in targets) + "\n", encoding="utf-8")
    bare = run_child([sys.executable, "-m", "benchmarks.bare_spider", str(urls)], cwd=tree,
                     env={"PYTHONPATH": str(tree)} | _environment())  # fmt: skip
    pages = len(fetched)
    figures["first CPU s"].append(first.cpu_seconds)
    figures["first peak RSS MiB"].append(first.peak_rss_mb)
    figures["first requests"].append(pages)
    figures["no-change CPU s"].append(again.cpu_seconds)
    figures["no-change requests"].append(again_requests)
    figures["download-only CPU s"].append(bare.cpu_seconds)
    figures["first CPU ms/page"].append(first.cpu_seconds / pages * 1000)
    figures["download-only CPU ms/page"].append(bare.cpu_seconds / len(targets) * 1000)


def _environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if not name.startswith("NEWSWATCH_")}


def scheduled_round(server: LoopbackServer, work: Path, figures: dict, checks: int) -> None:
    """``newswatch run``'s way with this checkout: the same ``--full`` crawl, each forked from
    the service's warm fork server (benchmarks.scheduled_crawl), a first one and then
    ``checks`` no-change checks; the CPU of each check (the service's share and the child's)."""
    way = Way(FORK_SERVER, work / "scheduled")
    way.processes.warm_up()
    fork_server = way.processes.server_pid()
    plan = CrawlPlan(
        (f"{server.origin}/news/",),
        full=True,
        politeness=Politeness(delay=0, max_pages=0),
        article_pattern=CSTO_ARTICLES.pattern,  # as benchmarks.crawl_cost.crawl gives it
    )
    with ChildrenMemory(fork_server) as memory:
        way.crawl(plan)
    figures["scheduled first crawl child peak RSS MiB"].append(memory.peak_rss_mib)
    figures["scheduled first crawl child peak private MiB"].append(memory.peak_private_mib)
    for _ in range(checks):
        server.clear_log()
        figures["scheduled no-change CPU s"].append(
            cpu_of(lambda: way.crawl(plan), lambda: fork_server_cpu(way.processes)[1])
        )
        figures["scheduled no-change requests"].append(len(server.requests))
    incremental = dataclasses.replace(plan, full=False)
    server.clear_log()
    figures["scheduled incremental CPU s"].append(
        cpu_of(lambda: way.crawl(incremental), lambda: fork_server_cpu(way.processes)[1])
    )
    figures["scheduled incremental requests"].append(len(server.requests))
    figures["fork server RSS MiB"].append(rollup_kib(fork_server).get("Rss", 0) / 1024)
    way.store.close()


def urlwatch_round(server: LoopbackServer, urls: list[str], work: Path, figures: dict) -> None:
    server.clear_log()
    first, second = peer_urlwatch.urlwatch_pair(urls, work)
    figures["urlwatch first CPU s"].append(first.cpu_seconds)
    figures["urlwatch no-change CPU s"].append(second.cpu_seconds)
    figures["urlwatch no-change requests"].append(len(server.requests) / 2)
    figures["urlwatch peak RSS MiB"].append(second.peak_rss_mb)


def report(name: str, figures: dict[str, list[float]], peer: dict[str, list[float]]) -> dict[str, float]:
    med = {key: statistics.median(values) for key, values in figures.items()}
    urlwatch = statistics.median(peer["urlwatch no-change CPU s"])
    ratios = {
        "no-change CPU newswatch/urlwatch": med["no-change CPU s"] / urlwatch,
        "incremental no-change CPU newswatch/urlwatch": med["incremental CPU s"] / urlwatch,
        "first crawl CPU per page newswatch/download-only": med["first CPU ms/page"] / med["download-only CPU ms/page"],
        "first crawl peak RSS MiB": med["first peak RSS MiB"],
    }  # fmt: skip
    if "scheduled no-change CPU s" in med:
        ratios["scheduled no-change CPU newswatch run/urlwatch"] = med["scheduled no-change CPU s"] / urlwatch
        ratios["scheduled incremental CPU newswatch run/urlwatch"] = (
            med["scheduled incremental CPU s"] / urlwatch
        )
    print(f"\n{name}:")
    for key, value in med.items():
        runs = ", ".join(f"{v:.3g}" for v in figures[key])
        print(f"  {key}: {value:.3g}  ({runs})")
    for key, value in ratios.items():
        verdict = "pass" if value <= TARGETS[key] else "FAIL"
        print(f"  => {key}: {value:.2f} (target <= {TARGETS[key]}) {verdict}")
    return ratios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", help="an earlier revision to measure in turns with this checkout")
    parser.add_argument("--articles", type=int, default=240, help="articles in the mirror (default 240)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    args = parser.parse_args(argv)
    if reason := peer_urlwatch.missing_reason():
        parser.error(reason)
    figures: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    peer: dict[str, list[float]] = defaultdict(list)
    with ExitStack() as stack:
        trees = {"now": ROOT}
        if args.before:
            trees = {"before": stack.enter_context(checkout(args.before))} | trees
        for tree in trees.values():
            compile_tree(tree)
        server, mirror = stack.enter_context(served_mirror(args.articles))
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        article_urls = [server.origin + item.path for item in mirror.news]
        for number in range(args.rounds):
            for name, tree in trees.items():
                one_tree_round(tree, server, work / f"{name}-{number}", figures[name])
            scheduled_round(server, work / f"scheduled-{number}", figures["now"], checks=2)
            urlwatch_round(server, article_urls, work / f"urlwatch-{number}", peer)
            print(f"round {number + 1} of {args.rounds} done", file=sys.stderr, flush=True)
    print(f"urlwatch, {len(article_urls)} article URLs:")
    for key, values in peer.items():
        print(f"  {key}: {statistics.median(values):.3g}  ({', '.join(f'{v:.3g}' for v in values)})")
    for name in trees:
        report(name, figures[name], peer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
