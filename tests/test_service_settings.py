"""The service's settings: durations, the schedule, and options > environment > config file."""

from __future__ import annotations

import datetime as dt

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.service.schedule import (
    LIVE_JITTER_SECONDS,
    Schedule,
    format_duration,
    parse_duration,
)
from scheduler.service.settings import service_settings
from scheduler.settings import SettingsError, Sources
from tests.support.helpers import run_cli

NO_OPTIONS: dict = {}


def resolve_settings(options: dict, environ: dict):
    return service_settings(Sources(options, environ))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("10m", 600), ("1h", 3600), ("1d", 86400), ("1h30m", 5400), (" 2M ", 120)],
)
def test_durations(text, seconds):
    assert parse_duration(text) == dt.timedelta(seconds=seconds)
    assert parse_duration(format_duration(parse_duration(text))) == parse_duration(text)


@pytest.mark.parametrize(
    "text", ["", "30", "m", "1.5h", "-5m", "0s", "10 minutes", "1h-30m", "366d", "99999999999999999999d"]
)
def test_malformed_durations_are_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_the_default_is_every_30_minutes_on_loopback_port_8080(tmp_path):
    settings = resolve_settings(NO_OPTIONS, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert settings.schedule == Schedule(every=dt.timedelta(minutes=30))
    assert (settings.host, settings.port, settings.offline) == ("127.0.0.1", 8080, False)
    assert settings.public_base_url("127.0.0.1", 8080) == "http://127.0.0.1:8080/"
    assert settings.public_base_url("::1", 9000) == "http://[::1]:9000/"


def write_config(tmp_path, text: str) -> dict[str, str]:
    (tmp_path / "newswatch").mkdir()
    (tmp_path / "newswatch" / "config.toml").write_text(text)
    return {"XDG_CONFIG_HOME": str(tmp_path)}


def test_an_option_wins_over_the_environment_which_wins_over_the_file(tmp_path):
    environ = write_config(
        tmp_path, '[run]\nport = 7000\nhost = "0.0.0.0"\ntimeout = "5m"\n[crawl]\noffline = true\n'
    )
    environ |= {"NEWSWATCH_PORT": "7100", "NEWSWATCH_HOST": "127.0.0.2"}
    settings = resolve_settings({"port": "7200", "host": None}, environ)
    assert settings.port == 7200
    assert settings.host == "127.0.0.2"
    assert settings.timeout == dt.timedelta(minutes=5) and settings.offline is True


def test_the_schedule_is_one_setting_taken_from_the_first_source_that_gives_it(tmp_path):
    environ = write_config(tmp_path, '[run]\nevery = "1h"\n')
    assert resolve_settings(NO_OPTIONS, environ).schedule.describe() == "every 1h"
    assert resolve_settings({"cron": "*/5 * * * *"}, environ).schedule == Schedule(cron="*/5 * * * *")
    environ["NEWSWATCH_CRON"] = "0 * * * *"
    assert resolve_settings({"every": "10s"}, environ).schedule.describe() == "every 10s"
    assert resolve_settings(NO_OPTIONS, environ).schedule.describe() == "cron '0 * * * *'"


@pytest.mark.parametrize(
    ("config", "environ", "message"),
    [
        ("[run]\nport = 99999\n", {}, "port: not a port number"),
        ("", {"NEWSWATCH_PORT": "http"}, "environment: NEWSWATCH_PORT: not a port number"),
        ("", {"NEWSWATCH_EVERY": "often"}, "NEWSWATCH_EVERY: not a duration"),
        ('[run]\nevery = "1h"\ncron = "* * * * *"\n', {}, "either every or cron"),
        ('[run]\ncron = "every day"\n', {}, "cron"),
        ("", {"NEWSWATCH_CRON": "* * 31 2 *"}, "NEWSWATCH_CRON: a cron line that never fires"),
        ('[run]\ncron = "0 0 31 4,6,9,11 *"\n', {}, "cron: a cron line that never fires"),
        (
            "",
            {"NEWSWATCH_EVERY": "99999999999999999999d"},
            "NEWSWATCH_EVERY: a duration must be at most 365d",
        ),
        ('[run]\ntimeout = "400d"\n', {}, "timeout: a duration must be at most 365d"),
        ('[run]\nevry = "1h"\n', {}, "unknown setting evry"),
        ("[server]\nport = 1\n", {}, "unknown setting server"),
        ("[run\n", {}, "not valid TOML"),
        ('[run]\nbase_url = "ftp://x/"\n', {}, r"not an http\(s\) URL"),
        ('[crawl]\noffline = "perhaps"\n', {}, "not a yes/no value"),
        ("[run]\noffline = true\n", {}, "unknown setting offline; the \\[run\\] table may set every"),
    ],
)
def test_bad_settings_are_refused_naming_their_source(tmp_path, config, environ, message):
    environ = write_config(tmp_path, config) | environ
    with pytest.raises(SettingsError, match=message):
        resolve_settings(NO_OPTIONS, environ)


def test_an_explicit_config_file_must_exist(tmp_path):
    with pytest.raises(SettingsError, match="cannot read config file"):
        resolve_settings({"config": str(tmp_path / "missing.toml")}, {})


@pytest.mark.parametrize("line", ["0 0 29 2 *", "0 0 29 2 mon", "*/15 * * * *"])
def test_a_cron_line_that_fires_some_day_is_accepted(tmp_path, line):
    """29 February is rare (and a Monday rarer still), but it comes: only never is refused."""
    settings = resolve_settings({"cron": line}, {"XDG_CONFIG_HOME": str(tmp_path)})
    assert settings.schedule == Schedule(cron=line)


def test_triggers_jitter_live_crawls_only():
    every = Schedule(every=dt.timedelta(minutes=30))
    assert isinstance(every.trigger(jitter=False), IntervalTrigger)
    assert every.trigger(jitter=False).jitter is None
    assert every.trigger(jitter=True).jitter == LIVE_JITTER_SECONDS
    assert Schedule(every=dt.timedelta(seconds=30)).trigger(jitter=True).jitter == 3
    cron = Schedule(cron="0 * * * *").trigger(jitter=True)
    assert isinstance(cron, CronTrigger) and cron.jitter == LIVE_JITTER_SECONDS


@pytest.mark.e2e
def test_run_refuses_bad_settings_with_a_one_line_message(tmp_path):
    result = run_cli("run", "--every", "soon", data_dir=tmp_path, env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "newswatch: command line: every: not a duration (e.g. 30s, 10m, 1h, 1h30m): 'soon'"
    )
