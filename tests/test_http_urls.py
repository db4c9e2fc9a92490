"""Web addresses a user gives: http or https, a host, a port that exists; anything else is one
line and exit code 2 before anything is fetched (scheduler.http_urls)."""

from __future__ import annotations

import re

import pytest

from scheduler.cli.crawl_options import crawl_plan
from scheduler.http_urls import has_scheme, http_url
from scheduler.settings import SettingsError, Sources
from tests.support.helpers import run_cli

REFUSED = {
    "javascript:alert(1)": "not an http(s) URL",
    "not a url": "not an http(s) URL",
    "ftp://127.0.0.1:2121/news/": "not an http(s) URL",
    "file:///etc/passwd": "not an http(s) URL",
    "http:///news/": "not an http(s) URL",
    "http://127.0.0.1:99999/": "not a valid port (1-65535)",
    "http://127.0.0.1:0/": "not a valid port",
    "http://example.org:8o/": "not a valid port",
    "http://:8000/news/": "no valid host name",
    "http://exa mple.org/news/": "no valid host name",
}
ACCEPTED = [
    "https://en.odkb-csto.org/news/",
    "http://127.0.0.1:8000/news/",
    "http://[::1]:8000/news/",
    "http://[::1]/news/",
    "HTTPS://EXAMPLE.ORG/news/",
    "http://user:secret@example.org:65535/",
    "http://пример.рф/новости/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_what_is_not_a_web_address_is_refused_saying_why(url):
    with pytest.raises(ValueError, match=re.escape(REFUSED[url])):
        http_url(url)


@pytest.mark.parametrize("url", ACCEPTED)
def test_web_addresses_are_kept_as_given(url):
    assert http_url(f" {url} ") == url


def test_a_url_is_told_from_a_file_path_by_its_scheme():
    assert has_scheme("javascript:alert(1)") and has_scheme("ftp://x/") and has_scheme("http://x/")
    assert not has_scheme("pages/news.html") and not has_scheme("/tmp/a:b.html")


@pytest.mark.parametrize(
    ("options", "environ", "message"),
    [
        ({"url": ["http://127.0.0.1:99999/"]}, {}, "command line: url: not a valid port"),
        ({}, {"NEWSWATCH_URL": "https://example.org/news/ file:///etc/passwd"}, "environment: NEWSWATCH_URL"),
        ({"contact": "http://:1/"}, {}, "command line: contact: no valid host name"),
    ],
)
def test_every_source_of_a_start_page_is_checked(options, environ, message):
    environ = {"XDG_CONFIG_HOME": "/nonexistent"} | environ
    with pytest.raises(SettingsError, match=message):
        crawl_plan(Sources(options, environ), full=False, verbose=False)


def test_the_config_file_start_pages_are_checked(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[crawl]\nurl = ["https://example.org/news/", "http://example.org:99999/"]\n')
    with pytest.raises(SettingsError, match=r"config file .*: url: not a valid port"):
        crawl_plan(Sources({"config": str(config)}, {}), full=False, verbose=False)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:99999/", "ftp://127.0.0.1:2121/news/", "file:///etc/passwd"]
)
def test_crawl_refuses_a_start_page_it_cannot_fetch_before_crawling(tmp_path, url):
    done = run_cli("crawl", "--url", url, data_dir=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("newswatch: command line: url: ") and done.stderr.count("\n") == 1
    assert done.stdout == "" and not (tmp_path / "newswatch.sqlite3").exists()


@pytest.mark.e2e
def test_run_refuses_a_start_page_it_cannot_fetch_before_serving(tmp_path):
    done = run_cli(
        "run", "--port", "0", "--url", "http://127.0.0.1:99999/news/", data_dir=tmp_path, timeout=60
    )
    assert (done.returncode, done.stderr) == (
        2,
        "newswatch: command line: url: not a valid port (1-65535) in URL: 'http://127.0.0.1:99999/news/'\n",
    )


@pytest.mark.e2e
@pytest.mark.parametrize(
    "source", ["http://127.0.0.1:99999/", "ftp://127.0.0.1:2121/", "javascript:alert(1)"]
)
def test_parse_refuses_an_address_it_cannot_fetch(tmp_path, source):
    done = run_cli("parse", source, data_dir=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert (
        done.stderr.startswith("newswatch: ") and "(parse reads a page file or an http(s) URL)" in done.stderr
    )
    assert done.stderr.count("\n") == 1
