"""documents: source and refusal, so a page with no article is kept and listable

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:00:00

Until now a document cleaning found no article in was reported and dropped. Now it is
stored like any other (so `reprocess` can revisit it with a better cleaner), with
`refusal`, why it is not an article ("not an article: error page"), and `source`, the
path or URL it was added from (a document an article was made from leaves both NULL: the
article has its own `source`). Two nullable columns added in place on both databases: no
table is rebuilt, so SQLite's FTS triggers on `articles` are untouched, and no row
changes. A downgrade keeps every row: a refused
document's reason and source are kept in its `supplied_metadata` (under REFUSED_KEY),
where upgrading again finds them.
"""
import json

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

REFUSED_KEY = "refused (kept by downgrading past 0008)"
documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("source", sa.Text),
                     sa.column("refusal", sa.Text), sa.column("supplied_metadata", sa.JSON))


def upgrade() -> None:
    op.add_column('documents', sa.Column('source', sa.Text(), nullable=True))
    op.add_column('documents', sa.Column('refusal', sa.Text(), nullable=True))
    bind = op.get_bind()
    kept_here = sa.cast(documents.c.supplied_metadata, sa.Text).like(f"%{REFUSED_KEY}%")
    for document_id, stated in bind.execute(
            sa.select(documents.c.id, documents.c.supplied_metadata).where(kept_here)).all():
        if isinstance(stated, str):
            stated = json.loads(stated)
        if isinstance(stated, dict) and REFUSED_KEY in stated:
            kept = stated.pop(REFUSED_KEY)
            bind.execute(documents.update().where(documents.c.id == document_id).values(
                source=kept["source"], refusal=kept["refusal"], supplied_metadata=stated or None))


def downgrade() -> None:
    bind = op.get_bind()
    refused = bind.execute(sa.select(documents.c.id, documents.c.source, documents.c.refusal,
                                     documents.c.supplied_metadata).where(documents.c.refusal.is_not(None))).all()
    for document_id, source, refusal, stated in refused:
        stated = dict(stated or {}, **{REFUSED_KEY: {"source": source, "refusal": refusal}})
        bind.execute(documents.update().where(documents.c.id == document_id).values(supplied_metadata=stated))
    op.drop_column('documents', 'refusal')
    op.drop_column('documents', 'source')
