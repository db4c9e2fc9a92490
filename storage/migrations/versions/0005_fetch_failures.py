"""Remember what each crawl failed to fetch, and why, so that the next crawl retries it.

An incremental crawl stops paginating at the first listing page with nothing new, so a
listing page that failed (or an article on it) would never be asked for again; the crawl
run's failures are where the next crawl finds them (storage/fetch_failures.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fetch_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crawl_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("retry", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["crawl_id"], ["crawl_runs.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("crawl_id", "url"),
    )
    op.create_index("ix_fetch_failures_crawl_id", "fetch_failures", ["crawl_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_fetch_failures_crawl_id", table_name="fetch_failures")
    op.drop_table("fetch_failures")
