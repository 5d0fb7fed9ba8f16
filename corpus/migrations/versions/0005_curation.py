"""curation: history of people's decisions, rejected and assigned quotes, locked speaker
names, edited article fields, tags matched case-insensitively

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:00:00

New tables `history` and `history_rows`; new columns `articles.edited_fields`,
`quotes.status`, `quotes.speaker_assigned`, `speakers.name_locked`, `tags.name_key`.

Tags become one per trimmed, case-folded name. Existing tags whose names fold to the same
key ("Needs Check", "needs check", " needs check ") are merged into the oldest of them
(lowest id: the first spelling used), which keeps its spelling, trimmed; the articles of
the others move to it and the others are deleted. The downgrade keeps the merged tags
(they cannot be told apart again).

Only columns are added to the tables other rows point at (articles, speakers, tags): on
SQLite a batch rebuild of those would drop the search triggers and, with foreign keys on,
cascade the implicit delete of the old table to the rows pointing at it. The quotes table
(nothing points at it) is rebuilt on SQLite for its new CHECK constraint. The downgrade
drops columns with ALTER TABLE ... DROP COLUMN (SQLite 3.35+).
"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def tag_key(name: str) -> str:
    """As corpus.ingest.tag_key was when this migration was written (kept here, frozen)."""
    return unicodedata.normalize("NFKC", " ".join(name.split())).casefold()


def upgrade() -> None:
    op.create_table('history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('undo_of', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['undo_of'], ['history.id'], name=op.f('fk_history_undo_of_history'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history')),
    sa.UniqueConstraint('undo_of', name=op.f('uq_history_undo_of'))
    )
    op.create_index(op.f('ix_history_action'), 'history', ['action'], unique=False)
    op.create_index(op.f('ix_history_created_at'), 'history', ['created_at'], unique=False)
    op.create_table('history_rows',
    sa.Column('history_id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=20), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['history_id'], ['history.id'], name=op.f('fk_history_rows_history_id_history'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('history_id', 'table_name', 'row_id', name=op.f('pk_history_rows'))
    )
    op.create_index('ix_history_rows_row', 'history_rows', ['table_name', 'row_id'], unique=False)

    op.add_column('articles', sa.Column('edited_fields', sa.JSON(), nullable=True))
    op.add_column('speakers', sa.Column('name_locked', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), server_default='found', nullable=False))
        batch_op.add_column(sa.Column('speaker_assigned', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint('status', "status IN ('found', 'rejected')")

    op.add_column('tags', sa.Column('name_key', sa.String(length=100), server_default='', nullable=False))
    _merge_tags_by_key()
    op.create_index(op.f('ix_tags_name_key'), 'tags', ['name_key'], unique=True)


def _merge_tags_by_key() -> None:
    bind = op.get_bind()
    tags = sa.table('tags', sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('name_key', sa.String))
    article_tags = sa.table('article_tags', sa.column('article_id', sa.Integer), sa.column('tag_id', sa.Integer),
                            sa.column('tagged_at', sa.DateTime))
    groups: dict[str, list[tuple[int, str]]] = {}
    for tag_id, name in bind.execute(sa.select(tags.c.id, tags.c.name).order_by(tags.c.id)).all():
        groups.setdefault(tag_key(name), []).append((tag_id, name))
    for (first, _), *others in groups.values():
        for tag_id, _ in others:
            # Articles carrying both keep the first tag's row; the others move to it.
            both = sa.select(article_tags.c.article_id).where(article_tags.c.tag_id == first)
            bind.execute(article_tags.update().where(article_tags.c.tag_id == tag_id,
                                                     article_tags.c.article_id.not_in(both)).values(tag_id=first))
            bind.execute(article_tags.delete().where(article_tags.c.tag_id == tag_id))
            bind.execute(tags.delete().where(tags.c.id == tag_id))
    # Renamed only once every duplicate is gone: "syria " may become "syria" only then.
    for key, [(first, name), *_] in groups.items():
        bind.execute(tags.update().where(tags.c.id == first).values(name=" ".join(name.split()), name_key=key))


def downgrade() -> None:
    op.drop_index(op.f('ix_tags_name_key'), table_name='tags')
    op.drop_column('tags', 'name_key')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_constraint('status', type_='check')
        batch_op.drop_column('speaker_assigned')
        batch_op.drop_column('status')
    op.drop_column('speakers', 'name_locked')
    op.drop_column('articles', 'edited_fields')
    op.drop_index('ix_history_rows_row', table_name='history_rows')
    op.drop_table('history_rows')
    op.drop_index(op.f('ix_history_created_at'), table_name='history')
    op.drop_index(op.f('ix_history_action'), table_name='history')
    op.drop_table('history')
