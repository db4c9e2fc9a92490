"""Many sites in one store: each crawl run, entry and stored page says which site it is of.

Rows written before sites existed are of the built-in site (storage.models.BUILT_IN_SITE),
whose identity keys keep their spelling, so its feed ids stay what they were
(storage.ingest.identity.scoped). A per-site copy of the feed-order index (0004) keeps a
site's feed a read of its newest rows.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BUILT_IN_SITE = "csto-en"
TABLES = ("crawl_runs", "entries", "page_bodies")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("site", sa.String(length=80), nullable=False, server_default=BUILT_IN_SITE)
            )
    nulls_last = "" if op.get_bind().dialect.name == "sqlite" else " NULLS LAST"
    columns = ["site", "first_crawl_id DESC", f"published DESC{nulls_last}", "id DESC"]
    op.create_index("ix_entries_site_feed_order", "entries", [sa.text(column) for column in columns])
    op.create_index("ix_crawl_runs_site", "crawl_runs", ["site", "id"])


def downgrade() -> None:
    op.drop_index("ix_crawl_runs_site", table_name="crawl_runs")
    op.drop_index("ix_entries_site_feed_order", table_name="entries")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("site")
