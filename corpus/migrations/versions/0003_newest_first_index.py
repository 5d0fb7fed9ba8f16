"""articles: an index in `corpus list` order for PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:20:00

`ORDER BY published_at DESC NULLS LAST, id DESC` cannot use the plain published_at index
on PostgreSQL, so listing the newest articles sorted the whole table. SQLite already
reads that order off its index and gets nothing here. An index only: no rows change, and
the articles table is not rebuilt (the SQLite FTS triggers are untouched).
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index('ix_articles_newest_first', 'articles',
                        [sa.text('published_at DESC NULLS LAST'), sa.text('id DESC')], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_articles_newest_first', table_name='articles')
