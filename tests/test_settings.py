"""One rule for every setting: option > environment > config file > default, and a bad value
is one line naming where it came from, exit code 2, only for the commands that use it."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.plan import user_agent
from scheduler.cli.crawl_options import crawl_plan
from scheduler.config import Config
from scheduler.settings import SETTINGS, SettingsError, Sources
from tests.support.helpers import run_cli

CRAWL_KEYS = [key for key, setting in SETTINGS.items() if setting.table == "crawl"]


def config_home(tmp_path, text: str) -> dict[str, str]:
    """An environment whose default config file holds ``text``."""
    (tmp_path / "config" / "newswatch").mkdir(parents=True)
    (tmp_path / "config" / "newswatch" / "config.toml").write_text(text)
    return {"XDG_CONFIG_HOME": str(tmp_path / "config")}


def test_every_crawl_setting_is_read_from_the_crawl_table(tmp_path):
    environ = config_home(
        tmp_path,
        '[crawl]\nurl = ["https://example.org/news/"]\ndelay = 0.25\ndownload_timeout = 7\n'
        'max_pages = 12\nrecheck_days = 3\ncontact = "https://example.org/me"\noffline = true\n'
        'fixtures = "/tmp/pages"\nwait = 4\narticle_pattern = "/news/<number>-<slug>.html"\n',
    )
    sources = Sources({}, environ)
    plan = crawl_plan(sources, full=False, verbose=False)
    assert plan.start_urls == ("https://example.org/news/",)
    assert (plan.politeness.delay, plan.politeness.timeout, plan.politeness.max_pages) == (0.25, 7, 12)
    assert plan.recheck_after == dt.timedelta(days=3)
    assert plan.politeness.user_agent == user_agent("https://example.org/me")
    assert plan.offline is True
    assert plan.article_pattern == "/news/<number>-<slug>.html"
    assert str(sources.value("fixtures")) == "/tmp/pages" and sources.value("wait") == 4
    assert set(CRAWL_KEYS) == {
        "url", "delay", "download_timeout", "max_pages", "recheck_days", "contact", "offline",
        "fixtures", "wait", "article_pattern",
    }  # fmt: skip


def test_an_option_beats_the_environment_which_beats_the_file_which_beats_the_default(tmp_path):
    environ = config_home(tmp_path, "[crawl]\ndelay = 3\nmax_pages = 30\n")
    environ |= {"NEWSWATCH_CRAWL_DELAY": "2", "NEWSWATCH_MAX_PAGES": "20"}
    plan = crawl_plan(Sources({"delay": "1"}, environ), full=False, verbose=False)
    assert plan.politeness.delay == 1  # option
    assert plan.politeness.max_pages == 20  # environment over file
    assert plan.politeness.timeout == 30  # default
    del environ["NEWSWATCH_MAX_PAGES"]
    assert crawl_plan(Sources({}, environ), full=False, verbose=False).politeness.max_pages == 30


def test_the_store_settings_are_top_level_keys_of_the_file(tmp_path):
    environ = config_home(tmp_path, f'data_dir = "{tmp_path / "data"}"\ndb_busy_timeout = 5\n')
    config = Config.from_sources(Sources({}, environ))
    assert config.data_dir == tmp_path / "data"
    assert config.database_url == f"sqlite:///{tmp_path / 'data' / 'newswatch.sqlite3'}"
    assert config.busy_timeout == 5
    assert Config.from_sources(Sources({"data_dir": str(tmp_path)}, environ)).data_dir == tmp_path


@pytest.mark.parametrize(
    ("options", "environ", "config", "message"),
    [
        ({"delay": "-1"}, {}, "", r"command line: delay: not a number of seconds \(0 to 600\): '-1'"),
        ({}, {"NEWSWATCH_CRAWL_DELAY": "abc"}, "", "environment: NEWSWATCH_CRAWL_DELAY: not a number"),
        ({}, {}, "[crawl]\ndelay = -3\n", r"config file .*config.toml: delay: not a number"),
        ({"max_pages": "-5"}, {}, "", r"max_pages: not a whole number \(0 to 1000000\): '-5'"),
        (
            {"download_timeout": "0"},
            {},
            "",
            r"download_timeout: not a number of seconds \(more than 0, at most 3600\): '0'",
        ),
        ({"recheck_days": "nan"}, {}, "", "recheck_days: not a number of days"),
        ({"url": ["javascript:alert(1)"]}, {}, "", r"url: not an http\(s\) URL"),
        ({}, {}, "[crawl]\ndelya = 1\n", r"unknown setting delya; the \[crawl\] table may set url"),
        ({}, {}, "dat_dir = 1\n", "unknown setting dat_dir; the top level may set data_dir"),
    ],
)
def test_a_bad_crawl_setting_names_its_source(tmp_path, options, environ, config, message):
    environ = config_home(tmp_path, config) | environ
    with pytest.raises(SettingsError, match=message):
        crawl_plan(Sources(options, environ), full=False, verbose=False)


@pytest.mark.parametrize(
    ("options", "environ", "config", "message"),
    [
        ({"delay": "601"}, {}, "", r"delay: not a number of seconds \(0 to 600\): '601'"),
        ({"delay": "1e400"}, {}, "", r"delay: not a number of seconds \(0 to 600\)"),
        ({"recheck_days": "1e300"}, {}, "", r"recheck_days: not a number of days \(0 to 3650\)"),
        ({}, {"NEWSWATCH_RECHECK_DAYS": "-1"}, "", "NEWSWATCH_RECHECK_DAYS: not a number of days"),
        ({"max_pages": "99999999999999999999999"}, {}, "", r"max_pages: not a whole number \(0 to 1000000\)"),
        ({}, {}, "[crawl]\nmax_pages = 12.5\n", "max_pages: not a whole number"),
        ({"download_timeout": "3601"}, {}, "", r"download_timeout: .*\(more than 0, at most 3600\)"),
        ({}, {"NEWSWATCH_DOWNLOAD_TIMEOUT": "-5"}, "", "NEWSWATCH_DOWNLOAD_TIMEOUT: not a number"),
    ],
)
def test_a_crawl_setting_outside_its_range_is_refused(tmp_path, options, environ, config, message):
    environ = config_home(tmp_path, config) | environ
    with pytest.raises(SettingsError, match=message):
        crawl_plan(Sources(options, environ), full=False, verbose=False)


@pytest.mark.parametrize(
    ("key", "environ", "config", "message"),
    [
        (
            "wait",
            {"NEWSWATCH_CRAWL_WAIT": "-1"},
            "",
            r"NEWSWATCH_CRAWL_WAIT: not a number of seconds \(0 to 86400\)",
        ),
        (
            "wait",
            {},
            "[crawl]\nwait = 1e9\n",
            r"config file .*: wait: not a number of seconds \(0 to 86400\)",
        ),
        ("db_busy_timeout", {"NEWSWATCH_DB_BUSY_TIMEOUT": "1e300"}, "", r"\(0 to 3600\)"),
        ("port", {"NEWSWATCH_PORT": "\u00b2"}, "", "not a port number"),
    ],
)
def test_the_environment_and_the_file_get_the_same_range_checks(tmp_path, key, environ, config, message):
    environ = config_home(tmp_path, config) | environ
    with pytest.raises(SettingsError, match=message):
        Sources({}, environ).value(key)


def test_the_ranges_are_what_help_says(tmp_path):
    """The edges of each range are accepted: what --help and the README promise."""
    sources = Sources(
        {"delay": "600", "recheck_days": "3650", "max_pages": "1000000", "download_timeout": "0.5"},
        config_home(tmp_path, "[crawl]\nwait = 86400\n"),
    )
    plan = crawl_plan(sources, full=False, verbose=False)
    assert (plan.politeness.delay, plan.politeness.max_pages, plan.politeness.timeout) == (
        600,
        1_000_000,
        0.5,
    )
    assert plan.recheck_after == dt.timedelta(days=3650)
    assert sources.value("wait") == 86400


@pytest.mark.e2e
def test_a_bad_crawl_setting_stops_crawl_in_one_line_but_not_changes(tmp_path):
    bad = {"NEWSWATCH_CRAWL_DELAY": "abc"}
    changes = run_cli("changes", data_dir=tmp_path, env=bad)
    assert changes.returncode == 0, changes.stderr
    crawl = run_cli("crawl", "--offline", data_dir=tmp_path, env=bad)
    assert crawl.returncode == 2
    assert crawl.stderr == (
        "newswatch: environment: NEWSWATCH_CRAWL_DELAY: not a number of seconds (0 to 600): 'abc'\n"
    )


@pytest.mark.e2e
@pytest.mark.parametrize(
    "args",
    [
        ("--data-dir", "{dir}", "-q", "crawl", "--offline"),
        ("crawl", "--offline", "--data-dir", "{dir}", "-q"),
        ("-q", "crawl", "--data-dir", "{dir}", "--offline"),
    ],
)
def test_global_options_stand_before_or_after_the_command(tmp_path, args):
    data_dir = tmp_path / "here"
    done = run_cli(*(arg.format(dir=data_dir) for arg in args))
    assert done.returncode == 0, done.stderr
    assert (data_dir / "newswatch.sqlite3").is_file() and (data_dir / "feed.rss").is_file()
    changes = run_cli("changes", "--json", "--data-dir", str(data_dir))
    assert len(changes.json()) == 24  # the five seeds hold 24 news items


@pytest.mark.e2e
def test_the_config_file_option_stands_after_the_command_too(tmp_path):
    config = tmp_path / "elsewhere.toml"
    config.write_text(f'data_dir = "{tmp_path / "from-file"}"\n')
    done = run_cli("crawl", "--offline", "--config", str(config), "-q")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "from-file" / "feed.atom").is_file()


def test_a_malformed_article_pattern_is_refused_and_a_blank_one_means_learnt(tmp_path):
    environ = config_home(tmp_path, "")
    with pytest.raises(SettingsError, match="unknown <id>"):
        crawl_plan(Sources({"article_pattern": "/news/<id>"}, environ), full=False, verbose=False)
    blank = crawl_plan(Sources({}, environ | {"NEWSWATCH_ARTICLE_PATTERN": " "}), full=False, verbose=False)
    assert blank.article_pattern is None
