"""Publishing the store as feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the news, Atom of
the change log.

``builder`` turns stored entries and change events into feed bytes (deterministically),
``json_feed`` the entries into a JSON Feed;
``writer`` puts those bytes on disk atomically; ``text`` makes scraped text XML-safe.
"""

from .builder import (
    DEFAULT_CHANGES_TITLE,
    DEFAULT_TITLE,
    FeedFormat,
    build_changes_feed,
    build_entries_feed,
    change_event_id,
)
from .json_feed import JSON_FEED_TYPE, build_json_feed
from .text import xml_safe
from .writer import (
    DEFAULT_BASE_URL,
    DEFAULT_SITE_URL,
    FEED_FILES,
    write_atomically,
    write_feeds,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_CHANGES_TITLE",
    "DEFAULT_SITE_URL",
    "DEFAULT_TITLE",
    "FEED_FILES",
    "FeedFormat",
    "JSON_FEED_TYPE",
    "build_changes_feed",
    "build_entries_feed",
    "build_json_feed",
    "change_event_id",
    "write_atomically",
    "write_feeds",
    "xml_safe",
]
