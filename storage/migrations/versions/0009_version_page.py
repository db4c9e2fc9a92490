"""Each version of an entry says on which page it was read: the listing where a teaser stood,
or the article's own page (an entry's history shows it: "seen ... on PAGE").

Versions stored before this migration have none; their history shows the article's address
where they knew it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entry_versions") as batch:
        batch.add_column(sa.Column("page", sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entry_versions") as batch:
        batch.drop_column("page")
