"""A data directory newswatch may not write: every command says so in one line, exit code 1,
and the store and the feeds are left as they were.

The tests run as root here, and root ignores file permissions. So when the test process is
root, the command runs as the unprivileged user ``nobody`` (as a service user would), through
``setpriv``, which makes a ``chmod 555`` directory really read-only to it; otherwise it runs as
the test's own user. (A read-only mount is not available in the test environment, and
``subprocess``'s own ``user=`` cannot start this interpreter: it lives under root's home.)
"""

from __future__ import annotations

import os
import pwd
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from storage.models import BUILT_IN_SITE
from tests.support.helpers import ROOT, CliResult, run_cli

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

UNPRIVILEGED = "nobody"


def _unprivileged_prefix() -> list[str]:
    """The command that drops root's privileges, or nothing when the tests are not root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    try:
        user = pwd.getpwnam(UNPRIVILEGED)
    except KeyError:
        user = None
    if setpriv is None or user is None:
        pytest.skip(
            f"running as root (which ignores file permissions) without setpriv and a {UNPRIVILEGED!r} user to drop to"
        )
    return [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]


def run_unprivileged(*args: str, timeout: float = 120) -> CliResult:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    done = subprocess.run(
        [*_unprivileged_prefix(), sys.executable, "-m", "scheduler.cli.main", "--quiet", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**env, "HOME": "/nonexistent"},
        cwd=ROOT,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def base():
    """A directory the unprivileged user can reach (pytest's tmp_path is private to root)."""
    directory = Path(tempfile.mkdtemp(prefix="newswatch-readonly-"))
    directory.chmod(0o755)
    yield directory
    for path in [directory, *directory.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(directory)


def read_only(directory: Path) -> None:
    for path in directory.iterdir():
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    directory.chmod(0o555)


def writable_dir(directory: Path) -> Path:
    directory.mkdir()
    directory.chmod(0o777)
    return directory


def snapshot(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}


def assert_one_line_error(result: CliResult, *expected: str) -> None:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newswatch: "), result.stderr
    assert all(text in lines[0] for text in expected), lines[0]


def test_a_new_read_only_data_dir_cannot_hold_a_store(base):
    data_dir = base / "data"
    data_dir.mkdir()
    read_only(data_dir)
    crawled = run_unprivileged("--data-dir", str(data_dir), "crawl", "--offline")
    assert_one_line_error(crawled, "cannot open database", "unable to open database file")
    assert list(data_dir.iterdir()) == []


def test_a_read_only_store_is_refused_and_left_as_it_was(base):
    data_dir = base / "data"
    assert run_cli("crawl", "--offline", data_dir=data_dir).returncode == 0
    read_only(data_dir)
    before = snapshot(data_dir)
    for command in (["crawl", "--offline"], ["changes"], ["feed"]):
        result = run_unprivileged("--data-dir", str(data_dir), *command)
        assert_one_line_error(result, "cannot open database", "readonly database")
    assert snapshot(data_dir) == before
    with sqlite3.connect(f"file:{data_dir / 'newswatch.sqlite3'}?mode=ro", uri=True) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)


def test_a_read_only_data_dir_with_the_store_elsewhere(base):
    """The store can be written, the data directory (crawl lock, feeds) cannot: nothing is
    crawled, since the crawl lock comes first, and a feed is not half-written."""
    data_dir, store_dir = base / "data", writable_dir(base / "store")
    data_dir.mkdir()
    read_only(data_dir)
    database = f"sqlite:///{store_dir / 'newswatch.sqlite3'}"
    crawled = run_unprivileged("--data-dir", str(data_dir), "--db", database, "crawl", "--offline")
    assert_one_line_error(crawled, "cannot use", f"crawl-{BUILT_IN_SITE}.lock", "Permission denied")
    written = run_unprivileged(
        "--data-dir", str(data_dir), "--db", database, "feed", "--out", str(data_dir / "feed.rss")
    )
    assert_one_line_error(written, "cannot use", str(data_dir), "Permission denied")
    assert list(data_dir.iterdir()) == []
    listed = run_unprivileged("--data-dir", str(data_dir), "--db", database, "changes", "--json")
    assert listed.returncode == 0 and listed.stdout.strip() == "[]"
