"""What a feed says of itself: its title, its home link, its language, its id.

newswatch publishes one set of feeds per watched site and one combined set of every site
(docs/architecture.md, "Many sites: feeds"). A :class:`FeedSite` is a site as its feeds
name it; a :class:`Channel` is what one feed document says about itself, made from one
site (:func:`site_channel`) or from all of them (:func:`combined_channel`).

Feed ids are derived from a channel's ``identity``, never from its title, so renaming a site
or adding one keeps every feed's id: the combined feed's identity is the one it always had
(the built-in site's home URL), a site's own feed's is its name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from storage.built_in_site import BUILT_IN_SITE

GENERATOR = "newswatch"
DEFAULT_SITE_URL = "https://en.odkb-csto.org/"
"""The built-in site: the combined feeds' identity, and their link while it is the only site."""


@dataclass(frozen=True)
class FeedSite:
    """A watched site as its feeds name it."""

    name: str
    title: str
    home_url: str
    language: str | None = None
    """A language tag (``en``, ``ru``), or None where the site's language is not known."""
    author: str | None = None
    """Who publishes the site; its title when not known."""
    about: str | None = None
    """What the site is, for the feed's description ("the English site of ...")."""
    changes_heading: str | None = None
    """The change log's title, when not "TITLE: change log"."""

    @property
    def host(self) -> str:
        return _host(self.home_url)

    @property
    def changes_title(self) -> str:
        return self.changes_heading or f"{self.title}: change log"


BUILT_IN_FEED_SITE = FeedSite(
    name=BUILT_IN_SITE,
    title="CSTO news (en.odkb-csto.org)",
    home_url=DEFAULT_SITE_URL,
    language="en",
    author="Collective Security Treaty Organization",
    about="the English site of the Collective Security Treaty Organization",
    changes_heading="CSTO news: change log (en.odkb-csto.org)",
)
"""The site a fresh install watches, as its feeds have always described it."""


@dataclass(frozen=True)
class Channel:
    """What one feed document says of itself (RSS ``<channel>``, Atom ``<feed>``)."""

    identity: str
    """What the feed ids are derived from: stable for as long as the feed is the same feed."""
    title: str
    changes_title: str
    home_url: str
    """The feeds' alternate link, and the link of an item that has no URL of its own."""
    language: str | None
    description: str
    changes_description: str
    author: str


def site_channel(site: FeedSite) -> Channel:
    """The channel of one site's own feeds (``sites/NAME/``)."""
    return _channel_of(site, identity=f"site:{site.name}")


def combined_channel(sites: Sequence[FeedSite], *, home_url: str) -> Channel:
    """The channel of the combined feeds of ``sites``.

    With one site it says what that site's feeds say (with the built-in site alone, the
    feeds are byte for byte what they were before newswatch watched many sites); with more,
    it names them all, links to ``home_url`` (the service's change log) and carries a
    language only when every site shares it.
    """
    if len(sites) == 1:
        return _channel_of(sites[0], identity=DEFAULT_SITE_URL)
    names = ", ".join(site.name for site in sites)
    hosts = ", ".join(dict.fromkeys(site.host for site in sites))
    languages = {site.language for site in sites}
    return Channel(
        identity=DEFAULT_SITE_URL,
        title=f"newswatch: {names}",
        changes_title=f"newswatch: change log of {names}",
        home_url=home_url,
        language=languages.pop() if len(languages) == 1 else None,
        description=f"News of {len(sites)} sites ({hosts}), published as feeds by newswatch.",
        changes_description=f"What newswatch saw published, edited and removed on {hosts}.",
        author=GENERATOR,
    )


def _channel_of(site: FeedSite, *, identity: str) -> Channel:
    about = f", {site.about}," if site.about else ","
    return Channel(
        identity=identity,
        title=site.title,
        changes_title=site.changes_title,
        home_url=site.home_url,
        language=site.language,
        description=f"News of {site.host}{about} published as a feed by newswatch.",
        changes_description=f"What newswatch saw published, edited and removed on {site.host}.",
        author=site.author or site.title,
    )


def _host(url: str) -> str:
    """The host of ``url`` for prose ("news of en.odkb-csto.org"), or ``url`` if it has none."""
    return urlsplit(url).netloc or url


BUILT_IN_CHANNEL = combined_channel((BUILT_IN_FEED_SITE,), home_url=DEFAULT_SITE_URL)
"""The feeds of a fresh install, which watches the built-in site alone."""
