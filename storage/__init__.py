"""The deduplicating store: entries, their versions, the change log and crawl runs."""
