"""``newswatch run`` crawling "the live site" (the synthetic mirror on loopback): its crawls
go where its options say, as politely as they say."""

from __future__ import annotations

import pytest

from tests.support.loopback import LoopbackServer
from tests.support.mirror import build_mirror
from tests.support.service_harness import ServiceProcess

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

ARTICLES = 8
CONTACT = "https://newswatch.example/ops-desk"


def test_the_service_crawls_the_start_page_it_is_given_with_its_contact_and_delay(tmp_path):
    with LoopbackServer() as server:
        mirror = build_mirror(ARTICLES, offsite_origin=server.alias_origin)
        server.serve(mirror)
        options = ("--every", "1h", "--url", f"{server.origin}/news/", "--delay", "0", "--contact", CONTACT)
        with ServiceProcess(tmp_path, None, *options) as service:
            crawl = service.wait_for_crawl()
            assert service.stop() == 0
        requests = server.requests
    fetched = {request.target for request in requests if request.status == 200}
    assert {article.path for article in mirror.news} <= fetched
    assert crawl["errors"] == 0
    assert all(CONTACT in request.headers.get("user-agent", "") for request in requests)
