"""Command-line values that mean nothing are refused in one line, exit code 2; values at the
edge of what the machine can hold are no traceback; messages name what the user named; and
a reader that stops reading (``newswatch changes | head -1``) is no error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from feeds import write_atomically
from scheduler.cli.main import main
from tests.support.helpers import ROOT, cli_environment


@pytest.fixture
def newswatch(tmp_path, monkeypatch, capsys):
    """``newswatch --data-dir TMP ARGS`` in this process: (exit code, stdout, stderr). Its
    logging set-up is left out: it would bind the root logger to this test's captured stderr."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    for name in [name for name in os.environ if name.startswith("NEWSWATCH_")]:
        monkeypatch.delenv(name)
    monkeypatch.setattr("scheduler.cli.main.configure_logging", lambda **_: None)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--data-dir", str(tmp_path / "data"), *args])
        except SystemExit as stop:
            code = stop.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def assert_one_line(stderr: str, *parts: str) -> None:
    assert stderr.count("\n") == 1 and stderr.startswith("newswatch: "), stderr
    assert "Traceback" not in stderr
    for part in parts:
        assert part in stderr, stderr


@pytest.mark.parametrize("command", ["changes", "feed"])
@pytest.mark.parametrize("limit", ["-1", "0", "99999999999999999999999", "1000001", "2.5", "all"])
def test_a_limit_that_means_nothing_is_refused(newswatch, command, limit):
    """-1 used to mean "all", 0 "the default 50", and a huge one was an OverflowError."""
    code, out, err = newswatch(command, "--limit", limit)
    assert code == 2 and out == ""
    assert_one_line(err, f"argument --limit: not a whole number (1 to 1000000): '{limit}'")


@pytest.mark.parametrize("command", ["changes", "feed"])
def test_the_largest_limit_is_accepted(newswatch, command):
    code, _, err = newswatch(command, "--limit", "1000000")
    assert code == 0, err


@pytest.mark.parametrize("since", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00+01:00"])
def test_a_since_outside_the_years_1_to_9999_in_utc_is_refused_not_a_database_error(newswatch, since):
    code, _, err = newswatch("changes", "--since", since)
    assert code == 2
    assert_one_line(err, f"argument --since: out of range (years 1 to 9999 in UTC): '{since}'")


def test_a_since_with_a_five_digit_year_is_refused(newswatch):
    code, _, err = newswatch("changes", "--since", "99999-01-01")
    assert code == 2
    assert_one_line(err, "not an ISO-8601 date or time (years 1 to 9999): '99999-01-01'")


def test_a_far_future_since_finds_no_changes_and_says_so(newswatch):
    """The latest moment there is, east of UTC: a valid question with an empty answer that
    does not claim the store is empty."""
    code, out, err = newswatch("changes", "--since", "9999-12-31T23:59:59+14:00")
    assert code == 0, err
    assert out == "no changes match --since/--kind\n"


def test_a_run_interval_too_long_for_a_timedelta_is_one_line(newswatch):
    code, _, err = newswatch("run", "--every", "99999999999999999999d")
    assert code == 2
    assert_one_line(err, "command line: every: a duration must be at most 365d: '99999999999999999999d'")


def test_a_usage_error_is_one_line(newswatch):
    code, _, err = newswatch("changes", "--kind", "renamed")
    assert code == 2
    assert_one_line(err, "argument --kind: invalid choice: 'renamed'", "(see: newswatch changes --help)")


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs Linux's /proc")
def test_a_feed_that_cannot_be_written_names_the_target_not_a_temporary_file(newswatch):
    code, _, err = newswatch("feed", "--out", "/proc/version")
    assert code == 1
    assert_one_line(err, "newswatch: cannot use /proc/version: ")
    assert ".tmp" not in err.split("(")[0]


def test_write_atomically_names_the_target_when_the_temporary_file_fails(tmp_path, monkeypatch):
    target = tmp_path / "feed.rss"

    def refuse(*, prefix, suffix, dir):
        raise PermissionError(13, "Permission denied", str(Path(dir) / f"{prefix}abc{suffix}"))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(PermissionError) as raised:
        write_atomically(target, b"data")
    assert raised.value.filename == str(target)
    assert raised.value.strerror == f"Permission denied (writing a temporary file in {tmp_path})"


@pytest.mark.e2e
@pytest.mark.parametrize("args", [("changes",), ("changes", "--json"), ("feed",)])
def test_a_reader_that_stops_reading_is_no_error(tmp_path, args):
    """``newswatch changes | head -1``: no "newswatch: Broken pipe", the exit code of a
    command that SIGPIPE stopped (141), as ``seq 100000 | head -1`` gives."""
    command = [sys.executable, "-m", "scheduler.cli.main", "--data-dir", str(tmp_path), *args]
    child = subprocess.Popen(
        command, cwd=ROOT, env=cli_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    child.stdout.close()  # the reader is gone before the child writes a byte
    _, stderr = child.communicate(timeout=120)
    assert stderr == b""
    assert child.returncode == 141


def test_a_broken_pipe_other_than_standard_output_is_still_a_failure(newswatch, monkeypatch):
    """Only a reader of standard output that went away is quiet: a crawl child's pipe that
    broke is an error like any other."""

    def child_pipe_broke(_args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("scheduler.cli.parser.command_changes", child_pipe_broke)
    code, _, err = newswatch("changes")
    assert code == 1
    assert_one_line(err, "newswatch: Broken pipe")
