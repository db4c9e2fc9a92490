"""Publishing the store as feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the news, Atom of
the change log.

``builder`` turns stored entries and change events into feed bytes (deterministically), for
the channel ``channels`` describes (one site's, or every site's combined); ``json_feed`` the
entries into a JSON Feed; ``writer`` puts those bytes on disk atomically; ``opml`` lists the
feeds for a reader's one-step import; ``text`` makes scraped text XML-safe.
"""

from .builder import (
    DEFAULT_CHANGES_TITLE,
    DEFAULT_TITLE,
    FeedFormat,
    build_changes_feed,
    build_entries_feed,
    change_event_id,
)
from .channels import (
    BUILT_IN_CHANNEL,
    BUILT_IN_FEED_SITE,
    DEFAULT_SITE_URL,
    Channel,
    FeedSite,
    combined_channel,
    site_channel,
)
from .json_feed import JSON_FEED_TYPE, build_json_feed
from .opml import OpmlFeed, build_opml
from .text import xml_safe
from .writer import (
    DEFAULT_BASE_URL,
    FEED_FILES,
    SITES_DIRECTORY,
    feed_url,
    site_base_url,
    site_directory,
    write_atomically,
    write_feeds,
)

__all__ = [
    "BUILT_IN_CHANNEL",
    "BUILT_IN_FEED_SITE",
    "DEFAULT_BASE_URL",
    "DEFAULT_CHANGES_TITLE",
    "DEFAULT_SITE_URL",
    "DEFAULT_TITLE",
    "FEED_FILES",
    "SITES_DIRECTORY",
    "Channel",
    "FeedFormat",
    "JSON_FEED_TYPE",
    "FeedSite",
    "OpmlFeed",
    "build_changes_feed",
    "build_entries_feed",
    "build_json_feed",
    "build_opml",
    "change_event_id",
    "combined_channel",
    "feed_url",
    "site_base_url",
    "site_channel",
    "site_directory",
    "write_atomically",
    "write_feeds",
    "xml_safe",
]
