"""What keeping a page's bytes costs at each zlib level, on real news pages, in one run.

    python -m benchmarks.body_compression [--data DIR] [--repeats 3]

Every fetched page's bytes are kept compressed (storage.page_bodies), so compressing them is
work done once per page on every crawl. The pages are the 178 of the two labelled sets of
benchmarks.extraction (read in place from ``DIR``, default ``<repo>/../shared/extraction``):
real pages of many news sites, unlike the small generated pages of the crawl benchmarks.

For each level it prints the CPU per page (the best of ``--repeats`` passes over all pages,
each level in turn), the stored size as a share of the raw bytes, and both as ratios to
level 6 (zlib's default); and, for scale, what reading a page costs
(:func:`extraction.page_reader.read_page_and_links`, one pass).
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

from benchmarks.extraction import ARTICLE_BODIES, DATA_SETS, DEFAULT_DATA, NEWS_PAGES, missing_data

LEVELS = (1, 3, 6, 9)
REFERENCE_LEVEL = 6


def pages(data: Path) -> list[tuple[str, bytes]]:
    """``(url, bytes)`` of every page of both data sets."""
    return [
        (case.url, case.html)
        for name in (ARTICLE_BODIES, NEWS_PAGES)
        for case in DATA_SETS[name](data / name)
    ]


def compression(bodies: list[bytes], level: int, repeats: int) -> tuple[float, float]:
    """CPU seconds per page (best pass) and the stored share of the raw bytes at ``level``."""
    best = float("inf")
    stored = 0
    for _ in range(repeats):
        started = time.process_time()
        stored = sum(len(zlib.compress(body, level)) for body in bodies)
        best = min(best, time.process_time() - started)
    return best / len(bodies), stored / sum(map(len, bodies))


def reading(corpus: list[tuple[str, bytes]]) -> float:
    """CPU seconds per page of newswatch's reading of a fetched page."""
    from extraction.page_reader import read_page_and_links

    started = time.process_time()
    for url, body in corpus:
        read_page_and_links(body, url=url, content_type="text/html")
    return (time.process_time() - started) / len(corpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the labelled sets' folder")
    parser.add_argument("--repeats", type=int, default=3, help="passes per level; the best counts")
    args = parser.parse_args(argv)
    if reason := missing_data(args.data, (ARTICLE_BODIES, NEWS_PAGES)):
        parser.error(reason)
    corpus = pages(args.data)
    bodies = [body for _, body in corpus]
    figures = {level: compression(bodies, level, args.repeats) for level in LEVELS}
    cpu_6, share_6 = figures[REFERENCE_LEVEL]
    print(f"{len(bodies)} pages, {sum(map(len, bodies)) / len(bodies) / 1024:.0f} KiB on average")
    for level, (cpu, share) in figures.items():
        print(f"level {level}: {cpu * 1000:.2f} ms a page ({cpu / cpu_6:.2f}x level {REFERENCE_LEVEL}), "
              f"stored {share:.1%} of the raw bytes ({share / share_6:.2f}x)")  # fmt: skip
    print(f"for scale, reading a page: {reading(corpus) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
