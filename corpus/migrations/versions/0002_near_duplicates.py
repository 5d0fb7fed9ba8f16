"""near-duplicates: minhash signatures, LSH bands, duplicate links

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:16:38.048728

Tables only: articles already in the database are fingerprinted by the next `corpus add`
or `corpus duplicates` (corpus.clusters.fingerprint_missing), with the same code that
fingerprints new articles. The articles table is not touched, so the SQLite FTS triggers
on it stay as they are.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_minhashes',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=100), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_minhashes_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_article_minhashes'))
    )
    op.create_table('minhash_bands',
    sa.Column('band_key', sa.BigInteger(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_minhash_bands_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('band_key', 'article_id', name=op.f('pk_minhash_bands'))
    )
    with op.batch_alter_table('minhash_bands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minhash_bands_article_id'), ['article_id'], unique=False)

    op.create_table('near_duplicates',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('duplicate_of', sa.Integer(), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=False),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_near_duplicates_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['duplicate_of'], ['articles.id'], name=op.f('fk_near_duplicates_duplicate_of_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_near_duplicates'))
    )
    with op.batch_alter_table('near_duplicates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_near_duplicates_duplicate_of'), ['duplicate_of'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('near_duplicates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_near_duplicates_duplicate_of'))

    op.drop_table('near_duplicates')
    with op.batch_alter_table('minhash_bands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minhash_bands_article_id'))

    op.drop_table('minhash_bands')
    op.drop_table('article_minhashes')
