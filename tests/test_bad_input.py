"""Bad pages and bad settings: zero items and a warning, never a crash or half an entry."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from extraction.page_reader import read_page
from tests.support.helpers import SEED_FILES, run_cli

BAD_PAGES = {
    "empty.txt": b"",
    "blank.txt": b"\n\n   \n\xc2\xa0\n",
    "binary.txt": bytes(range(256)) * 8,
    "latin1.txt": "Caf\xe9 cr\xe8me, na\xefve text".encode("latin-1"),
    "prose.txt": b"just some words without any structure at all.\n\nand another sentence here.",
}


@pytest.mark.parametrize("name", sorted(BAD_PAGES))
def test_unreadable_page_gives_no_items_and_a_warning(name):
    page = read_page(BAD_PAGES[name], url=f"file:///pages/{name}")
    assert page.item_count == 0
    assert page.warning


@pytest.mark.e2e
def test_crawl_with_bad_pages_keeps_the_good_ones_and_warns_once_per_bad_page(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for name, body in BAD_PAGES.items():
        (pages / name).write_bytes(body)
    shutil.copy(SEED_FILES[0], pages / SEED_FILES[0].name)
    data_dir = tmp_path / "data"
    result = run_cli("crawl", "--offline", "--fixtures", str(pages), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert f"pages {len(BAD_PAGES) + 1}," in result.stdout
    assert "new 6," in result.stdout  # seed 000: five teasers and its article
    assert f"warnings {len(BAD_PAGES)}" in result.stdout
    warned = [line for line in result.stderr.splitlines() if "WARNING" in line]
    for name in BAD_PAGES:
        assert sum(name in line for line in warned) == 1, (name, warned)
    with sqlite3.connect(data_dir / "newswatch.sqlite3") as connection:
        assert connection.execute("select count(*) from entries").fetchone() == (6,)


@pytest.mark.e2e
def test_missing_data_directory_is_created(tmp_path):
    data_dir = tmp_path / "a" / "b" / "c"
    result = run_cli("changes", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert (data_dir / "newswatch.sqlite3").is_file()


@pytest.mark.e2e
@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nobody@127.0.0.1:1/newswatch",
        "sqlite:////proc/newswatch/cannot/be/here.db",
        "nosuchdriver://x/y",
    ],
)
def test_database_that_cannot_be_opened_is_one_line_and_exit_1(tmp_path, url):
    result = run_cli("--db", url, "changes", data_dir=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newswatch: cannot open database")


@pytest.mark.e2e
def test_missing_fixtures_directory_is_a_clear_error(tmp_path):
    result = run_cli("crawl", "--offline", "--fixtures", str(tmp_path / "nope"), data_dir=tmp_path)
    assert result.returncode == 1
    assert "no such fixtures directory" in result.stderr


def test_html_charset_declared_only_in_the_http_header_is_honoured():
    html = (
        "<html><body><h1>Заседание Совета ОДКБ</h1><p>Заседание Совета ОДКБ 05.09.2023</p>"
        "<p>Текст статьи о заседании.</p></body></html>"
    )
    page = read_page(
        html.encode("cp1251"),
        url="https://en.odkb-csto.org/news/news_odkb/council/",
        content_type="text/html; charset=windows-1251",
    )
    assert page.article.title == "Заседание Совета ОДКБ"
    assert page.article.body == "Текст статьи о заседании."
