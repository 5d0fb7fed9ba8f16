"""articles: an index for one outlet's articles newest first

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 07:45:00

`corpus list --outlet NAME` (and the web page's outlet filter) read every article of the
outlet through the outlet_id index and sorted them all to show the newest 20 (SQLite,
11,000 articles of 100,000: 79 ms warm). An index on (outlet_id, published_at) gives them
in order; it replaces the plain outlet_id index, which it also serves (the foreign key).
PostgreSQL's is in exactly `list`'s order. Indexes only: no rows change and no table is
rebuilt (the SQLite FTS triggers are untouched).
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index('ix_articles_outlet_newest', 'articles',
                        ['outlet_id', sa.text('published_at DESC NULLS LAST'), sa.text('id DESC')], unique=False)
    else:
        op.create_index('ix_articles_outlet_newest', 'articles', ['outlet_id', 'published_at'], unique=False)
    op.drop_index('ix_articles_outlet_id', table_name='articles')


def downgrade() -> None:
    op.create_index('ix_articles_outlet_id', 'articles', ['outlet_id'], unique=False)
    op.drop_index('ix_articles_outlet_newest', table_name='articles')
