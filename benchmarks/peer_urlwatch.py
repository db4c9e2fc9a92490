"""The peer of measurement 6: urlwatch (from PyPI) checking the mirror's article URLs.

urlwatch fetches each URL it is given (ten threads, conditional GET with the ETag it kept)
and reports what changed since its last run; newswatch discovers the same articles from the
listings and parses and stores them. Each measured pair of runs starts from an empty cache:
the first run sees everything new, the second nothing changed.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.child_process import ChildRun, run_child

MISSING = "urlwatch is not installed (pip install -e '.[bench]')"


def missing_reason() -> str | None:
    """Why the peer cannot run here, or None if it can."""
    return None if importlib.util.find_spec("urlwatch") else MISSING


def urlwatch_pair(urls: Sequence[str], work_dir: Path) -> tuple[ChildRun, ChildRun]:
    """A first and a second run of urlwatch over ``urls``, from an empty cache."""
    work_dir.mkdir(parents=True, exist_ok=True)
    jobs = work_dir / "urls.yaml"
    jobs.write_text("\n---\n".join(f'url: "{url}"' for url in urls) + "\n", encoding="utf-8")
    cache = work_dir / "cache.db"
    cache.unlink(missing_ok=True)
    command = _command(jobs, work_dir, cache)
    run_child([*command, "--list"])  # writes the default configuration, untimed
    return run_child(command), run_child(command)


def _command(jobs: Path, work_dir: Path, cache: Path) -> list[str]:
    executable = Path(sys.executable).with_name("urlwatch")
    return [
        str(executable),
        "--urls",
        str(jobs),
        "--config",
        str(work_dir / "urlwatch.yaml"),
        "--hooks",
        str(work_dir / "hooks.py"),
        "--cache",
        str(cache),
    ]
