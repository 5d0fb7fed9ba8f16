"""The schema as users see it: the tables and columns read from the database, with what
each means (`corpus schema`, `Corpus.schema()`), and the same as datasette metadata
(`corpus datasette-metadata`): internal tables hidden, columns described, each table's
label column named so datasette shows an article's title beside its id."""
from __future__ import annotations

from sqlalchemy import Engine, inspect

from . import models

# Tables only corpus itself reads: hidden in datasette, listed last by `corpus schema`.
INTERNAL_TABLES = ("alembic_version", "article_minhashes", "minhash_bands")
SEARCH_TABLE_PREFIX = "articles_fts"  # SQLite's FTS5 table and its shadow tables

LABEL_COLUMNS = {"articles": "title", "outlets": "name", "speakers": "name", "tags": "name", "documents": "url"}

COLUMNS = {
    "outlets": {"name": "the publisher's name", "domain": "its web domain, without www."},
    "documents": {
        "sha256": "of the raw bytes", "content_type": "text/html or text/plain",
        "size": "bytes", "data": "the raw bytes, zlib-compressed",
        "url": "where it was fetched, after redirects",
        "supplied_metadata": "JSON: what the user stated when adding",
        "source": "a refused document's path or URL (an article's is articles.source)",
        "refusal": "why cleaning made no article of it (not an article: ...); NULL when it made one",
    },
    "articles": {
        "document_id": "the original it was made from",
        "url": "normalised; unique when known", "source": "the path or URL it was added from",
        "subtitle": "standfirst", "published_at": "UTC", "body": "paragraphs separated by a blank line",
        "source_credit": "agency credit, e.g. Reuters",
        "content_hash": "sha256 of the whitespace-normalised body",
        "extractor_version": "which cleaner made it", "added_at": "UTC",
        "edited_fields": "JSON list of the fields a person set (corpus edit): reprocessing keeps them",
        "search_vector": "PostgreSQL only: the full-text index (tsvector of title and body)",
    },
    "speakers": {
        "name": "display name: the name alone, or an unnamed source's description",
        "kind": "person, organisation, description (an unnamed source) or NULL",
        "role": "as an article last stated it", "organisation": "the body the speaker is or speaks for",
        "name_locked": "a person chose the name (rename, merge, assign): no add or reprocess replaces it",
    },
    "speaker_aliases": {"alias": "a spelling seen",
                        "alias_key": "the spelling normalised: what lookups compare",
                        "surname_key": "the surname normalised, for 'Lavrov' to find Sergei Lavrov"},
    "quotes": {
        "kind": "direct or partial",
        "cue": "the reporting verb, e.g. said",
        "start_offset": "body[start_offset:end_offset] is the text", "end_offset": "see start_offset",
        "speaker_name": "as this article gives it", "speaker_role": "as this article gives it",
        "status": "found, or rejected by a person (then left out of listings, exports and counts)",
        "speaker_assigned": "a person chose speaker_id (corpus quotes assign): reprocessing keeps it",
    },
    "tags": {"name": "as first spelt", "name_key": "trimmed and case-folded: one tag per key"},
    "history": {"action": "edit, delete, tag, untag, tag-rename, tag-delete, quote-reject, quote-restore, "
                          "quote-assign, speaker-rename, speaker-merge or undo",
                "before": "JSON: the values the action replaced", "after": "JSON: the values it set",
                "note": "the person's --note", "undo_of": "for an undo: the action it reversed",
                "created_at": "UTC"},
    "history_rows": {"table_name": "articles, quotes, speakers or tags",
                     "row_id": "the id of a row the action touched (it may since be deleted)"},
    "near_duplicates": {"article_id": "the near-copy", "duplicate_of": "the cluster's first article",
                        "similarity": "estimated Jaccard similarity of 5-word shingles"},
    "settings": {"name": "duplicate_threshold (corpus settings)", "value": "as text; a setting not stored has its default"},
}


def _table_description(table: str) -> str | None:
    """The model's docstring, first paragraph, on one line."""
    for mapper in models.Base.registry.mappers:
        if mapper.local_table.name == table and mapper.class_.__doc__:
            return " ".join(mapper.class_.__doc__.split("\n\n")[0].split())
    return None


def describe(engine: Engine) -> list[dict]:
    """Every table: its columns (name, type, nullable, primary key, meaning), foreign keys
    and indexes, read from the database; user tables first, internal ones marked."""
    inspector = inspect(engine)
    tables = []
    for name in inspector.get_table_names():
        if name.startswith(SEARCH_TABLE_PREFIX):
            continue
        notes = COLUMNS.get(name, {})
        keys = set(inspector.get_pk_constraint(name).get("constrained_columns") or ())
        tables.append({
            "table": name,
            "internal": name in INTERNAL_TABLES,
            "description": _table_description(name),
            "columns": [{"name": c["name"], "type": str(c["type"]), "nullable": c["nullable"],
                         "primary_key": c["name"] in keys, "description": notes.get(c["name"])}
                        for c in inspector.get_columns(name)],
            "foreign_keys": [{"columns": fk["constrained_columns"], "table": fk["referred_table"],
                              "referred_columns": fk["referred_columns"]}
                             for fk in inspector.get_foreign_keys(name)],
            "indexes": [{"name": ix["name"], "columns": ix["column_names"], "unique": bool(ix["unique"])}
                        for ix in inspector.get_indexes(name)],
        })
    tables.sort(key=lambda table: (table["internal"], table["table"]))
    return tables


def datasette_metadata(database: str) -> dict:
    """datasette's metadata for a corpus database named `database` (the file name without
    .db): internal tables hidden, tables and columns described, label columns named, and
    full-text search on articles."""
    tables = {name: {"hidden": True} for name in INTERNAL_TABLES}
    for mapper in models.Base.registry.mappers:
        name = mapper.local_table.name
        if name in INTERNAL_TABLES:
            continue
        table = {}
        if _table_description(name):
            table["description"] = _table_description(name)
        if COLUMNS.get(name):
            table["columns"] = COLUMNS[name]
        if name in LABEL_COLUMNS:
            table["label_column"] = LABEL_COLUMNS[name]
        tables[name] = table
    tables["articles"].update(fts_table="articles_fts", fts_pk="id", searchmode="escaped")
    return {
        "title": "corpus",
        "description": "News articles, outlets, quotes and speakers curated with corpus.",
        "databases": {database: {"tables": tables}},
    }
