"""A card's link is resolved as the browser would, however often the site's pages repeat it
(extraction.listing._absolute against urljoin itself)."""

from __future__ import annotations

from urllib.parse import urljoin

from hypothesis import given
from hypothesis import strategies as st

from extraction.listing import _absolute

PAGES = ["https://example.org/news/world/a-story/?page=2#top", "http://user@EXAMPLE.org:8080/a/b",
         "https://example.org", "not a url", "", "file:///tmp/page.html", "https://example.org/news/index.php?x=1"]  # fmt: skip
HREFS = ["/news/b/", "//other.org/x", "/a/../b/./c?q=1#f", "../up/", "next/", "?page=3", "#top", "",
         "https://example.org/x/../y", "HTTPS://Example.org/Z", "mailto:a@b.c", " /spaced", "javascript:void(0)",
         "/", "https:relative", "\t/tab", "http://x/a?", "http://x/a#", "//", "https://?q", "/\t/other.org/",
         "https://\t?q", "//\n#f"]  # fmt: skip


def test_known_shapes_resolve_as_urljoin_does() -> None:
    for page in PAGES:
        for href in HREFS:
            assert _absolute(page, href) == urljoin(page, href), (page, href)
            assert _absolute(page, href) == urljoin(page, href), (page, href)  # the kept answer


@given(st.sampled_from(PAGES), st.text(alphabet="/.?#:ahtps0 %&=;@\t\n", max_size=20))
def test_any_href_resolves_as_urljoin_does(page: str, href: str) -> None:
    assert _absolute(page, href) == urljoin(page, href)
