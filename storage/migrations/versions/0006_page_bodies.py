"""Keep each page's bytes and which extractor read them, so that a better extractor re-reads
stored pages silently instead of making every entry look edited.

Pages fetched before this migration have no stored bytes: their validators are cleared, so
that the next crawl that re-checks them downloads them whole; that first reading by the
current extractor is taken silently (storage.store, "baseline").

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_bodies",
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("extractor", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("url"),
    )
    with op.batch_alter_table("entry_versions") as batch:
        batch.add_column(sa.Column("extractor", sa.Integer(), nullable=True))
    op.execute("UPDATE pages SET etag = NULL, last_modified = NULL")


def downgrade() -> None:
    with op.batch_alter_table("entry_versions") as batch:
        batch.drop_column("extractor")
    op.drop_table("page_bodies")
