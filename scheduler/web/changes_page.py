"""The change log as an HTML page (``GET /changes``): newest first, with diffs, for people.

A form (plain GET, no script) filters the log by kind and searches its titles and texts
(storage.change_log); the log comes 50 changes a page, ``?page=2`` the next fifty, and the
filters stay in the links between pages. With several sites watched, each change names its
site and a line of links filters the log by site (``?site=NAME``). Each change links to its entry's history
(scheduler.web.entry_page) and its title to the original article. Markup safety:
scheduler.web.html_parts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from feeds import SITES_DIRECTORY
from scheduler.sites import WatchedSite
from scheduler.web.entry_page import entry_href
from scheduler.web.html_parts import diff_block, html_page, moment, one_line, web_link
from storage.change_log import KINDS
from storage.records import ChangeRecord

PAGE_SIZE = 50
SEARCH_LIMIT = 200
"""Characters of a search: more is no search a person typed."""

FEED_LINKS = (
    ("application/rss+xml", "News (RSS)", "feed.rss"),
    ("application/atom+xml", "News (Atom)", "feed.atom"),
    ("application/feed+json", "News (JSON Feed)", "feed.json"),
    ("application/atom+xml", "Change log (Atom)", "changes.atom"),
)


@dataclass(frozen=True)
class ChangesQuery:
    """What a reader asked the page for: a kind (or all), words to search, a page number,
    a site (or all)."""

    kind: str = ""
    search: str = ""
    page: int = 1
    site: str = ""

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind,) if self.kind else ()

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    def link(self, page: int) -> str:
        """The address of another page of the same filtered log, relative to ``/changes``."""
        fields = (
            ("site", self.site),
            ("kind", self.kind),
            ("q", self.search),
            ("page", page if page > 1 else ""),
        )
        query = urlencode([(name, value) for name, value in fields if value])
        return f"changes?{query}" if query else "changes"


def changes_query(args: Mapping[str, str]) -> ChangesQuery:
    """The query of ``/changes?site=…&kind=…&q=…&page=…``; ValueError, saying why, for a bad
    one (a site's name is checked against the watched sites by the app)."""
    kind = args.get("kind", "").strip()
    if kind and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)} (or empty for all), not {kind[:40]!r}")
    search = " ".join(args.get("q", "").split())
    if len(search) > SEARCH_LIMIT:
        raise ValueError(f"a search is at most {SEARCH_LIMIT} characters")
    page_text = args.get("page", "1").strip() or "1"
    if not (page_text.isascii() and page_text.isdigit()) or not 1 <= int(page_text) <= 10**9:
        raise ValueError(f"page must be a whole number from 1, not {page_text[:40]!r}")
    return ChangesQuery(kind, search, int(page_text), args.get("site", "").strip())


def render_changes_page(
    changes: Sequence[ChangeRecord],
    matching: int,
    query: ChangesQuery,
    site_url: str,
    *,
    sites: Sequence[WatchedSite] = (),
    chosen: WatchedSite | None = None,
) -> str:
    """The page of ``changes`` (newest first): ``query``'s page of the ``matching`` changes.

    With more than one of ``sites``, each change names its site and a line of links filters
    the page by site; with ``chosen`` (``?site=NAME``), the page and its feed links are that
    site's. With one site and none chosen, the page is what it was before newswatch watched
    many sites."""
    titles = {site.name: site.feed_title for site in sites} if len(sites) > 1 else {}
    prefix = f"{SITES_DIRECTORY}/{chosen.name}/" if chosen else ""
    json_link = f"changes.json?site={chosen.name}" if chosen else "changes.json"
    feed_links = Markup("\n").join(
        Markup('<link rel="alternate" type="{}" title="{}" href="{}">').format(kind, title, prefix + href)
        for kind, title, href in FEED_LINKS
    )
    subscribe = Markup(" · ").join(
        Markup('<a href="{}">{}</a>').format(prefix + href, title) for _, title, href in FEED_LINKS
    )
    home = chosen.home_url if chosen else site_url
    what = (
        Markup("{} sites").format(len(sites))
        if titles and not chosen
        else Markup('<a href="{}">{}</a>').format(home, home)
    )
    header = Markup(
        "<h1>{heading}</h1>\n"
        "<p>What {what} published, edited or removed, newest first.\n"
        'Subscribe: {subscribe} · <a href="{json}">JSON</a></p>{nav}\n{form}'
    ).format(
        heading=f"Change log: {chosen.feed_title}" if chosen else "Change log",
        what=what,
        subscribe=subscribe,
        json=json_link,
        nav=_site_links(sites, chosen) if titles else "",
        form=_form(query),
    )
    title = f"newswatch: change log of {chosen.name}" if chosen else "newswatch: change log"
    return html_page(title, header, _body(changes, matching, query, titles), head=feed_links)


def _site_links(sites: Sequence[WatchedSite], chosen: WatchedSite | None) -> Markup:
    """The page of every site, of each site, and every feed at once (OPML)."""
    links = [Markup('<a href="changes">all</a>') if chosen else Markup("<strong>all</strong>")]
    for site in sites:
        if chosen and site.name == chosen.name:
            links.append(Markup("<strong>{}</strong>").format(site.feed_title))
        else:
            links.append(Markup('<a href="changes?site={}">{}</a>').format(site.name, site.feed_title))
    return Markup('\n<nav>Sites: {} · <a href="feeds.opml">every feed (OPML)</a></nav>').format(
        Markup(" · ").join(links)
    )


def _form(query: ChangesQuery) -> Markup:
    options = Markup("").join(
        Markup('<option value="{}"{}>{}</option>').format(
            kind, Markup(" selected") if kind == query.kind else "", label
        )
        for kind, label in (("", "all"), *((kind, kind) for kind in KINDS))
    )
    return Markup(
        '<form method="get" action="changes" role="search">\n'
        '<label>Search titles and text <input type="search" name="q" value="{}" maxlength="{}"></label>\n'
        '<label>Kind <select name="kind">{}</select></label>\n'
        "{}"
        '<button type="submit">Show</button>\n'
        "</form>"
    ).format(query.search, SEARCH_LIMIT, options, _site_field(query))


def _site_field(query: ChangesQuery) -> Markup:
    """A search within one site's log stays within it."""
    if not query.site:
        return Markup("")
    return Markup('<input type="hidden" name="site" value="{}">\n').format(query.site)


def _body(
    changes: Sequence[ChangeRecord], matching: int, query: ChangesQuery, titles: Mapping[str, str]
) -> Markup:
    pages = max(1, math.ceil(matching / PAGE_SIZE))
    if not changes:
        if query.page > pages:
            note = Markup('<p>There is no page {} of {}: <a href="{}">the first page</a>.</p>')
            return note.format(query.page, pages, query.link(1))
        if query.kind or query.search:
            return Markup('<p>No change matches. <a href="changes">The whole log</a>.</p>')
        return Markup("<p>No changes recorded yet: the first crawl has not finished.</p>")
    first = query.offset + 1
    summary = Markup('<p class="meta">Changes {} to {} of {}{}.</p>').format(
        first, query.offset + len(changes), matching, " matching" if query.kind or query.search else ""
    )
    items = Markup("\n").join(
        _change(change, titles.get(change.site, change.site) if titles else None) for change in changes
    )
    return summary + items + _pager(query, pages)


def _pager(query: ChangesQuery, pages: int) -> Markup:
    if pages == 1:
        return Markup("")
    newer = (
        Markup('<a rel="prev" href="{}">← newer</a>').format(query.link(query.page - 1))
        if query.page > 1
        else Markup("<span></span>")
    )
    older = (
        Markup('<a rel="next" href="{}">older →</a>').format(query.link(query.page + 1))
        if query.page < pages
        else Markup("<span></span>")
    )
    return Markup('<nav class="pages">{}<span>page {} of {}</span>{}</nav>').format(
        newer, query.page, pages, older
    )


def _change(change: ChangeRecord, site: str | None) -> Markup:
    """One change; ``site``: the title of its site, on a page of several sites."""
    return Markup(
        '<article class="change">\n'
        '<p class="meta">{site}<span class="kind kind-{kind}">{kind}</span> '
        '{when}{published}{fields} · <a class="history" href="{history}">history</a></p>\n'
        "<h2>{title}</h2>{diff}\n"
        "</article>"
    ).format(
        site=Markup('<span class="site">{}</span> · ').format(one_line(site)) if site else "",
        kind=change.kind,
        when=moment(change.at),
        published=f" · published {change.published.isoformat()}" if change.published else "",
        fields=f" · changed: {', '.join(change.fields)}"
        if change.kind == "updated" and change.fields
        else "",
        history=entry_href(change.entry_id),
        title=web_link(change.url, one_line(change.title) or "(untitled)"),
        diff=diff_block(change.diff),
    )
