"""An index in the news feed's order, so that regenerating the feed reads 50 rows.

``Store.latest_entries`` orders entries by first crawl (newest first), then publication
date (newest first, undated last), then id. The index on the first crawl alone left the
database to sort every entry of the newest crawl; a first crawl of a large site puts most
of the store there (1M entries from crawls of 100k: 111 ms a feed, against 3 ms for a
store of 1k). PostgreSQL needs ``NULLS LAST`` spelled out (its descending order puts NULLs
first), which SQLite's CREATE INDEX does not accept (its descending order already puts them
last); the model declares the index once for each (storage/models.py), so that a new store
made from the models has it too.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    nulls_last = "" if op.get_bind().dialect.name == "sqlite" else " NULLS LAST"
    columns = ["first_crawl_id DESC", f"published DESC{nulls_last}", "id DESC"]
    op.create_index("ix_entries_feed_order", "entries", [sa.text(column) for column in columns])


def downgrade() -> None:
    op.drop_index("ix_entries_feed_order", table_name="entries")
