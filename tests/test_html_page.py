"""HTML pages through the text parser: the same items as the seed texts, plus their URLs.

The expected URLs were read off the synthetic pages in ``fixtures/html/`` (listed in their
README); the expected items are those of the seed text each page reproduces.
"""

from __future__ import annotations

import pytest

from extraction.html_page import parse_html_page
from extraction.page_reader import read_page
from extraction.text_page import parse_page
from tests.support.helpers import FIXTURES, SEEDS

HTML = FIXTURES / "html"
STEMS = sorted(path.stem for path in HTML.glob("*.html"))
NEWS = "https://en.odkb-csto.org/news/news_odkb/"
SIDEBAR_001 = [
    NEWS + "csto-secretariat-met-with-graduates-of-the-international-school-of-diplomacy/",
    NEWS + "speech-by-the-csto-secretary-general-at-the-un-security-council-debate/",
    NEWS + "csto-secretary-general-took-part-in-the-un-security-council-debate/",
    NEWS + "imangali-tasmagambetov-interview-to-belta/",
]
EXPECTED_URLS = {
    "000": (
        NEWS + "russian-military-will-practice-hostage-rescue-at-rubezh-2022/",
        [
            NEWS + "international-conference-on-combating-terrorism-and-extremism-held-in-bishkek/",
            NEWS + "subregional-anti-drug-operation-channel-perekhvat-carried-out/",
            NEWS + "csto-secretary-general-met-with-sergei-lavrov/",
            NEWS + "coordination-meeting-of-chief-narcologists-held-in-minsk/",
            NEWS + "csto-secretary-general-met-with-kyrgyz-ministers-in-bishkek/",
        ],
    ),
    "001": (NEWS + "car-crdf-began-the-next-phase-of-the-training-rubezh-2022/", SIDEBAR_001),
    "002": (
        NEWS + "preliminary-results-of-the-operation-channel-second-barrier-summarized/",
        [
            NEWS + "csto-secretary-general-met-with-murat-nurtleu-in-astana/",
            NEWS + "csto-secretariat-hosted-an-educational-seminar-on-eurasian-security/",
            NEWS + "chief-of-the-csto-joint-staff-held-a-briefing-on-joint-training-2024/",
            NEWS + "chairmen-of-parliamentary-committees-visited-the-csto-joint-staff/",
            NEWS + "csto-secretary-general-met-with-sergey-lavrov/",
        ],
    ),
    "003": (
        NEWS + "valery-semerikov-summed-up-the-work-of-the-organization-in-2019/",
        [
            NEWS + "sadyr-japarov-received-the-csto-foreign-ministers-in-cholpon-ata/",
            NEWS + "meeting-of-the-csto-council-of-foreign-ministers-held-in-cholpon-ata/",
            NEWS + "safar-umarzoda-took-part-in-an-osce-side-event-on-countering-radicalization/",
            NEWS + "xix-meeting-of-the-council-of-the-csto-computer-incident-response-center/",
            NEWS + "second-staff-negotiations-on-rubezh-2025-held-in-kyrgyzstan/",
        ],
    ),
    "004": (
        NEWS + "interaction-2023-special-forces-units-conducted-an-anti-terrorist-operation/",
        SIDEBAR_001,
    ),
}


def html_page(stem: str):
    path = HTML / f"{stem}.html"
    return parse_html_page(path.read_bytes(), url=path.resolve().as_uri())


def text_page(stem: str):
    return parse_page((SEEDS / f"{stem}.txt").read_text(encoding="utf-8"))


def test_every_seed_has_its_html_page():
    assert sorted(path.stem for path in SEEDS.glob("*.txt")) == STEMS
    assert sorted(EXPECTED_URLS) == [stem[:3] for stem in STEMS]


@pytest.mark.parametrize("stem", STEMS)
def test_html_page_gives_the_seed_s_teasers(stem):
    from_html, from_text = html_page(stem), text_page(stem)
    assert [(t.text, t.published) for t in from_html.teasers] == [
        (t.text, t.published) for t in from_text.teasers
    ]


@pytest.mark.parametrize("stem", STEMS)
def test_html_page_gives_the_seed_s_article(stem):
    from_html, from_text = html_page(stem).article, text_page(stem).article
    assert (from_html.title, from_html.published, from_html.body) == (
        from_text.title,
        from_text.published,
        from_text.body,
    )


@pytest.mark.parametrize("stem", STEMS)
def test_canonical_url_is_the_article_s_url(stem):
    page = html_page(stem)
    assert page.article.url == EXPECTED_URLS[stem[:3]][0]
    assert page.url == EXPECTED_URLS[stem[:3]][0]


@pytest.mark.parametrize("stem", STEMS)
def test_each_teaser_is_tied_to_the_article_it_links_to(stem):
    assert [t.url for t in html_page(stem).teasers] == EXPECTED_URLS[stem[:3]][1]


@pytest.mark.parametrize("stem", STEMS)
def test_links_are_the_article_links_without_navigation_or_other_sites(stem):
    links = html_page(stem).links
    assert list(links) == EXPECTED_URLS[stem[:3]][1]
    assert not any("mir24.tv" in link for link in links)  # seed 003's source link


def test_read_page_sends_html_to_the_html_parser():
    path = HTML / f"{STEMS[0]}.html"
    page = read_page(path.read_bytes(), url=path.resolve().as_uri())
    assert page.teasers[0].url == EXPECTED_URLS["000"][1][0]


# --- links on small pages -----------------------------------------------------------------

SITE = "https://en.odkb-csto.org"
TITLE = "The CSTO Secretary General met with the Ambassador of the Republic of Armenia"
HEADLINE = "Exercises of the CSTO peacekeeping forces will be held in Belarus"
LEAD = "On 11 March 2025, the CSTO Joint Staff announced the exercises of the peacekeeping forces."


def small_page(sidebar: str, canonical: str | None = None) -> bytes:
    head = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<html><head>{head}</head><body><aside>{sidebar}</aside>"
        f"<h1>{TITLE}</h1><p>{TITLE} 15.04.2024</p><p>The parties discussed cooperation.</p>"
        '<p><a href="/news/news_odkb/">Back to the section</a></p></body></html>'
    ).encode()


def test_a_link_around_the_headline_ties_the_whole_teaser():
    sidebar = (
        f'<div><div>11.03.2025</div><p><a href="/news/news_odkb/exercises/">{HEADLINE}</a></p>'
        f"<p>{LEAD}</p></div>"
    )
    page = parse_html_page(small_page(sidebar), url=f"{SITE}/news/news_odkb/ambassador/")
    (teaser,) = page.teasers
    assert teaser.text == f"{HEADLINE}\n\n{LEAD}"
    assert teaser.url == f"{SITE}/news/news_odkb/exercises/"
    assert page.article.url == f"{SITE}/news/news_odkb/ambassador/"  # no canonical: the fetched URL


def test_a_link_holding_the_date_and_the_teaser_ties_it():
    sidebar = f'<a href="{SITE}/news/news_odkb/exercises/"><div>11.03.2025</div><p>{HEADLINE}</p></a>'
    page = parse_html_page(small_page(sidebar), url=f"{SITE}/news/")
    assert [t.url for t in page.teasers] == [f"{SITE}/news/news_odkb/exercises/"]
    assert page.article.url is None  # /news/ is a section, not an article


def test_short_link_texts_and_other_sites_tie_nothing_so_those_teasers_are_no_items():
    """On an HTML page an item leads to an article of the site; a block of text that links
    to none (or only through "More", or to another site) is not published."""
    sidebar = (
        f"<div><div>11.03.2025</div><p>{LEAD}</p>"
        '<p><a href="/news/news_odkb/exercises/">Read more</a></p></div>'
        f'<div><div>10.03.2025</div><p><a href="https://mir24.tv/news/1639/exercises">{HEADLINE}</a></p></div>'
        '<div><div>09.03.2025</div><p><a href="/news/news_odkb/more/">More</a> CSTO news of the day</p></div>'
    )
    page = parse_html_page(
        small_page(sidebar, canonical=f"{SITE}/news/news_odkb/ambassador/"), url="file:///x.html"
    )
    assert page.teasers == ()
    assert page.links == (f"{SITE}/news/news_odkb/exercises/", f"{SITE}/news/news_odkb/more/")
    assert page.article.url == f"{SITE}/news/news_odkb/ambassador/"


def test_an_empty_html_page_is_refused_with_a_warning():
    page = parse_html_page(b"<html><body><script>var x;</script></body></html>", url=f"{SITE}/news/")
    assert page.item_count == 0 and page.warning


def _page_with_markup_date(head: str, article_extra: str = "") -> bytes:
    return (
        f"<html><head>{head}</head><body>"
        "<aside><div><time datetime='2021-01-01'>01.01.2021</time><p>On 1 January 2021, a sidebar item.</p></div></aside>"
        f"<article>{article_extra}<h1>Meeting of the CSTO Committee of Secretaries</h1>"
        "<p>The Committee met in Minsk to discuss the agenda.</p></article></body></html>"
    ).encode()


def test_markup_publication_date_dates_an_undated_article():
    from extraction.html_page import parse_html_page

    url = "https://en.odkb-csto.org/news/news_odkb/committee-met/"
    meta = parse_html_page(
        _page_with_markup_date(
            "<meta property='article:published_time' content='2024-03-05T10:00:00+03:00'>"
        ),
        url,
    )
    assert meta.article.published.value.isoformat() == "2024-03-05"
    inside = parse_html_page(_page_with_markup_date("", "<time datetime='2024-03-06'>6 March</time>"), url)
    assert inside.article.published.value.isoformat() == "2024-03-06"
    # the sidebar's <time> belongs to another item: no date for the article
    assert parse_html_page(_page_with_markup_date(""), url).article.published is None


def test_a_block_holding_several_articles_headlines_is_no_item():
    """A listing read as one paragraph merges its items: tied to one of them it would carry
    the others' text, and change whenever they do."""
    merged = (
        '<div><p><a href="/news/news_odkb/exercises/">Exercises of the CSTO peacekeeping forces '
        'will be held in Belarus</a> 11.03.2025 <a href="/news/news_odkb/council/">The CSTO Council '
        "of Foreign Ministers met in Minsk</a> 10.03.2025</p></div>"
    )
    page = parse_html_page(small_page(merged), url=f"{SITE}/news/news_odkb/ambassador/")
    assert page.teasers == ()


@pytest.mark.parametrize(
    "pager",
    ["/news/?start=10", "/news/?page=2", "/news/news_odkb/?PAGEN_1=3", "/news/page/4/", "/blog/?paged=2"],
)
def test_a_later_page_of_a_listing_holds_no_article_however_few_its_teasers(pager):
    """The last page of a listing may hold two teasers and read like one article (its
    heading, their text); a numbered page of a listing is a listing, so no article, while
    its teasers still are items."""
    sidebar = f'<div><div>11.03.2025</div><p><a href="/news/news_odkb/exercises/">{HEADLINE}</a></p></div>'
    page = parse_html_page(small_page(sidebar), url=SITE + pager)
    assert page.article is None
    assert [t.url for t in page.teasers] == [f"{SITE}/news/news_odkb/exercises/"]


def test_a_later_page_of_a_listing_is_not_searched_for_an_article(monkeypatch):
    """Its address says it has none: the main content's extraction, most of a page's
    reading, is not run for it."""
    import extraction.html_page

    def no_article_wanted(*args, **kwargs):
        raise AssertionError("a numbered listing page was searched for an article")

    monkeypatch.setattr(extraction.html_page, "read_article", no_article_wanted)
    sidebar = f'<div><div>11.03.2025</div><p><a href="/news/news_odkb/exercises/">{HEADLINE}</a></p></div>'
    page = parse_html_page(small_page(sidebar), url=f"{SITE}/news/news_odkb/?PAGEN_1=3")
    assert page.article is None and page.warning is None
    assert [t.url for t in page.teasers] == [f"{SITE}/news/news_odkb/exercises/"]


def test_a_later_page_of_a_listing_without_teasers_is_not_taken_as_read():
    """The listing ended, or its cards are no longer read: said, and asked for again."""
    for pager in ("/news/?PAGEN_1=7", "/news/page/9/"):
        page = parse_html_page(small_page(""), url=SITE + pager)
        assert page.article is None and page.teasers == ()
        assert page.warning


def test_an_article_url_with_a_page_parameter_is_still_the_article():
    page = parse_html_page(small_page(""), url=f"{SITE}/news/news_odkb/ambassador/?page=2")
    assert page.article is not None and page.article.title == TITLE


def test_an_item_url_that_names_its_listing_page_is_not_a_listing():
    """``view.html?idx=8576&page=1``: the page number is where the reader came from."""
    page = parse_html_page(small_page(""), url=f"{SITE}/news/news_view.html?idx=8576&page=1")
    assert page.article is not None and page.article.title == TITLE
