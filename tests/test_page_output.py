"""`newswatch parse --json`: exactly the shape of docs/architecture.md ("Command line"), inferred years marked."""

from __future__ import annotations

import json

import pytest

from extraction.html_page import parse_html_page
from extraction.text_page import parse_page
from scheduler.cli.page_output import page_as_json, page_as_text
from tests.support.helpers import FIXTURES, SEEDS, run_cli

PAGE_KEYS = {"url", "teasers", "article"}
TEASER_KEYS = {"text", "published", "url"}
ARTICLE_KEYS = {"title", "published", "body", "url"}


def seed_text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def test_json_shape_and_inferred_years_of_seed_002():
    shown = page_as_json(parse_page(seed_text("002")))
    assert set(shown) == PAGE_KEYS and shown["url"] is None
    assert [set(t) - TEASER_KEYS for t in shown["teasers"]] == [
        set(),
        set(),
        set(),
        {"published_inferred"},
        {"published_inferred"},
    ]
    assert [t["published"] for t in shown["teasers"]] == [
        "2024-02-16",
        "2024-02-14",
        "2024-02-14",
        "2024-02-07",
        "2024-02-07",
    ]
    assert all(t["published_inferred"] is True for t in shown["teasers"][3:])
    assert set(shown["article"]) == ARTICLE_KEYS
    assert shown["article"]["published"] is None
    json.dumps(shown)  # plain JSON types only


def test_json_of_an_html_page_carries_its_urls():
    (path,) = (FIXTURES / "html").glob("003_*.html")
    shown = page_as_json(parse_html_page(path.read_bytes(), url=path.resolve().as_uri()))
    canonical = "https://en.odkb-csto.org/news/news_odkb/valery-semerikov-summed-up-the-work-of-the-organization-in-2019/"
    assert shown["url"] == canonical
    assert shown["article"]["url"] == canonical
    assert shown["article"]["published"] == "2019-12-25"
    assert all(
        set(t) == TEASER_KEYS and t["url"].startswith("https://en.odkb-csto.org/news/")
        for t in shown["teasers"]
    )


def test_json_of_a_refused_page_has_no_items():
    assert page_as_json(parse_page("")) == {"url": None, "teasers": [], "article": None}


def test_text_listing_counts_an_empty_body_as_no_paragraph():
    (path,) = (FIXTURES / "variants").glob("document_same_paragraph.txt")
    listing = page_as_text(parse_page(path.read_text(encoding="utf-8")))
    assert "published: 2024-11-28" in listing
    assert "body: 0 paragraphs, 0 characters" in listing


@pytest.mark.e2e
def test_parse_command_on_an_html_page(tmp_path):
    (path,) = (FIXTURES / "html").glob("002_*.html")
    result = run_cli("parse", str(path), "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    shown = result.json()
    assert set(shown) == PAGE_KEYS
    assert shown["teasers"][3]["published_inferred"] is True
    assert "published_inferred" not in shown["teasers"][0]
    assert (
        shown["teasers"][0]["url"]
        == "https://en.odkb-csto.org/news/news_odkb/csto-secretary-general-met-with-murat-nurtleu-in-astana/"
    )
    assert set(shown["article"]) == ARTICLE_KEYS
