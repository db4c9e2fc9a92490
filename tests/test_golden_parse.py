"""Golden snapshots: what ``newswatch parse PAGE --json`` says about every fixture page.

Each page under ``fixtures/`` has its output committed under ``tests/golden/`` (the same
relative path, ``.json`` appended: ``tests/golden/seeds/000_9084d2b00069b3e5.txt.json``),
so a change in extraction shows as a reviewable diff of what the parser finds, not only as
changed counts. The JSON is computed in-process by the command itself
(``scheduler.cli.commands.command_parse``), byte for byte what the command prints.

After a deliberate change to the parser, rewrite the snapshots and review them as a git diff::

    NEWSWATCH_UPDATE_GOLDEN=1 pytest tests/test_golden_parse.py
    git diff tests/golden/

Which URL a page is parsed with (``--url``): none for the text pages (seeds, variants,
edited: they have no address) and the HTML seed pages (each names its own canonical URL).
The mirror's pages have only host-relative links and no canonical URL; each is parsed at
the address it has on the site it mirrors (fixtures/README.md, tests/support/mirror.py):
``mirror/news/index@PAGEN_1=2.html`` is ``https://en.odkb-csto.org/news/?PAGEN_1=2``.
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from scheduler.cli.commands import command_parse
from tests.support.helpers import FIXTURES

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_ENV = "NEWSWATCH_UPDATE_GOLDEN"
MIRROR_ORIGIN = "https://en.odkb-csto.org"
PAGE_GLOBS = ("seeds/*.txt", "html/*.html", "variants/*.txt", "edited/*.txt", "mirror/**/*.html")
"""Every page file: not the READMEs, the mirror's robots.txt or its ``.redirect`` answers."""


def fixture_pages() -> list[Path]:
    return sorted({page for pattern in PAGE_GLOBS for page in FIXTURES.glob(pattern)})


def page_url(page: Path) -> str | None:
    """The ``--url`` the page is parsed with (see the module docstring)."""
    relative = page.relative_to(FIXTURES)
    if relative.parts[0] != "mirror":
        return None
    # the inverse of tests.support.mirror._file_name: news/index@PAGEN_1=2.html -> /news/?PAGEN_1=2
    name, _, query = relative.relative_to("mirror").as_posix().removesuffix(".html").partition("@")
    path = "/" + name.removesuffix("index")
    return MIRROR_ORIGIN + path + (f"?{query}" if query else "")


def parse_json(page: Path) -> str:
    """What ``newswatch parse PAGE [--url URL] --json`` prints."""
    printed = io.StringIO()
    with redirect_stdout(printed):
        status = command_parse(argparse.Namespace(source=str(page), url=page_url(page), json=True))
    assert status == 0, f"newswatch parse {page} ended with {status}"
    return printed.getvalue()


def golden_path(page: Path) -> Path:
    relative = page.relative_to(FIXTURES)
    return GOLDEN / relative.parent / f"{relative.name}.json"


PAGES = fixture_pages()


def test_every_page_kind_is_covered():
    kinds = {page.relative_to(FIXTURES).parts[0] for page in PAGES}
    assert kinds == {"seeds", "html", "variants", "edited", "mirror"}
    assert page_url(FIXTURES / "mirror/news/index@PAGEN_1=2.html") == MIRROR_ORIGIN + "/news/?PAGEN_1=2"
    assert page_url(FIXTURES / "mirror/news/training/index.html") == MIRROR_ORIGIN + "/news/training/"


def test_no_golden_file_without_its_page():
    """A fixture page renamed or removed leaves no stale snapshot behind."""
    expected = {golden_path(page) for page in PAGES}
    stale = sorted(str(path.relative_to(GOLDEN)) for path in GOLDEN.rglob("*.json") if path not in expected)
    if stale and os.environ.get(UPDATE_ENV):
        for name in stale:
            (GOLDEN / name).unlink()
        return
    assert not stale, f"golden files of no fixture page (remove them, or run {UPDATE_ENV}=1): {stale}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(FIXTURES).as_posix())
def test_parse_output_matches_its_golden_file(page: Path):
    actual = parse_json(page)
    golden = golden_path(page)
    if os.environ.get(UPDATE_ENV):
        golden.parent.mkdir(parents=True, exist_ok=True)
        if not golden.exists() or golden.read_text(encoding="utf-8") != actual:
            golden.write_text(actual, encoding="utf-8")
        return
    relative = golden.relative_to(GOLDEN.parent.parent)
    if not golden.exists():
        pytest.fail(
            f"no golden file {relative} for {page.relative_to(FIXTURES)}: write it with "
            f"`{UPDATE_ENV}=1 pytest tests/test_golden_parse.py` and review it before committing"
        )
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{relative} (golden)",
                tofile=f"newswatch parse {page.relative_to(FIXTURES.parent)} --json (now)",
            )
        )
        pytest.fail(
            f"the parser's output for {page.relative_to(FIXTURES)} changed:\n{diff}\n"
            f"If the change is intended, run `{UPDATE_ENV}=1 pytest tests/test_golden_parse.py` "
            "and review the rewritten files with `git diff tests/golden/`.",
            pytrace=False,
        )
