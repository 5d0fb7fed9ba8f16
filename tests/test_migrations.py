"""The schema is made only by Alembic migrations, and they agree with the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from corpus import Corpus
from corpus.database import comparison_options, current_revision, downgrade, head_revision, upgrade
from corpus.models import Base

from conftest import SEEDS

TABLES = {"outlets", "articles", "documents", "tags", "article_tags", "speakers", "speaker_aliases", "quotes"}


def schema_differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=comparison_options(connection.dialect.name))
        return compare_metadata(context, Base.metadata)


def test_upgrade_from_empty_makes_every_table(empty_db_url):
    with Corpus(empty_db_url) as corpus:
        assert current_revision(corpus.engine) is None
        corpus.init()
        assert current_revision(corpus.engine) == head_revision()
        assert TABLES <= set(inspect(corpus.engine).get_table_names())


def test_models_and_migrated_schema_do_not_differ(empty_db_url):
    with Corpus(empty_db_url) as corpus:
        corpus.init()
        assert schema_differences(corpus.engine) == []


def test_downgrade_to_base_and_up_again_keeps_search_working(empty_db_url):
    with Corpus(empty_db_url) as corpus:
        corpus.init()
        downgrade(corpus.engine, "base")
        assert not TABLES & set(inspect(corpus.engine).get_table_names())
        upgrade(corpus.engine)
        assert schema_differences(corpus.engine) == []
        list(corpus.add([str(SEEDS / "000_866a51af9ae93c57.txt")]))
        assert [hit["title"] for hit in corpus.search("Baghdadi")] == [
            "Putin and Saudi defence minister agree to co-operate in Syria"]


def test_each_step_down_and_up_keeps_articles_and_search(db_url):
    """Every migration can be undone and redone on a populated database without loss."""
    with Corpus(db_url) as corpus:
        list(corpus.add([str(SEEDS)], tags=["syria"]))
        before = corpus.export_records()
        before = list(before)
        revisions = [row.revision for row in _revisions(corpus)]
        for _ in revisions[:-1]:  # walk down to the first revision, one step at a time
            downgrade(corpus.engine, "-1")
        for _ in revisions[:-1]:
            upgrade(corpus.engine, "+1")
        assert current_revision(corpus.engine) == head_revision()
        assert list(corpus.export_records()) == before
        assert len(corpus.search("Lavrov")) == 2


def _revisions(corpus):
    from alembic.script import ScriptDirectory
    from corpus.database import alembic_config

    return list(ScriptDirectory.from_config(alembic_config(corpus.engine)).walk_revisions())


def test_upgrade_to_speaker_organisations_keeps_speakers_and_quotes(db_url):
    """0004 adds speakers.organisation to a populated database: every speaker, alias and
    quote stays, and quotes extracted after it carry the organisation."""
    with Corpus(db_url) as corpus:
        list(corpus.add([str(SEEDS)]))
        downgrade(corpus.engine, "0003")
        assert "organisation" not in {c["name"] for c in inspect(corpus.engine).get_columns("speakers")}
        upgrade(corpus.engine)
        speakers = corpus.speakers()
        assert {"Sergei Lavrov", "Vladimir Putin"} <= {s["name"] for s in speakers}
        assert {s["organisation"] for s in speakers} == {None}
        lavrov = next(s for s in speakers if s["name"] == "Sergei Lavrov")
        assert lavrov["quotes"] == 3 and "Mr Lavrov" in lavrov["aliases"]
        list(corpus.reprocess())
        assert "Kremlin" in {s["organisation"] for s in corpus.speakers()}


def test_curation_migration_merges_tags_that_differ_in_case_or_spaces(db_url):
    """0005: one tag per trimmed, case-folded name; the oldest spelling stays, trimmed."""
    with Corpus(db_url) as corpus:
        list(corpus.add([str(SEEDS / "000_866a51af9ae93c57.txt"), str(SEEDS / "001_8bbc5c1762615b22.txt")]))
        downgrade(corpus.engine, "0004")
        with corpus.engine.begin() as connection:
            for tag_id, name in [(1, "Needs Check"), (2, "needs check"), (3, " NEEDS  CHECK "), (4, "syria "),
                                 (5, "Syria"), (6, "other")]:
                connection.execute(text("INSERT INTO tags (id, name, created_at) VALUES (:i, :n, '2020-01-01')"),
                                   {"i": tag_id, "n": name})
            for article_id, tag_id in [(1, 1), (1, 2), (2, 3), (2, 5), (1, 6)]:
                connection.execute(text("INSERT INTO article_tags (article_id, tag_id, tagged_at) "
                                        "VALUES (:a, :t, '2020-01-01')"), {"a": article_id, "t": tag_id})
        upgrade(corpus.engine)
        assert corpus.tags() == [{"tag": "Needs Check", "articles": 2}, {"tag": "other", "articles": 1},
                                 {"tag": "syria", "articles": 1}]
        assert corpus.article(1)["tags"] == ["Needs Check", "other"]
        assert corpus.tag("needs CHECK", [1, 2]) == 0
        assert corpus.tag("SYRIA", [1]) == 1
        assert len(corpus.search("Baghdadi")) == 1


def test_upgrade_to_quoted_fts_content_keeps_search_and_lets_sqlite_utils_see_it(db_url):
    """0006 remakes SQLite's FTS5 table as content="articles" on a populated database:
    corpus's search and sqlite-utils' both find articles, and the triggers index new ones."""
    import sqlite_utils

    with Corpus(db_url) as corpus:
        list(corpus.add([str(SEEDS / "000_866a51af9ae93c57.txt"), str(SEEDS / "001_8bbc5c1762615b22.txt")]))
        downgrade(corpus.engine, "0005")
        assert [hit["id"] for hit in corpus.search("Damascus")] == [2]
        upgrade(corpus.engine)
        assert [hit["id"] for hit in corpus.search("Damascus")] == [2]
        list(corpus.add([str(SEEDS / "002_ee764d591e737cda.txt")]))
        assert 3 in [hit["id"] for hit in corpus.search("Lavrov")]
        if corpus.engine.dialect.name == "sqlite":
            articles = sqlite_utils.Database(corpus.engine.url.database)["articles"]
            assert articles.detect_fts() == "articles_fts"
            assert [row["id"] for row in articles.search("Damascus")] == [2]
