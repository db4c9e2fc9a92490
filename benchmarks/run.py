"""Run every measurement (README, "Benchmarks") and write ``results.json`` and ``results.md``.

    python -m benchmarks.run [--quick] [--out DIR] [--postgres URL]

From the repository root. The inputs (a synthetic mirror served on 127.0.0.1, generated
pages, stores of 10k and 1M entries) are generated on the way into ``DIR/work``, which is
removed at the end. ``--quick`` runs the same code on small inputs in well under a minute;
its figures mean nothing, it only proves the benchmarks still run. PostgreSQL is measured
when ``--postgres`` (or ``NEWSWATCH_TEST_DATABASE_URL``) names a server.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    feed_regen,
    ingest_speed,
    mirror_crawls,
    parse_share,
    peer_urlwatch,
)
from benchmarks.bulk_store import build_store
from benchmarks.child_process import ChildRun
from benchmarks.postgres_schemas import throwaway_schema
from benchmarks.results import Check, Measurement, write_results
from benchmarks.sizes import FULL, QUICK, Sizes
from benchmarks.timing import median

POSTGRES_ENV = "NEWSWATCH_TEST_DATABASE_URL"
DEFAULT_OUT = Path("benchmark-results")


def main(argv: list[str] | None = None) -> int:
    options = _arguments().parse_args(argv)
    sizes = QUICK if options.quick else FULL
    work_dir = options.out / "work"
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    try:
        measurements = run_all(sizes, work_dir, options.postgres)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    json_path, markdown_path = write_results(options.out, measurements, machine(options.quick))
    print(markdown_path.read_text(encoding="utf-8"))
    print(f"written: {json_path}, {markdown_path}")
    return 0


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, same code (seconds, not minutes)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"where the results go (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get(POSTGRES_ENV),
        help=f"also measure ingest on this PostgreSQL server (default: env {POSTGRES_ENV})",
    )
    return parser


def run_all(sizes: Sizes, work_dir: Path, postgres: str | None) -> list[Measurement]:
    """Crawls first (they need both cores quiet), then the stores, then parsing."""
    rounds = _step(
        "crawls of the mirror (2, 3, 6)",
        lambda: mirror_crawls.crawl_rounds(
            sizes.mirror_articles,
            sizes.crawl_repeats,
            work_dir / "crawls",
            with_peer=peer_urlwatch.missing_reason() is None,
        ),
    )
    large_crawl = _step(
        "crawl of the large mirror (7)",
        lambda: mirror_crawls.first_crawl(sizes.large_mirror_articles, work_dir / "large-crawl"),
    )
    ingest, feeds = _step("stores (4, 5)", lambda: measure_stores(sizes, work_dir, postgres))
    parsing = _step("parsing (1)", lambda: measure_parsing(sizes, rounds))
    return [
        parsing,
        crawl_overhead(rounds),
        recrawl(rounds),
        ingest,
        feeds,
        peer(rounds),
        memory(rounds, large_crawl, sizes),
    ]


def _step(name: str, action: Callable):
    started = time.perf_counter()
    print(f"... {name}", file=sys.stderr, flush=True)
    result = action()
    print(f"    {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return result


# -- 1 --------------------------------------------------------------------------------------


def measure_parsing(sizes: Sizes, rounds: mirror_crawls.Rounds) -> Measurement:
    rates = parse_share.throughput(sizes.page_sizes_kb, sizes.parse_rounds, sizes.repeats)
    parsing = parse_share.parse_seconds(rounds.pages, sizes.repeats)
    crawl_cpu = median([run.cpu_seconds for run in rounds.first])
    return Measurement(
        1,
        "parse throughput, text and HTML pages of "
        f"{min(sizes.page_sizes_kb)}-{max(sizes.page_sizes_kb)} KB (pages/s, one core)",
        checks=(Check("parsing share of a first crawl's CPU", parsing / crawl_cpu, "<=", 0.2),),
        figures={"text pages/s": rates["text"], "HTML pages/s": rates["html"]},
        details=rates
        | parse_share.repository_pages(sizes.parse_rounds, sizes.repeats)
        | {
            "parse seconds of the crawl's pages": parsing,
            "crawl CPU seconds": crawl_cpu,
            "crawl pages parsed": len(rounds.pages),
        },
    )


# -- 2, 3, 6, 7: crawls -----------------------------------------------------------------------


def _seconds(runs: list[ChildRun]) -> float:
    return median([run.seconds for run in runs])


def crawl_overhead(rounds: mirror_crawls.Rounds) -> Measurement:
    first, bare = _seconds(rounds.first), _seconds(rounds.download_only)
    return Measurement(
        2,
        "full crawl of the mirror: newswatch vs a download-only Scrapy spider, same settings",
        checks=(Check("time ratio", first / bare, "<=", 1.3, "x"),),
        figures={"newswatch s": first, "download-only s": bare},
        details={
            "newswatch CPU s": median([run.cpu_seconds for run in rounds.first]),
            "download-only CPU s": median([run.cpu_seconds for run in rounds.download_only]),
        },
    )


def recrawl(rounds: mirror_crawls.Rounds) -> Measurement:
    first, again = _seconds(rounds.first), _seconds(rounds.recrawl)
    first_bytes, again_bytes = median(rounds.first_bytes), median(rounds.recrawl_bytes)
    return Measurement(
        3,
        "--full re-crawl of the unchanged mirror vs the first crawl",
        checks=(
            Check("time ratio", again / first, "<=", 0.3, "x"),
            Check("bytes ratio", again_bytes / first_bytes, "<=", 0.05, "x"),
        ),
        figures={"first s": first, "re-crawl s": again},
        details={"first bytes": first_bytes, "re-crawl bytes": again_bytes},
    )


def peer(rounds: mirror_crawls.Rounds) -> Measurement:
    what = "urlwatch checking the mirror's article URLs vs newswatch crawling it (--full)"
    reason = peer_urlwatch.missing_reason()
    if reason:
        return Measurement(6, what, skipped=reason)
    first, again = _seconds(rounds.first), _seconds(rounds.recrawl)
    peer_first, peer_again = _seconds(rounds.urlwatch_first), _seconds(rounds.urlwatch_second)
    return Measurement(
        6,
        what,
        checks=(
            Check("first run newswatch/urlwatch", first / peer_first, "<", 1.0, "x"),
            Check("second run newswatch/urlwatch", again / peer_again, "<", 1.0, "x"),
        ),
        figures={"urlwatch first s": peer_first, "urlwatch second s": peer_again},
        details={"newswatch first s": first, "newswatch second s": again},
    )


def memory(rounds: mirror_crawls.Rounds, large: ChildRun, sizes: Sizes) -> Measurement:
    small = median([run.peak_rss_mb for run in rounds.first])
    return Measurement(
        7,
        f"peak RSS of a crawl of the {sizes.large_mirror_articles:,}-article mirror vs the "
        f"{sizes.mirror_articles:,}-article one",
        checks=(Check("RSS ratio", large.peak_rss_mb / small, "<=", 1.5, "x"),),
        figures={"small MB": small, "large MB": large.peak_rss_mb},
        details={"large crawl s": large.seconds},
    )


# -- 4, 5: stores -------------------------------------------------------------------------------


def measure_stores(sizes: Sizes, work_dir: Path, postgres: str | None) -> tuple[Measurement, Measurement]:
    small, _ = _ingest(f"sqlite:///{work_dir / 'small.sqlite3'}", sizes.small_store, sizes)
    large_url = f"sqlite:///{work_dir / 'large.sqlite3'}"
    large, feeds_large = _ingest(large_url, sizes.large_store, sizes, feeds_in=work_dir)
    feeds_small = _feeds(f"sqlite:///{work_dir / 'feeds.sqlite3'}", sizes.feed_small_store, sizes, work_dir)
    ingest = ingest_row(sizes, small, large, _postgres_rates(postgres, sizes))
    return ingest, feeds_row(sizes, feeds_small, feeds_large)


def _ingest(url: str, entries: int, sizes: Sizes, feeds_in: Path | None = None):
    """Ingest rates of a new store of ``entries``; with ``feeds_in``, its feed time too."""
    store = build_store(url, entries)
    try:
        rates = ingest_speed.measure_ingest(store, entries, sizes.ingest_pages, sizes.repeats)
        seconds = feed_regen.regeneration_seconds(store, feeds_in, sizes.repeats) if feeds_in else None
        return rates, seconds
    finally:
        store.close()


def _feeds(url: str, entries: int, sizes: Sizes, work_dir: Path) -> float:
    store = build_store(url, entries)
    try:
        return feed_regen.regeneration_seconds(store, work_dir, sizes.repeats)
    finally:
        store.close()


def _postgres_rates(server_url: str | None, sizes: Sizes) -> list[ingest_speed.IngestRates]:
    if not server_url:
        return []
    rates = []
    for entries in (sizes.small_store, sizes.large_store):
        with throwaway_schema(server_url) as url:
            rates.append(_ingest(url, entries, sizes)[0])
    return rates


def ingest_row(
    sizes: Sizes,
    small: ingest_speed.IngestRates,
    large: ingest_speed.IngestRates,
    postgres: list[ingest_speed.IngestRates],
) -> Measurement:
    checks = [
        Check(f"SQLite re-crawl at {sizes.large_store:,}, obs/s", large.recrawl, ">=", 5000),
        Check("SQLite re-crawl rate large/small", large.recrawl / small.recrawl, ">=", 0.5, "x"),
        Check("SQLite first-crawl rate large/small", large.first_crawl / small.first_crawl, ">=", 0.5, "x"),
    ]
    figures = {"SQLite first crawl at large, obs/s": large.first_crawl}
    details = {
        "SQLite re-crawl at small, obs/s": small.recrawl,
        "SQLite first crawl at small, obs/s": small.first_crawl,
    }
    if postgres:
        pg_small, pg_large = postgres
        checks.append(
            Check("PostgreSQL re-crawl rate large/small", pg_large.recrawl / pg_small.recrawl, ">=", 0.5, "x")
        )
        figures |= {
            "PostgreSQL re-crawl at large, obs/s": pg_large.recrawl,
            "PostgreSQL first crawl at large, obs/s": pg_large.first_crawl,
        }
        details |= {
            "PostgreSQL re-crawl at small, obs/s": pg_small.recrawl,
            "PostgreSQL first crawl at small, obs/s": pg_small.first_crawl,
        }
    return Measurement(
        4,
        f"store ingest with dedup, {sizes.small_store:,} vs {sizes.large_store:,} entries "
        f"(observations/s; PostgreSQL {'too' if postgres else 'not measured: no --postgres'})",
        checks=tuple(checks),
        figures=figures,
        details=details,
    )


def feeds_row(sizes: Sizes, small_seconds: float, large_seconds: float) -> Measurement:
    return Measurement(
        5,
        f"feed regeneration, {sizes.large_store:,} entries stored vs {sizes.feed_small_store:,}",
        checks=(Check("time ratio", large_seconds / small_seconds, "<=", 2.0, "x"),),
        figures={"small ms": small_seconds * 1000, "large ms": large_seconds * 1000},
    )


def machine(quick: bool) -> dict[str, str]:
    return {
        "cores": str(os.cpu_count()),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "system": platform.platform(),
        "mode": "quick (figures meaningless)" if quick else "full",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    sys.exit(main())
