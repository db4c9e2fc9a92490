"""The /changes page and the entry pages of a running service, as a person sees them in a
real browser.

Headless Chromium (Debian's chromium and chromium-driver; .ci/run installs them) is driven
through chromedriver's W3C WebDriver protocol, spoken directly over loopback HTTP, with a
phone's screen (390 x 844, mobile emulation). The page must be readable there, list the
change log newest first with its diff, offer the feeds for autodiscovery, and show a
title that contains markup as text: the ``<script>`` in it must never run. A person types a
search into the page's form, picks a kind and submits it, and follows an edited article's
"history" link to every version of it with the diff between them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.service_harness import (
    ServiceProcess,
    copy_seeds,
    http_request,
    wait_for,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(120),
    pytest.mark.skipif(
        not (shutil.which("chromium") and shutil.which("chromedriver")),
        reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)",
    ),
]

HOSTILE_TITLE = "Exercise <script>document.title='pwned'</script> \"Shield & Sword\" <b>bold</b> began"
HOSTILE_PAGE = f"""
The CSTO held a staff exercise on the protection of critical infrastructure in the member states.


{HOSTILE_TITLE}

{HOSTILE_TITLE} 21.10.2022

The exercise brought together units of the member states at a training range near the capital.

It will last three days and end with a review of the lessons learned.

Go back
"""
PHONE = {"width": 390, "height": 844, "pixelRatio": 3}
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Browser:
    """A chromedriver session: just the WebDriver commands this test needs."""

    def __init__(self, profile: Path) -> None:
        # chromedriver picks a free port itself (--port=0) and says which: a port probed here
        # and handed over could be taken by another process in between.
        self.log_path = profile.parent / "chromedriver.log"
        with open(self.log_path, "wb") as log:
            self.driver = subprocess.Popen(["chromedriver", "--port=0"], stdout=log, stderr=subprocess.STDOUT)
        try:
            self.port = int(wait_for(self._listening_port, "chromedriver to say its port", 30))
            wait_for(self._ready, "chromedriver to answer", 30)
            options = {
                "binary": shutil.which("chromium"),
                "args": [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"],
                "mobileEmulation": {"deviceMetrics": PHONE},
            }
            capabilities = {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}
            self.session = self._command("POST", "/session", {"capabilities": capabilities})["sessionId"]
        except BaseException:
            self.driver.kill()
            self.driver.wait(10)
            raise

    def _listening_port(self) -> str | None:
        log = self.log_path.read_text(encoding="utf-8", errors="replace")
        if self.driver.poll() is not None:
            raise AssertionError(f"chromedriver exited with {self.driver.returncode}:\n{log}")
        found = re.search(r"started successfully on port (\d+)", log)
        return found.group(1) if found else None

    def _ready(self) -> bool:
        try:
            return self._command("GET", "/status")["ready"]
        except OSError:
            return False

    def _command(self, method: str, path: str, payload: dict | None = None):
        body = json.dumps(payload).encode() if payload is not None else None
        answer = http_request(
            self.port, path, method=method, body=body, headers={"Content-Type": "application/json"}
        )
        value = json.loads(answer.body)["value"]
        assert answer.status == 200, value
        return value

    def open(self, url: str) -> None:
        self._command("POST", f"/session/{self.session}/url", {"url": url})

    def element(self, css: str) -> str:
        found = self._command(
            "POST", f"/session/{self.session}/element", {"using": "css selector", "value": css}
        )
        return next(iter(found.values()))

    def type_into(self, css: str, text: str) -> None:
        self._command("POST", f"/session/{self.session}/element/{self.element(css)}/value", {"text": text})

    def click(self, css: str, *, leads_away: bool = True) -> None:
        """Click as a person does; when the click ``leads_away``, returns once the page it
        leads to has loaded."""
        before = self.url()
        self._command("POST", f"/session/{self.session}/element/{self.element(css)}/click", {})
        if leads_away:
            wait_for(
                lambda: self.url() != before and self.run("return document.readyState") == "complete",
                "the next page",
            )

    def url(self) -> str:
        return self._command("GET", f"/session/{self.session}/url")

    def run(self, script: str):
        """Evaluate ``script`` (a function body) in the page, as an observer, not as the page."""
        return self._command("POST", f"/session/{self.session}/execute/sync", {"script": script, "args": []})

    def close(self) -> None:
        try:
            self._command("DELETE", f"/session/{self.session}")
        finally:
            self.driver.terminate()
            self.driver.wait(10)


WHAT_A_PERSON_SEES = """
const articles = [...document.querySelectorAll('article')];
return {
  title: document.title,
  scripts: document.querySelectorAll('script').length,
  bold: document.querySelectorAll('main b').length,
  viewport: window.innerWidth,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  font: parseFloat(getComputedStyle(document.querySelector('h2')).fontSize),
  headings: articles.map(a => a.querySelector('h2').innerText),
  kinds: articles.map(a => a.querySelector('.kind').innerText),
  times: articles.map(a => a.querySelector('time').getAttribute('datetime')),
  removed: [...document.querySelectorAll('pre .del')].map(e => e.innerText),
  added: [...document.querySelectorAll('pre .add')].map(e => e.innerText),
  feeds: [...document.querySelectorAll('link[rel=alternate]')].map(l => [l.type, new URL(l.href).pathname]),
  text: document.body.innerText,
};
"""


@pytest.fixture(scope="module")
def browsing(tmp_path_factory):
    """A browser, and the service's address, after a first crawl and an edit of the hostile
    page's article."""
    tmp_path = tmp_path_factory.mktemp("changes_page")
    fixtures = copy_seeds(tmp_path / "pages")
    hostile = fixtures / "hostile.txt"
    hostile.write_text(HOSTILE_PAGE)
    with ServiceProcess(tmp_path, fixtures) as service:
        first = service.wait_for_crawl()
        hostile.write_text(HOSTILE_PAGE.replace("three days", "four days"))
        service.wait_for_crawl(after=first["id"])
        wait_for(lambda: b"four days" in service.get("/changes.json").body, "the edit in the change log")
        browser = Browser(tmp_path / "profile")
        try:
            yield browser, f"http://127.0.0.1:{service.port}"
        finally:
            browser.close()


@pytest.fixture(scope="module")
def page_seen(browsing):
    browser, address = browsing
    browser.open(f"{address}/changes")
    return browser.run(WHAT_A_PERSON_SEES)


def test_the_change_log_page_in_a_browser(page_seen):
    seen = page_seen
    assert seen["title"] == "newswatch: change log"
    assert seen["scripts"] == 0 and seen["bold"] == 0
    assert HOSTILE_TITLE in seen["headings"]  # shown as the text it is, markup and all
    assert seen["headings"][0] == HOSTILE_TITLE and seen["kinds"][0] == "updated"
    assert seen["kinds"].count("new") == 24 + 2  # the seeds, the hostile page's teaser and article
    assert seen["times"] == sorted(seen["times"], reverse=True)
    assert any("three days" in line for line in seen["removed"])
    assert any("four days" in line for line in seen["added"])
    assert seen["feeds"] == [
        ["application/rss+xml", "/feed.rss"],
        ["application/atom+xml", "/feed.atom"],
        ["application/feed+json", "/feed.json"],
        ["application/atom+xml", "/changes.atom"],
    ]
    assert "Subscribe:" in seen["text"]


def test_the_change_log_page_fits_a_phone(page_seen):
    assert page_seen["viewport"] == PHONE["width"]  # the viewport meta tag is honoured
    assert page_seen["overflow"] <= 0  # long titles and diffs wrap: no sideways scrolling
    assert page_seen["font"] >= 16


WHAT_AN_ENTRY_PAGE_SHOWS = """
return {
  title: document.querySelector('h1').innerText,
  scripts: document.querySelectorAll('script').length,
  versions: [...document.querySelectorAll('article.version h3')].map(e => e.innerText),
  events: [...document.querySelectorAll('li.event .kind')].map(e => e.innerText),
  removed: [...document.querySelectorAll('pre .del')].map(e => e.innerText),
  added: [...document.querySelectorAll('pre .add')].map(e => e.innerText),
  texts: [...document.querySelectorAll('article.version .text')].map(e => e.textContent),
  back: new URL(document.querySelector('a[href="../changes"]').href).pathname,
  viewport: window.innerWidth,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  font: parseFloat(getComputedStyle(document.body).fontSize),
};
"""


def test_a_search_and_a_kind_picked_in_the_form_narrow_the_log(browsing):
    browser, address = browsing
    browser.open(f"{address}/changes")
    browser.type_into("input[name=q]", "FOUR days")
    browser.click("select[name=kind] option[value=updated]", leads_away=False)
    browser.click("form button")
    seen = browser.run(WHAT_A_PERSON_SEES)
    assert seen["headings"] == [HOSTILE_TITLE] and seen["kinds"] == ["updated"]
    assert "q=FOUR+days" in browser.url() and "kind=updated" in browser.url()


def test_the_history_link_leads_to_every_version_and_the_diff(browsing):
    browser, address = browsing
    browser.open(f"{address}/changes?kind=updated")
    browser.click("article.change a.history")
    seen = browser.run(WHAT_AN_ENTRY_PAGE_SHOWS)
    assert seen["title"] == HOSTILE_TITLE and seen["scripts"] == 0
    assert seen["versions"] == ["Version 1", "Version 2"]
    assert seen["events"] == ["new", "updated"]
    assert any("three days" in line for line in seen["removed"])
    assert any("four days" in line for line in seen["added"])
    assert "three days" in seen["texts"][0] and "four days" in seen["texts"][1]
    assert seen["back"] == "/changes"
    assert seen["viewport"] == PHONE["width"] and seen["overflow"] <= 0 and seen["font"] >= 16
