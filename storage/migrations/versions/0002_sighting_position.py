"""Remember where an entry was last seen as a teaser (page and position), index dates.

Edited teasers are matched to their entry among candidates of the same date or the same
page position (storage/ingest/similarity.py); these columns make that lookup cheap.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_page", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("last_position", sa.Integer(), nullable=True))
        batch_op.create_index("ix_entries_published", ["published"], unique=False)
        batch_op.create_index("ix_entries_last_page", ["last_page", "last_position"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_index("ix_entries_last_page")
        batch_op.drop_index("ix_entries_published")
        batch_op.drop_column("last_position")
        batch_op.drop_column("last_page")
