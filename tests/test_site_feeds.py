"""Feeds of many sites (docs/architecture.md, "Many sites: feeds"): each site's own feeds hold
exactly its entries, in its language, under an id of its own; the combined feeds hold every
site's, each entry saying its site; /feeds.opml lists them all; the service serves them and
filters its change log by site; ``feed --site`` and ``changes --site`` on the command line.

Two sites are made from two different seed pages, stored in one SQLite store the way a
crawl stores them (Store.record_page), so that what each feed must hold comes from the store.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from extraction.text_page import parse_page
from feeds import FEED_FILES
from scheduler.config import Config
from scheduler.crawl_job import publish_feeds
from scheduler.site_feeds import feeds_opml
from scheduler.sites import BUILT_IN, WatchedSite
from scheduler.web.app import ServiceApp
from scheduler.web.server import HttpServer
from storage.store import Store
from tests.support.helpers import SEED_FILES, run_cli
from tests.support.service_harness import http_request
from tests.test_feed_entry_cap import VALIDATOR

RUSSIAN = WatchedSite(
    name="csto-ru",
    start_urls=("https://odkb-csto.org/news/",),
    title="ОДКБ: новости",
    language="ru",
)
SITES = (BUILT_IN, RUSSIAN)
SITES_FILE = """\
[sites.csto-en]
url = ["https://en.odkb-csto.org/news/"]
title = "CSTO news (en.odkb-csto.org)"
language = "en"

[sites.csto-ru]
url = ["https://odkb-csto.org/news/"]
title = "ОДКБ: новости"
language = "ru"
"""
BASE = "http://127.0.0.1:8080/"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


def record_seed(store: Store, site: str, seed: Path) -> None:
    crawl_id = store.begin_crawl("test", site)
    store.record_page(crawl_id, parse_page(seed.read_text(encoding="utf-8"), url=seed.as_uri()))
    store.finish_crawl(crawl_id, status="finished", pages=1, items_seen=0, errors=0, warnings=0)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data directory whose store holds the two sites, and its feeds as a crawl writes them."""
    store = Store.open(f"sqlite:///{tmp_path / 'newswatch.sqlite3'}")
    record_seed(store, BUILT_IN.name, SEED_FILES[0])
    record_seed(store, RUSSIAN.name, SEED_FILES[1])
    publish_feeds(store, config(tmp_path), SITES)
    store.close()
    return tmp_path


def config(directory: Path) -> Config:
    return Config(data_dir=directory, database_url=f"sqlite:///{directory / 'newswatch.sqlite3'}")


def opened(directory: Path) -> Store:
    return Store.open(config(directory).database_url)


def site_file(directory: Path, name: str, kind: str) -> Path:
    return directory / "sites" / name / FEED_FILES[kind]


def ids(path: Path) -> set[str]:
    return {entry.id for entry in feedparser.parse(path.read_bytes()).entries}


def test_a_sites_event_count_counts_its_events_alone(store):
    """On every database: the count under the change-log page of one site."""
    record_seed(store, BUILT_IN.name, SEED_FILES[0])
    record_seed(store, RUSSIAN.name, SEED_FILES[1])
    counts = [store.event_count(site=site.name) for site in SITES]
    assert counts == [len(store.changes(site=site.name)) for site in SITES]
    assert all(counts) and sum(counts) == store.event_count()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_each_sites_feed_holds_exactly_its_entries_and_the_combined_one_both(data_dir, kind):
    store = opened(data_dir)
    own = {site.name: {e.entry_id for e in store.latest_entries(500, site=site.name)} for site in SITES}
    store.close()
    assert own[BUILT_IN.name] and own[RUSSIAN.name]
    for site in SITES:
        assert ids(site_file(data_dir, site.name, kind)) == own[site.name]
    assert ids(data_dir / FEED_FILES[kind]) == own[BUILT_IN.name] | own[RUSSIAN.name]


def test_each_sites_change_log_holds_its_own_events(data_dir):
    store = opened(data_dir)
    for site in SITES:
        events = store.changes(site=site.name)
        parsed = feedparser.parse(site_file(data_dir, site.name, "changes").read_bytes())
        assert len(parsed.entries) == len(events) > 0
        assert {entry.link for entry in parsed.entries} <= {e.url for e in events} | {site.home_url}
    combined = feedparser.parse((data_dir / "changes.atom").read_bytes())
    assert len(combined.entries) == len(store.changes())
    store.close()


@pytest.mark.parametrize("site", SITES, ids=lambda site: site.name)
def test_a_sites_feeds_carry_its_title_home_and_language(data_dir, site):
    atom = etree.parse(site_file(data_dir, site.name, "atom")).getroot()
    assert atom.get(XML_LANG) == site.language
    assert atom.findtext(f"{ATOM}title") == site.title
    assert [link.get("href") for link in atom.findall(f"{ATOM}link[@rel='alternate']")] == [site.home_url]
    rss = etree.parse(site_file(data_dir, site.name, "rss")).getroot()
    assert rss.findtext("channel/language") == site.language
    assert rss.findtext("channel/link") == site.home_url
    changes = etree.parse(site_file(data_dir, site.name, "changes")).getroot()
    assert changes.get(XML_LANG) == site.language


def test_the_combined_feeds_of_sites_in_two_languages_give_each_entry_its_own(data_dir):
    store = opened(data_dir)
    site_of = {entry.entry_id: entry.site for entry in store.latest_entries(500)}
    store.close()
    language = {site.name: site.language for site in SITES}
    atom = etree.parse(data_dir / "feed.atom").getroot()
    assert atom.get(XML_LANG) is None
    entries = list(atom.iter(f"{ATOM}entry"))
    assert {e.get(XML_LANG) for e in entries} == {"en", "ru"}
    assert all(e.get(XML_LANG) == language[site_of[e.findtext(f"{ATOM}id")]] for e in entries)
    assert etree.parse(data_dir / "feed.rss").getroot().find("channel/language") is None
    changes = etree.parse(data_dir / "changes.atom").getroot()
    assert {e.get(XML_LANG) for e in changes.iter(f"{ATOM}entry")} == {"en", "ru"}


def test_each_entry_of_the_combined_feeds_says_its_site(data_dir):
    store = opened(data_dir)
    site_of = {entry.entry_id: entry.site for entry in store.latest_entries(500)}
    store.close()
    titles = {site.name: site.title for site in SITES}
    atom = etree.parse(data_dir / "feed.atom").getroot()
    for entry in atom.iter(f"{ATOM}entry"):
        site = site_of[entry.findtext(f"{ATOM}id")]
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == titles[site]
        assert entry.find(f"{ATOM}category").get("term") == site
    rss = etree.parse(data_dir / "feed.rss").getroot()
    for item in rss.iter("item"):
        site = site_of[item.findtext("guid")]
        assert (item.findtext(DC_CREATOR), item.findtext("category")) == (titles[site], site)
    for entry in etree.parse(data_dir / "changes.atom").getroot().iter(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}author/{ATOM}name") in titles.values()


def test_every_feed_has_an_id_of_its_own_that_a_regeneration_keeps(data_dir):
    def feed_ids() -> list[str]:
        paths = [data_dir / name for name in FEED_FILES.values()]
        paths += [site_file(data_dir, site.name, kind) for site in SITES for kind in FEED_FILES]
        return [feedparser.parse(path.read_bytes()).feed.id for path in paths if "atom" in path.name]

    first = feed_ids()
    assert len(set(first)) == len(first) == 6
    store = opened(data_dir)
    publish_feeds(store, config(data_dir), SITES)
    store.close()
    assert feed_ids() == first


def test_adding_a_site_keeps_the_combined_feeds_id(tmp_path, data_dir):
    """A subscriber of /feed.atom keeps the same feed when a second site is watched."""
    alone = tmp_path / "alone"
    store = opened(data_dir)
    publish_feeds(store, Config(data_dir=alone, database_url=""), (BUILT_IN,))
    store.close()
    for name in ("feed.atom", "changes.atom"):
        assert feedparser.parse((alone / name).read_bytes()).feed.id == (
            feedparser.parse((data_dir / name).read_bytes()).feed.id
        )


def test_with_one_site_only_the_combined_feeds_are_reported(tmp_path, data_dir):
    store = opened(data_dir)
    one = publish_feeds(store, config(tmp_path / "one"), (BUILT_IN,))
    both = publish_feeds(store, config(data_dir), SITES)
    store.close()
    assert one == {kind: tmp_path / "one" / name for kind, name in FEED_FILES.items()}
    assert site_file(tmp_path / "one", BUILT_IN.name, "atom").exists()
    assert set(both) == set(FEED_FILES) | {f"{site.name} {kind}" for site in SITES for kind in FEED_FILES}


# --- the service -------------------------------------------------------------------------


@pytest.fixture
def port(data_dir):
    store = opened(data_dir)
    app = ServiceApp(store, data_dir, BUILT_IN.home_url, lambda: {"ok": True}, SITES)
    server = HttpServer(app, "127.0.0.1", 0)
    _, port = server.start()
    yield port
    server.stop()
    store.close()


@pytest.mark.parametrize("kind", list(FEED_FILES))
@pytest.mark.parametrize("site", SITES, ids=lambda site: site.name)
def test_the_service_serves_each_sites_feeds(data_dir, port, site, kind):
    answer = http_request(port, f"/sites/{site.name}/{FEED_FILES[kind]}")
    assert answer.status == 200
    assert answer.body == site_file(data_dir, site.name, kind).read_bytes()
    assert answer.headers["Content-Type"].startswith("application/")
    assert answer.headers["ETag"]


@pytest.mark.parametrize(
    "path", ["/sites/nope/feed.atom", "/sites/../feed.atom", "/changes?site=nope", "/changes.json?site=nope"]
)
def test_an_unknown_site_is_not_found(port, path):
    assert http_request(port, path).status == 404


def test_feeds_opml_lists_every_feed_with_the_services_address(port):
    answer = http_request(port, "/feeds.opml")
    assert answer.status == 200 and answer.headers["Content-Type"].startswith("text/x-opml")
    opml = etree.fromstring(answer.body)
    assert opml.tag == "opml" and opml.get("version") == "2.0" and opml.findtext("head/title")
    feeds = [outline for outline in opml.iter("outline") if outline.get("xmlUrl")]
    assert all(outline.get("type") == "rss" and outline.get("text") for outline in feeds)
    base = f"http://127.0.0.1:{port}/"
    expected = {base + "feed.atom", base + "changes.atom"}
    expected |= {
        f"{base}sites/{site.name}/{name}" for site in SITES for name in ("feed.atom", "changes.atom")
    }
    assert {outline.get("xmlUrl") for outline in feeds} == expected
    for url in expected:  # each one is served
        assert http_request(port, url.removeprefix(base.rstrip("/"))).status == 200
    languages = {o.get("xmlUrl"): o.get("language") for o in feeds}
    assert languages[f"{base}sites/csto-ru/feed.atom"] == "ru"


def test_the_change_log_filters_by_site_and_names_each_changes_site(data_dir, port):
    store = opened(data_dir)
    russian = store.changes(site=RUSSIAN.name)
    every = store.changes()
    store.close()
    answer = http_request(port, "/changes.json?site=csto-ru")
    assert [change["entry_id"] for change in answer.json()] == [change.entry_id for change in russian]
    assert {change["site"] for change in answer.json()} == {RUSSIAN.name}

    page = http_request(port, "/changes?site=csto-ru").body.decode()
    assert page.count('<article class="change">') == len(russian)
    assert 'href="sites/csto-ru/feed.atom"' in page
    whole = http_request(port, "/changes").body.decode()
    assert whole.count('<article class="change">') == len(every)
    assert whole.count(f'<span class="site">{RUSSIAN.title}</span>') == len(russian)
    assert whole.count(f'<span class="site">{BUILT_IN.title}</span>') == len(every) - len(russian)


# --- the W3C validator -------------------------------------------------------------------


@pytest.mark.e2e
def test_per_site_and_combined_feeds_and_their_list_pass_the_validator(data_dir):
    if not VALIDATOR.exists():
        pytest.skip(f"the W3C feed validator is not at {VALIDATOR}")
    pytest.importorskip("html5lib", reason="the validator needs html5lib and rdflib")
    pytest.importorskip("rdflib", reason="the validator needs html5lib and rdflib")
    feeds = [data_dir / name for name in FEED_FILES.values()]
    feeds += [site_file(data_dir, site.name, kind) for site in SITES for kind in FEED_FILES]
    opml = data_dir / "feeds.opml"
    opml.write_bytes(feeds_opml(SITES, data_dir=data_dir, base_url=BASE))
    checked = subprocess.run(
        [sys.executable, str(VALIDATOR), *map(str, feeds), str(opml)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


# --- the command line --------------------------------------------------------------------


@pytest.fixture
def sites_env(tmp_path) -> dict:
    path = tmp_path / "sites.toml"
    path.write_text(SITES_FILE, encoding="utf-8")
    return {"NEWSWATCH_SITES": str(path)}


@pytest.mark.e2e
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feed_site_prints_that_sites_feed(data_dir, sites_env, fmt):
    printed = run_cli("feed", "--site", "csto-ru", "--format", fmt, data_dir=data_dir, env=sites_env)
    assert printed.returncode == 0, printed.stderr
    parsed = feedparser.parse(printed.stdout.encode())
    store = opened(data_dir)
    assert {entry.id for entry in parsed.entries} == {
        e.entry_id for e in store.latest_entries(50, site="csto-ru")
    }
    store.close()
    assert parsed.feed.title == RUSSIAN.title and parsed.feed.language == "ru"


@pytest.mark.e2e
def test_changes_site_prints_that_sites_changes_with_their_site(data_dir, sites_env):
    printed = run_cli("changes", "--site", "csto-ru", "--json", data_dir=data_dir, env=sites_env)
    assert printed.returncode == 0, printed.stderr
    store = opened(data_dir)
    expected = [change.entry_id for change in store.changes(site="csto-ru")]
    store.close()
    assert [change["entry_id"] for change in printed.json()] == expected
    assert {change["site"] for change in printed.json()} == {"csto-ru"}


@pytest.mark.e2e
@pytest.mark.parametrize("command", [("feed",), ("changes", "--json")])
def test_an_unknown_site_is_a_usage_error(data_dir, sites_env, command):
    printed = run_cli(*command, "--site", "nope", data_dir=data_dir, env=sites_env)
    assert printed.returncode == 2
    assert printed.stdout == ""
    assert printed.stderr.startswith("newswatch: ") and printed.stderr.count("\n") == 1
    assert "nope" in printed.stderr


def test_writing_the_feeds_again_without_new_data_changes_no_file(data_dir):
    """Every date in the feeds comes from the data, so their bytes (and ETags) hold."""
    paths = [data_dir / name for name in FEED_FILES.values()]
    paths += [site_file(data_dir, site.name, kind) for site in SITES for kind in FEED_FILES]
    before = {path: path.read_bytes() for path in paths}
    store = opened(data_dir)
    publish_feeds(store, config(data_dir), SITES)
    store.close()
    assert {path: path.read_bytes() for path in paths} == before
