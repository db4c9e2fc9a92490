"""Small synthetic news sites in the common families of article URLs, for learning which links
are articles (extraction.url_learning) on URL schemes nobody tuned it to.

Each family spells its articles, sections and pager its own way, as the CMS it stands for
does: WordPress ``/2025/06/26/<slug>/``, Drupal ``/node/123``, ``/news/123-<slug>.html``, a
PHP ``/article.php?id=123`` and ASP.NET ``/News/View.aspx?ID=123&lang=en``. A listing page
has a menu of sections, cards (headline, date, excerpt, "Read more"), a pager, a "Popular"
sidebar and a footer; an article page has its title, date and text under the same chrome.
Stories are numbered: the tests learn from one set of stories and check the rule on others.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass

from tests.support.mirror import Page, Resource

SUBJECTS = ("Ministers", "The council", "Border guards", "Delegates", "Experts", "Veterans", "Cadets")
ACTIONS = ("discuss", "review", "sign", "prepare", "approve", "debate", "announce")
OBJECTS = ("a joint exercise", "the annual budget", "new training rules", "a water treaty", "rail links")
SECTIONS = ("politics", "economy", "security", "culture")


@dataclass(frozen=True)
class Story:
    number: int
    title: str
    published: dt.date

    @property
    def slug(self) -> str:
        return "-".join(self.title.casefold().split())


def story(number: int, first_day: dt.date = dt.date(2025, 6, 26)) -> Story:
    """Story ``number``: its title and day follow from its number alone."""
    title = (
        f"{SUBJECTS[number % len(SUBJECTS)]} {ACTIONS[number // 3 % len(ACTIONS)]} "
        f"{OBJECTS[number % len(OBJECTS)]} at meeting {number} of the year"
    )
    return Story(number, title, first_day - dt.timedelta(days=number % 40))


@dataclass(frozen=True)
class Family:
    """How one kind of site writes its URLs (paths with their query)."""

    name: str
    article: Callable[[Story], str]
    section: Callable[[int, str], str]
    """The listing of section ``index`` named ``name``."""
    page: Callable[[int], str]
    """Page ``n`` (from 2) of the news listing."""
    listing: str
    """The news listing's first page."""


FAMILIES = (
    Family(
        "wordpress",
        lambda s: f"/{s.published:%Y/%m/%d}/{s.slug}/",
        lambda i, name: f"/category/{name}/",
        lambda n: f"/page/{n}/",
        "/",
    ),
    Family("drupal", lambda s: f"/node/{s.number}", lambda i, name: f"/taxonomy/term/{i + 3}", lambda n: f"/news?page={n - 1}", "/news"),
    Family(
        "id-slug-html",
        lambda s: f"/news/{s.number}-{s.slug}.html",
        lambda i, name: f"/news/{name}.html",
        lambda n: f"/news/?page={n}",
        "/news/",
    ),
    Family(
        "php-query",
        lambda s: f"/article.php?id={s.number}",
        lambda i, name: f"/section.php?cat={i + 1}",
        lambda n: f"/index.php?page={n}",
        "/index.php",
    ),
    Family(
        "aspnet",
        lambda s: f"/News/View.aspx?ID={s.number}&lang=en",
        lambda i, name: f"/News/List.aspx?cat={i + 1}&lang=en",
        lambda n: f"/News/List.aspx?page={n}",
        "/News/List.aspx",
    ),
)  # fmt: skip


def chrome_urls(family: Family) -> list[str]:
    """Every link of the site's chrome: what must never be taken for an article."""
    sections = [family.section(i, name) for i, name in enumerate(SECTIONS)]
    return [family.listing, *sections, *(family.page(n) for n in (2, 3)), "/about/", "/contact/",
            "/privacy-policy/", "/terms-of-use/"]  # fmt: skip


def listing_page(family: Family, stories: list[Story], *, page: int = 1, pages: int = 3) -> str:
    cards = "".join(
        f'<article class="card"><h2><a href="{_attr(family.article(s))}">{html.escape(s.title)}</a></h2>'
        f"<time>{s.published:%B %d, %Y}</time><p>{html.escape(_excerpt(s))}</p>"
        f'<a href="{_attr(family.article(s))}">Read more</a></article>\n'
        for s in stories
    )
    pager = "".join(
        f'<a href="{_attr(family.page(n) if n > 1 else family.listing)}">{n}</a> '
        for n in range(1, pages + 1)
        if n != page
    )
    if page < pages:
        pager += f'<a href="{_attr(family.page(page + 1))}">Next</a>'
    main = f"<h1>Latest news</h1>\n{cards}<nav class='pager'>{pager}</nav>"
    return _document(family, "Latest news", main, stories[:3])


def article_page(family: Family, item: Story, popular: list[Story]) -> str:
    main = (
        f"<article><h1>{html.escape(item.title)}</h1><time>{item.published:%B %d, %Y}</time>"
        f"<p>{html.escape(_excerpt(item))}</p><p>{html.escape(_second_paragraph(item))}</p></article>"
    )
    return _document(family, item.title, main, popular)


def _document(family: Family, title: str, main: str, popular: list[Story]) -> str:
    menu = "".join(
        f'<li><a href="{_attr(family.section(i, name))}">{name.title()}</a></li>'
        for i, name in enumerate(SECTIONS)
    )
    sidebar = "".join(
        f'<li><a href="{_attr(family.article(s))}">{html.escape(s.title)}</a></li>' for s in popular
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} - Example News</title></head>
<body><header><a href="/">Example News</a><nav><ul><li><a href="{_attr(family.listing)}">News</a></li>{menu}
<li><a href="/about/">About us</a></li><li><a href="/contact/">Contact</a></li></ul></nav></header>
<main>{main}</main>
<aside><h3>Popular</h3><ul>{sidebar}</ul></aside>
<footer><a href="/privacy-policy/">Privacy policy</a> <a href="/terms-of-use/">Terms of use</a></footer>
</body></html>
"""


def _excerpt(item: Story) -> str:
    return f"{item.title} was the subject of talks held on {item.published:%d %B %Y} by the delegations."


def _second_paragraph(item: Story) -> str:
    return f"The parties agreed to meet again, and round {item.number + 1} is planned for the autumn."


def _attr(url: str) -> str:
    return html.escape(url, quote=True)


class FamilySite:
    """A site of ``family`` holding ``count`` stories, five to a listing page, for the loopback
    server (:class:`tests.support.loopback.LoopbackServer`)."""

    PER_PAGE = 5

    def __init__(self, family: Family, count: int) -> None:
        self.family = family
        self.stories = [story(number) for number in range(100, 100 + count)]
        self._modified = dt.datetime(2025, 6, 26, tzinfo=dt.UTC)

    @property
    def pages(self) -> int:
        return -(-len(self.stories) // self.PER_PAGE)

    def resource(self, target: str) -> Resource | None:
        for number in range(1, self.pages + 1):
            if target == (self.family.listing if number == 1 else self.family.page(number)):
                chunk = self.stories[(number - 1) * self.PER_PAGE : number * self.PER_PAGE]
                return self._page(listing_page(self.family, chunk, page=number, pages=self.pages))
        for item in self.stories:
            if target.rstrip("/") == self.family.article(item).rstrip("/"):
                return self._page(article_page(self.family, item, self.stories[:3]))
        return None

    def _page(self, text: str) -> Page:
        return Page(text.encode("utf-8"), self._modified)
