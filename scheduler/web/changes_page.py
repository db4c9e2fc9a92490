"""The change log as an HTML page (``GET /changes``): newest first, with diffs, for people.

Everything on it comes from a site we do not control, so the page is built with MarkupSafe:
every value goes in through ``Markup.format``, which escapes it, and only this module's
own literals are markup. Scraped text is also passed through terminal.printable, so a bidi
override or a control character cannot disguise a title. Links go out only to http(s)
URLs (never ``javascript:``). The page has no script at all, and the server sends a
Content-Security-Policy that forbids one, should an escape ever be missed.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from feeds import SITES_DIRECTORY
from feeds.text import ENTRY_TEXT_LIMIT, capped
from scheduler.reports import printable
from scheduler.sites import WatchedSite
from storage.records import ChangeRecord

FEED_LINKS = (
    ("application/rss+xml", "News (RSS)", "feed.rss"),
    ("application/atom+xml", "News (Atom)", "feed.atom"),
    ("application/atom+xml", "Change log (Atom)", "changes.atom"),
)

STYLE = Markup("""
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:48rem;padding:0 1rem 3rem;color:#1b1b1b;background:#fff}
header{border-bottom:1px solid #ddd;margin-bottom:1rem}
h1{font-size:1.5rem;margin:1rem 0 .25rem}
h2{font-size:1.1rem;margin:.25rem 0;overflow-wrap:anywhere}
a{color:#0b57d0}
.change{border-bottom:1px solid #eee;padding:.75rem 0}
.meta{color:#555;font-size:.9rem;margin:0}
.kind{display:inline-block;border-radius:.25rem;padding:0 .4rem;font-weight:600;color:#fff}
.kind-new{background:#1a7f37}.kind-updated{background:#9a6700}.kind-removed{background:#cf222e}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem;background:#f6f8fa;
padding:.5rem;border-radius:.25rem;margin:.5rem 0 0}
.add{background:#dafbe1;display:block}.del{background:#ffebe9;display:block}
.hunk{color:#6e7781;display:block}
""")
SITES_STYLE = Markup("""nav{margin:0 0 .75rem}.site{font-weight:600}
""")

PAGE = Markup("""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{page_title}</title>
{feed_links}
<style>{style}</style>
</head>
<body>
<header>
<h1>{heading}</h1>
<p>What {what} published, edited or removed, newest first.
Subscribe: {subscribe} · <a href="{json}">JSON</a></p>{nav}
</header>
<main>
{body}
</main>
</body>
</html>
""")


def render_changes_page(
    changes: Sequence[ChangeRecord],
    total: int,
    site_url: str,
    *,
    sites: Sequence[WatchedSite] = (),
    chosen: WatchedSite | None = None,
) -> str:
    """The page for ``changes`` (newest first), of ``total`` changes recorded in all.

    With more than one of ``sites``, each change names its site and a line of links filters
    the page by site; with ``chosen`` (``/changes?site=NAME``), the page and its feed links
    are that site's. With one site and none chosen, the page is what it was before
    newswatch watched many sites.
    """
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
    if titles and not chosen:
        what = Markup("{} sites").format(len(sites))
    else:
        what = Markup('<a href="{}">{}</a>').format(home, home)
    return PAGE.format(
        page_title=f"newswatch: change log of {chosen.name}" if chosen else "newswatch: change log",
        heading=f"Change log: {chosen.feed_title}" if chosen else "Change log",
        what=what,
        json=json_link,
        nav=_site_links(sites, chosen) if titles else "",
        feed_links=feed_links,
        style=STYLE + SITES_STYLE if titles else STYLE,
        subscribe=subscribe,
        body=_body(changes, total, titles, json_link),
    )


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


def _body(changes: Sequence[ChangeRecord], total: int, titles: dict[str, str], json_link: str) -> Markup:
    if not changes:
        return Markup("<p>No changes recorded yet: the first crawl has not finished.</p>")
    items = Markup("\n").join(
        _change(change, titles.get(change.site, change.site) if titles else None) for change in changes
    )
    if total <= len(changes):
        return items
    note = Markup('<p>The newest {} of {} changes; all of them: <a href="{}">changes.json</a>.</p>')
    return note.format(len(changes), total, json_link) + items


def _change(change: ChangeRecord, site: str | None) -> Markup:
    """One change; ``site``: the title of its site, on a page of several sites."""
    return Markup(
        '<article class="change">\n'
        '<p class="meta">{site}<span class="kind kind-{kind}">{kind}</span> '
        '<time datetime="{at}">{when}</time>{published}{fields}</p>\n'
        "<h2>{title}</h2>{diff}\n"
        "</article>"
    ).format(
        site=Markup('<span class="site">{}</span> · ').format(printable(site)) if site else "",
        kind=change.kind,
        at=change.at.isoformat(),
        when=change.at.strftime("%Y-%m-%d %H:%M UTC"),
        published=f" · published {change.published.isoformat()}" if change.published else "",
        fields=f" · changed: {', '.join(change.fields)}"
        if change.kind == "updated" and change.fields
        else "",
        title=_title(change),
        diff=_diff(change.diff),
    )


def _title(change: ChangeRecord) -> Markup:
    text = printable(change.title).replace("\n", " ") or "(untitled)"
    if change.url and change.url.startswith(("http://", "https://")):
        return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(change.url, text)
    return Markup("{}").format(text)


def _diff(diff: str | None) -> Markup:
    """The diff, coloured by line; as in the feeds, at most ENTRY_TEXT_LIMIT characters of
    it (one huge page must not make the page of 200 changes huge)."""
    if not diff:
        return Markup("")
    kept, cut = capped(printable(diff))
    lines = Markup("").join(_diff_line(line) for line in kept.splitlines())
    rest = Markup("\n<p>… the diff goes on (cut at {} characters).</p>").format(ENTRY_TEXT_LIMIT)
    return Markup("\n<pre>{}</pre>{}").format(lines, rest if cut else "")


def _diff_line(line: str) -> Markup:
    if line.startswith(("---", "+++", "@@")):
        css = "hunk"
    elif line.startswith("+"):
        css = "add"
    elif line.startswith("-"):
        css = "del"
    else:
        return Markup("{}\n").format(line)
    return Markup('<span class="{}">{}</span>').format(css, line)
