"""Crawling the synthetic mirror on loopback: newswatch, a download-only spider and urlwatch.

One round is, against one served mirror: a first ``newswatch crawl --full`` into an empty
data directory, the same crawl again (the site unchanged: conditional GETs), the
download-only spider (benchmarks.bare_spider) over the pages the first crawl fetched, and,
if installed, urlwatch's first and second run over the mirror's articles. Rounds repeat, so
that every compared pair is timed side by side and the medians shrug off a noisy moment.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import peer_urlwatch
from benchmarks.child_process import ChildRun, run_child
from extraction.urls import CSTO_ARTICLES
from tests.support.loopback import HOST, LoopbackServer
from tests.support.mirror import Mirror, build_mirror

PER_PAGE = 20
"""Teasers per listing page, as ``python -m tests.support.loopback`` serves the mirror."""
_FETCHED = re.compile(r"fetched: \d+ requests, .*?, (\d+) bytes")


@dataclass
class Rounds:
    """Every run of every round, by kind."""

    first: list[ChildRun] = field(default_factory=list)
    recrawl: list[ChildRun] = field(default_factory=list)
    first_bytes: list[int] = field(default_factory=list)
    recrawl_bytes: list[int] = field(default_factory=list)
    download_only: list[ChildRun] = field(default_factory=list)
    urlwatch_first: list[ChildRun] = field(default_factory=list)
    urlwatch_second: list[ChildRun] = field(default_factory=list)
    pages: list[tuple[str, bytes]] = field(default_factory=list)
    """``(url, body)`` of every page the first crawl fetched with a 200 (for measurement 1)."""


@contextmanager
def served_mirror(articles: int) -> Iterator[tuple[LoopbackServer, Mirror]]:
    with LoopbackServer() as server:
        mirror = build_mirror(articles, per_page=PER_PAGE, offsite_origin=server.alias_origin)
        server.serve(mirror)
        yield server, mirror


def crawl_rounds(articles: int, repeats: int, work_dir: Path, *, with_peer: bool) -> Rounds:
    rounds = Rounds()
    with served_mirror(articles) as (server, mirror):
        article_urls = [server.origin + item.path for item in mirror.news]
        for number in range(repeats):
            round_dir = work_dir / f"round-{number}"
            _newswatch_and_baseline(server, round_dir, rounds)
            if with_peer:
                urlwatch_first, urlwatch_second = peer_urlwatch.urlwatch_pair(
                    article_urls, round_dir / "urlwatch"
                )
                rounds.urlwatch_first.append(urlwatch_first)
                rounds.urlwatch_second.append(urlwatch_second)
    return rounds


def _newswatch_and_baseline(server: LoopbackServer, work_dir: Path, rounds: Rounds) -> None:
    data_dir = work_dir / "newswatch"
    server.clear_log()
    first, first_bytes = newswatch_crawl(server, data_dir)
    fetched = [request for request in server.requests if request.host.startswith(HOST)]
    recrawl, recrawl_bytes = newswatch_crawl(server, data_dir)
    rounds.first.append(first)
    rounds.first_bytes.append(first_bytes)
    rounds.recrawl.append(recrawl)
    rounds.recrawl_bytes.append(recrawl_bytes)
    if not rounds.pages:
        rounds.pages = [
            (server.origin + request.target, server.body(request.target))
            for request in fetched
            if request.status == 200 and request.target != "/robots.txt"
        ]
    targets = dict.fromkeys(request.target for request in fetched if request.target != "/robots.txt")
    rounds.download_only.append(download_only_crawl([server.origin + target for target in targets], work_dir))


def first_crawl(articles: int, work_dir: Path) -> ChildRun:
    """One first crawl of a mirror of ``articles``, alone (measurement 7's larger crawl)."""
    with served_mirror(articles) as (server, _):
        return newswatch_crawl(server, work_dir / "newswatch")[0]


def newswatch_crawl(server: LoopbackServer, data_dir: Path) -> tuple[ChildRun, int]:
    """``newswatch crawl --full`` of the served mirror, at full speed; its run and the bytes
    it downloaded (Scrapy's count, headers included)."""
    command = [
        sys.executable,
        "-m",
        "scheduler.cli.main",
        "--data-dir",
        str(data_dir),
        "crawl",
        "--url",
        f"{server.origin}/news/",
        "--full",
        "--delay",
        "0",
        "--max-pages",
        "0",
        "--article-pattern",  # the mirror is the built-in site on loopback
        CSTO_ARTICLES.pattern,
    ]
    run = run_child(command, env=_without_newswatch_variables())
    found = _FETCHED.search(run.stderr)
    if found is None:
        raise RuntimeError(f"no 'fetched: ... bytes' line in the crawl's log:\n{run.stderr[-2000:]}")
    return run, int(found[1])


def download_only_crawl(urls: list[str], work_dir: Path) -> ChildRun:
    url_list = work_dir / "urls.txt"
    url_list.parent.mkdir(parents=True, exist_ok=True)
    url_list.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return run_child([sys.executable, "-m", "benchmarks.bare_spider", str(url_list)])


def _without_newswatch_variables() -> dict[str, str]:
    """The crawl's defaults, not whatever this shell has set (as the tests do)."""
    return {name: value for name, value in os.environ.items() if not name.startswith("NEWSWATCH_")}
