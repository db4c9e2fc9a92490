"""How many pages per second the parser reads: seed text pages, and the HTML fixture pages.

Run it from the repository root, outside the test suite (timings vary by machine, so no test
asserts them)::

    python -m benchmarks.parse_speed [--repeats 7] [--rounds 20]

Each measurement parses every page of a set ``rounds`` times; it is repeated ``repeats``
times and the median is reported, so one slow run (a garbage collection, a busy machine)
does not move the figure.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from extraction.html_page import parse_html_page
from extraction.html_text import html_to_block_text
from extraction.text_page import parse_page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def pages_per_second(parse_one: Callable[[int], object], pages: int, rounds: int, repeats: int) -> float:
    """Median pages/s of ``repeats`` runs, each parsing page 0..pages-1 ``rounds`` times."""
    durations = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(rounds):
            for index in range(pages):
                parse_one(index)
        durations.append(time.perf_counter() - start)
    return pages * rounds / statistics.median(durations)


def measurements(rounds: int, repeats: int) -> list[tuple[str, float]]:
    texts: Sequence[str] = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
    html_paths = sorted((FIXTURES / "html").glob("*.html"))
    htmls: Sequence[bytes] = [p.read_bytes() for p in html_paths]
    urls = [p.resolve().as_uri() for p in html_paths]
    rendered = [html_to_block_text(html) for html in htmls]
    return [
        (
            "seed text pages (parse_page)",
            pages_per_second(lambda i: parse_page(texts[i]), len(texts), rounds, repeats),
        ),
        (
            "HTML pages, whole (parse_html_page)",
            pages_per_second(lambda i: parse_html_page(htmls[i], urls[i]), len(htmls), rounds, repeats),
        ),
        (
            "HTML pages, rendering only (html_to_block_text)",
            pages_per_second(lambda i: html_to_block_text(htmls[i]), len(htmls), rounds, repeats),
        ),
        (
            "HTML pages, text parsing only (parse_page)",
            pages_per_second(lambda i: parse_page(rendered[i]), len(rendered), rounds, repeats),
        ),
    ]


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--repeats", type=int, default=7, help="runs to take the median of")
    arguments.add_argument("--rounds", type=int, default=20, help="passes over the pages per run")
    options = arguments.parse_args()
    for label, rate in measurements(options.rounds, options.repeats):
        print(f"{label:<50} {rate:10.0f} pages/s")


if __name__ == "__main__":
    main()
