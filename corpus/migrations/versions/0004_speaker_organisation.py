"""speakers: an organisation column, and descriptions as a kind of speaker

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00

`speakers.organisation` holds the body a speaker is or speaks for, so SQL can group
quotes by organisation; it is NULL on rows made before this revision until `corpus
reprocess` extracts their quotes again. `speakers.kind` gains the value 'description'
(unnamed sources), which needs no schema change. A nullable column added in place: no row
changes, and no table with full-text triggers is rebuilt.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('speakers', sa.Column('organisation', sa.String(length=300), nullable=True))
    op.create_index(op.f('ix_speakers_organisation'), 'speakers', ['organisation'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_speakers_organisation'), table_name='speakers')
    # In place (SQLite 3.35+ drops a column itself): a batch rebuild would drop the
    # speakers table, and with foreign keys on that empties quotes.speaker_id and deletes
    # every alias.
    op.drop_column('speakers', 'organisation')
