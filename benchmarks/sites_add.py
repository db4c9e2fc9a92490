"""How long `newswatch sites add URL` takes, against one fetch of the same page (issue 13's
target: at most the time of one page fetch plus 1 s).

The synthetic mirror (tests/support/mirror.py) is served on loopback, optionally with a
latency before each answer (``--latency``, as a distant site would have); each round times a
plain fetch of its listing page (urllib, in this process) and then the whole `sites add`
process (start-up, the fetch, the preview, writing the sites file) into a fresh config
directory. The figure is the median of the rounds' differences: what `sites add` costs
beyond the fetch itself.

    python -m benchmarks.sites_add [--rounds 5] [--latency 0.3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.child_process import run_child
from benchmarks.mirror_crawls import _without_newswatch_variables
from tests.support.loopback import LoopbackServer
from tests.support.mirror import Mirror, build_mirror

TARGET_SECONDS = 1.0
"""Issue 13: `sites add` answers within the time of one page fetch plus 1 s."""
LISTING = "/news/"


class _SlowMirror(Mirror):
    """The mirror, answering each request only after ``latency`` seconds."""

    def __init__(self, mirror: Mirror, latency: float) -> None:
        super().__init__(mirror.count, mirror.per_page, mirror.offsite)
        self.latency = latency

    def resource(self, target: str):
        time.sleep(self.latency)
        return super().resource(target)


def main(argv: list[str] | None = None) -> int:
    options = _arguments().parse_args(argv)
    with LoopbackServer(_SlowMirror(build_mirror(40), options.latency)) as server:
        url = server.origin + LISTING
        excess = [_excess(url) for _ in range(options.rounds)]
    median = statistics.median(excess)
    verdict = "met" if median <= TARGET_SECONDS else "missed"
    print(f"sites add beyond one fetch of the page, median of {options.rounds}: {median:.2f} s")
    print(f"  rounds: {', '.join(f'{seconds:.2f}' for seconds in excess)} s")
    print(f"target: at most {TARGET_SECONDS:.1f} s: {verdict} (latency {options.latency:.2f} s)")
    return 0


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.sites_add", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds before each answer (default 0.3)")
    return parser


def _excess(url: str) -> float:
    """One round: the `sites add` process's wall time less one plain fetch of ``url``."""
    started = time.perf_counter()
    with urllib.request.urlopen(url) as answer:
        answer.read()
    fetch = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as home:
        env = _without_newswatch_variables() | {
            "HOME": home,
            "XDG_CONFIG_HOME": str(Path(home, "config")),
            "XDG_DATA_HOME": str(Path(home, "data")),
        }
        newswatch = str(Path(sys.executable).with_name("newswatch"))
        run = run_child([newswatch, "sites", "add", url, "--name", "mirror"], env=env)
    return run.seconds - fetch


if __name__ == "__main__":
    raise SystemExit(main())
