"""articles_fts declared content="articles", so datasette and sqlite-utils see the index

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 23:40:00

SQLite only. datasette (`?_search=`) and sqlite-utils (`search`, `rows --search`) find a
table's full-text index by the text of its CREATE statement, and recognise only
content="articles" or content=[articles]; 0001 wrote content='articles', so both tools
treated `articles` as not searchable. The FTS5 table and its three triggers are made again
with the same columns, tokenizer and triggers, and the index is rebuilt from `articles`
(an external-content index holds no text of its own, so nothing can be lost). PostgreSQL's
tsvector column is untouched.
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TRIGGERS = [
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
DROP = [
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TABLE IF EXISTS articles_fts",
]


def _remake(content: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in DROP:
        op.execute(statement)
    op.execute(f"CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content={content}, "
               "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')")
    for statement in TRIGGERS:
        op.execute(statement)
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def upgrade() -> None:
    _remake('"articles"')


def downgrade() -> None:
    _remake("'articles'")
