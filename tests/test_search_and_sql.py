"""Full-text search and read-only SQL behave the same on both databases."""
from __future__ import annotations

import pytest

from corpus import ArticleFilter
from corpus.readonly import ReadOnlyError
from corpus.search import SearchQueryError, fts5_query

SEED_TITLES = {
    "putin": "Putin and Saudi defence minister agree to co-operate in Syria",
    "shoigu": "Assad, Russian defence chief meet in Damascus amid US concerns",
}


def test_search_ranks_matches_and_gives_snippets(seeded):
    hits = seeded.search("Shoigu")
    assert [h["title"] for h in hits] == [SEED_TITLES["shoigu"]]
    assert "[Shoigu]" in hits[0]["snippet"]


def test_search_syntax_phrases_exclusion_and_or(seeded):
    assert {h["id"] for h in seeded.search('"Abu Bakr al-Baghdadi"')} == {1}
    lavrov = {h["id"] for h in seeded.search("Lavrov")}
    assert lavrov and 1 in lavrov
    assert 1 not in {h["id"] for h in seeded.search("Lavrov -Baghdadi")}
    assert {h["id"] for h in seeded.search("Shoigu OR Baghdadi")} == {1, 2}


def test_search_respects_filters(seeded):
    seeded.tag("defence", [2])
    assert [h["id"] for h in seeded.search("Putin", filters=ArticleFilter(tag="defence"))] == [2]


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR NOT (", "title:x*", "NEAR(a b)", "a'b", "-", '""'])
def test_user_text_never_breaks_the_search_syntax(seeded, query):
    try:
        seeded.search(query)
    except SearchQueryError as exc:
        assert "empty search" in str(exc)


def test_a_query_of_only_exclusions_is_a_clear_error(seeded):
    with pytest.raises(SearchQueryError, match="not excluded"):
        seeded.search("-Putin")


def test_fts5_query_quotes_every_word():
    assert fts5_query('putin "defence minister" -iran') == '(("putin") AND ("defence minister")) NOT "iran"'
    assert fts5_query("x* OR b") == '("x" OR "b")'
    assert fts5_query("NEAR(x) -y") == '(("NEAR x")) NOT "y"'
    assert fts5_query("title:x*") == '("title x")'


def test_search_follows_updates_and_deletes(seeded):
    with seeded.sessions() as session, session.begin():
        from corpus.models import Article
        article = session.get(Article, 2)
        article.title = "Completely different headline about zeppelins"
    assert [h["id"] for h in seeded.search("zeppelins")] == [2]
    with seeded.sessions() as session, session.begin():
        from corpus.models import Article
        session.delete(session.get(Article, 2))
    assert seeded.search("zeppelins") == []


def test_sql_reads(seeded):
    result = seeded.sql("SELECT o.name, count(*) AS n FROM articles a JOIN outlets o ON o.id = a.outlet_id "
                        "GROUP BY o.name ORDER BY o.name")
    assert result.columns == ["name", "n"]
    assert all(isinstance(n, int) for _, n in result.rows)


@pytest.mark.parametrize("statement", [
    "DELETE FROM articles",
    "UPDATE articles SET title = 'x'",
    "INSERT INTO tags (name, created_at) VALUES ('x', '2020-01-01')",
    "DROP TABLE quotes",
    "CREATE TABLE evil (x int)",
    "SELECT 1; DELETE FROM articles",
    "WITH gone AS (DELETE FROM articles RETURNING id) SELECT * FROM gone",
])
def test_sql_refuses_writes_and_changes_nothing(seeded, statement):
    with pytest.raises(ReadOnlyError):
        seeded.sql(statement)
    assert seeded.counts()["articles"] == 5
    assert seeded.sql("SELECT count(*) FROM articles").rows == [(5,)]


def test_sql_refuses_attach_and_settings(seeded, tmp_path):
    dialect = seeded.engine.dialect.name
    statements = (
        [f"ATTACH DATABASE '{tmp_path / 'x.db'}' AS x", "PRAGMA query_only = OFF", "PRAGMA foreign_keys = OFF",
         "SELECT load_extension('x')"]
        if dialect == "sqlite" else
        ["SET default_transaction_read_only = off", "SELECT set_config('search_path', 'x', false)",
         "SELECT pg_read_file('/etc/passwd')", "COPY articles TO '/tmp/x'"]
    )
    for statement in statements:
        with pytest.raises(ReadOnlyError):
            seeded.sql(statement)
    assert not (tmp_path / "x.db").exists()
    # the connection the statement ran on is back to normal: writes through the API work
    assert seeded.tag("still-writable", [1]) == 1


def test_sql_errors_are_one_line(seeded):
    with pytest.raises(ReadOnlyError) as raised:
        seeded.sql("SELEC nonsense")
    assert "\n" not in str(raised.value)


def test_match_counts_are_exact_within_the_ranked_window_and_estimated_past_it(corpus, monkeypatch):
    """estimate_matches counts exactly up to RANK_WINDOW matches; past it, it says about
    how many from how densely the newest matches lie among the articles."""
    from corpus import search as fulltext

    ids = []
    for i in range(8):
        words = "zebra crossing" if i % 2 else "pelican crossing"
        ids.append(corpus.add_bytes(f"A {words} number {i} is planned by the council for the town centre.".encode(),
                                    source=f"{i}.txt", tags=["t"] if i < 6 else []).article_id)
    assert corpus.estimate_matches("zebra") == {"matches": 4, "exact": True}
    assert corpus.estimate_matches("zebra", filters=ArticleFilter(tag="t")) == {"matches": 3, "exact": True}
    monkeypatch.setattr(fulltext, "RANK_WINDOW", 2)
    # the three newest zebras (articles 8, 6, 4) lie among the newest five of eight: about 3 × 8 / 5
    assert corpus.estimate_matches("zebra") == {"matches": 5, "exact": False}
    assert corpus.estimate_matches("crossing") == {"matches": 8, "exact": False}
    # the tagged zebras are articles 2, 4 and 6: 3 × 8 / 7
    assert corpus.estimate_matches("zebra", filters=ArticleFilter(tag="t")) == {"matches": 3, "exact": False}
    assert corpus.count_matches("zebra") == 4  # counting is always exact
    assert corpus.estimate_matches("nonexistentword") == {"matches": 0, "exact": True}


def test_estimates_keep_two_significant_figures():
    from corpus.search import _two_figures

    assert [_two_figures(v) for v in (7.4, 74.2, 740.6, 74_049.9, 1_049)] == [7, 74, 740, 74_000, 1_000]


def test_a_very_common_query_ranks_the_most_recent_matches(corpus, monkeypatch):
    """Past RANK_WINDOW matches only the most recently added are ranked (search stays fast
    at any size), filters included."""
    from corpus import search as fulltext

    texts = ["Zebra zebra zebra crossing plans debated by the council at length today.",
             "Zebra crossing approved after a long meeting of the town council members.",
             "A zebra crossing near the school opens next week, the council says here.",
             "Council notes one more zebra crossing request from parents this month too."]
    ids = [corpus.add_bytes(t.encode(), source=f"{i}.txt", tags=["t"] if i != 3 else []).article_id
           for i, t in enumerate(texts)]
    assert {h["id"] for h in corpus.search("zebra")} == set(ids)
    monkeypatch.setattr(fulltext, "RANK_WINDOW", 2)
    assert {h["id"] for h in corpus.search("zebra", limit=2)} == set(ids[2:])
    assert {h["id"] for h in corpus.search("zebra", limit=2, filters=ArticleFilter(tag="t"))} == set(ids[1:3])
    # asking for more results than the window widens it: every match comes back
    assert {h["id"] for h in corpus.search("zebra", limit=3)} == set(ids[1:])
