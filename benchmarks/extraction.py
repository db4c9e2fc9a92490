"""Article extraction quality: newswatch's parser and trafilatura, side by side, in one run.

Run it from the repository root (trafilatura is needed only for its side)::

    python -m benchmarks.extraction [--only trafilatura|newswatch] [--json OUT] [--data DIR] [--repeats N]

``DIR`` (default ``<repo>/../shared/extraction``) holds the two labelled sets, read in place
and never copied into the repository:

- ``article-bodies/``: 98 article pages with the body a person marked (``ground-truth.json``);
- ``news-pages/``: 80 news pages with title, publication day and body (``labels.json``).

Both READMEs there define the figures, and this module computes them exactly so:

- body: both texts are cut into ``\\w+`` words and overlapping 4-word shingles; per page the
  true positives, false positives and false negatives over the two shingle multisets are
  divided by their sum; precision and recall are averaged over the pages and F1 is computed
  from the two averages (the scoring of the Scrapinghub benchmark's ``evaluate.py``);
- title: exact match after NFKC, curly quotes folded to straight ones and whitespace collapsed;
- publication day: the first 10 characters of the extracted date equal ``published_day``.

One difference from ``evaluate.py``, on purpose: an empty output (no article found, no text)
scores precision 0 and recall 0 and still counts in both averages; ``evaluate.py`` leaves such a
page out of the precision average, which would reward giving up on hard pages. Its figure is
shown too ("F1 pub"), to compare with published ones (the READMEs' references are computed so).

newswatch is called in-process as ``newswatch parse PAGE --url URL --json`` calls it
(:func:`extraction.page_reader.read_page` on the page's bytes; the article's title, published
and body). trafilatura is called as ``bare_extraction(html, url=url, with_metadata=True)``
(its title, date and text) on the page decoded as UTF-8, as the Scrapinghub benchmark does.
Both extractors read each page in turn, so a noisy moment on the machine slows both alike;
the time per page is the mean over the pages of one call's wall time (with ``--repeats N``,
of each page's median of N calls).
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "extraction"
ARTICLE_BODIES = "article-bodies"
NEWS_PAGES = "news-pages"
SHINGLE_WORDS = 4

# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
# Typographic (curly) quotes and their low/reversed forms, folded to ASCII quotes.
_CURLY_QUOTES = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
    }
)


def words(text: str | None) -> list[str]:
    """The text's ``\\w+`` words, case kept (``None`` has none)."""
    return _WORD.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_WORDS) -> Counter[tuple[str, ...]]:
    """The multiset of overlapping ``size``-word shingles of ``text``.

    As in ``evaluate.py``: a text of 1 to ``size - 1`` words is one shorter shingle of all its
    words; a text with no word has no shingle.
    """
    tokens = words(text)
    return Counter(
        tuple(tokens[start : start + size]) for start in range(max(1, len(tokens) - size + 1)) if tokens
    )


@dataclasses.dataclass(frozen=True)
class ShingleCounts:
    """A page's true positives, false positives and false negatives, divided by their sum."""

    tp: float
    fp: float
    fn: float


def shingle_counts(truth: str | None, extracted: str | None) -> ShingleCounts:
    """Compare the two shingle multisets of a page: what both hold (tp), what only the
    extraction holds (fp), what only the truth holds (fn); normalised so that they add up to 1
    (all 0 when both texts are empty), so that a long page weighs no more than a short one."""
    expected = shingles(truth)
    found = shingles(extracted)
    tp = sum((expected & found).values())
    fp = sum((found - expected).values())
    fn = sum((expected - found).values())
    total = tp + fp + fn
    if total == 0:
        return ShingleCounts(0.0, 0.0, 0.0)
    return ShingleCounts(tp / total, fp / total, fn / total)


def page_precision(counts: ShingleCounts) -> float:
    """tp / (tp + fp); 1 when nothing is wrong and nothing is missing (both texts empty);
    0 for an empty extraction."""
    if counts.fp == counts.fn == 0:
        return 1.0
    if counts.tp == counts.fp == 0:
        return 0.0
    return counts.tp / (counts.tp + counts.fp)


def page_recall(counts: ShingleCounts) -> float:
    """tp / (tp + fn); 1 when both texts are empty; 0 when the truth is empty but not the
    extraction."""
    if counts.fp == counts.fn == 0:
        return 1.0
    if counts.tp == counts.fn == 0:
        return 0.0
    return counts.tp / (counts.tp + counts.fn)


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of the two; 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclasses.dataclass(frozen=True)
class BodyScore:
    """Body precision and recall averaged over the pages, and F1 from the two averages."""

    precision: float
    recall: float
    f1: float


def body_score(pages: Sequence[ShingleCounts]) -> BodyScore:
    """Average the per-page precision and recall over every page (none left out)."""
    if not pages:
        return BodyScore(0.0, 0.0, 0.0)
    precision = sum(page_precision(page) for page in pages) / len(pages)
    recall = sum(page_recall(page) for page in pages) / len(pages)
    return BodyScore(precision, recall, f1(precision, recall))


def body_score_as_published(pages: Sequence[ShingleCounts]) -> BodyScore:
    """:func:`body_score` as ``evaluate.py`` computes it, to compare with published figures:
    a page with an empty extraction is left out of the precision average (it still counts,
    with recall 0, in the recall average)."""
    extracted = [page for page in pages if page.tp + page.fp > 0]
    if not pages or not extracted:
        return BodyScore(0.0, 0.0, 0.0)
    precision = sum(page_precision(page) for page in extracted) / len(extracted)
    recall = sum(page_recall(page) for page in pages) / len(pages)
    return BodyScore(precision, recall, f1(precision, recall))


def normalise_title(title: str | None) -> str:
    """NFKC, curly quotes folded to straight ones, runs of whitespace collapsed to one space
    (and none kept at either end)."""
    folded = unicodedata.normalize("NFKC", title or "").translate(_CURLY_QUOTES)
    return " ".join(folded.split())


def same_title(expected: str, extracted: str | None) -> bool:
    """The extracted title is the expected one, once both are normalised; no title never is."""
    return bool(extracted) and normalise_title(expected) == normalise_title(extracted)


def same_day(published_day: str, extracted: str | None) -> bool:
    """The extracted date's first 10 characters (``YYYY-MM-DD``) are the expected day."""
    return bool(extracted) and extracted[:10] == published_day


# ---------------------------------------------------------------------------------------------
# The labelled pages
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    """One labelled page: its bytes as served, its URL, and what it should give."""

    id: str
    url: str
    html: bytes
    body: str
    title: str | None = None
    published_day: str | None = None


def load_article_bodies(folder: Path) -> list[Case]:
    """``ground-truth.json`` and ``html/<id>.html.gz``, in id order."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Case(
            id=page_id,
            url=label["url"],
            html=gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()),
            body=label["articleBody"],
        )
        for page_id, label in sorted(truth.items())
    ]


def load_news_pages(folder: Path) -> list[Case]:
    """``labels.json`` and ``pages/<file name>``, in file-name order."""
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return [
        Case(
            id=name,
            url=label["url"],
            html=(folder / "pages" / name).read_bytes(),
            body=label["body"],
            title=label["title"],
            published_day=label["published_day"],
        )
        for name, label in sorted(labels.items())
    ]


DATA_SETS: dict[str, Callable[[Path], list[Case]]] = {
    ARTICLE_BODIES: load_article_bodies,
    NEWS_PAGES: load_news_pages,
}


# ---------------------------------------------------------------------------------------------
# The extractors
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Extraction:
    """What an extractor found on a page: all ``None`` when it found no article."""

    title: str | None = None
    published: str | None = None
    body: str | None = None


def newswatch_extract(html: bytes, url: str) -> Extraction:
    """The product's parser, as ``newswatch parse PAGE --url URL --json`` calls it."""
    from extraction.page_reader import read_page

    article = read_page(html, url=url).article
    if article is None:
        return Extraction()
    published = article.published.value.isoformat() if article.published else None
    return Extraction(article.title, published, article.body)


def trafilatura_extract(html: bytes, url: str) -> Extraction:
    """trafilatura's ``bare_extraction(html, url=url, with_metadata=True)``: title, date, text."""
    import trafilatura

    document = trafilatura.bare_extraction(html.decode("utf-8", "replace"), url=url, with_metadata=True)
    if document is None:
        return Extraction()
    return Extraction(document.title, document.date, document.text)


EXTRACTORS: dict[str, Callable[[bytes, str], Extraction]] = {
    "newswatch": newswatch_extract,
    "trafilatura": trafilatura_extract,
}


# ---------------------------------------------------------------------------------------------
# Running and reporting
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PageResult:
    """One extractor on one page: its scores, its time, and what it found besides the body."""

    id: str
    url: str
    counts: ShingleCounts
    seconds: float
    extraction: Extraction
    title_ok: bool | None
    day_ok: bool | None

    def as_json(self, case: Case) -> dict[str, object]:
        precision, recall = page_precision(self.counts), page_recall(self.counts)
        return {
            "id": self.id,
            "url": self.url,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1(precision, recall), 4),
            "tp_fp_fn": [round(self.counts.tp, 4), round(self.counts.fp, 4), round(self.counts.fn, 4)],
            "ms": round(self.seconds * 1000, 2),
            "empty": not self.extraction.body,
            "words": {"expected": len(words(case.body)), "extracted": len(words(self.extraction.body))},
            "title_ok": self.title_ok,
            "day_ok": self.day_ok,
            "title": {"expected": case.title, "extracted": self.extraction.title},
            "day": {"expected": case.published_day, "extracted": self.extraction.published},
        }


def score_page(case: Case, extraction: Extraction, seconds: float) -> PageResult:
    """Score one extraction of a labelled page."""
    return PageResult(
        id=case.id,
        url=case.url,
        counts=shingle_counts(case.body, extraction.body),
        seconds=seconds,
        extraction=extraction,
        title_ok=None if case.title is None else same_title(case.title, extraction.title),
        day_ok=None if case.published_day is None else same_day(case.published_day, extraction.published),
    )


def timed_extraction(
    extract: Callable[[bytes, str], Extraction], case: Case, repeats: int
) -> tuple[Extraction, float]:
    """The extraction of one page, and the median wall time of ``repeats`` calls."""
    durations = []
    for _ in range(repeats):
        start = time.perf_counter()
        extraction = extract(case.html, case.url)
        durations.append(time.perf_counter() - start)
    return extraction, statistics.median(durations)


def run_data_set(
    cases: Sequence[Case], extractors: dict[str, Callable[[bytes, str], Extraction]], repeats: int = 1
) -> dict[str, list[PageResult]]:
    """Every extractor on every page, taking turns page by page; one warm-up call each first
    (imports, caches), not timed."""
    for extract in extractors.values():
        extract(cases[0].html, cases[0].url)
    results: dict[str, list[PageResult]] = {name: [] for name in extractors}
    for case in cases:
        for name, extract in extractors.items():
            extraction, seconds = timed_extraction(extract, case, repeats)
            results[name].append(score_page(case, extraction, seconds))
    return results


def summary(pages: Sequence[PageResult]) -> dict[str, object]:
    """The figures of one extractor on one data set."""
    body = body_score([page.counts for page in pages])
    figures: dict[str, object] = {
        "pages": len(pages),
        "body_precision": round(body.precision, 4),
        "body_recall": round(body.recall, 4),
        "body_f1": round(body.f1, 4),
        "body_f1_as_published": round(body_score_as_published([page.counts for page in pages]).f1, 4),
        "empty_bodies": sum(1 for page in pages if not page.extraction.body),
        "ms_per_page": round(1000 * sum(page.seconds for page in pages) / len(pages), 2),
    }
    if pages and pages[0].title_ok is not None:
        figures["title_exact"] = sum(1 for page in pages if page.title_ok)
    if pages and pages[0].day_ok is not None:
        figures["day_exact"] = sum(1 for page in pages if page.day_ok)
    return figures


def table(figures: dict[str, dict[str, dict[str, object]]]) -> str:
    """A plain-text table: one row per data set and extractor."""
    header = f"{'data set':<15} {'extractor':<12} {'P':>6} {'R':>6} {'F1':>6} {'F1 pub':>6} {'title':>7} {'day':>7} {'empty':>5} {'ms/page':>8}"
    lines = [header, "-" * len(header)]
    for data_set, by_extractor in figures.items():
        for name, row in by_extractor.items():
            pages = row["pages"]
            title = f"{row['title_exact']}/{pages}" if "title_exact" in row else "-"
            day = f"{row['day_exact']}/{pages}" if "day_exact" in row else "-"
            lines.append(
                f"{data_set:<15} {name:<12} {row['body_precision']:>6.3f} {row['body_recall']:>6.3f} "
                f"{row['body_f1']:>6.3f} {row['body_f1_as_published']:>6.3f} {title:>7} {day:>7} {row['empty_bodies']:>5} {row['ms_per_page']:>8.1f}"
            )
    lines.append(
        "P, R, F1: body shingles, empty outputs scored 0; F1 pub: as evaluate.py (empty outputs left out "
        "of P); title, day: exact; empty: pages with no body; ms/page: mean time of one call (of a median of N with --repeats N)"
    )
    return "\n".join(lines)


def missing_data(data: Path, data_sets: Iterable[str]) -> str | None:
    """The first labelled set that is not where it should be, as a one-line message."""
    for data_set in data_sets:
        if not (data / data_set).is_dir():
            return f"extraction benchmark: no labelled pages at {data / data_set} (give --data DIR)"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.extraction", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--only", choices=sorted(EXTRACTORS), help="run one extractor only")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures and per-page scores here")
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        metavar="N",
        help="time each page N times and keep the median (default 1; the machine is noisy)",
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help=f"the labelled sets (default {DEFAULT_DATA})"
    )
    args = parser.parse_args(argv)

    problem = missing_data(args.data, DATA_SETS)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    extractors = {name: extract for name, extract in EXTRACTORS.items() if args.only in (None, name)}
    if "trafilatura" in extractors:
        try:
            import trafilatura  # noqa: F401
        except ImportError as error:
            print(f"extraction benchmark: trafilatura cannot be imported ({error})", file=sys.stderr)
            return 1

    figures: dict[str, dict[str, dict[str, object]]] = {}
    pages: dict[str, dict[str, list[dict[str, object]]]] = {}
    for data_set, load in DATA_SETS.items():
        cases = load(args.data / data_set)
        results = run_data_set(cases, extractors, max(1, args.repeats))
        figures[data_set] = {name: summary(found) for name, found in results.items()}
        pages[data_set] = {
            name: [result.as_json(case) for result, case in zip(found, cases)]
            for name, found in results.items()
        }
    print(table(figures))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"data": str(args.data), "figures": figures, "pages": pages}, ensure_ascii=False, indent=1
            ),
            encoding="utf-8",
        )
        print(f"per-page scores: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
