"""The mirror's news served in five other markups: what a parser that must hold on pages it
has never seen is tested against.

:mod:`tests.support.mirror` guesses at one markup of the site. Real sites are built with a
handful of systems whose output is well known, so the same articles (the mirror's content
model: :func:`tests.support.mirror.article`, titles, dates, leads and paragraphs) are
rendered here the way those systems render them, chrome included:

* ``wordpress``: a classic theme with Yoast and Jetpack: "Skip to content", a primary menu,
  Yoast breadcrumbs, ``article.post`` with ``h1.entry-title`` and
  ``<time class="entry-date published">`` (plus ``time.updated``), a share bar, "Related
  posts", previous/next post navigation, a comment form; widgets (search, Recent Posts,
  Categories with counts, Archives); listings at ``/news/page/N/`` with "Older posts" /
  "Newer posts", category archives ``/news/category/<slug>/`` and a month archive
  ``/news/2015/01/`` (all shaped like article URLs).
* ``drupal``: Drupal 9 (Bartik) with a views page: "Skip to main content", "Main navigation",
  breadcrumb, ``views-row`` teasers, "Submitted by admin on Thu, 01/15/2015 - 12:00",
  ``?page=N`` counted from 0 with "Next page ››" / "Last »", article URLs without a
  trailing slash, a "Latest news" block, tags linking ``/taxonomy/term/N``.
* ``html5``: a hand-made site: a skip link, ``header``/``nav``/``main``/``aside``/``footer``,
  "Published: 15 January 2015" (no ``<time>``), ``<link rel="next">`` and a "Load more"
  link, ``?page=N`` counted from 1, a "Latest news" aside with dates, a newsletter form.
* ``legacy``: a 2000s table layout (Mambo/Joomla 1.0 style), served in windows-1251: nested
  tables, the menu in a left column, "Most read" module, title in ``td.contentheading``,
  ``dd.mm.yyyy`` dates and "Last Updated ( dd.mm.yyyy )", ``?start=K`` offsets with a pager
  "« ‹ 1 2 3 › »".
* ``bitrix``: 1C-Bitrix (the live site's system) with its stock ``news.list`` /
  ``news.detail`` templates: ``span.news-date-time`` with ``dd.mm.yyyy``, the title in an
  ``h3`` under the page's ``h1``, ``?PAGEN_1=N`` ("modern" pager), section listings
  ``/news/<section>/``, a "Latest news" sidebar.

Every page also has the site's menu ("Home About CSTO News Documents Staff Partner site"),
a footer and a cookie banner. The widgets are computed from what the site currently holds,
so an edit or a deletion (:meth:`MarkupSite.edit`, :meth:`MarkupSite.delete`) changes what
a CMS would change: the article itself, and the listings, sidebars, "Related posts", "Most
read" and post navigation of other pages.

A :class:`MarkupSite` answers ``resource(target)`` like a :class:`~tests.support.mirror.Mirror`,
so :class:`tests.support.loopback.LoopbackServer` serves it (validators, 304s, request log).
Serve one by hand: ``python -m tests.support.markups wordpress --port 8000``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import parse_qsl, quote

from tests.support.mirror import (
    MONTHS,
    SECTION_NAMES,
    SIGNATURES,
    MirrorArticle,
    Page,
    Redirect,
    Resource,
    build_mirror,
)

SITE_NAME = "Collective Security Treaty Organization"
PARTNER = "https://partner.example/"
NEWS = "/news/"
MENU = (
    ("Home", "/"),
    ("About CSTO", "/about/"),
    ("News", NEWS),
    ("Documents", "/documents/"),
    ("Staff", "/staff/"),
    ("Partner site", PARTNER),
)
PLAIN_PAGES = {
    "/": ("Collective Security Treaty Organization", "The official site of the Organization."),
    "/about/": (
        "About CSTO",
        "The Collective Security Treaty Organization is an intergovernmental military alliance.",
    ),
    "/documents/": ("Documents", "Charter, agreements and decisions of the Collective Security Council."),
    "/staff/": ("Staff", "The Secretariat and the Joint Staff of the Organization."),
}
EDIT_SENTENCE = " The work will continue."
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SECTION_TERMS = {"news_odkb": 3, "training": 4}
"""Drupal's taxonomy term id of each section."""
SHARE = ("Facebook", "X", "Telegram", "VK")


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def long_date(day: dt.date) -> str:
    """``15 January 2015``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def us_date(day: dt.date) -> str:
    """``January 15, 2015`` (WordPress's default date format)."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def dotted(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def drupal_date(day: dt.date) -> str:
    """Drupal's medium date: ``Thu, 01/15/2015 - 12:00``."""
    return f"{WEEKDAYS[day.weekday()]}, {day:%m/%d/%Y} - 12:00"


def excerpt(text: str, words: int) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words])


def paragraphs(item: MirrorArticle) -> list[str]:
    return [item.lead, *item.paragraphs]


class MarkupSite:
    """A site of ``articles`` mirror articles, rendered by ``markup``, that can change."""

    def __init__(self, markup: Markup, articles: int = 12, *, per_page: int = 5) -> None:
        self.markup = markup
        self.per_page = per_page
        self.published: tuple[MirrorArticle, ...] = build_mirror(articles).news
        """Every article the site ever published, newest first (the test's expectations)."""
        self._edited: dict[int, MirrorArticle] = {}
        self._deleted: set[int] = set()
        self.changed_at = dt.datetime(2015, 2, 1, 12, tzinfo=dt.UTC)
        """Last-Modified of every page: the site's last change (ETags tell pages apart)."""

    # -- what the site holds ------------------------------------------------------------

    @property
    def news(self) -> list[MirrorArticle]:
        """The articles online now, newest first, as edited."""
        return [
            self._edited.get(item.index, item) for item in self.published if item.index not in self._deleted
        ]

    def href(self, item: MirrorArticle) -> str:
        return self.markup.article_href(item)

    def edited(self, item: MirrorArticle) -> bool:
        return item.index in self._edited

    def section(self, name: str) -> list[MirrorArticle]:
        return [item for item in self.news if item.section == name]

    def pages(self, items: Sequence[MirrorArticle]) -> int:
        return max(1, -(-len(items) // self.per_page))

    # -- changing it --------------------------------------------------------------------

    def edit(self, item: MirrorArticle) -> MirrorArticle:
        """Add a sentence to the article's second paragraph (title and date unchanged)."""
        text = list(item.paragraphs)
        text[0] += EDIT_SENTENCE
        self._edited[item.index] = replace(item, paragraphs=tuple(text))
        self._touch()
        return self._edited[item.index]

    def delete(self, item: MirrorArticle) -> None:
        """Unpublish the article: 404, and gone from every listing and widget."""
        self._deleted.add(item.index)
        self._touch()

    def _touch(self) -> None:
        self.changed_at = max(self.changed_at + dt.timedelta(seconds=1), dt.datetime.now(dt.UTC))

    # -- answering ----------------------------------------------------------------------

    def resource(self, target: str) -> Resource | None:
        path, _, query = target.partition("?")
        markup = self.markup
        if target == "/robots.txt":
            return self._page(markup.robots, "text/plain; charset=UTF-8")
        for base, items in markup.listings(self).items():
            number = markup.listing_number(base, path, query, self.per_page)
            if number is not None:
                if not 1 <= number <= self.pages(items):
                    return None
                shown = items[(number - 1) * self.per_page : number * self.per_page]
                return self._page(markup.listing_page(self, base, number, shown, self.pages(items)))
        for item in self.news:
            if self.href(item).rstrip("/") == path.rstrip("/"):
                if query:
                    return markup.article_action(self, item, query)
                return self._page(markup.article_page(self, item))
        if query:
            return None
        if path in PLAIN_PAGES:
            return self._page(markup.plain_page(self, *PLAIN_PAGES[path]))
        return None

    def _page(self, text: str, content_type: str | None = None) -> Page:
        charset = self.markup.charset
        return Page(
            text.encode(charset),
            self.changed_at,
            content_type or f"text/html; charset={charset}",
        )


class Markup:
    """How one family of systems renders the site. Subclasses fill in the templates."""

    name = ""
    charset = "utf-8"
    robots = "User-agent: *\nDisallow:\n"
    chrome: tuple[str, ...] = ()
    """Text of the markup's chrome (skip link, menu, widgets, share bar, footer, cookie
    banner) that is on every article page and must never be read as the article's text."""

    def article_href(self, item: MirrorArticle) -> str:
        return item.path

    def listings(self, site: MarkupSite) -> dict[str, list[MirrorArticle]]:
        """Each listing the site has (its base path) and what it lists, newest first."""
        return {NEWS: site.news}

    def listing_number(self, base: str, path: str, query: str, per_page: int) -> int | None:
        """Which page of listing ``base`` a request asks for; None: not that listing."""
        raise NotImplementedError

    def listing_page(
        self, site: MarkupSite, base: str, number: int, items: Sequence[MirrorArticle], pages: int
    ) -> str:
        raise NotImplementedError

    def article_page(self, site: MarkupSite, item: MirrorArticle) -> str:
        raise NotImplementedError

    def plain_page(self, site: MarkupSite, title: str, text: str) -> str:
        raise NotImplementedError

    def article_action(self, site: MarkupSite, item: MirrorArticle, query: str) -> Resource | None:
        """What an article's URL with a query answers (a share button's link); None: 404."""
        return None


def _query_page(base: str, path: str, query: str, name: str) -> int | None:
    """``base`` itself (None when the query is something else) or ``base?name=K``: K, or None."""
    if path.rstrip("/") != base.rstrip("/"):
        return None
    if not query:
        return -1
    values = dict(parse_qsl(query))
    value = values.get(name, "")
    if len(values) != 1 or not value.isdigit():
        return None
    return int(value)


# -- WordPress ------------------------------------------------------------------------------


class WordPress(Markup):
    name = "wordpress"
    chrome = (
        "Skip to content",
        "About CSTO",
        "Partner site",
        "cookies",
        "Recent Posts",
        "Related",
        "Share this",
        "Post navigation",
        "Leave a comment",
        "Proudly powered by",
    )
    robots = "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"

    def listings(self, site):
        listed = {NEWS: site.news}
        for section in SECTION_NAMES:
            if section != "closed":
                listed[f"{NEWS}category/{section}/"] = site.section(section)
        for month in sorted({(item.published.year, item.published.month) for item in site.news}):
            listed[f"{NEWS}{month[0]}/{month[1]:02d}/"] = [
                item for item in site.news if (item.published.year, item.published.month) == month
            ]
        return listed

    def listing_target(self, base, number):
        return base if number == 1 else f"{base}page/{number}/"

    def listing_number(self, base, path, query, per_page):
        match = re.fullmatch(re.escape(base) + r"(?:page/(\d+)/)?", path)
        if not match or query:
            return None
        return int(match[1]) if match[1] else 1

    def _document(self, site, *, title, body_class, main, meta="") -> str:
        menu = "".join(
            f'<li id="menu-item-{n}" class="menu-item menu-item-type-custom menu-item-{n}">'
            f'<a href="{attr(href)}">{esc(label)}</a></li>'
            for n, (label, href) in enumerate(MENU, start=20)
        )
        recent = "".join(f'<li><a href="{attr(site.href(i))}">{esc(i.title)}</a></li>' for i in site.news[:5])
        categories = "".join(
            f'<li class="cat-item cat-item-{SECTION_TERMS[s]}"><a href="{NEWS}category/{s}/">'
            f"{esc(SECTION_NAMES[s])}</a> ({len(site.section(s))})</li>"
            for s in SECTION_TERMS
        )
        months = sorted({(i.published.year, i.published.month) for i in site.news}, reverse=True)
        archives = "".join(
            f"<li><a href='{NEWS}{y}/{m:02d}/'>{MONTHS[m - 1]} {y}</a></li>" for y, m in months
        )
        return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name='robots' content='index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1' />
<title>{esc(title)} &#8211; CSTO</title>
{meta}<link rel='stylesheet' id='wp-block-library-css' href='/wp-includes/css/dist/block-library/style.min.css?ver=6.5.3' media='all' />
<link rel='stylesheet' id='twentytwentyone-style-css' href='/wp-content/themes/twentytwentyone/style.css?ver=2.2' media='all' />
<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<meta name="generator" content="WordPress 6.5.3" />
</head>
<body class="{body_class} wp-embed-responsive is-light-theme has-main-navigation">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header has-title-and-tagline has-menu">
<div class="site-branding">
<p class="site-title"><a href="/" rel="home">{SITE_NAME}</a></p>
<p class="site-description">Official news of the CSTO</p>
</div>
<nav id="site-navigation" class="primary-navigation" aria-label="Primary menu">
<div class="menu-button-container"><button id="primary-mobile-menu" class="button" aria-controls="primary-menu-list" aria-expanded="false"><span class="dropdown-icon open">Menu</span><span class="dropdown-icon close">Close</span></button></div>
<div class="primary-menu-container"><ul id="primary-menu-list" class="menu-wrapper">{menu}</ul></div>
</nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<main id="main" class="site-main">
{main}
</main>
</div>
<aside id="secondary" class="widget-area" aria-label="Sidebar">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="/"><label for="search-form-1">Search&hellip;</label><input type="search" id="search-form-1" class="search-field" value="" name="s" /><input type="submit" class="search-submit" value="Search" /></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><nav aria-label="Recent Posts"><ul>{recent}</ul></nav></section>
<section id="categories-2" class="widget widget_categories"><h2 class="widget-title">Categories</h2><ul>{categories}</ul></section>
<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>{archives}</ul></section>
</aside>
</div>
<footer id="colophon" class="site-footer">
<div class="site-info">
<div class="site-name"><a href="/">{SITE_NAME}</a></div>
<div class="privacy-policy"><a class="privacy-policy-link" href="/privacy-policy/">Privacy Policy</a></div>
<div class="powered-by">Proudly powered by <a href="https://wordpress.org/">WordPress</a>.</div>
</div>
</footer>
</div>
<div id="cookie-notice" role="dialog" class="cookie-notice-hidden cookie-revoke-hidden cn-position-bottom" aria-label="Cookie Notice"><div class="cookie-notice-container"><span id="cn-notice-text" class="cn-text-container">We use cookies to ensure that we give you the best experience on our website. If you continue to use this site we will assume that you are happy with it.</span><span id="cn-notice-buttons" class="cn-buttons-container"><a href="#" id="cn-accept-cookie" data-cookie-set="accept" class="cn-set-cookie cn-button" aria-label="Ok">Ok</a><a href="/privacy-policy/" target="_blank" id="cn-more-info" class="cn-more-info cn-button" aria-label="Privacy policy">Privacy policy</a></span></div></div>
<script src="/wp-content/plugins/jetpack/_inc/build/sharedaddy/sharing.min.js?ver=13.4" id="sharing-js-js"></script>
</body>
</html>
"""

    @staticmethod
    def _breadcrumbs(*trail: tuple[str, str | None]) -> str:
        parts = [
            f'<span><a href="{attr(href)}">{esc(label)}</a></span>'
            if href
            else f'<span class="breadcrumb_last" aria-current="page">{esc(label)}</span>'
            for label, href in trail
        ]
        return f'<p id="breadcrumbs"><span>{" » ".join(parts)}</span></p>'

    @staticmethod
    def _time(day: dt.date, css: str) -> str:
        return f'<time class="{css}" datetime="{day.isoformat()}T12:00:00+00:00">{us_date(day)}</time>'

    def listing_page(self, site, base, number, items, pages):
        title = "News"
        if "/category/" in base:
            title = SECTION_NAMES[base.rstrip("/").rsplit("/", 1)[-1]]
        elif base != NEWS:
            year, month = base.strip("/").split("/")[1:]
            title = f"{MONTHS[int(month) - 1]} {year}"
        posts = []
        for item in items:
            href = attr(site.href(item))
            posts.append(
                f'<article id="post-{item.index}" class="post-{item.index} post type-post status-publish '
                f'format-standard hentry category-{item.section} entry">\n'
                f'<header class="entry-header"><h2 class="entry-title default-max-width">'
                f'<a href="{href}" rel="bookmark">{esc(item.title)}</a></h2></header>\n'
                f'<div class="entry-content"><p>{esc(excerpt(item.lead, 25))} [&hellip;]</p>\n'
                f'<div class="more-link-container"><a class="more-link" href="{href}">Continue reading'
                f'<span class="screen-reader-text">{esc(item.title)}</span></a></div></div>\n'
                f'<footer class="entry-footer default-max-width"><span class="posted-on">Published '
                f"{self._time(item.published, 'entry-date published updated')}</span>"
                f'<div class="post-taxonomies"><span class="cat-links">Categorized as '
                f'<a href="{NEWS}category/{item.section}/" rel="category tag">{esc(SECTION_NAMES[item.section])}</a>'
                f"</span></div></footer>\n</article>"
            )
        older = (
            f'<div class="nav-previous"><a href="{self.listing_target(base, number + 1)}">'
            '<span class="nav-prev-text">Older <span class="nav-short">posts</span></span></a></div>'
            if number < pages
            else ""
        )
        newer = (
            f'<div class="nav-next"><a href="{self.listing_target(base, number - 1)}">'
            '<span class="nav-next-text">Newer <span class="nav-short">posts</span></span></a></div>'
            if number > 1
            else ""
        )
        main = (
            f"{self._breadcrumbs(('Home', '/'), (title, None))}\n"
            f'<header class="page-header alignwide"><h1 class="page-title">{esc(title)}</h1></header>\n'
            + "\n".join(posts)
            + '\n<nav class="navigation posts-navigation" aria-label="Posts">'
            f'<h2 class="screen-reader-text">Posts navigation</h2><div class="nav-links">{older}{newer}</div></nav>'
        )
        meta = f'<meta property="og:type" content="website" />\n<meta property="og:title" content="{attr(title)} &#8211; CSTO" />\n'
        return self._document(site, title=title, body_class="archive category hfeed", main=main, meta=meta)

    def article_page(self, site, item):
        href = site.href(item)
        news = site.news
        position = next(n for n, other in enumerate(news) if other.index == item.index)
        body = "\n".join(f"<p>{esc(text)}</p>" for text in paragraphs(item))
        share = "".join(
            f'<li class="share-{name.lower()}"><a rel="nofollow noopener noreferrer" class="share-{name.lower()} '
            f'sd-button share-icon" href="{attr(href)}?share={name.lower()}&amp;nb=1" target="_blank" '
            f'title="Click to share on {name}"><span>{name}</span></a></li>'
            for name in SHARE
        )
        related = [other for other in news if other.section == item.section and other.index != item.index]
        related = sorted(related, key=lambda other: abs(other.index - item.index))[:3]
        related_html = "".join(
            f'<div class="jp-relatedposts-post jp-relatedposts-post{n}" data-post-id="{other.index}">'
            f'<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" href="{attr(site.href(other))}" '
            f'title="{attr(other.title)}" rel="nofollow">{esc(other.title)}</a></h4>'
            f'<p class="jp-relatedposts-post-excerpt">{esc(excerpt(other.lead, 20))}&hellip;</p>'
            f'<p class="jp-relatedposts-post-date">{us_date(other.published)}</p>'
            f'<p class="jp-relatedposts-post-context">In &quot;{esc(SECTION_NAMES[other.section])}&quot;</p></div>'
            for n, other in enumerate(related)
        )
        modified = site.changed_at.date() if site.edited(item) else item.published
        navigation = []
        if position + 1 < len(news):
            older = news[position + 1]
            navigation.append(
                f'<div class="nav-previous"><a href="{attr(site.href(older))}" rel="prev"><p class="meta-nav">'
                f'Previous post</p><p class="post-title">{esc(older.title)}</p></a></div>'
            )
        if position > 0:
            newer = news[position - 1]
            navigation.append(
                f'<div class="nav-next"><a href="{attr(site.href(newer))}" rel="next"><p class="meta-nav">'
                f'Next post</p><p class="post-title">{esc(newer.title)}</p></a></div>'
            )
        section = SECTION_NAMES[item.section]
        main = f"""{self._breadcrumbs(("Home", "/"), ("News", NEWS), (section, f"{NEWS}category/{item.section}/"), (item.title, None))}
<article id="post-{item.index}" class="post-{item.index} post type-post status-publish format-standard hentry category-{item.section} entry">
<header class="entry-header alignwide"><h1 class="entry-title">{esc(item.title)}</h1></header>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{attr(href)}" rel="bookmark">{self._time(item.published, "entry-date published")}{self._time(modified, "updated")}</a></span><span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/admin/">admin</a></span></span></div>
<div class="entry-content">
{body}
<p><strong>{esc(SIGNATURES[item.section])}</strong></p>
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>{share}</ul></div></div></div>
<div id='jp-relatedposts' class='jp-relatedposts'><h3 class="jp-relatedposts-headline"><em>Related</em></h3><div class="jp-relatedposts-items jp-relatedposts-items-visual">{related_html}</div></div>
</div>
<footer class="entry-footer default-max-width"><div class="post-taxonomies"><span class="cat-links">Categorized as <a href="{NEWS}category/{item.section}/" rel="category tag">{esc(section)}</a></span></div></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">{"".join(navigation)}</div></nav>
<div id="comments" class="comments-area default-max-width">
<div id="respond" class="comment-respond"><h2 id="reply-title" class="comment-reply-title">Leave a comment <small><a rel="nofollow" id="cancel-comment-reply-link" href="{attr(href)}#respond" style="display:none;">Cancel reply</a></small></h2>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate><p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p><p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="5" maxlength="65525" required></textarea></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /></p></form>
</div>
</div>"""
        ld = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "Article",
                    "headline": item.title,
                    "datePublished": f"{item.published.isoformat()}T12:00:00+00:00",
                    "dateModified": f"{modified.isoformat()}T12:00:00+00:00",
                    "author": {"name": "admin"},
                    "articleSection": [section],
                    "inLanguage": "en-US",
                },
                {"@type": "WebSite", "name": "CSTO", "url": "/"},
            ],
        }
        meta = (
            f'<link rel="canonical" href="{attr(href)}" />\n'
            f'<meta property="og:type" content="article" />\n'
            f'<meta property="og:title" content="{attr(item.title)} &#8211; CSTO" />\n'
            f'<meta property="og:description" content="{attr(excerpt(item.lead, 25))}" />\n'
            f'<meta property="article:published_time" content="{item.published.isoformat()}T12:00:00+00:00" />\n'
            f'<meta property="article:modified_time" content="{modified.isoformat()}T12:00:00+00:00" />\n'
            f'<script type="application/ld+json" class="yoast-schema-graph">{json.dumps(ld)}</script>\n'
        )
        return self._document(
            site,
            title=item.title,
            body_class=f"post-template-default single single-post postid-{item.index} single-format-standard",
            main=main,
            meta=meta,
        )

    def article_action(self, site, item, query):
        """Jetpack's share buttons: ``?share=facebook&nb=1`` redirects to the service."""
        service = dict(parse_qsl(query)).get("share", "")
        if service.lower() not in {name.lower() for name in SHARE}:
            return None
        return Redirect(f"https://share.example/{service}?u={quote(site.href(item), safe='')}", 302)

    def plain_page(self, site, title, text):
        main = (
            f'<article class="page type-page status-publish hentry entry"><header class="entry-header alignwide">'
            f'<h1 class="entry-title">{esc(title)}</h1></header><div class="entry-content"><p>{esc(text)}</p></div></article>'
        )
        return self._document(site, title=title, body_class="page-template-default page", main=main)


# -- Drupal ---------------------------------------------------------------------------------


class Drupal(Markup):
    name = "drupal"
    chrome = (
        "Skip to main content",
        "About CSTO",
        "Partner site",
        "cookies",
        "Main navigation",
        "Latest news",
        "Log in",
        "Powered by",
    )
    robots = (
        "# This file is to prevent the crawling and indexing of certain parts\n"
        "# of your site by web crawlers and spiders run by sites like Yahoo!\n"
        "User-agent: *\nDisallow: /core/\nDisallow: /admin/\nDisallow: /search/\n"
        "Disallow: /user/login\nDisallow: /node/add/\n"
    )
    LISTING = "/news"

    def article_href(self, item):
        return item.path.rstrip("/")

    def listings(self, site):
        listed = {self.LISTING: site.news}
        for section, term in SECTION_TERMS.items():
            listed[f"/taxonomy/term/{term}"] = site.section(section)
        return listed

    def listing_target(self, base, number):
        return f"?page={number - 1}"

    def listing_number(self, base, path, query, per_page):
        page = _query_page(base, path, query, "page")
        return None if page is None else 1 if page == -1 else page + 1

    def _document(self, site, *, title, main, breadcrumb, body_class, head="") -> str:
        menu = "".join(
            f'<li class="menu-item"><a href="{attr(href.rstrip("/") or "/")}"'
            f"{' data-drupal-link-system-path=&quot;&lt;front&gt;&quot;' if href == '/' else ''}>{esc(label)}</a></li>"
            for label, href in MENU
        )
        latest = "".join(
            f'<div class="views-row"><div class="views-field views-field-title"><span class="field-content">'
            f'<a href="{attr(site.href(i))}" hreflang="en">{esc(i.title)}</a></span></div>'
            f'<div class="views-field views-field-created"><span class="field-content">{i.published:%m/%d/%Y}</span></div></div>'
            for i in site.news[:5]
        )
        tags = "".join(
            f'<li><a href="/taxonomy/term/{term}" hreflang="en">{esc(SECTION_NAMES[section])}</a></li>'
            for section, term in SECTION_TERMS.items()
        )
        crumbs = "".join(f'<li><a href="{attr(href)}">{esc(label)}</a></li>' for label, href in breadcrumb)
        return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8" />
<meta name="Generator" content="Drupal 9 (https://www.drupal.org)" />
<meta name="MobileOptimized" content="width" />
<meta name="HandheldFriendly" content="true" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
{head}<link rel="icon" href="/core/misc/favicon.ico" type="image/vnd.microsoft.icon" />
<title>{esc(title)} | CSTO</title>
<link rel="stylesheet" media="all" href="/sites/default/files/css/css_K2fGsvYb1jN0oZ7m.css?delta=0&amp;language=en&amp;theme=bartik" />
<script type="application/json" data-drupal-selector="drupal-settings-json">{{"path":{{"baseUrl":"\\/","currentLanguage":"en"}},"ajaxPageState":{{"theme":"bartik"}}}}</script>
</head>
<body class="{body_class} layout-one-sidebar layout-sidebar-second">
<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div id="page-wrapper"><div id="page">
<header id="header" class="header" role="banner">
<div class="section layout-container clearfix">
<div class="clearfix region region-header"><div id="block-bartik-branding" class="clearfix site-branding block block-system block-system-branding-block">
<a href="/" rel="home" class="site-branding__logo"><img src="/sites/default/files/logo.png" alt="Home" /></a>
<div class="site-branding__text"><div class="site-branding__name"><a href="/" rel="home">{SITE_NAME}</a></div></div>
</div></div>
<div class="region region-primary-menu"><nav role="navigation" aria-labelledby="block-bartik-main-menu-menu" id="block-bartik-main-menu" class="block block-menu navigation menu--main">
<h2 class="visually-hidden" id="block-bartik-main-menu-menu">Main navigation</h2>
<ul class="clearfix menu">{menu}</ul>
</nav></div>
</div>
</header>
<div class="highlighted"><aside class="layout-container section clearfix" role="complementary"><div data-drupal-messages-fallback class="hidden"></div></aside></div>
<div id="main-wrapper" class="layout-main-wrapper layout-container clearfix">
<div id="main" class="layout-main clearfix">
<div class="breadcrumb"><div class="region region-breadcrumb"><div id="block-bartik-breadcrumbs" class="block block-system block-system-breadcrumb-block">
<nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb"><h2 id="system-breadcrumb" class="visually-hidden">Breadcrumb</h2><ol>{crumbs}</ol></nav>
</div></div></div>
<main id="content" class="column main-content" role="main">
<section class="section">
<a id="main-content" tabindex="-1"></a>
<div class="region region-content">
<div id="block-bartik-page-title" class="block block-core block-page-title-block"><h1 class="title page-title">{main[0]}</h1></div>
<div id="block-bartik-content" class="block block-system block-system-main-block">{main[1]}</div>
</div>
</section>
</main>
<div id="sidebar-second" class="column sidebar"><aside class="section" role="complementary">
<div class="search-block-form block block-search container-inline" data-drupal-selector="search-block-form" id="block-bartik-search" role="search">
<h2 class="visually-hidden">Search</h2><form action="/search/node" method="get" id="search-block-form" accept-charset="UTF-8"><div class="js-form-item form-item"><label for="edit-keys" class="visually-hidden">Search</label><input title="Enter the terms you wish to search for." type="search" id="edit-keys" name="keys" value="" size="15" maxlength="128" class="form-search" /></div><div class="form-actions js-form-wrapper form-wrapper"><input type="submit" value="Search" class="button js-form-submit form-submit" /></div></form>
</div>
<div class="views-element-container block block-views block-views-blocklatest-news-block-1" id="block-views-block-latest-news-block-1">
<h2>Latest news</h2>
<div class="content"><div class="view view-latest-news view-id-latest_news view-display-id-block_1"><div class="view-content">{latest}</div>
<div class="more-link"><a href="{self.LISTING}">More</a></div></div></div>
</div>
<div id="block-tags" class="block block-views"><h2>Tags</h2><div class="content"><div class="item-list"><ul>{tags}</ul></div></div></div>
</aside></div>
</div>
</div>
<div class="site-footer">
<div class="layout-container">
<div class="site-footer__top clearfix"><div class="region region-footer-first"><nav role="navigation" aria-labelledby="block-bartik-footer-menu" id="block-bartik-footer" class="block block-menu navigation menu--footer"><h2 class="visually-hidden" id="block-bartik-footer-menu">Footer menu</h2><ul class="clearfix menu"><li class="menu-item"><a href="/contact">Contact</a></li><li class="menu-item"><a href="/sitemap">Sitemap</a></li><li class="menu-item"><a href="/privacy">Privacy policy</a></li></ul></nav></div></div>
<div class="site-footer__bottom"><div class="region region-footer-fifth"><div id="block-bartik-powered" class="block block-system block-system-powered-by-block"><span>&copy; 2025 {SITE_NAME}. Powered by <a href="https://www.drupal.org">Drupal</a></span></div></div></div>
</div>
</div>
</div></div>
</div>
<div class="eu-cookie-compliance-banner eu-cookie-compliance-banner-info" role="alertdialog" aria-labelledby="popup-text"><div class="popup-content info eu-cookie-compliance-content"><div id="popup-text" class="eu-cookie-compliance-message"><h2>We use cookies on this site to enhance your user experience</h2><p>By clicking the Accept button, you agree to us doing so.</p><button type="button" class="find-more-button eu-cookie-compliance-more-button">More info</button></div><div id="popup-buttons" class="eu-cookie-compliance-buttons"><button type="button" class="agree-button eu-cookie-compliance-default-button">Accept</button><button type="button" class="decline-button eu-cookie-compliance-default-button">No, thanks</button></div></div></div>
<script src="/core/assets/vendor/once/once.min.js?v=1.0.1"></script>
<script src="/core/misc/drupal.js?v=9.5.11"></script>
</body>
</html>
"""

    def _pager(self, base, number, pages) -> str:
        def item(css, page, text, hidden, title, rel=""):
            rel = f' rel="{rel}"' if rel else ""
            return (
                f'<li class="pager__item{css}"><a href="{self.listing_target(base, page)}" title="{title}"{rel}>'
                f'<span class="visually-hidden">{hidden}</span>{text}</a></li>'
            )

        items = []
        if number > 1:
            items.append(
                item(
                    " pager__item--first",
                    1,
                    '<span aria-hidden="true">« First</span>',
                    "First page",
                    "Go to first page",
                )
            )
            items.append(
                item(
                    " pager__item--previous",
                    number - 1,
                    '<span aria-hidden="true">‹‹</span>',
                    "Previous page",
                    "Go to previous page",
                    "prev",
                )
            )
        for page in range(1, pages + 1):
            if page == number:
                items.append(item(" is-active", page, str(page), "Current page", "Current page"))
            else:
                items.append(item("", page, str(page), "Page", f"Go to page {page}"))
        if number < pages:
            items.append(
                item(
                    " pager__item--next",
                    number + 1,
                    '<span aria-hidden="true">››</span>',
                    "Next page",
                    "Go to next page",
                    "next",
                )
            )
            items.append(
                item(
                    " pager__item--last",
                    pages,
                    '<span aria-hidden="true">Last »</span>',
                    "Last page",
                    "Go to last page",
                )
            )
        return (
            '<nav class="pager" role="navigation" aria-labelledby="pagination-heading">'
            '<h4 id="pagination-heading" class="visually-hidden">Pagination</h4>'
            f'<ul class="pager__items js-pager__items">{"".join(items)}</ul></nav>'
        )

    def listing_page(self, site, base, number, items, pages):
        title = "News"
        if base != self.LISTING:
            term = int(base.rsplit("/", 1)[-1])
            title = SECTION_NAMES[next(s for s, t in SECTION_TERMS.items() if t == term)]
        rows = "".join(
            f'<div class="views-row"><div class="views-field views-field-title"><span class="field-content">'
            f'<a href="{attr(site.href(i))}" hreflang="en">{esc(i.title)}</a></span></div>'
            f'<div class="views-field views-field-created"><span class="field-content">{drupal_date(i.published)}</span></div>'
            f'<div class="views-field views-field-body"><div class="field-content"><p>{esc(i.lead)}</p></div></div>'
            f'<div class="views-field views-field-view-node"><span class="field-content"><a href="{attr(site.href(i))}" hreflang="en">Read more</a></span></div></div>'
            for i in items
        )
        content = (
            '<div class="views-element-container"><div class="view view-news view-id-news view-display-id-page_1 '
            'js-view-dom-id-5e2b1c1f0d">'
            '<div class="view-header"><p>News of the Collective Security Treaty Organization.</p></div>'
            f'<div class="view-content">{rows}</div>{self._pager(base, number, pages)}</div></div>'
        )
        crumbs = [("Home", "/")] + ([("News", self.LISTING)] if base != self.LISTING else [])
        return self._document(
            site, title=title, main=(esc(title), content), breadcrumb=crumbs, body_class="path-news"
        )

    def article_page(self, site, item):
        href = site.href(item)
        body = "".join(f"<p>{esc(text)}</p>" for text in paragraphs(item))
        section = SECTION_NAMES[item.section]
        content = f"""<article data-history-node-id="{item.index}" role="article" about="{attr(href)}" class="node node--type-article node--promoted node--view-mode-full">
<div class="node__meta"><article class="profile"></article><span>Submitted by <span class="field field--name-uid field--type-entity-reference field--label-hidden"><span lang="" typeof="schema:Person" property="schema:name">admin</span></span> on <span class="field field--name-created field--type-created field--label-hidden">{drupal_date(item.published)}</span></span></div>
<div class="node__content clearfix">
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">{body}<p><em>{esc(SIGNATURES[item.section])}</em></p></div>
<div class="field field--name-field-tags field--type-entity-reference field--label-above clearfix"><h3 class="field__label">Tags</h3><ul class="links field__items"><li><a href="/taxonomy/term/{SECTION_TERMS[item.section]}" hreflang="en">{esc(section)}</a></li></ul></div>
<div class="node__links"><ul class="links inline"><li class="comment-forbidden"><a href="/user/login?destination={quote(href)}%23comment-form">Log in</a> to post comments</li></ul></div>
</div>
</article>"""
        head = (
            f'<link rel="canonical" href="{attr(href)}" />\n<link rel="shortlink" href="/node/{item.index}" />\n'
            f'<meta name="description" content="{attr(excerpt(item.lead, 30))}" />\n'
        )
        return self._document(
            site,
            title=item.title,
            main=(
                f'<span class="field field--name-title field--type-string field--label-hidden">{esc(item.title)}</span>',
                content,
            ),
            breadcrumb=[("Home", "/"), ("News", self.LISTING)],
            body_class="path-node page-node-type-article",
            head=head,
        )

    def plain_page(self, site, title, text):
        content = f'<article role="article" class="node node--type-page node--view-mode-full"><div class="node__content clearfix"><p>{esc(text)}</p></div></article>'
        return self._document(
            site, title=title, main=(esc(title), content), breadcrumb=[("Home", "/")], body_class="path-node"
        )


# -- plain HTML5 ----------------------------------------------------------------------------


class Html5(Markup):
    name = "html5"
    chrome = (
        "Skip to main content",
        "About CSTO",
        "Partner site",
        "cookies",
        "Latest news",
        "Newsletter",
        "Share:",
        "All rights reserved",
    )
    robots = "User-agent: *\nAllow: /\n"

    def listing_target(self, base, number):
        return base if number == 1 else f"{base}?page={number}"

    def listing_number(self, base, path, query, per_page):
        page = _query_page(base, path, query, "page")
        return None if page is None else 1 if page == -1 else page

    def _document(self, site, *, title, main, breadcrumb, head="") -> str:
        menu = "".join(f'<li><a href="{attr(href)}">{esc(label)}</a></li>' for label, href in MENU)
        latest = "".join(
            f'<li><a href="{attr(site.href(i))}">{esc(i.title)}</a><br><small>Published: {long_date(i.published)}</small></li>'
            for i in site.news[:5]
        )
        crumbs = "".join(
            f'<li><a href="{attr(href)}">{esc(label)}</a></li>'
            if href
            else f'<li aria-current="page">{esc(label)}</li>'
            for label, href in breadcrumb
        )
        return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} — CSTO</title>
{head}<link rel="stylesheet" href="/assets/site.css">
<script src="/assets/site.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<div class="cookie-banner" role="region" aria-label="Cookie consent">
<p>We use cookies to understand how the site is used. <a href="/privacy/">Learn more</a></p>
<button type="button" class="cookie-accept">Accept</button> <button type="button" class="cookie-decline">Decline</button>
</div>
<header class="site-header">
<a class="brand" href="/"><img src="/assets/logo.svg" alt="" width="40" height="40"> CSTO</a>
<nav class="site-nav" aria-label="Main"><ul>{menu}</ul></nav>
</header>
<nav class="breadcrumb" aria-label="Breadcrumb"><ol>{crumbs}</ol></nav>
<div class="layout">
<main id="main">
{main}
</main>
<aside class="sidebar">
<section class="latest"><h2>Latest news</h2><ul>{latest}</ul></section>
<section class="newsletter"><h2>Newsletter</h2><p>The week's news in your inbox.</p>
<form action="/subscribe/" method="post"><label for="email">Your e-mail</label> <input type="email" id="email" name="email" required> <button type="submit">Subscribe</button></form></section>
</aside>
</div>
<footer class="site-footer">
<p><a href="/contacts/">Contacts</a> · <a href="/privacy/">Privacy</a> · <a href="/sitemap/">Sitemap</a> · <a href="{PARTNER}">Partner site</a></p>
<p>© 2025 {SITE_NAME}. All rights reserved.</p>
<p>Moscow, Sverchkov per., 3/2</p>
</footer>
</body>
</html>
"""

    def listing_page(self, site, base, number, items, pages):
        cards = "\n".join(
            f'<article class="card"><h2 class="card-title"><a href="{attr(site.href(i))}">{esc(i.title)}</a></h2>'
            f'<p class="card-meta">Published: {long_date(i.published)}</p><p>{esc(i.lead)}</p></article>'
            for i in items
        )
        more = ""
        head = ""
        if number < pages:
            following = self.listing_target(base, number + 1)
            more = f'<p class="load-more"><a class="button" rel="next" href="{following}">Load more</a></p>'
            head = f'<link rel="next" href="{following}">\n'
        if number > 1:
            head += f'<link rel="prev" href="{self.listing_target(base, number - 1)}">\n'
        main = f'<h1>News</h1>\n<div class="cards">\n{cards}\n</div>\n{more}'
        return self._document(
            site, title="News", main=main, breadcrumb=[("Home", "/"), ("News", None)], head=head
        )

    def article_page(self, site, item):
        href = site.href(item)
        body = "\n".join(f"<p>{esc(text)}</p>" for text in paragraphs(item))
        share = (
            f'<a href="https://www.facebook.com/sharer/sharer.php?u={quote(href)}">Facebook</a> '
            f'<a href="https://t.me/share/url?url={quote(href)}">Telegram</a> '
            f'<a href="https://twitter.com/intent/tweet?url={quote(href)}">X</a> '
            f'<a href="mailto:?subject={quote(item.title)}">Email</a>'
        )
        main = f"""<article class="article">
<header><h1>{esc(item.title)}</h1><p class="article-meta">Published: {long_date(item.published)}</p></header>
{body}
<p class="signature">{esc(SIGNATURES[item.section])}</p>
<footer class="share"><span>Share:</span> {share}</footer>
</article>
<p><a href="{NEWS}">← All news</a></p>"""
        head = f'<link rel="canonical" href="{attr(href)}">\n<meta name="description" content="{attr(excerpt(item.lead, 25))}">\n'
        return self._document(
            site,
            title=item.title,
            main=main,
            breadcrumb=[("Home", "/"), ("News", NEWS), (item.title, None)],
            head=head,
        )

    def plain_page(self, site, title, text):
        main = f"<h1>{esc(title)}</h1>\n<p>{esc(text)}</p>"
        return self._document(site, title=title, main=main, breadcrumb=[("Home", "/"), (title, None)])


# -- legacy table layout --------------------------------------------------------------------


class LegacyTables(Markup):
    """Mambo / Joomla 1.0 era: tables in tables, windows-1251, ``?start=K`` offsets."""

    name = "legacy"
    chrome = (
        "About CSTO",
        "Partner site",
        "cookies",
        "Main menu",
        "Most read",
        "[ Back ]",
        "All rights reserved",
    )
    charset = "windows-1251"
    robots = "User-agent: *\nDisallow: /administrator/\nDisallow: /cgi-bin/\n"

    def listing_target(self, base, number, per_page):
        return base if number == 1 else f"{base}?start={(number - 1) * per_page}"

    def listing_number(self, base, path, query, per_page):
        start = _query_page(base, path, query, "start")
        if start is None:
            return None
        if start == -1:
            return 1
        return start // per_page + 1 if start % per_page == 0 else None

    @staticmethod
    def _most_read(site: MarkupSite) -> list[MirrorArticle]:
        """A hit counter: the same articles lead whatever the date."""
        return sorted(site.news, key=lambda item: ((item.index * 7) % 12, item.index), reverse=True)[:5]

    def _document(self, site, *, title, content, pathway) -> str:
        menu = "".join(
            f'<TR><TD class="menuitem">&#8226;&nbsp;<A href="{attr(href)}" class="mainlevel">{esc(label)}</A></TD></TR>'
            for label, href in MENU
        )
        most_read = "".join(
            f'<TR><TD class="mostread"><A href="{attr(site.href(i))}" class="mostread">{esc(i.title)}</A></TD></TR>'
            for i in self._most_read(site)
        )
        trail = ' <IMG src="/images/M_images/arrow.png" alt="arrow"> '.join(
            f'<A href="{attr(href)}" class="pathway">{esc(label)}</A>' if href else esc(label)
            for label, href in pathway
        )
        return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML>
<HEAD>
<TITLE>CSTO - {esc(title)}</TITLE>
<META http-equiv="Content-Type" content="text/html; charset=windows-1251">
<META name="keywords" content="CSTO, collective security, news">
<LINK href="/templates/csto/css/template_css.css" rel="stylesheet" type="text/css">
<SCRIPT language="JavaScript" type="text/javascript" src="/includes/js/mambojavascript.js"></SCRIPT>
</HEAD>
<BODY bgcolor="#FFFFFF" leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">
<TABLE width="100%" border="0" cellspacing="0" cellpadding="0">
<TR><TD colspan="3" class="top" height="90"><A href="/"><IMG src="/images/logo.gif" width="90" height="90" border="0" alt="CSTO"></A>
<FONT size="5" color="#003366"><B>{SITE_NAME}</B></FONT></TD></TR>
<TR><TD colspan="3" class="topline" align="right"><FONT size="1"><A href="/ru/">Русская версия</A> &nbsp;|&nbsp; <A href="/sitemap/">Site map</A></FONT></TD></TR>
<TR>
<TD width="180" valign="top" class="left" bgcolor="#EEF2F7">
<TABLE width="100%" cellpadding="4" cellspacing="0" border="0" class="moduletable"><TR><TH class="moduletitle">Main menu</TH></TR>{menu}</TABLE>
<BR>
<TABLE width="100%" cellpadding="3" cellspacing="0" border="0" class="moduletable"><TR><TH class="moduletitle">Most read</TH></TR>{most_read}</TABLE>
<BR>
<TABLE width="100%" cellpadding="3" cellspacing="0" border="0" class="moduletable"><TR><TH class="moduletitle">Search</TH></TR><TR><TD><FORM action="/index.php" method="get"><INPUT type="hidden" name="option" value="search"><INPUT type="text" name="searchword" size="15" class="inputbox" value="search..."> <INPUT type="submit" value="Go" class="button"></FORM></TD></TR></TABLE>
</TD>
<TD width="1" bgcolor="#CCCCCC"><IMG src="/images/spacer.gif" width="1" height="1" alt=""></TD>
<TD valign="top" class="content">
<TABLE width="100%" cellpadding="4" cellspacing="0" border="0"><TR><TD class="pathway">{trail}</TD></TR></TABLE>
{content}
</TD>
</TR>
<TR><TD colspan="3" class="footer" align="center" bgcolor="#003366"><FONT size="1" color="#FFFFFF">&copy; 2003-2025 {SITE_NAME}. All rights reserved.<BR>
Moscow, Sverchkov per., 3/2 &nbsp;|&nbsp; <A href="mailto:webmaster@example.org">Webmaster</A> &nbsp;|&nbsp; <A href="{PARTNER}">Partner site</A></FONT><BR>
<A href="https://counter.example/"><IMG src="https://counter.example/hit?id=1" width="88" height="31" border="0" alt="Counter"></A></TD></TR>
</TABLE>
<DIV id="cookies" style="position:fixed;bottom:0">This site uses cookies. By continuing to browse the site you agree to our use of cookies. <A href="#" onclick="document.getElementById('cookies').style.display='none'">[Close]</A></DIV>
</BODY>
</HTML>
"""

    def listing_page(self, site, base, number, items, pages):
        blocks = "\n".join(
            f'<DIV><TABLE class="contentpaneopen"><TR><TD class="contentheading" width="100%">'
            f'<A href="{attr(site.href(i))}" class="contentpagetitle">{esc(i.title)}</A></TD></TR></TABLE>'
            f'<TABLE class="contentpaneopen"><TR><TD valign="top" class="createdate">{dotted(i.published)}</TD></TR>'
            f'<TR><TD valign="top">{esc(i.lead)}</TD></TR>'
            f'<TR><TD align="left" valign="top"><A href="{attr(site.href(i))}" class="readon">Read more...</A></TD></TR></TABLE></DIV>'
            '<SPAN class="article_seperator">&nbsp;</SPAN>'
            for i in items
        )

        def link(page: int, text: str, title: str = "") -> str:
            title = f' title="{title}"' if title else ""
            return f'<A href="{self.listing_target(base, page, site.per_page)}" class="pagenav"{title}>{text}</A>'

        nav = []
        nav.append(link(1, "«", "Start") if number > 1 else '<SPAN class="pagenav">«</SPAN>')
        nav.append(link(number - 1, "‹", "Prev") if number > 1 else '<SPAN class="pagenav">‹</SPAN>')
        for page in range(1, pages + 1):
            nav.append(
                f'<SPAN class="pagenav">{page}</SPAN>'
                if page == number
                else link(page, f"<STRONG>{page}</STRONG>")
            )
        nav.append(link(number + 1, "›", "Next") if number < pages else '<SPAN class="pagenav">›</SPAN>')
        nav.append(link(pages, "»", "End") if number < pages else '<SPAN class="pagenav">»</SPAN>')
        first = (number - 1) * site.per_page + 1
        total = len(site.news)
        content = (
            '<TABLE class="contentpaneopen"><TR><TD class="contentheading" width="100%">News</TD></TR></TABLE>\n'
            f'<TABLE class="blog" cellpadding="0" cellspacing="0"><TR><TD valign="top">\n{blocks}\n</TD></TR>\n'
            f'<TR><TD valign="top" align="center"><BR>{" ".join(nav)}</TD></TR>\n'
            f'<TR><TD valign="top" align="center">Results {first} - {first + len(items) - 1} of {total}</TD></TR></TABLE>'
        )
        return self._document(site, title="News", content=content, pathway=[("Home", "/"), ("News", None)])

    def article_page(self, site, item):
        body = "".join(f"<P>{esc(text)}</P>" for text in paragraphs(item))
        modified = site.changed_at.date() if site.edited(item) else item.published
        content = f"""<TABLE class="contentpaneopen"><TR>
<TD class="contentheading" width="100%">{esc(item.title)}</TD>
<TD align="right" width="100%" class="buttonheading"><A href="javascript:window.print()" title="Print"><IMG src="/images/M_images/printButton.png" alt="Print" border="0"></A></TD>
<TD align="right" width="100%" class="buttonheading"><A href="/index2.php?option=com_content&amp;task=emailform&amp;id={item.index}" title="E-mail"><IMG src="/images/M_images/emailButton.png" alt="E-mail" border="0"></A></TD>
</TR></TABLE>
<TABLE class="contentpaneopen">
<TR><TD valign="top" class="createdate">{dotted(item.published)}</TD></TR>
<TR><TD valign="top">{body}<P><I>{esc(SIGNATURES[item.section])}</I></P></TD></TR>
<TR><TD class="modifydate">Last Updated ( {dotted(modified)} )</TD></TR>
</TABLE>
<SPAN class="article_seperator">&nbsp;</SPAN>
<TABLE><TR><TD><A href="javascript:history.back()">[ Back ]</A></TD></TR></TABLE>"""
        return self._document(
            site,
            title=item.title,
            content=content,
            pathway=[("Home", "/"), ("News", NEWS), (item.title, None)],
        )

    def plain_page(self, site, title, text):
        content = (
            f'<TABLE class="contentpaneopen"><TR><TD class="contentheading">{esc(title)}</TD></TR>'
            f"<TR><TD><P>{esc(text)}</P></TD></TR></TABLE>"
        )
        return self._document(site, title=title, content=content, pathway=[("Home", "/"), (title, None)])


# -- 1C-Bitrix ------------------------------------------------------------------------------


class Bitrix(Markup):
    name = "bitrix"
    chrome = (
        "About CSTO",
        "Partner site",
        "cookies",
        "Latest news",
        "Share:",
        "Back to the list",
        "Made on",
    )
    robots = (
        "User-agent: *\nDisallow: /bitrix/\nDisallow: /search/\nDisallow: /auth/\n"
        "Disallow: /*?print=\nDisallow: /*&print=\nAllow: /bitrix/templates/\n"
    )

    def listings(self, site):
        listed = {NEWS: site.news}
        for section in SECTION_TERMS:
            listed[f"{NEWS}{section}/"] = site.section(section)
        return listed

    def listing_target(self, base, number):
        return base if number == 1 else f"{base}?PAGEN_1={number}"

    def listing_number(self, base, path, query, per_page):
        page = _query_page(base, path, query, "PAGEN_1")
        return None if page is None else 1 if page == -1 else page

    def _document(self, site, *, title, heading, work_area, breadcrumb) -> str:
        menu = "".join(
            f'<li><a href="{attr(href)}" class="root-item">{esc(label)}</a></li>' for label, href in MENU
        )
        footer_menu = "".join(f'<li><a href="{attr(href)}">{esc(label)}</a></li>' for label, href in MENU[:5])
        latest = "".join(
            f'<div class="news-last__item" id="bx_1373509569_{i.index}"><div class="news-last__date">{dotted(i.published)}</div>'
            f'<a href="{attr(site.href(i))}" class="news-last__link">{esc(i.title)}</a></div>'
            for i in site.news[:5]
        )
        crumbs = []
        for n, (label, href) in enumerate(breadcrumb):
            arrow = '<i class="fa fa-angle-right"></i>' if n else ""
            inner = (
                f'<a href="{attr(href)}" title="{attr(label)}" itemprop="item"><span itemprop="name">{esc(label)}</span></a>'
                if href
                else f"<span>{esc(label)}</span>"
            )
            crumbs.append(
                f'<div class="bx-breadcrumb-item" id="bx_breadcrumb_{n}" itemprop="itemListElement" itemscope '
                f'itemtype="http://schema.org/ListItem">{arrow}{inner}<meta itemprop="position" content="{n + 1}" /></div>'
            )
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="robots" content="index, follow" />
<meta name="keywords" content="CSTO, ODKB, collective security" />
<meta name="description" content="Collective Security Treaty Organization" />
<link href="/bitrix/js/ui/design-tokens/dist/ui.design-tokens.min.css?171879470823233" type="text/css" rel="stylesheet"/>
<link href="/bitrix/templates/odkb_en/template_styles.css?171879474143532" type="text/css" data-template-style="true" rel="stylesheet"/>
<script type="text/javascript">if(!window.BX)window.BX={{}};if(!window.BX.message)window.BX.message=function(mess){{if(typeof mess==='object'){{for(let i in mess) {{BX.message[i]=mess[i];}} return true;}}}};</script>
<script type="text/javascript">(window.BX||top.BX).message({{'LANGUAGE_ID':'en','FORMAT_DATE':'DD.MM.YYYY','SITE_ID':'s2','SITE_DIR':'/'}});</script>
<script type="text/javascript" src="/bitrix/js/main/core/core.min.js?1718794696225181"></script>
<title>{esc(title)}</title>
</head>
<body>
<div id="panel"></div>
<div class="wrapper">
<header class="header">
<div class="header__top container">
<a href="/" class="header__logo"><img src="/bitrix/templates/odkb_en/images/logo.svg" alt="CSTO"><span>{SITE_NAME}</span></a>
<div class="header__search"><form action="/search/index.php"><input type="text" name="q" value="" size="15" maxlength="50" placeholder="Search" /><input name="s" type="submit" value="Search" /></form></div>
</div>
<div class="header__menu container"><ul id="horizontal-multilevel-menu">{menu}</ul><div class="menu-clear-left"></div></div>
</header>
<div class="container">
<div class="bx-breadcrumb" itemprop="http://schema.org/breadcrumb" itemscope itemtype="http://schema.org/BreadcrumbList">{"".join(crumbs)}<div style="clear:both"></div></div>
<div class="page">
<div class="page__main">
<h1 class="page__title">{esc(heading)}</h1>
{work_area}
</div>
<div class="page__aside">
<div class="news-last">
<div class="news-last__title">Latest news</div>
{latest}
<a href="{NEWS}" class="news-last__all">All news</a>
</div>
<div class="banners"><a href="{PARTNER}"><img src="/upload/iblock/banner_partner.jpg" alt="Partner site"></a></div>
</div>
</div>
</div>
<footer class="footer">
<div class="footer__inner container">
<ul class="footer__menu">{footer_menu}</ul>
<div class="footer__copy">&copy; 2025 {SITE_NAME}<br>Moscow, Sverchkov per., 3/2<br>E-mail: odkb@example.org</div>
<div class="footer__dev">Made on <a href="https://www.1c-bitrix.ru/">1C-Bitrix</a></div>
</div>
</footer>
</div>
<div class="cookie-alert js-cookie-alert"><div class="cookie-alert__text">The site uses cookies. By continuing to use the site you agree to the processing of your personal data.</div><button class="cookie-alert__btn js-cookie-accept">I agree</button></div>
</body>
</html>
"""

    def _pager(self, base, number, pages) -> str:
        parts = ['<span class="modern-page-title">Pages:</span>']
        if number > 1:
            parts.append(
                f'<a class="modern-page-previous" href="{self.listing_target(base, number - 1)}">Prev</a>'
            )
        for page in range(1, pages + 1):
            if page == number:
                parts.append(f'<span class="modern-page-current">{page}</span>')
            else:
                css = "modern-page-first" if page == 1 else "modern-page-last" if page == pages else ""
                parts.append(f'<a href="{self.listing_target(base, page)}" class="{css}">{page}</a>')
        if number < pages:
            parts.append(
                f'<a class="modern-page-next" href="{self.listing_target(base, number + 1)}">Next</a>'
            )
        return f'<div class="modern-page-navigation">\n\t{" ".join(parts)}\n</div>'

    def listing_page(self, site, base, number, items, pages):
        cards = "\n".join(
            f'<p class="news-item" id="bx_3218110189_{i.index}">\n'
            f'\t\t\t<span class="news-date-time">{dotted(i.published)}</span>\n'
            f'\t\t\t\t\t<a href="{attr(site.href(i))}"><b>{esc(i.title)}</b></a><br />\n'
            f"\t\t\t\t\t{esc(i.lead)}\n"
            '\t\t<div style="clear:both"></div>\n</p>'
            for i in items
        )
        work_area = f'<div class="news-list">\n{cards}\n<br />{self._pager(base, number, pages)}\n</div>'
        heading = "News" if base == NEWS else SECTION_NAMES[base.strip("/").rsplit("/", 1)[-1]]
        crumbs = [("Home", "/"), ("News", NEWS if base != NEWS else None)]
        if base != NEWS:
            crumbs.append((heading, None))
        return self._document(site, title=heading, heading=heading, work_area=work_area, breadcrumb=crumbs)

    def article_page(self, site, item):
        body = "".join(f"<p>{esc(text)}</p>" for text in paragraphs(item))
        share = "".join(
            f'<a class="news-detail-share__link" href="https://share.example/{name.lower()}?url={quote(site.href(item))}" '
            f'target="_blank" rel="nofollow">{name}</a>'
            for name in ("VK", "Telegram", "WhatsApp")
        )
        work_area = f"""<div class="news-detail">
	<span class="news-date-time">{dotted(item.published)}</span>
	<h3>{esc(item.title)}</h3>
	<div class="news-detail__text">{body}</div>
	<div style="clear:both"></div>
	<br />
	<p class="news-detail__author">{esc(SIGNATURES[item.section])}</p>
	<div class="news-detail-share"><span class="news-detail-share__title">Share:</span> {share}</div>
</div>
<p><a href="{NEWS}{item.section}/">Back to the list</a></p>"""
        section = SECTION_NAMES[item.section]
        return self._document(
            site,
            title=item.title,
            heading=item.title,
            work_area=work_area,
            breadcrumb=[("Home", "/"), ("News", NEWS), (section, f"{NEWS}{item.section}/")],
        )

    def plain_page(self, site, title, text):
        return self._document(
            site,
            title=title,
            heading=title,
            work_area=f"<p>{esc(text)}</p>",
            breadcrumb=[("Home", "/"), (title, None)],
        )


MARKUPS: dict[str, Markup] = {
    markup.name: markup for markup in (WordPress(), Drupal(), Html5(), LegacyTables(), Bitrix())
}


def main(argv: list[str] | None = None) -> int:
    from tests.support.loopback import LoopbackServer

    parser = argparse.ArgumentParser(
        description="Serve the mirror's news in one of the markups on 127.0.0.1."
    )
    parser.add_argument("markup", choices=sorted(MARKUPS))
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--per-page", type=int, default=5)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    site = MarkupSite(MARKUPS[args.markup], args.articles, per_page=args.per_page)
    server = LoopbackServer(site, port=args.port)
    print(f"serving {args.articles} articles as {args.markup} at {server.origin}/news/ (Ctrl-C to stop)")
    with server, contextlib.suppress(KeyboardInterrupt):
        server._thread.join()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
