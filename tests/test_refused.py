"""Refused documents: a page with no article is stored with the reason, listed, never made
an article of, and revisited by reprocess (API and CLI, on every backend; migration 0008)."""
from __future__ import annotations

import json

from sqlalchemy import inspect, text

from corpus import Corpus
from corpus.cleaning import refusal
from corpus.database import current_revision, downgrade, head_revision, upgrade

from conftest import SEEDS

ARTICLE = SEEDS / "000_866a51af9ae93c57.txt"
NAVIGATION = b"Home\nNews\nSport\nCookies\nContact us\n"
ERROR_PAGE = (b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
              b"<p>Sorry, the page you are looking for could not be found. It may have been moved or deleted; "
              b"please try the search box or go back to the home page.</p></body></html>")
ONE_PARAGRAPH = (b"<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
                 b"<h1>Ferry service resumes</h1><p>The island ferry resumed its winter timetable on Monday after "
                 b"a week of storms kept both boats in port, the operator said.</p></body></html>")


def write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_pages_without_an_article_are_stored_refused_with_the_reason(corpus, tmp_path):
    results = {r.source.rsplit("/", 1)[-1]: r for r in corpus.add(
        [write(tmp_path / "nav.txt", NAVIGATION), write(tmp_path / "gone.html", ERROR_PAGE),
         write(tmp_path / "brief.html", ONE_PARAGRAPH), str(ARTICLE)])}
    assert results["nav.txt"].status == "refused"
    assert results["nav.txt"].message == "not an article: navigation only"
    assert results["gone.html"].message == "not an article: error page"
    assert results["nav.txt"].article_id is None
    assert results["brief.html"].status == "added"  # one real paragraph is an article
    assert corpus.article(results["brief.html"].article_id)["title"] == "Ferry service resumes"
    assert results[ARTICLE.name].status == "added"
    listed = corpus.refused()
    assert [(r["source"].rsplit("/", 1)[-1], r["reason"]) for r in listed] == [
        ("nav.txt", "not an article: navigation only"), ("gone.html", "not an article: error page")]
    assert listed[1]["size"] == len(ERROR_PAGE)
    counts = corpus.counts()
    assert (counts["articles"], counts["documents"], counts["refused"]) == (2, 4, 2)
    assert sorted(a["id"] for a in corpus.articles()) == sorted(r.article_id for r in results.values() if r.article_id)


def test_a_refused_page_added_again_stays_one_refused_document(corpus, tmp_path):
    path = write(tmp_path / "nav.txt", NAVIGATION)
    [first] = corpus.add([path], tags=["crawl"])
    [again] = corpus.add([path], tags=["second look"])
    assert (first.status, again.status) == ("refused", "refused")
    assert len(corpus.refused()) == 1 and corpus.counts()["documents"] == 1


def test_reprocess_makes_an_article_of_a_refused_document_when_cleaning_finds_one(corpus, tmp_path, monkeypatch):
    """A better cleaner later: the refused document becomes an article, with the tags and
    title stated when it was added, and leaves the refused list."""
    path = write(tmp_path / "brief.html", ONE_PARAGRAPH)
    monkeypatch.setattr(refusal, "MIN_ARTICLE_WORDS", 1000)  # a cleaner too strict for a short brief
    [result] = corpus.add([path], tags=["ferries"], outlet="Island Post")
    [nav] = corpus.add([write(tmp_path / "nav.txt", NAVIGATION)])
    assert (result.status, nav.status) == ("refused", "refused")
    assert [r.status for r in corpus.reprocess(refused_only=True)] == ["refused", "refused"]
    monkeypatch.undo()
    results = list(corpus.reprocess())
    assert [(r.status, r.source) for r in results] == [("added", path), ("refused", str(tmp_path / "nav.txt"))]
    article = corpus.article(results[0].article_id)
    assert article["tags"] == ["ferries"] and article["outlet"] == "Island Post"
    assert [r["source"] for r in corpus.refused()] == [str(tmp_path / "nav.txt")]
    assert [r.status for r in corpus.reprocess()] == ["reprocessed", "refused"]


def test_reprocess_keeps_an_article_the_cleaner_would_now_refuse(corpus, monkeypatch):
    """People's work on an article outweighs a new cleaner's verdict: it stays as it was."""
    [added] = corpus.add([str(ARTICLE)], tags=["syria"])
    monkeypatch.setattr(refusal, "MIN_ARTICLE_WORDS", 10**6)
    [result] = corpus.reprocess([added.article_id])
    assert result.status == "failed" and result.message == "not an article: navigation only; left as it was"
    assert corpus.article(added.article_id)["tags"] == ["syria"]
    assert corpus.refused() == []


def test_cli_reports_lists_and_reprocesses_refused_documents(cli, tmp_path):
    nav = write(tmp_path / "nav.txt", NAVIGATION)
    added = cli("add", nav, str(ARTICLE))
    assert added.exit_code == 0, added.output
    assert f"refused  {nav}  not an article: navigation only" in added.stdout
    assert "1 added, 0 already present, 1 refused (not articles: corpus list --refused), 0 failed" in added.stdout
    listed = cli("list", "--refused", "--json")
    assert [(r["id"], r["source"], r["reason"]) for r in json.loads(listed.stdout)] == [
        (1, nav, "not an article: navigation only")]
    articles = cli("list", "--json")
    assert [r["id"] for r in json.loads(articles.stdout)] == [1]
    filtered = cli("list", "--refused", "--tag", "x")
    assert filtered.exit_code == 2 and "leave out the filters" in filtered.stderr
    revisited = cli("reprocess", "--refused")
    assert revisited.exit_code == 0
    assert "0 reprocessed, 0 failed, 0 refused documents now articles, 1 still refused" in revisited.stdout
    everything = cli("reprocess", "--all", "--json")
    assert [r["status"] for r in json.loads(everything.stdout)] == ["reprocessed", "refused"]
    assert "refused:" in cli("stats").stdout


def test_migration_0008_upgrades_a_populated_database(db_url, tmp_path):
    """No row changes on the upgrade; a refused document can be stored after it; a
    downgrade keeps every document row, and the refused one's reason for the next upgrade."""
    with Corpus(db_url) as corpus:
        list(corpus.add([str(ARTICLE), str(SEEDS / "001_8bbc5c1762615b22.txt")], tags=["syria"]))
        downgrade(corpus.engine, "0007")
        assert "refusal" not in {c["name"] for c in inspect(corpus.engine).get_columns("documents")}
        upgrade(corpus.engine)
        assert current_revision(corpus.engine) == head_revision()
        with corpus.engine.connect() as connection:
            rows = connection.execute(text("SELECT source, refusal FROM documents")).all()
        assert rows == [(None, None), (None, None)]
        assert corpus.refused() == [] and len(corpus.search("Baghdadi")) == 1
        [refused] = corpus.add([write(tmp_path / "nav.txt", NAVIGATION)], tags=["menus"])
        assert refused.status == "refused"
        listed = corpus.refused()
        downgrade(corpus.engine, "0007")
        with corpus.engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM documents")).scalar() == 3
        upgrade(corpus.engine)
        assert corpus.refused() == listed  # the reason and source kept across the downgrade
        assert [a["tags"] for a in corpus.articles()] == [["syria"], ["syria"]]
        with corpus.engine.connect() as connection:
            stated = connection.execute(text("SELECT supplied_metadata FROM documents WHERE refusal IS NOT NULL"))
            assert [json.loads(value) if isinstance(value, str) else value for value, in stated] == [{"tags": ["menus"]}]
