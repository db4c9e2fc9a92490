"""What a first crawl costs per page now against an earlier revision, side by side in one run.

Both crawl the same synthetic mirror on loopback (``tests/support/loopback.py``), served
once, with ``crawl --full --delay 0 --max-pages 0``: CPU-bound, so the CPU seconds per
fetched page compare what each revision does with a page (parsing, extraction, storing).
The earlier revision runs from a temporary git worktree with this checkout's virtualenv, so
only the code differs; the two take turns, round by round, so a busy moment slows both.

    python -m benchmarks.crawl_cost --before REV [--articles 500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from benchmarks.child_process import ROOT, ChildRun, run_child
from benchmarks.mirror_crawls import _without_newswatch_variables, served_mirror
from extraction.urls import CSTO_ARTICLES


@contextmanager
def checkout(revision: str):
    """A detached worktree of ``revision``, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="newswatch-before-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), revision], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False)
        shutil.rmtree(folder.parent, ignore_errors=True)


def cli_module(tree: Path) -> str:
    """The command line's module in that tree (it moved when the code was restructured)."""
    return "scheduler.cli.main" if (tree / "scheduler" / "cli" / "main.py").is_file() else "scheduler.cli"


def crawl(tree: Path, origin: str, data_dir: Path, *, full: bool = True) -> ChildRun:
    """``crawl --full`` (or, not ``full``, the default incremental crawl) of the mirror."""
    command = [sys.executable, "-m", cli_module(tree), "--data-dir", str(data_dir), "crawl", "--url",
               f"{origin}/news/", *(["--full"] if full else []), "--delay", "0", "--max-pages", "0"]  # fmt: skip
    # the mirror is the built-in site on loopback (an older revision ignores the variable)
    env = _without_newswatch_variables() | {
        "PYTHONPATH": str(tree),
        "NEWSWATCH_ARTICLE_PATTERN": CSTO_ARTICLES.pattern,
    }
    return run_child(command, env=env, cwd=tree)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", required=True, help="the earlier revision (a commit, tag or branch)")
    parser.add_argument("--articles", type=int, default=500, help="articles in the mirror (default 500)")
    parser.add_argument("--rounds", type=int, default=3, help="crawls of each revision (default 3)")
    args = parser.parse_args(argv)
    per_page: dict[str, list[float]] = {"before": [], "now": []}
    with checkout(args.before) as before, served_mirror(args.articles) as (server, mirror), \
            tempfile.TemporaryDirectory() as work:  # fmt: skip
        pages = len(mirror.article_paths)
        for round_number in range(args.rounds):
            for name, tree in (("before", before), ("now", ROOT)):
                run = crawl(tree, server.origin, Path(work) / f"{name}-{round_number}")
                per_page[name].append(run.cpu_seconds / pages)
                print(f"round {round_number + 1} {name}: {run.cpu_seconds:.2f} s CPU, {run.seconds:.2f} s")
    before_ms = statistics.median(per_page["before"]) * 1000
    now_ms = statistics.median(per_page["now"]) * 1000
    print(f"CPU per article page, median of {args.rounds}: before ({args.before}) {before_ms:.2f} ms, "
          f"now {now_ms:.2f} ms: {now_ms / before_ms:.2f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
