"""A crawl that could do nothing says so: when every start page failed (an error, robots.txt,
a redirect loop, too many redirects, a redirect to another host) the crawl is recorded as
failed, its summary says why on one line, and the command exits 1 (crawler.start_pages).

Also here: why a page was not fetched, in the words the record keeps (crawler.fetch_errors),
for the cases a start page meets, and the page cut off at the size limit.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.fetch_errors import failed_fetch
from crawler.links import Site
from crawler.middlewares.offsite_redirects import OffsiteRedirectMiddleware, RedirectLoop
from crawler.middlewares.page_size import RECEIVED
from crawler.settings import MAX_PAGE_BYTES, MAX_REDIRECTS
from crawler.start_pages import NOT_ANSWERED, StartPages
from tests.support.helpers import ROOT, CliResult, cli_environment, run_cli
from tests.support.loopback import LoopbackServer
from tests.support.loopback_faults import Oversized, Redirect, RedirectChain, Status
from tests.support.mirror import build_mirror

START = "http://127.0.0.1:8000/news/"
OTHER = "http://127.0.0.1:8000/documents/"


# -- what became of the start pages ---------------------------------------------------------


def test_a_crawl_that_reached_one_start_page_did_not_fail():
    pages = StartPages([START, OTHER])
    pages.failed(START, "HTTP 500 Internal Server Error")
    pages.reached(OTHER)
    assert pages.failure() is None


def test_a_crawl_that_reached_no_start_page_says_why_for_each_on_one_line():
    pages = StartPages([START, OTHER])
    pages.failed(START, "forbidden by robots.txt")
    pages.failed(OTHER, "could not be read:\nValueError: bad\n")
    assert pages.failure() == (
        f"no start page could be fetched: {START}: forbidden by robots.txt; "
        f"{OTHER}: could not be read: ValueError: bad"
    )


def test_a_start_page_never_answered_is_named_too_and_a_long_list_is_cut():
    urls = [f"{START}{n}/" for n in range(5)]
    pages = StartPages(urls)
    assert pages.failure() == (
        f"no start page could be fetched: {urls[0]}: {NOT_ANSWERED}; {urls[1]}: {NOT_ANSWERED}; "
        f"{urls[2]}: {NOT_ANSWERED}; and 2 more"
    )


# -- why a page was not fetched -------------------------------------------------------------


def failure_of(error: Exception, request: Request) -> Failure:
    failure = Failure(error)
    failure.request = request
    return failure


def test_a_start_page_robots_txt_forbids_is_a_failure_a_link_is_not():
    request = Request(START)
    failure = failure_of(IgnoreRequest("Forbidden by robots.txt"), request)
    assert failed_fetch(failure, request) is None
    failed = failed_fetch(failure, request, start_page=True)
    assert (failed.url, failed.reason, failed.retry) == (START, "forbidden by robots.txt", True)


def test_a_page_that_grew_past_the_limit_says_so_without_content_length():
    """Scrapy cancels it with an empty message; the bytes counted say why."""
    request = Request(START, meta={RECEIVED: MAX_PAGE_BYTES + 65536})
    failed = failed_fetch(failure_of(DownloadCancelledError(""), request), request)
    assert failed.reason == "larger than the 5 MB page limit: not downloaded"


def test_a_page_that_announced_its_size_past_the_limit_says_so():
    request = Request(START)
    message = f"Expected to receive 20000000 bytes which is larger than download max size ({MAX_PAGE_BYTES})"
    failed = failed_fetch(failure_of(DownloadCancelledError(message), request), request)
    assert failed.reason == "larger than the 5 MB page limit: not downloaded"


def test_a_redirect_back_into_its_own_chain_is_a_loop():
    middleware = OffsiteRedirectMiddleware()
    middleware.crawler = SimpleNamespace(spider=SimpleNamespace(site_of=lambda request: Site.of([START])))
    hop = Request(START + "?b", meta={"redirect_urls": [START]})
    answer = Response(hop.url, status=302, headers={"Location": "/news/"}, request=hop)
    with pytest.raises(RedirectLoop, match=r"redirects in a loop \(.*/news/ -> .*/news/\?b -> .*/news/\)"):
        middleware.process_response(hop, answer)
    onward = Response(hop.url, status=302, headers={"Location": "/news/?c"}, request=hop)
    assert middleware.process_response(hop, onward) is onward


# -- crawls whose start pages fail ----------------------------------------------------------


@pytest.fixture(scope="module")
def server():
    with LoopbackServer(build_mirror(6, per_page=5)) as server:
        yield server


def crawl(server: LoopbackServer, data_dir: Path, *paths: str) -> CliResult:
    urls = [option for path in paths for option in ("--url", server.origin + path)]
    return run_cli("crawl", *urls, "--delay", "0", "--download-timeout", "5", data_dir=data_dir)


def recorded_runs(data_dir: Path) -> list[tuple[str, str | None]]:
    with sqlite3.connect(data_dir / "newswatch.sqlite3") as connection:
        return connection.execute("select status, notes from crawl_runs order by id").fetchall()


START_FAULTS = {
    "the site answers 500": (Status(500), "HTTP 500 Internal Server Error"),
    "a redirect loop": (Redirect("/news/loop/"), "redirects in a loop ("),
    "endless redirects": (RedirectChain(), f"too many redirects ({MAX_REDIRECTS}, the last to "),
    "a redirect to another host": (Redirect("http://localhost:{port}/news/"), "redirected to another host"),
}


@pytest.mark.e2e
@pytest.mark.parametrize("label", START_FAULTS)
def test_a_crawl_whose_start_page_failed_is_a_failed_crawl(server, tmp_path, label):
    fault, reason = START_FAULTS[label]
    if isinstance(fault, Redirect):
        fault = Redirect(fault.location.format(port=server.port))
    server.misbehave("/news/", fault)
    server.misbehave("/news/loop/", Redirect("/news/"))
    try:
        done = crawl(server, tmp_path, "/news/")
    finally:
        server.heal()
    summary = done.stdout.splitlines()[0]
    assert done.returncode == 1, done.stderr
    assert f"FAILED (no start page could be fetched: {server.origin}/news/: {reason}" in summary
    assert "pages 0," in summary
    status, notes = recorded_runs(tmp_path)[-1]
    assert status == "failed" and notes.startswith(f"no start page could be fetched: {server.origin}/news/: ")


@pytest.mark.e2e
def test_a_start_page_robots_txt_forbids_fails_the_crawl(server, tmp_path):
    done = crawl(server, tmp_path, "/news/closed/")
    assert done.returncode == 1
    url = f"{server.origin}/news/closed/"
    assert f"FAILED (no start page could be fetched: {url}: forbidden by robots.txt)" in done.stdout
    assert f"failed: {url}: forbidden by robots.txt" in done.stdout
    assert "errors 1," in done.stdout.splitlines()[0]


@pytest.mark.e2e
def test_a_crawl_that_reached_one_of_its_start_pages_finishes(server, tmp_path):
    done = crawl(server, tmp_path, "/news/closed/", "/news/")
    assert done.returncode == 0, done.stderr
    assert " finished in " in done.stdout.splitlines()[0]
    assert f"failed: {server.origin}/news/closed/: forbidden by robots.txt" in done.stdout
    assert recorded_runs(tmp_path) == [("finished", None)]


@pytest.mark.e2e
def test_a_page_that_grows_past_the_limit_is_named_with_the_limit(server, tmp_path):
    path = build_mirror(6, per_page=5).news[0].path  # the first article, sent without its size
    server.misbehave(path, Oversized(MAX_PAGE_BYTES + 500_000, announced=False))
    try:
        done = crawl(server, tmp_path, "/news/")
    finally:
        server.heal()
    assert done.returncode == 0, done.stderr
    assert f"failed: {server.origin}{path}: larger than the 5 MB page limit: not downloaded" in done.stdout


# -- a live crawl reads the web only --------------------------------------------------------

LIVE_CRAWL = textwrap.dedent(
    """
    import sys
    from crawler.plan import CrawlPlan
    from crawler.runner import run_crawl
    from storage.store import Store

    summary = run_crawl(Store.open(sys.argv[1]), CrawlPlan((sys.argv[2],)))
    print(summary.status, summary.notes)
    """
)


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never says a word (no FTP greeting)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.mark.e2e
@pytest.mark.parametrize("scheme", ["ftp", "file"])
def test_a_live_crawl_fetches_no_other_scheme_than_http(tmp_path, silent_server, scheme):
    """Past the command line's check (scheduler.http_urls), the crawler itself refuses: an
    ftp:// start page used to wait minutes for a greeting, a file:// one read the file."""
    url = f"ftp://127.0.0.1:{silent_server}/news/" if scheme == "ftp" else Path(__file__).as_uri()
    done = subprocess.run(
        [sys.executable, "-c", LIVE_CRAWL, f"sqlite:///{tmp_path / 'store.sqlite3'}", url],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=cli_environment(),
    )
    assert done.stdout == (
        f"failed no start page could be fetched: {url}: not fetched: this crawl reads no {scheme}: URLs\n"
    ), done.stderr
    with sqlite3.connect(tmp_path / "store.sqlite3") as connection:
        assert connection.execute("select count(*) from pages").fetchone() == (0,)
