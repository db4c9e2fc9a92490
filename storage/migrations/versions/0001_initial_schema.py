"""Initial schema: crawl runs, entries and their keys, versions, change events, pages.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('crawl_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('items_seen', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('pages',
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('etag', sa.String(length=300), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_fetched', sa.DateTime(), nullable=True),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('url')
    )
    op.create_table('entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feed_id', sa.String(length=80), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('published_evidence', sa.Integer(), nullable=False),
    sa.Column('first_seen', sa.DateTime(), nullable=False),
    sa.Column('first_crawl_id', sa.Integer(), nullable=True),
    sa.Column('last_seen', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['first_crawl_id'], ['crawl_runs.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('feed_id')
    )
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entries_first_crawl_id'), ['first_crawl_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entries_url'), ['url'], unique=False)

    op.create_table('entry_keys',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], ),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('entry_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_keys_entry_id'), ['entry_id'], unique=False)

    op.create_table('entry_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('crawl_id', sa.Integer(), nullable=True),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['crawl_id'], ['crawl_runs.id'], ),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_id', 'number')
    )
    with op.batch_alter_table('entry_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_versions_entry_id'), ['entry_id'], unique=False)

    op.create_table('change_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('crawl_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('fields', sa.String(length=200), nullable=False),
    sa.Column('from_version_id', sa.Integer(), nullable=True),
    sa.Column('to_version_id', sa.Integer(), nullable=True),
    sa.Column('diff', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['crawl_id'], ['crawl_runs.id'], ),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], ),
    sa.ForeignKeyConstraint(['from_version_id'], ['entry_versions.id'], ),
    sa.ForeignKeyConstraint(['to_version_id'], ['entry_versions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_id', 'crawl_id')
    )
    with op.batch_alter_table('change_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_change_events_entry_id'), ['entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('change_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_events_entry_id'))
        batch_op.drop_index(batch_op.f('ix_change_events_at'))

    op.drop_table('change_events')
    with op.batch_alter_table('entry_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_versions_entry_id'))

    op.drop_table('entry_versions')
    with op.batch_alter_table('entry_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_keys_entry_id'))

    op.drop_table('entry_keys')
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entries_url'))
        batch_op.drop_index(batch_op.f('ix_entries_first_crawl_id'))

    op.drop_table('entries')
    op.drop_table('pages')
    op.drop_table('crawl_runs')
