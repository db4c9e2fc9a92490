"""Test helpers: where the fixtures are, and running the real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from extraction.urls import CSTO_ARTICLES

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SEEDS = FIXTURES / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
NO_CONFIG_HOME = ROOT / "tests" / "support" / "no-config-home"
"""A config directory that holds no newswatch config file."""


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


def cli_environment(env: dict | None = None) -> dict[str, str]:
    """This process's environment without newswatch's settings and config file, plus ``env``.

    The synthetic mirror is the built-in site served on loopback, so its crawls use that
    site's article URLs, as a crawl of the site itself does; a test of a site of its own
    sets ``NEWSWATCH_ARTICLE_PATTERN`` (blank: learnt from its listing pages)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    full_env["XDG_CONFIG_HOME"] = str(NO_CONFIG_HOME)  # the user's own config file stays out
    full_env["NEWSWATCH_ARTICLE_PATTERN"] = CSTO_ARTICLES.pattern
    full_env.update(env or {})
    return full_env


def run_python(program: str, *args: str) -> subprocess.CompletedProcess:
    """``python -c PROGRAM ARGS`` in a fresh interpreter at the repository's root, with the
    command line's environment: what a program imports there, it imported itself."""
    return subprocess.run(
        [sys.executable, "-c", program, *args],
        cwd=ROOT,
        env=cli_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def start_offline_crawl(
    pages: Path, data_dir: Path, *options: str, env: dict | None = None, stderr: int = subprocess.PIPE
) -> subprocess.Popen:
    """``newswatch --quiet --data-dir DATA_DIR [OPTIONS] crawl --offline --fixtures PAGES``
    started in a child process and left running (for tests that kill or lock it); its
    error output goes to ``stderr`` (a pipe, as text, unless told otherwise)."""
    command = [sys.executable, "-m", "scheduler.cli.main", "--quiet", "--data-dir", str(data_dir), *options]
    return subprocess.Popen(
        [*command, "crawl", "--offline", "--fixtures", str(pages)],
        cwd=ROOT,
        env=cli_environment(env),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )


def run_cli(
    *args: str, data_dir: Path | None = None, env: dict | None = None, timeout: float = 120
) -> CliResult:
    """Run ``newswatch ARGS`` in a child process (Scrapy runs once per process)."""
    command = [sys.executable, "-m", "scheduler.cli.main"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    done = subprocess.run(
        command + list(args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cli_environment(env),
        cwd=ROOT,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)
