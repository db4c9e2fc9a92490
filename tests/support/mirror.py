"""A synthetic mirror of en.odkb-csto.org, for the crawler's tests and the benchmarks.

The live site's HTML is unknown to us (docs/architecture.md, "The pages": only its visible text is), so this mirror
is a plausible guess, not the site's markup: listing pages of news cards with Bitrix-style
pagination (``?PAGEN_1=K``, "Next"), article pages with a main menu, a sidebar of linked
teasers, the article and a footer, and a ``robots.txt``. Its visible text follows the seeds:
a ``dd.mm.yyyy`` line before each teaser (newer layout) or teasers two blank lines apart
with the date in their prose (older layout); a title repeated with `` dd.mm.yyyy``; body
paragraphs recombined from seed sentences; a signature; "Go back" / "Back to the section" /
"Back to the all news". Nothing in the crawler may depend on its markup.

What the crawler must *not* do is in here too: a ``/news/closed/`` section that robots.txt
disallows (linked from the menu and from some articles), links to another host, and an old
address that redirects to another host.

The mirror is deterministic and generated lazily (a 20,000-article mirror costs no memory
until a page is asked for). Article ``i`` is the same in every mirror that has it, and newer
articles have larger ``i``, so ``build_mirror(n + 1)`` is the site after it published one
more article: the listings shift and every sidebar shows the newcomer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

SECTION_ROOT = "/news/"
DOCUMENTS = "/documents/documents_odkb/"
CLOSED = "/news/closed/"
DEFAULT_OFFSITE = "https://offsite.example"
DEFAULT_ARTICLES = 12
DEFAULT_PER_PAGE = 5
SIDEBAR_TEASERS = 5
ARTICLES_PER_DAY = 3
FIRST_DAY = dt.date(2015, 1, 12)
HTML_TYPE = "text/html; charset=UTF-8"
ROBOTS_TXT = f"User-agent: *\nDisallow: {CLOSED}\nDisallow: /search/\n"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Page:
    """A page the server answers with 200 (and, given its validators, 304)."""

    body: bytes
    last_modified: dt.datetime
    content_type: str = HTML_TYPE


@dataclass(frozen=True)
class Redirect:
    location: str
    status: int = 301


Resource = Page | Redirect


@dataclass(frozen=True)
class Topic:
    """One kind of news item, phrased as the seeds phrase it."""

    title: str
    lead: str
    section: str = "news_odkb"


TOPICS = (
    Topic(
        "An international conference on combating terrorism and extremism was held in {city}",
        "On {date}, in {city}, an international conference on combating terrorism and "
        "extremism was held. The event was organized by the CSTO Secretariat and the "
        "Anti-Terrorist Centre of the CIS member states.",
    ),
    Topic(
        "The CSTO Secretary General met with the Minister of Foreign Affairs of {country}",
        "The CSTO Secretary General Imangali Tasmagambetov met with the Minister of Foreign "
        "Affairs of {country} in {city} on {date}.",
    ),
    Topic(
        "The CAR CRDF began the next phase of the training near {city}",
        "On {date}, as part of a joint training with the Collective Rapid Deployment Forces "
        "of the Central Asian region near {city}, the CAR CRDF began the tasks of the next "
        "phase, blocking and destroying illegal armed groups.",
        "training",
    ),
    Topic(
        "A regular Coordination Meeting of Chief Narcologists was held in {city}",
        "Within the framework of the chairmanship of {country} in the Collective Security "
        "Treaty Organization, a regular Coordination Meeting of Chief Narcologists of the "
        "CSTO member states was held in {city} on {date}.",
    ),
    Topic(
        "The CSTO Secretariat hosted an educational seminar on Eurasian security",
        "On {date}, the CSTO Secretariat hosted an educational seminar on the theme: "
        '"Topical issues of Eurasian security", attended by experts and students from '
        "{country}.",
    ),
    Topic(
        "Preliminary results of the sub-regional anti-drug operation in {country} are summarized",
        "On {date}, in {city}, a meeting of the International Coordination Staff summarized "
        'the preliminary results of the sub-regional anti-drug operation "Channel" in '
        "{country}.",
    ),
    Topic(
        "Special forces units conducted an anti-terrorist operation near {city}",
        "On {date}, near {city}, the special forces units of the CSTO Collective Rapid "
        "Reaction Forces practiced the release of hostages and the neutralization of "
        "terrorists in buildings and transport facilities.",
        "training",
    ),
    Topic(
        "A regular meeting of the CSTO Council of Foreign Ministers was held in {city}",
        "On {date}, a regular meeting of the CSTO Council of Foreign Ministers was held in "
        "{city} under the chairmanship of {country}, attended by the Organization's "
        "Secretary General Imangali Tasmagambetov.",
    ),
)

PLACES = (
    ("Minsk", "the Republic of Belarus"),
    ("Bishkek", "the Kyrgyz Republic"),
    ("Astana", "the Republic of Kazakhstan"),
    ("Dushanbe", "the Republic of Tajikistan"),
    ("Moscow", "the Russian Federation"),
    ("Cholpon-Ata", "the Kyrgyz Republic"),
    ("Brest", "the Republic of Belarus"),
    ("Osh", "the Kyrgyz Republic"),
    ("Yerevan", "the Republic of Armenia"),
)

PARAGRAPHS = (
    "Military contingents of the member states of the Central Asian region and task forces "
    "of the CSTO Joint Staff and the CSTO Secretariat are taking part in the practical "
    "operations.",
    "The parties exchanged views on the forthcoming events planned within the framework of "
    "the chairmanship of the CSTO this year.",
    "The International Coordination Staff conducted an in-depth analysis of the drug "
    "situation in the CSTO member States, ensured coordination between national staffs and "
    "the rapid exchange of relevant information.",
    "Representatives of the press services of the defense departments and mass media of the "
    "CSTO member states took part in the event via videoconferencing.",
    "The total number of training participants will be about 1,000 people and more than 300 "
    "pieces of military and special equipment, including aircraft, helicopters and strike "
    "drones.",
    "The idea of the training was to prevent a sabotage and terrorist threat at a critical facility.",
    "In the course of the operation, the controlled delivery method was actively used to "
    "uncover all the details of the drug smugglers' illegal activities.",
    "The law enforcement agencies of the CSTO member States implemented comprehensive "
    "measures to prevent drug traffickers from using modern information communication "
    "technologies in the interests of the drug business.",
    "I am convinced that today's debate will contribute to the development of new, "
    "additional mechanisms for cooperation in the Eurasian security space.",
    "The measures taken have had a significant preventive effect.",
)

SIGNATURES = {
    "news_odkb": "CSTO Press Secretary Vladimir Zaynetdinov",
    "training": "Joint press center of the CSTO trainings",
}
SECTION_NAMES = {"news_odkb": "CSTO news", "training": "Trainings", "closed": "For members"}


@dataclass(frozen=True)
class MirrorArticle:
    """One news item of the mirror; ``index`` grows with its publication."""

    index: int
    path: str
    title: str
    published: dt.date
    lead: str
    paragraphs: tuple[str, ...]
    section: str

    @property
    def date_line(self) -> str:
        return self.published.strftime("%d.%m.%Y")


def article(index: int) -> MirrorArticle:
    """Article ``index`` of every mirror: its text, date and address depend on nothing else."""
    topic = TOPICS[index % len(TOPICS)]
    city, country = PLACES[(index // len(TOPICS)) % len(PLACES)]
    published = FIRST_DAY + dt.timedelta(days=index // ARTICLES_PER_DAY)
    date = f"{published.day} {MONTHS[published.month - 1]} {published.year}"
    title = topic.title.format(city=city, country=country)
    body = tuple(PARAGRAPHS[(index * 3 + k) % len(PARAGRAPHS)] for k in range(3))
    return MirrorArticle(
        index=index,
        path=f"/news/{topic.section}/{_slug(title)}-{index}/",
        title=title,
        published=published,
        lead=topic.lead.format(city=city, country=country, date=date),
        paragraphs=body,
        section=topic.section,
    )


def _slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:60].rstrip("-")


def build_mirror(
    articles: int = DEFAULT_ARTICLES,
    *,
    per_page: int = DEFAULT_PER_PAGE,
    offsite_origin: str = DEFAULT_OFFSITE,
) -> Mirror:
    """The mirror of a site that has published ``articles`` news items so far."""
    return Mirror(articles, per_page, offsite_origin.rstrip("/"))


class Mirror:
    """The site's pages by request target (path and query), rendered when asked for."""

    def __init__(self, count: int, per_page: int, offsite_origin: str) -> None:
        self.count = count
        self.per_page = per_page
        self.offsite = offsite_origin

    # -- what the site holds ------------------------------------------------------------

    @cached_property
    def news(self) -> tuple[MirrorArticle, ...]:
        """Every news item, newest first (as the listings show them)."""
        return tuple(article(index) for index in reversed(range(self.count)))

    @cached_property
    def documents(self) -> dict[str, MirrorArticle]:
        """Document pages, by path; one in ten articles links one from its text."""
        return {_document_path(item): item for item in self.news if item.index % 10 == 5}

    @property
    def article_paths(self) -> list[str]:
        """Every page a polite crawler from ``/news/`` should fetch as an article."""
        return [item.path for item in self.news] + list(self.documents)

    @property
    def disallowed_paths(self) -> list[str]:
        """Linked pages that robots.txt forbids."""
        return [CLOSED] + [_closed_path(item) for item in self.news if item.index % 10 == 7]

    @property
    def redirect_paths(self) -> list[str]:
        """Old addresses that now redirect to another host."""
        return [_old_path(item) for item in self.news if item.index % 10 == 4]

    def listing_paths(self, section: str = SECTION_ROOT) -> list[str]:
        pages = max(1, -(-len(self._listed(section)) // self.per_page))
        return [_page_target(section, number) for number in range(1, pages + 1)]

    @property
    def sections(self) -> list[str]:
        return [SECTION_ROOT] + [f"/news/{name}/" for name in ("news_odkb", "training")]

    def targets(self) -> Iterator[str]:
        """Every request target the site answers (for writing the mirror out)."""
        yield "/robots.txt"
        for section in self.sections:
            yield from self.listing_paths(section)
        yield from self.article_paths
        yield from self.disallowed_paths
        yield from self.redirect_paths

    # -- answering a request ------------------------------------------------------------

    def resource(self, target: str) -> Resource | None:
        """What the site answers for ``target`` (``/news/?PAGEN_1=2``); None: 404."""
        if target == "/robots.txt":
            return Page(ROBOTS_TXT.encode(), _noon(FIRST_DAY), "text/plain; charset=UTF-8")
        path, _, query = target.partition("?")
        if path in self.sections:
            return self._listing(path, query)
        render = self._renderers.get(path)
        return render() if render else None

    @cached_property
    def _renderers(self) -> dict[str, Callable[[], Resource]]:
        """How to answer each path that is not a listing (pages are rendered on demand)."""
        pages: dict[str, Callable[[], Resource]] = {CLOSED: partial(self._closed_page, None)}
        for item in self.news:
            pages[item.path] = partial(self._article_page, item)
            if item.index % 10 == 4:
                location = f"{self.offsite}/news/news_odkb/moved-{item.index}/"
                pages[_old_path(item)] = partial(Redirect, location)
            if item.index % 10 == 7:
                pages[_closed_path(item)] = partial(self._closed_page, item)
        for path, item in self.documents.items():
            pages[path] = partial(self._document_page, item)
        return pages

    def _listed(self, section: str) -> tuple[MirrorArticle, ...]:
        return self._by_section.get(section, ())

    @cached_property
    def _by_section(self) -> dict[str, tuple[MirrorArticle, ...]]:
        """What each listing lists, newest first: everything, then each subsection."""
        listed = {SECTION_ROOT: self.news}
        for section in self.sections[1:]:
            listed[section] = tuple(item for item in self.news if f"/news/{item.section}/" == section)
        return listed

    def _listing(self, section: str, query: str) -> Page | None:
        match = re.fullmatch(r"PAGEN_1=(\d+)", query)
        if query and not match:
            return None
        number = int(match[1]) if match else 1
        pages = self.listing_paths(section)
        if not 1 <= number <= len(pages):
            return None
        listed = self._listed(section)[(number - 1) * self.per_page : number * self.per_page]
        cards = "\n".join(_card(item) for item in listed)
        content = f'<div class="news-list">\n{cards}\n</div>\n{_pager(section, number, len(pages))}'
        newest = listed[0].published if listed else FIRST_DAY
        return self._page(_breadcrumb(section), content, title="News", modified=newest)

    def _sidebar(self, older_layout: bool) -> str:
        teasers = self.news[:SIDEBAR_TEASERS]
        cards = "\n".join(_teaser(item, dated=not older_layout) for item in teasers)
        return f'<aside class="news-last">\n{cards}\n</aside>'

    def _article_page(self, item: MirrorArticle) -> Page:
        paragraphs = [item.lead, *item.paragraphs]
        extra = self._extra_links(item)
        body = "\n".join(f"<p>{_text(text)}</p>" for text in paragraphs)
        text = (
            f"<h1>{_text(item.title)}</h1>\n<p>{_text(item.title)} {item.date_line}</p>\n"
            f'<div class="news-detail__text">\n{body}\n{extra}</div>\n'
            f"<p>{_text(SIGNATURES[item.section])}</p>\n{_back_links(f'/news/{item.section}/')}"
        )
        content = f"{self._sidebar(older_layout=item.index % 2 == 1)}\n<article>\n{text}\n</article>"
        return self._page(
            _breadcrumb(f"/news/{item.section}/"),
            content,
            title=item.title,
            modified=max(item.published, self.news[0].published),
            canonical=item.path,
        )

    def _extra_links(self, item: MirrorArticle) -> str:
        """Links in the text that the crawler must treat with care (see the module doc)."""
        links = []
        if item.index % 10 == 5:
            links.append((_document_path(item), "The text of the decision"))
        if item.index % 10 == 7:
            links.append((_closed_path(item), "Briefing materials for the member states"))
        if item.index % 10 == 4:
            links.append((_old_path(item), "The previous report on this subject"))
        if item.index % 10 == 2:
            links.append((f"{self.offsite}/news/news_odkb/source-{item.index}/", "Source"))
        return "".join(f'<p><a href="{href}">{_text(label)}</a></p>\n' for href, label in links)

    def _document_page(self, item: MirrorArticle) -> Page:
        title = f"DECISION of the Collective Security Council No. {item.index}"
        text = (
            f"<h1>{_text(title)}</h1>\n<p>{item.date_line} "
            f'<a href="/upload/documents/decision_{item.index}.docx">Download document '
            f"Decision_{item.index}.docx</a></p>\n<p>{_text(item.paragraphs[0])}</p>\n"
            f"{_back_links(DOCUMENTS)}"
        )
        content = f"{self._sidebar(older_layout=False)}\n<article>\n{text}\n</article>"
        return self._page(
            _breadcrumb(DOCUMENTS),
            content,
            title=title,
            modified=max(item.published, self.news[0].published),
            canonical=_document_path(item),
        )

    def _closed_page(self, item: MirrorArticle | None) -> Page:
        text = "Materials for the member states" if item is None else f"Briefing {item.index}"
        content = f"<article>\n<h1>{text}</h1>\n<p>For the delegations only.</p>\n</article>"
        return self._page(_breadcrumb(CLOSED), content, title=text, modified=FIRST_DAY)

    def _page(
        self,
        breadcrumb: str,
        content: str,
        *,
        title: str,
        modified: dt.date,
        canonical: str | None = None,
    ) -> Page:
        link = f'<link rel="canonical" href="{canonical}">\n' if canonical else ""
        document = (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="UTF-8">\n'
            f"<title>{_text(title)} | CSTO</title>\n{link}</head>\n<body>\n"
            f'<header><a href="/">Collective Security Treaty Organization</a>\n{MENU}</header>\n'
            f"{breadcrumb}\n<main>\n{content}\n</main>\n{_footer(self.offsite)}\n"
            "</body>\n</html>\n"
        )
        return Page(document.encode("utf-8"), _noon(modified))

    # -- writing the mirror out ---------------------------------------------------------

    def write(self, directory: Path) -> list[Path]:
        """Write every page as a file (``news/index@PAGEN_1=2.html``) for people to read."""
        written = []
        for target in self.targets():
            resource = self.resource(target)
            path = directory / _file_name(target, resource)
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(resource, Redirect):
                path.write_text(f"{resource.status} {resource.location}\n", encoding="utf-8")
            else:
                path.write_bytes(resource.body)
            written.append(path)
        return written


# -- paths ---------------------------------------------------------------------------------


def _page_target(section: str, number: int) -> str:
    return section if number == 1 else f"{section}?PAGEN_1={number}"


def _document_path(item: MirrorArticle) -> str:
    return f"{DOCUMENTS}decision-of-the-collective-security-council-{item.index}/"


def _closed_path(item: MirrorArticle) -> str:
    return f"{CLOSED}briefing-{item.index}/"


def _old_path(item: MirrorArticle) -> str:
    return f"/news/news_odkb/old-address-{item.index}/"


def _file_name(target: str, resource: Resource) -> str:
    """``/news/?PAGEN_1=2`` -> ``news/index@PAGEN_1=2.html``; a redirect -> ``….redirect``."""
    path, _, query = target.partition("?")
    name = path.lstrip("/") + ("index" if path.endswith("/") else "")
    name += f"@{query}" if query else ""
    if isinstance(resource, Redirect):
        return name + ".redirect"
    return name if "." in name.rsplit("/", 1)[-1] else name + ".html"


# -- markup --------------------------------------------------------------------------------


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _card(item: MirrorArticle) -> str:
    """A listing card: the newer sidebar layout, a date line and the linked lead."""
    return _teaser(item, dated=True)


def _teaser(item: MirrorArticle, *, dated: bool) -> str:
    date = f'<div class="date">{item.date_line}</div>' if dated else ""
    return f'<div class="item">{date}<p><a href="{item.path}">{_text(item.lead)}</a></p></div>'


def _pager(section: str, number: int, pages: int) -> str:
    """Bitrix's pager: Begin, Prev, page numbers, Next, End (page 1 has no PAGEN)."""
    links = []
    if number > 1:
        links += [(1, "Begin"), (number - 1, "Prev")]
    for other in range(1, pages + 1):
        links.append((other, str(other)) if other != number else (None, str(other)))
    if number < pages:
        links += [(number + 1, "Next"), (pages, "End")]
    parts = [
        f'<a href="{_page_target(section, target)}">{label}</a>' if target else f"<b>{label}</b>"
        for target, label in links
    ]
    return f'<nav class="pager">Pages: {" | ".join(parts)}</nav>'


def _breadcrumb(section: str) -> str:
    name = SECTION_NAMES.get(section.strip("/").rsplit("/", 1)[-1], "Documents")
    trail = f' / <a href="{section}">{name}</a>' if section != SECTION_ROOT else ""
    return f'<nav class="breadcrumbs"><a href="/">Home</a> / <a href="/news/">News</a>{trail}</nav>'


def _back_links(root: str) -> str:
    return (
        '<p><a href="javascript:history.back()">Go back</a></p>\n'
        f'<p><a href="{root}">Back to the section</a></p>\n'
        '<p><a href="/news/">Back to the all news</a></p>'
    )


MENU = (
    '<nav class="main-menu"><ul>'
    '<li><a href="/">Home</a></li><li><a href="/news/">News</a></li>'
    '<li><a href="/news/news_odkb/">CSTO news</a></li>'
    '<li><a href="/news/training/">Trainings</a></li>'
    f'<li><a href="{CLOSED}">For members</a></li>'
    '<li><a href="/documents/">Documents</a></li>'
    '<li><a href="/search/?q=">Search</a></li></ul></nav>'
)


def _footer(offsite: str) -> str:
    return (
        "<footer><p>Collective Security Treaty Organization, Moscow</p>"
        f'<p><a href="{offsite}/">Partner organizations</a> | '
        f'<a href="{offsite}/news/news_odkb/partner-news/">Partner news</a> | '
        '<a href="mailto:press@example.org">Press office</a></p>'
        "<p>&copy; CSTO (synthetic mirror)</p></footer>"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic mirror as files.")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--per-page", type=int, default=DEFAULT_PER_PAGE)
    args = parser.parse_args(argv)
    written = build_mirror(args.articles, per_page=args.per_page).write(args.directory)
    print(f"wrote {len(written)} files to {args.directory}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
