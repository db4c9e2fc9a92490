"""A link joined to only as much of its page's address as it depends on (its origin, for a
link from the root or with a host: extraction.urls.joining_base) is joined as urljoin joins it
to the whole address; the page's links and its teaser cards' links are joined so."""

from __future__ import annotations

from urllib.parse import urljoin

from hypothesis import given
from hypothesis import strategies as st

from extraction.listing import _absolute
from extraction.urls import joining_base

PAGES = ["https://example.org/news/world/a-story/?page=2#top", "http://user@EXAMPLE.org:8080/a/b",
         "https://example.org", "not a url", "", "file:///tmp/page.html", "https://example.org/news/index.php?x=1"]  # fmt: skip
HREFS = ["/news/b/", "//other.org/x", "/a/../b/./c?q=1#f", "../up/", "next/", "?page=3", "#top", "",
         "https://example.org/x/../y", "HTTPS://Example.org/Z", "mailto:a@b.c", " /spaced", "javascript:void(0)",
         "/", "https:relative", "\t/tab", "http://x/a?", "http://x/a#", "//", "https://?q", "/\t/other.org/",
         "https://\t?q", "//\n#f"]  # fmt: skip


def test_known_shapes_resolve_as_urljoin_does() -> None:
    for page in PAGES:
        for href in HREFS:
            assert urljoin(joining_base(href, page), href) == urljoin(page, href), (page, href)
            assert _absolute(page, href) == urljoin(page, href), (page, href)
            assert _absolute(page, href) == urljoin(page, href), (page, href)  # the kept answer


@given(st.sampled_from(PAGES), st.text(alphabet="/.?#:ahtps0 %&=;@\t\n", max_size=20))
def test_any_href_resolves_as_urljoin_does(page: str, href: str) -> None:
    assert urljoin(joining_base(href, page), href) == urljoin(page, href)
    assert _absolute(page, href) == urljoin(page, href)
