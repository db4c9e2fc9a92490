"""The feeds of the watched sites: the combined set and one set per site, what each says of
itself, where it is written and where it is served (docs/architecture.md, "Many sites: feeds").

One place decides this for everyone who names a feed: the crawl job writes them, ``newswatch
feed`` prints one, the service serves them and lists them all in ``/feeds.opml``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urljoin

from feeds import (
    BUILT_IN_FEED_SITE,
    Channel,
    FeedSite,
    OpmlFeed,
    build_opml,
    combined_channel,
    feed_url,
    site_base_url,
    site_channel,
    site_directory,
)
from scheduler.sites import WatchedSite

CHANGES_PAGE = "changes"
"""The service's change-log page, relative to its base URL."""


@dataclass(frozen=True)
class FeedSet:
    """The three feeds (news in RSS and Atom, the change log) of one site, or of every site."""

    site: str | None
    """The site's name; None for the combined feeds of every site."""
    channel: Channel
    directory: Path
    """Where they are written."""
    base_url: str
    """Where they are served: each feed's self link is this joined with its file name."""
    labels: Mapping[str, FeedSite] | None
    """For combined feeds of several sites: the sites by name, so that each entry says its own."""

    def url(self, kind: str) -> str:
        return feed_url(self.base_url, kind)


def feed_site(site: WatchedSite) -> FeedSite:
    """A watched site as its feeds name it; the built-in site as its feeds always did."""
    plain = FeedSite(name=site.name, title=site.feed_title, home_url=site.home_url, language=site.language)
    built_in = BUILT_IN_FEED_SITE
    if (plain.name, plain.title, plain.home_url) == (built_in.name, built_in.title, built_in.home_url):
        return replace(built_in, language=plain.language or built_in.language)
    return plain


def combined_feeds(sites: Sequence[WatchedSite], *, data_dir: Path, base_url: str) -> FeedSet:
    """The feeds of every site, at the top of the data directory and of the service."""
    named = [feed_site(site) for site in sites]
    home = urljoin(_directory_url(base_url), CHANGES_PAGE)
    return FeedSet(
        site=None,
        channel=combined_channel(named, home_url=home),
        directory=Path(data_dir),
        base_url=base_url,
        labels={site.name: site for site in named} if len(named) > 1 else None,
    )


def site_feeds(site: WatchedSite, *, data_dir: Path, base_url: str) -> FeedSet:
    """One site's own feeds, in ``sites/NAME/`` of the data directory and of the service."""
    return FeedSet(
        site=site.name,
        channel=site_channel(feed_site(site)),
        directory=site_directory(data_dir, site.name),
        base_url=site_base_url(base_url, site.name),
        labels=None,
    )


def every_feed_set(
    sites: Sequence[WatchedSite],
    *,
    data_dir: Path,
    base_url: str,
    combined: bool = True,
    only: Collection[str] | None = None,
) -> list[FeedSet]:
    """The combined feeds first (unless not ``combined``), then each site's (with ``only``,
    those sites' alone), in the sites file's order.

    Only the sets asked for are made: each site of a crawl publishes its own as it finishes,
    and making every site's set each time cost a crawl of N sites N² of them."""
    places = {"data_dir": data_dir, "base_url": base_url}
    chosen = [site for site in sites if only is None or site.name in only]
    return [
        *([combined_feeds(sites, **places)] if combined else []),
        *(site_feeds(site, **places) for site in chosen),
    ]


def feeds_opml(sites: Sequence[WatchedSite], *, data_dir: Path, base_url: str) -> bytes:
    """Every feed as an OPML subscription list: a folder of the combined feeds, then a folder
    per site. Each feed is listed once, in Atom (the RSS file of a feed holds the same items:
    a reader subscribed to both would show each twice)."""
    folders = []
    for feeds in every_feed_set(sites, data_dir=data_dir, base_url=base_url):
        channel = feeds.channel
        page = urljoin(_directory_url(base_url), CHANGES_PAGE + (f"?site={feeds.site}" if feeds.site else ""))
        listed = (
            OpmlFeed(channel.title, feeds.url("atom"), channel.home_url, channel.language),
            OpmlFeed(channel.changes_title, feeds.url("changes"), page, channel.language),
        )
        folders.append(("All sites" if feeds.site is None else channel.title, listed))
    return build_opml("newswatch: every feed", folders)


def _directory_url(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"
