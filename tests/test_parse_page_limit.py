"""`newswatch parse` reads a page up to the size limit of live fetches and refuses a larger
one with one line: an endless input (/dev/zero, a FIFO) ends in that line, not in the
memory running out. Run in-process (no Scrapy), with inputs that end, so that a reader
without the limit fails the test instead of filling the machine's memory."""

from __future__ import annotations

import os
import threading

import pytest

from extraction.page_limits import MAX_PAGE_BYTES
from scheduler.cli.main import EXIT_FAILED, main
from tests.support.loopback import LoopbackServer
from tests.support.loopback_faults import Redirect
from tests.support.mirror import build_mirror

FEED_CHUNK = b"\0" * (1 << 20)
FEED_TOTAL = 4 * MAX_PAGE_BYTES
"""What the stand-in for an endless input writes at most: far over the limit, but an end."""


def refusal(source: str) -> str:
    return f"newswatch: {source}: larger than the 5 MB page limit\n"


def test_a_file_over_the_limit_is_refused_with_one_line(tmp_path, capsys):
    page = tmp_path / "huge.html"
    page.write_bytes(b"<p>" + b"x" * MAX_PAGE_BYTES)

    assert main(["parse", str(page)]) == EXIT_FAILED
    captured = capsys.readouterr()
    assert captured.err == refusal(str(page)) and captured.out == ""


def test_a_file_at_the_limit_is_read(tmp_path, capsys):
    page = tmp_path / "limit.bin"
    page.write_bytes(b"\0" * MAX_PAGE_BYTES)

    assert main(["parse", str(page)]) == 0
    assert "warning: binary content" in capsys.readouterr().out


def _feed(fifo: str) -> None:
    """Writes to the FIFO until the reader closes it (or FEED_TOTAL is written)."""
    written = 0
    try:
        with open(fifo, "wb") as sink:
            while written < FEED_TOTAL:
                sink.write(FEED_CHUNK)
                written += len(FEED_CHUNK)
    except BrokenPipeError:
        pass


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_endless_fifo_is_refused_after_the_limit(tmp_path, capsys):
    fifo = str(tmp_path / "endless")
    os.mkfifo(fifo)
    feeder = threading.Thread(target=_feed, args=(fifo,), daemon=True)
    feeder.start()

    assert main(["parse", fifo]) == EXIT_FAILED
    feeder.join(timeout=60)
    assert capsys.readouterr().err == refusal(fifo)


def test_a_url_over_the_limit_is_refused_with_one_line(capsys):
    target = "/huge.html"
    with LoopbackServer(build_mirror(1)) as server:
        server.put(target, b"<p>" + b"x" * MAX_PAGE_BYTES)
        url = server.origin + target
        assert main(["parse", url]) == EXIT_FAILED
    assert capsys.readouterr().err == refusal(url)


@pytest.mark.parametrize("location", ["ftp://127.0.0.1:9/news/", "file:///etc/passwd"])
def test_a_url_that_redirects_off_the_web_is_not_followed(capsys, location):
    """As a crawl, `parse URL` fetches http(s) addresses only, redirects included."""
    with LoopbackServer(build_mirror(1)) as server:
        server.misbehave("/moved/", Redirect(location))
        url = server.origin + "/moved/"
        assert main(["parse", url]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert err.startswith(f"newswatch: cannot fetch {url}: ") and location in err
    assert err.count("\n") == 1
