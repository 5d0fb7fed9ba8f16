"""datasette and sqlite-utils open a corpus SQLite file as it is: both find an article by
full-text search, and `corpus datasette-metadata` hides the internal tables and describes
the columns."""
from __future__ import annotations

import asyncio
import json

import pytest
import sqlite_utils
from datasette.app import Datasette

from conftest import SEEDS, Cli

DAMASCUS = "Assad, Russian defence chief meet in Damascus amid US concerns"


@pytest.fixture
def seeds_file(tmp_path):
    path = tmp_path / "corpus.db"
    cli = Cli(f"sqlite:///{path}")
    assert cli("add", "--manifest", str(SEEDS / "manifest.csv")).exit_code == 0
    return path, cli


def test_sqlite_utils_finds_an_article_by_full_text_search(seeds_file):
    path, _ = seeds_file
    articles = sqlite_utils.Database(path)["articles"]
    assert articles.detect_fts() == "articles_fts"
    assert [row["title"] for row in articles.search("Damascus")] == [DAMASCUS]


def test_datasette_finds_an_article_and_hides_internal_tables(seeds_file):
    path, cli = seeds_file
    result = cli("datasette-metadata")
    assert result.exit_code == 0, result.output
    metadata = json.loads(result.stdout)

    async def ask():
        datasette = Datasette([str(path)], metadata=metadata)
        found = await datasette.client.get("/corpus/articles.json?_search=Damascus&_shape=array&_col=title")
        unfiltered = await datasette.client.get("/corpus/articles.json?_shape=array&_col=title")
        database = await datasette.client.get("/corpus.json")
        quotes = await datasette.client.get("/corpus/quotes.json?_shape=array&_size=1&_labels=on")
        return found.json(), unfiltered.json(), database.json(), quotes.json()

    found, unfiltered, database, quotes = asyncio.run(ask())
    assert [row["title"] for row in found] == [DAMASCUS] and len(unfiltered) == 5
    hidden = {table["name"] for table in database["tables"] if table["hidden"]}
    assert {"alembic_version", "article_minhashes", "minhash_bands", "articles_fts"} <= hidden
    assert {"articles", "quotes", "speakers", "outlets"}.isdisjoint(hidden)
    assert quotes[0]["article_id"]["label"]  # an article shown by its title, not only its id


def test_datasette_metadata_needs_a_sqlite_file(postgres_databases):
    result = Cli(postgres_databases.create(migrated=True))("datasette-metadata")
    assert result.exit_code == 1 and "SQLite" in result.stderr
