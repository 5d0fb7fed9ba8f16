"""settings: values every process adding to the database uses

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 04:40:00

A table of named settings (`corpus settings`), so that the similarity at which an added
article is linked as a near-duplicate (`duplicate_threshold`) is chosen once per
database, not per process. A new table: nothing else changes. No rows: a setting not
stored has its default.
"""
import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'settings',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_settings')),
    )


def downgrade() -> None:
    op.drop_table('settings')
