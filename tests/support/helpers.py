"""Test helpers: where the fixtures are, and running the real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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


def run_cli(
    *args: str, data_dir: Path | None = None, env: dict | None = None, timeout: float = 120
) -> CliResult:
    """Run ``newswatch ARGS`` in a child process (Scrapy runs once per process)."""
    command = [sys.executable, "-m", "scheduler.cli.main"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    full_env["XDG_CONFIG_HOME"] = str(NO_CONFIG_HOME)  # the user's own config file stays out
    full_env.update(env or {})
    done = subprocess.run(
        command + list(args), capture_output=True, text=True, timeout=timeout, env=full_env, cwd=ROOT
    )
    return CliResult(done.returncode, done.stdout, done.stderr)
