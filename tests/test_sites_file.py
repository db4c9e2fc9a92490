"""The sites file (scheduler.sites): sites as data, checked whole, with the built-in site
standing in for an absent file."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.settings import SettingsError, Sources
from scheduler.sites import BUILT_IN, SitesFile, name_from_url, new_site, site_destinations, sites_file_path


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_no_sites_file_means_the_built_in_site_only(tmp_path):
    sites = SitesFile.load(tmp_path / "sites.toml")
    assert sites.sites == (BUILT_IN,)
    assert not sites.exists
    assert sites.select(None) == (BUILT_IN,)


def test_a_sites_file_gives_each_site_its_hints(tmp_path):
    path = write(
        tmp_path / "sites.toml",
        """
[sites.csto-ru]
url = ["https://odkb-csto.org/news/"]
language = "ru"
every = "10m"
delay = 2
max_pages = 500

[sites.council]
url = "https://example.org/a/ https://example.org/b/"
cron = "0 6 * * *"
""",
    )
    russian, council = SitesFile.load(path).sites
    assert russian.name == "csto-ru" and russian.start_urls == ("https://odkb-csto.org/news/",)
    assert (russian.language, russian.every, russian.delay, russian.max_pages) == (
        "ru",
        dt.timedelta(minutes=10),
        2,
        500,
    )
    assert council.start_urls == ("https://example.org/a/", "https://example.org/b/")
    assert council.cron is not None and council.every is None
    assert council.feed_title == "council news (example.org)"


def test_a_site_may_have_its_own_notification_destinations(tmp_path):
    path = write(
        tmp_path / "sites.toml",
        '[sites.ru]\nurl = "https://odkb-csto.org/news/"\nnotify = ["json://127.0.0.1:9/ru?newswatch-kinds=new"]\n',
    )
    (site,) = SitesFile.load(path).sites
    assert [destination.spec for destination in site.notify] == ["json://127.0.0.1:9/ru?newswatch-kinds=new"]
    assert site_destinations([site, BUILT_IN]) == {"ru": site.notify}
    bad = write(tmp_path / "bad.toml", '[sites.ru]\nurl = "https://a.org/"\nnotify = ["nosuch://x"]\n')
    with pytest.raises(SettingsError, match="sites.ru.notify"):
        SitesFile.load(bad)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[sites.Bad_Name]\nurl = "https://a.org/"', "site name 'Bad_Name'"),
        ("[sites.a]\nlanguage = 'en'", "sites.a: no url"),
        ('[sites.a]\nurl = "ftp://a.org/"', "sites.a.url"),
        (
            '[sites.a]\nurl = "https://a.org/"\ndelay = -1',
            "sites.a.delay: not a number of seconds (0 to 600)",
        ),
        ('[sites.a]\nurl = "https://a.org/"\ncolour = "red"', "unknown key colour"),
        ('[sites.a]\nurl = "https://a.org/"\nevery = "1h"\ncron = "* * * * *"', "every or cron"),
        ('[sites.a]\nurl = "https://a.org/"\nlanguage = "English"', "not a language tag"),
        ("[sites.a\n", "is not valid TOML"),
        ('site = "x"', "unknown key site"),
    ],
)
def test_a_bad_sites_file_is_one_line_naming_file_and_key(tmp_path, text, words):
    path = write(tmp_path / "sites.toml", text)
    with pytest.raises(SettingsError) as error:
        SitesFile.load(path)
    assert words in str(error.value) and str(path) in str(error.value)
    assert "\n" not in str(error.value)


def test_adding_and_removing_sites_round_trips_through_the_file(tmp_path):
    path = tmp_path / "config" / "sites.toml"
    sites = SitesFile.load(path).with_site(new_site("example", ("https://example.org/news/",), delay="3"))
    sites.save()
    again = SitesFile.load(path)
    assert [site.name for site in again.sites] == [BUILT_IN.name, "example"]
    assert again.named(BUILT_IN.name).start_urls == BUILT_IN.start_urls
    assert again.named("example").delay == 3
    again.without(BUILT_IN.name).save()
    assert [site.name for site in SitesFile.load(path).sites] == ["example"]


def test_unknown_or_repeated_names_are_refused(tmp_path):
    sites = SitesFile.load(tmp_path / "sites.toml")
    with pytest.raises(SettingsError, match="no site named 'nope'"):
        sites.select(["nope"])
    with pytest.raises(SettingsError, match="already"):
        sites.with_site(new_site(BUILT_IN.name, ("https://a.org/",)))


def test_the_sites_file_is_found_by_option_environment_then_beside_the_config(tmp_path):
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    assert sites_file_path(Sources({}, environ)) == tmp_path / "xdg" / "newswatch" / "sites.toml"
    assert sites_file_path(Sources({}, environ | {"NEWSWATCH_SITES": "/s.toml"})).as_posix() == "/s.toml"
    given = Sources({"sites": "/o.toml"}, environ | {"NEWSWATCH_SITES": "/s.toml"})
    assert sites_file_path(given).as_posix() == "/o.toml"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.odkb-csto.org/news/", "odkb-csto-org"),
        ("http://127.0.0.2:8080/news/", "127-0-0-2-8080"),
        ("https://jointstaff.example.org/", "jointstaff-example-org"),
    ],
)
def test_a_site_added_without_a_name_is_named_after_its_host(url, name):
    assert name_from_url(url) == name
