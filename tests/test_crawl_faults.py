"""A crawl of a site that fails in every way it can, and the crawl after it.

The loopback server serves the synthetic mirror with a fault laid over one article each
(tests/support/loopback_faults.py: error statuses with and without Retry-After, a hang, a
trickle, a reset, a truncated body, gzip that does not decompress, a 20 MB page, an endless
redirect chain, a redirect to another host), a listing page that answers 500, articles
whose charset is wrong or missing, and articles that change between the listing's fetch and
their own. The faulted articles sit beyond the first page of every listing, where an
incremental crawl that stops at the first page with nothing new would never look again.

Three crawls of one store: the faulty one; once the site is healed, one that re-checks
every known article (``--recheck-days 0``); and the same again, which must find nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.settings import MAX_REDIRECTS
from tests.support.helpers import CliResult, run_cli
from tests.support.loopback import LoggedRequest, LoopbackServer
from tests.support.loopback_faults import (
    CorruptGzip,
    CutShort,
    Fault,
    Hang,
    Oversized,
    Recode,
    Redirect,
    RedirectChain,
    Status,
    Trickle,
)
from tests.support.mirror import Mirror, MirrorArticle, build_mirror

pytestmark = pytest.mark.e2e

ARTICLES = 40
PER_PAGE = 5
RETRIES = 3
"""crawler.settings' RETRY_TIMES: a retried fault is asked for 1 + RETRIES times."""
FAILED_LISTING = "/news/?PAGEN_1=2"
NON_ASCII = " «Quoted» – “yes” — said Imangali Tasmagambetov (Имангали Тасмагамбетов)."


@dataclass(frozen=True)
class Case:
    fault: Fault
    reason: str
    """Words the recorded reason must hold."""
    retried_within_the_crawl: bool = True


def fault_cases(server: LoopbackServer, path: str) -> dict[str, Case]:
    """Every fault of the issue, for the article at ``path``."""
    return {
        "500": Case(Status(500), "HTTP 500"),
        "502": Case(Status(502), "HTTP 502"),
        "503": Case(Status(503), "HTTP 503"),
        "503 Retry-After 1": Case(Status(503, "1"), "HTTP 503 Service Unavailable (Retry-After: 1)"),
        "503 Retry-After 3600": Case(Status(503, "3600"), "Retry-After: 3600", False),
        "429": Case(Status(429), "HTTP 429"),
        "never answers": Case(Hang(), "no complete answer within 1 s"),
        "answers too slowly": Case(Trickle(), "no complete answer within 1 s"),
        "reset mid-body": Case(CutShort(reset=True), "the connection ended before the whole page arrived"),
        "truncated": Case(CutShort(), "the connection ended before the whole page arrived"),
        "not gzip": Case(CorruptGzip(), "does not decompress", False),
        "gzip cut short": Case(CorruptGzip(cut=True), "does not decompress", False),
        "20 MB": Case(Oversized(20_000_000), "larger than", False),
        "endless redirects": Case(RedirectChain(), f"too many redirects ({MAX_REDIRECTS}", False),
        "redirect to another host": Case(
            Redirect(server.alias_origin + path), f"redirected to another host ({server.alias_origin}", False
        ),
    }


CHARSETS = {  # what the bytes are, what the headers say (None: nothing, no <meta> either)
    "UTF-8 sent as windows-1251": ("utf-8", "windows-1251"),
    "UTF-8 sent as ISO-8859-1": ("utf-8", "ISO-8859-1"),
    "UTF-8 with no charset": ("utf-8", None),
    "windows-1251 sent as UTF-8": ("windows-1251", "UTF-8"),
    "windows-1251 with no charset": ("windows-1251", None),
}
OFFSITE = "redirect to another host"
FAULT_LABELS = [
    "500",
    "502",
    "503",
    "503 Retry-After 1",
    "503 Retry-After 3600",
    "429",
    "never answers",
    "answers too slowly",
    "reset mid-body",
    "truncated",
    "not gzip",
    "gzip cut short",
    "20 MB",
    "endless redirects",
    OFFSITE,
]


@dataclass
class Crawl:
    result: CliResult
    requests: list[LoggedRequest]

    def answers(self, target: str) -> list[int]:
        return [request.status for request in self.requests if request.target == target]


@dataclass
class Faulty:
    server: LoopbackServer
    data_dir: Path
    mirror: Mirror
    faulted: dict[str, MirrorArticle]
    cases: dict[str, Case]
    recoded: dict[str, MirrorArticle]
    changed: MirrorArticle
    deleted: MirrorArticle
    faulty: Crawl
    retry: Crawl
    again: Crawl

    def url(self, item: MirrorArticle | str) -> str:
        return self.server.origin + (item if isinstance(item, str) else item.path)


def crawl(server: LoopbackServer, data_dir: Path, *options: str) -> Crawl:
    server.clear_log()
    result = run_cli(
        "crawl",
        "--url",
        f"{server.origin}/news/",
        "--delay",
        "0",
        "--download-timeout",
        "1",
        *options,
        data_dir=data_dir,
    )
    assert result.returncode == 0, result.stderr
    return Crawl(result, server.requests)


def deep_articles(mirror: Mirror) -> list[MirrorArticle]:
    """News items on no listing's first page: an incremental crawl reaches them only by
    paginating, which it stops at the first page with nothing new."""
    seen: Counter = Counter()
    deep = []
    for position, item in enumerate(mirror.news):  # newest first, as every listing
        seen[item.section] += 1
        if position >= PER_PAGE and seen[item.section] > PER_PAGE:
            deep.append(item)
    return deep


def with_non_ascii(server: LoopbackServer, item: MirrorArticle) -> None:
    body = server.body(item.path).decode()
    server.put(item.path, body.replace(item.paragraphs[0], item.paragraphs[0] + NON_ASCII).encode())


def change_once(server: LoopbackServer, listings: list[str], change) -> None:
    """``change`` right after the first of ``listings`` is answered (the article's own fetch
    comes later: listings go first)."""
    done = []

    def once() -> None:
        if not done:
            done.append(change())

    for target in listings:
        server.after(target, once)


def listings_of(mirror: Mirror, item: MirrorArticle) -> list[str]:
    return [*mirror.listing_paths("/news/"), *mirror.listing_paths(f"/news/{item.section}/")]


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Faulty:
    with LoopbackServer() as server:
        mirror = build_mirror(ARTICLES, per_page=PER_PAGE, offsite_origin=server.alias_origin)
        server.serve(mirror)
        deep = iter(deep_articles(mirror))
        faulted = {label: next(deep) for label in FAULT_LABELS}
        cases = {}
        for label, item in faulted.items():
            cases[label] = fault_cases(server, item.path)[label]
            server.misbehave(item.path, cases[label].fault)
        server.misbehave(FAILED_LISTING, Status(500))
        recoded = {label: next(deep) for label in CHARSETS}
        for label, item in recoded.items():
            with_non_ascii(server, item)
            server.misbehave(item.path, Recode(*CHARSETS[label]))
        changed, deleted = next(deep), next(deep)
        edited = server.body(changed.path).replace(
            changed.lead.encode(), b"A new lead: " + changed.lead.encode()
        )
        change_once(server, listings_of(mirror, changed), lambda: server.put(changed.path, edited))
        change_once(server, listings_of(mirror, deleted), lambda: server.delete(deleted.path))

        data_dir = tmp_path_factory.mktemp("faults")
        first = crawl(server, data_dir)
        server.heal()
        retry = crawl(server, data_dir, "--recheck-days", "0")
        again = crawl(server, data_dir, "--recheck-days", "0")
        yield Faulty(server, data_dir, mirror, faulted, cases, recoded, changed, deleted, first, retry, again)


def query(faulty: Faulty, sql: str, *parameters) -> list[tuple]:
    with sqlite3.connect(faulty.data_dir / "newswatch.sqlite3") as connection:
        return connection.execute(sql, parameters).fetchall()


def failures(faulty: Faulty, crawl_id: int) -> dict[str, tuple[str, int]]:
    rows = query(faulty, "select url, reason, retry from fetch_failures where crawl_id = ?", crawl_id)
    return {url: (reason, retry) for url, reason, retry in rows}


def summary(crawl: Crawl) -> str:
    return crawl.result.stdout.splitlines()[0]


# -- the faulty crawl -----------------------------------------------------------------------


@pytest.mark.parametrize("label", FAULT_LABELS)
def test_each_failure_is_recorded_with_its_url_and_reason(faulty, label):
    reason, retry = failures(faulty, 1)[faulty.url(faulty.faulted[label])]
    assert faulty.cases[label].reason in reason
    assert retry == (label != OFFSITE)


def test_a_failed_listing_page_is_recorded(faulty):
    assert failures(faulty, 1)[faulty.url(FAILED_LISTING)] == ("HTTP 500 Internal Server Error", 1)


def test_errors_are_retried_within_the_crawl_unless_retrying_cannot_help(faulty):
    for label, item in faulty.faulted.items():
        case = faulty.cases[label]
        asked = len(faulty.faulty.answers(item.path))
        assert asked == (1 + RETRIES if case.retried_within_the_crawl else 1), label


def test_the_faulty_crawl_finishes_and_its_summary_names_every_failure(faulty):
    errors = len(faulty.faulted) - 1 + 1  # every fault but the offsite redirect, and the listing
    assert "finished in" in summary(faulty.faulty)
    assert f"errors {errors}," in summary(faulty.faulty)
    printed = faulty.faulty.result.stdout
    for url, (reason, retry) in failures(faulty, 1).items():
        kind = "failed" if retry else "not followed"
        assert f"{kind}: {url}: {reason}" in printed


def test_every_page_that_did_arrive_is_kept(faulty):
    """After the faulty crawl: every article but the faulted ones (and the deleted one) has
    its text; a faulted one is kept as the teaser its listing card showed."""
    seen = dict(
        query(
            faulty,
            "select e.url, max(v.body is not null) from entries e join entry_versions v "
            "on v.entry_id = e.id where v.crawl_id = 1 group by e.url",
        )
    )
    missing = {faulty.url(item) for item in faulty.faulted.values()} | {faulty.url(faulty.deleted)}
    news = {faulty.url(item) for item in faulty.mirror.news}
    assert {url for url in news if seen.get(url)} == news - missing
    assert {url for url in missing if url in seen} == missing


# -- the next crawl -------------------------------------------------------------------------


@pytest.mark.parametrize("label", FAULT_LABELS)
def test_the_next_crawl_fetches_what_failed(faulty, label):
    assert faulty.retry.answers(faulty.faulted[label].path) == [200]


def test_the_next_crawl_retries_a_failed_listing_page(faulty):
    assert faulty.retry.answers(FAILED_LISTING) == [200]
    assert faulty.retry.answers("/news/") == [304]  # nothing new on the first page


def test_after_the_retry_every_article_is_stored_with_its_text(faulty):
    stored = dict(query(faulty, "select url, body is not null from entries"))
    alive = [item for item in faulty.mirror.news if item is not faulty.deleted]
    assert all(stored.get(faulty.url(item)) for item in alive)
    assert "errors 0, warnings 0" in summary(faulty.retry)
    assert set(failures(faulty, 2)) <= old_addresses(faulty)


def old_addresses(faulty: Faulty) -> set[str]:
    """The mirror's old addresses, which redirect to another host: re-checked when due, and
    noted each time as not followed (never as errors)."""
    return {faulty.url(path) for path in faulty.mirror.redirect_paths}


def test_nothing_is_duplicated(faulty):
    assert query(faulty, "select url from entries group by url having count(*) > 1") == []
    assert query(faulty, "select count(*) from entries") == [(len(faulty.mirror.article_paths),)]
    assert (
        query(
            faulty,
            "select entry_id from change_events where kind = 'new' group by entry_id having count(*) > 1",
        )
        == []
    )
    assert query(faulty, "select count(*) from entries where url is null") == [(0,)]


def test_a_crawl_after_the_retry_finds_nothing_to_do(faulty):
    assert "new 0, updated 0, removed 0, errors 0, warnings 0" in summary(faulty.again)
    assert query(faulty, "select count(*) from change_events where crawl_id = 3") == [(0,)]
    assert {url for url, (_, retry) in failures(faulty, 3).items()} == old_addresses(faulty)
    assert not any(retry for _, retry in failures(faulty, 3).values())


def test_failures_stay_out_of_the_change_log_and_the_feeds(faulty):
    changes = json.loads(run_cli("changes", "--json", data_dir=faulty.data_dir).stdout)
    assert len(changes) == query(faulty, "select count(*) from change_events")[0][0]
    urls = {faulty.url(path) for path in faulty.mirror.article_paths}
    assert {change["url"] for change in changes} <= urls
    feed = (faulty.data_dir / "feed.atom").read_text()
    assert "busy" not in feed and FAILED_LISTING not in feed


# -- charsets, and pages that change under the crawl ----------------------------------------


@pytest.mark.parametrize("label", list(CHARSETS))
def test_a_wrong_or_missing_charset_is_read_as_what_the_bytes_are(faulty, label):
    url = faulty.url(faulty.recoded[label])
    ((body,),) = query(faulty, "select body from entries where url = ?", url)
    assert NON_ASCII.strip() in body
    # the healed page (UTF-8, declared) is fetched again and changes nothing
    assert faulty.retry.answers(faulty.recoded[label].path) == [200]
    assert query(
        faulty,
        "select count(*) from change_events e join entries n on n.id = e.entry_id where n.url = ?",
        url,
    ) == [(1,)]


def test_an_article_edited_between_its_listing_and_its_fetch_is_one_entry_as_fetched(faulty):
    rows = query(faulty, "select id, body from entries where url = ?", faulty.url(faulty.changed))
    ((entry_id, body),) = rows
    assert body.startswith("A new lead: ")
    assert query(faulty, "select kind from change_events where entry_id = ?", entry_id) == [("new",)]


def test_an_article_deleted_between_its_listing_and_its_fetch_is_one_removed_entry(faulty):
    ((entry_id, removed),) = query(
        faulty, "select id, removed from entries where url = ?", faulty.url(faulty.deleted)
    )
    assert removed
    assert query(faulty, "select kind from change_events where entry_id = ?", entry_id) == [("removed",)]
