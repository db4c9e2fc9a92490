"""The name of the built-in site, apart from storage.models so that the settings, the crawl
plans and the feeds' channels can name it without importing SQLAlchemy's ORM."""

BUILT_IN_SITE = "csto-en"
"""The site newswatch watches when no sites file names others (the CSTO's English site), and
the site of every row written before the store knew sites (migration 0007)."""
