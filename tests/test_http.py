"""The service's HTTP side: the real app on the real server (cheroot), on a loopback port,
over a data directory filled by one real offline crawl."""

from __future__ import annotations

import gzip
import socket

import feedparser
import pytest

from scheduler.web.app import ServiceApp
from scheduler.web.server import MAX_REQUEST_BODY_BYTES, HttpServer, ListenError
from storage.store import Store
from tests.support.helpers import run_cli
from tests.support.service_harness import http_request

pytestmark = pytest.mark.timeout(120)

HEALTH = {"ok": True, "crawling": False}
FEEDS = {
    "/feed.rss": "application/rss+xml; charset=utf-8",
    "/feed.atom": "application/atom+xml; charset=utf-8",
    "/changes.atom": "application/atom+xml; charset=utf-8",
}
CONDITIONAL = [*FEEDS, "/feed.json", "/changes.json", "/changes"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("data")
    crawled = run_cli("crawl", "--offline", data_dir=directory)
    assert crawled.returncode == 0, crawled.stderr
    return directory


def serve(app) -> tuple[HttpServer, int]:
    server = HttpServer(app, "127.0.0.1", 0)
    _, port = server.start()
    return server, port


@pytest.fixture(scope="module")
def port(data_dir):
    store = Store.open(f"sqlite:///{data_dir / 'newswatch.sqlite3'}")
    server, port = serve(ServiceApp(store, data_dir, "https://en.odkb-csto.org/", lambda: HEALTH))
    yield port
    server.stop()
    store.close()


@pytest.mark.e2e
@pytest.mark.parametrize(("path", "content_type"), FEEDS.items())
def test_feeds_are_served_from_the_data_dir_with_their_content_types(port, data_dir, path, content_type):
    answer = http_request(port, path)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == content_type
    assert answer.body == (data_dir / path.lstrip("/")).read_bytes()
    assert not feedparser.parse(answer.body).bozo


@pytest.mark.e2e
def test_the_json_feed_is_served_as_application_feed_json(port, data_dir):
    answer = http_request(port, "/feed.json")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/feed+json; charset=utf-8"
    assert answer.body == (data_dir / "feed.json").read_bytes()
    assert answer.json()["version"] == "https://jsonfeed.org/version/1.1"


@pytest.mark.e2e
def test_changes_json_is_what_the_command_line_prints(port, data_dir):
    answer = http_request(port, "/changes.json")
    assert answer.status == 200 and answer.headers["Content-Type"] == "application/json; charset=utf-8"
    printed = run_cli("changes", "--json", data_dir=data_dir)
    assert answer.json() == printed.json()
    assert len(answer.json()) == 24


@pytest.mark.e2e
def test_changes_page_is_html_with_a_policy_that_forbids_scripts(port):
    answer = http_request(port, "/changes")
    assert answer.status == 200 and answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src" not in answer.headers["Content-Security-Policy"]
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.body.count(b'<article class="change">') == 24


@pytest.mark.e2e
def test_healthz_answers_the_service_report_uncached(port):
    answer = http_request(port, "/healthz")
    assert answer.status == 200 and answer.json() == HEALTH
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.e2e
@pytest.mark.parametrize("path", CONDITIONAL)
def test_a_current_copy_gets_304_by_etag_or_date(port, path):
    first = http_request(port, path)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag and modified
    by_etag = http_request(port, path, headers={"If-None-Match": etag})
    assert by_etag.status == 304 and by_etag.body == b"" and by_etag.headers["ETag"] == etag
    assert http_request(port, path, headers={"If-Modified-Since": modified}).status == 304
    assert http_request(port, path, headers={"If-None-Match": '"stale"'}).status == 200
    earlier = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert http_request(port, path, headers={"If-Modified-Since": earlier}).status == 200


@pytest.mark.e2e
@pytest.mark.parametrize("path", CONDITIONAL)
def test_feeds_and_pages_are_gzipped_for_clients_that_ask(port, path):
    plain = http_request(port, path)
    packed = http_request(port, path, headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.status == 200 and packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.body) == plain.body and len(packed.body) < len(plain.body)
    assert "Content-Encoding" not in plain.headers
    for answer in (plain, packed):
        assert "Accept-Encoding" in answer.headers["Vary"]
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
    assert http_request(port, path, headers={"Accept-Encoding": "gzip;q=0"}).body == plain.body


@pytest.mark.e2e
@pytest.mark.parametrize("path", CONDITIONAL)
def test_a_current_gzip_copy_gets_304_and_another_representation_does_not(port, path):
    gzipped = {"Accept-Encoding": "gzip"}
    etag = http_request(port, path, headers=gzipped).headers["ETag"]
    current = http_request(port, path, headers={**gzipped, "If-None-Match": etag})
    assert current.status == 304 and current.headers["ETag"] == etag
    # the client lost its gzip support (or a cache asks for another client): the whole body
    assert http_request(port, path, headers={"If-None-Match": etag}).status == 200


@pytest.mark.e2e
@pytest.mark.parametrize("path", [*CONDITIONAL, "/healthz"])
def test_head_gives_the_headers_without_a_body(port, path):
    get, head = http_request(port, path), http_request(port, path, method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers["Content-Length"] == str(len(get.body))


@pytest.mark.e2e
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_not_allowed(port, method):
    answer = http_request(port, "/feed.rss", method=method)
    assert answer.status == 405
    assert set(answer.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


@pytest.mark.e2e
@pytest.mark.parametrize(
    "path",
    ["/nope", "/feed.xml", "/changes/", "/feed.rss/", "/newswatch.sqlite3", "/crawl.lock"],
)
def test_unknown_paths_are_404(port, path):
    answer = http_request(port, path)
    assert answer.status == 404 and answer.headers["Content-Type"].startswith("text/plain")


@pytest.mark.e2e
@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/changes/../newswatch.sqlite3",
        "/%2e%2e%2fnewswatch.sqlite3",
        "/feed.rss/../../../etc/passwd",
        "//etc/passwd",
    ],
)
def test_path_traversal_is_refused(port, path):
    answer = http_request(port, path)
    assert answer.status in (400, 404)
    assert b"root:" not in answer.body and b"SQLite format" not in answer.body


@pytest.mark.e2e
def test_the_bare_address_leads_to_the_change_log(port):
    answer = http_request(port, "/")
    assert answer.status == 302 and answer.headers["Location"].endswith("/changes")


@pytest.mark.e2e
def test_request_sizes_are_bounded(port):
    too_long = http_request(port, "/feed.rss", headers={"X-Filler": "x" * 64 * 1024})
    assert 400 <= too_long.status < 500
    too_big = http_request(port, "/feed.rss", method="POST", body=b"x" * (MAX_REQUEST_BODY_BYTES * 10))
    assert too_big.status == 413


def test_feeds_not_yet_written_are_503_with_retry_after(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    server, port = serve(ServiceApp(store, tmp_path, "https://en.odkb-csto.org/", lambda: HEALTH))
    try:
        answer = http_request(port, "/feed.atom")
        assert answer.status == 503 and answer.headers["Retry-After"] == "30"
        assert b"No changes recorded yet" in http_request(port, "/changes").body
        assert http_request(port, "/changes.json").json() == []
    finally:
        server.stop()
        store.close()


class BrokenStore:
    def changes(self, **_kwargs):
        raise RuntimeError("secret internal detail")


def test_an_error_is_a_bare_500_without_a_traceback(tmp_path, caplog):
    server, port = serve(ServiceApp(BrokenStore(), tmp_path, "https://en.odkb-csto.org/", lambda: HEALTH))
    try:
        answer = http_request(port, "/changes.json")
    finally:
        server.stop()
    assert answer.status == 500
    assert b"Traceback" not in answer.body and b"secret" not in answer.body
    assert "secret internal detail" in caplog.text  # logged for the operator instead


def test_a_taken_port_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ListenError, match="cannot listen on 127.0.0.1"):
            HttpServer(lambda *_: [], "127.0.0.1", taken.getsockname()[1]).start()


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["/", "/./", "/data/", "/%2e/", "/.", "/feed.rss%00", "/FEED.RSS"])
def test_no_directory_listing(port, path):
    answer = http_request(port, path)
    assert answer.status in (302, 400, 404)
    assert b"newswatch.sqlite3" not in answer.body and b"crawl.lock" not in answer.body


def _break_feed_file(data_dir):
    (data_dir / "feed.atom").unlink()
    (data_dir / "feed.atom").mkdir()  # open() fails: IsADirectoryError
    return "/feed.atom", data_dir


def _break_store_table(data_dir):
    from sqlalchemy import text

    store = Store.open(f"sqlite:///{data_dir / 'newswatch.sqlite3'}")
    with store.engine.begin() as connection:
        connection.execute(text("DROP TABLE change_events"))
    store.close()
    return "/changes.json", data_dir


@pytest.mark.e2e
@pytest.mark.parametrize("breakage", [_break_feed_file, _break_store_table])
def test_an_internal_error_is_a_short_plain_500(tmp_path, breakage):
    """A feed file that cannot be read, a store that fails with a database error: the client
    gets a one-line 500, never a traceback, a path or an SQL statement."""
    crawled = run_cli("crawl", "--offline", data_dir=tmp_path)
    assert crawled.returncode == 0, crawled.stderr
    path, data_dir = breakage(tmp_path)
    store = Store.open(f"sqlite:///{data_dir / 'newswatch.sqlite3'}")
    server, port = serve(ServiceApp(store, data_dir, "https://en.odkb-csto.org/", lambda: HEALTH))
    try:
        answer = http_request(port, path)
    finally:
        server.stop()
        store.close()
    assert answer.status == 500 and answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert answer.body.startswith(b"500 Internal Server Error: ") and answer.body.count(b"\n") == 1
    for leak in (b"Traceback", str(tmp_path).encode(), b"SELECT", b"change_events", b"IsADirectory"):
        assert leak not in answer.body
