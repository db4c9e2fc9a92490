"""Learning a site's article URLs on real pages of many publishers: how often a rule is
learnt, how often it is right, how often learning refuses.

Run it from the repository root, outside the test suite::

    python -m benchmarks.article_urls [--data ../shared/extraction] [--verbose]

Every page of ``news-pages`` and ``article-bodies`` is an article of its site, with the
address it was fetched from in its labels; its links (menus, sidebars, related stories) are
the evidence. A rule learnt from them is right when it matches the page's own address (an
article it never saw), wrong when it does not; a refusal is neither (docs/architecture.md,
"Which links are articles").
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from extraction.html_text import read_html
from extraction.url_learning import learn_article_urls

DATA = Path(__file__).resolve().parents[2] / "shared" / "extraction"


def pages(data: Path) -> Iterator[tuple[str, str, bytes]]:
    """``(set, address, bytes)`` of every labelled page."""
    labels = json.loads((data / "news-pages" / "labels.json").read_text(encoding="utf-8"))
    for name, label in labels.items():
        yield "news-pages", label["url"], (data / "news-pages" / "pages" / name).read_bytes()
    truth = json.loads((data / "article-bodies" / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, label in truth.items():
        body = gzip.decompress((data / "article-bodies" / "html" / f"{page_id}.html.gz").read_bytes())
        yield "article-bodies", label["url"], body


def verdict(url: str, body: bytes) -> tuple[str, str]:
    learnt = learn_article_urls(url, read_html(body, url).every_link)
    if learnt.articles is None:
        return "refused", learnt.reason
    return ("right" if learnt.articles.matches(url) else "wrong"), learnt.reason


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--verbose", action="store_true", help="one line per page")
    args = parser.parse_args()
    counts: Counter[tuple[str, str]] = Counter()
    for name, url, body in pages(args.data):
        result, reason = verdict(url, body)
        counts[name, result] += 1
        if args.verbose:
            print(f"{result:8} {url[:80]:80} {reason[:120]}")
    for name in ("news-pages", "article-bodies"):
        right, wrong, refused = (counts[name, result] for result in ("right", "wrong", "refused"))
        print(f"{name}: {right + wrong + refused} pages, rule learnt on {right + wrong} "
              f"({right} right, {wrong} wrong), refused on {refused}")  # fmt: skip


if __name__ == "__main__":
    main()
