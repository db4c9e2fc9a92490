"""What the commands people type cost before they answer: CPU seconds of a whole process.

    python -m benchmarks.command_start [--before REV] [--repeats 5]

From the repository root. A store is built first (``crawl --offline`` of the bundled pages into
a temporary HOME); then ``--help``, ``changes --limit 5``, ``show ID``, ``feed`` and ``sites
list`` each run ``--repeats`` times as a whole process on it, and the median CPU seconds (user
plus system, of that process alone: benchmarks.child_process) is printed with its ratio to the target of issue 17 (0.3 s),
beside two floors: ``python -c pass``, which no command can go under, and this checkout's
``import storage.store`` (SQLAlchemy, its ORM and the schema), which no command that reads
the store can go under. With ``--before REV`` the same commands of that revision (a temporary
git worktree, this checkout's virtualenv) run on the same store, taking turns with this
checkout's, so that a busy moment slows both alike.

Each tree's modules are compiled to bytecode first, as an installed newswatch's are: in a
checkout under PYTHONDONTWRITEBYTECODE every run would compile them again and measure that.
"""

from __future__ import annotations

import argparse
import compileall
import json
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from benchmarks.child_process import ROOT, ChildRun, run_child
from benchmarks.crawl_cost import checkout
from benchmarks.mirror_crawls import _without_newswatch_variables
from benchmarks.timing import median

TARGET_CPU_SECONDS = 0.3
PACKAGES = ("extraction", "storage", "crawler", "feeds", "scheduler")
ENTRY_POINT = (
    "import sys; import scheduler.cli.main as cli; sys.exit(getattr(cli, 'command_line', cli.main)())"
)
"""What the ``newswatch`` console script runs (``main`` before it had ``command_line``)."""
FLOORS = {"python -c pass": "pass", "import storage.store": "import storage.store"}


def newswatch(*args: str) -> list[str]:
    return [sys.executable, "-c", ENTRY_POINT, *args]


def environment(tree: Path, home: Path) -> dict[str, str]:
    """This tree's code, and a HOME of its own: its data directory, no config or sites file."""
    inherited = _without_newswatch_variables()
    kept = {name: value for name, value in inherited.items() if not name.startswith("XDG_")}
    return kept | {"PYTHONPATH": str(tree), "HOME": str(home)}


def build_store(home: Path) -> str:
    """Crawl the bundled pages into ``home``'s data directory; the id of one stored entry."""
    env = environment(ROOT, home)
    subprocess.run(newswatch("-q", "crawl", "--offline"), env=env, cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    changes = subprocess.run(newswatch("changes", "--json", "--limit", "1"), env=env, cwd=ROOT,
                             check=True, capture_output=True, text=True)  # fmt: skip
    return json.loads(changes.stdout)[0]["entry_id"]


def commands(entry_id: str) -> dict[str, tuple[str, ...]]:
    return {
        "--help": ("--help",),
        "changes --limit 5": ("changes", "--limit", "5"),
        "show ID": ("show", entry_id),
        "feed": ("feed",),
        "sites list": ("sites", "list"),
    }


def measure(trees: dict[str, Path], home: Path, repeats: int) -> dict[tuple[str, str], list[ChildRun]]:
    """Every command of every tree ``repeats`` times, in turns; the floors once per round."""
    entry_id = build_store(home)
    runs: dict[tuple[str, str], list[ChildRun]] = {}
    for _ in range(repeats):
        for label, code in FLOORS.items():
            floor = run_child([sys.executable, "-c", code], env=environment(ROOT, home))
            runs.setdefault((label, "now"), []).append(floor)
        for label, args in commands(entry_id).items():
            for name, tree in trees.items():
                run = run_child(newswatch(*args), env=environment(tree, home), cwd=tree)
                runs.setdefault((label, name), []).append(run)
    return runs


def report(runs: dict[tuple[str, str], list[ChildRun]], repeats: int) -> None:
    """One line per command and tree; ``/before``: this checkout's CPU over the earlier revision's."""
    print(f"CPU seconds of the whole process (user + system), median of {repeats}; "
          f"target {TARGET_CPU_SECONDS} s")  # fmt: skip
    print(
        f"{'command':<20} {'tree':<8} {'CPU s':>7} {'/target':>8} {'/before':>8} {'wall s':>7} {'peak MiB':>9}"
    )
    cpu = {key: median([run.cpu_seconds for run in measured]) for key, measured in runs.items()}
    for (label, name), measured in runs.items():
        before = cpu.get((label, "before"))
        versus = f"{cpu[label, name] / before:7.2f}x" if name == "now" and before else ""
        wall = median([run.seconds for run in measured])
        peak = median([run.peak_rss_mb for run in measured])
        print(f"{label:<20} {name:<8} {cpu[label, name]:7.3f} {cpu[label, name] / TARGET_CPU_SECONDS:7.2f}x "
              f"{versus:>8} {wall:7.3f} {peak:9.1f}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.command_start",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--before", metavar="REV", help="also measure this revision (a commit, tag or branch)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="runs of each command (default 5)")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        trees = {"now": ROOT}
        if args.before:
            trees = {"before": stack.enter_context(checkout(args.before)), **trees}
        for tree in trees.values():
            for package in PACKAGES:
                compileall.compile_dir(tree / package, quiet=1)
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newswatch-start-")))
        report(measure(trees, home, args.repeats), args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
