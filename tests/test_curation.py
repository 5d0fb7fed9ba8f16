"""Curation through the Python API: edits, deletes, quote and speaker decisions, tags, the
history and undo; and that every decision survives later adds and reprocessing."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select, text

from corpus import ArticleFilter, Corpus, CorpusError
from corpus.models import Article, Document, NearDuplicate, Quote

from conftest import SEEDS

FIRST_SEED = SEEDS / "000_866a51af9ae93c57.txt"


def count(corpus: Corpus, model) -> int:
    with corpus.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def quote_ids(corpus: Corpus, article_id: int) -> list[int]:
    return [quote["id"] for quote in corpus.article(article_id)["quotes"]]


# --- editing articles ------------------------------------------------------------------------------

def test_edit_sets_and_clears_fields_and_reprocess_keeps_them(seeded):
    record = seeded.edit([1, 2], outlet="Reuters", published="2016-01-05", note="from the print edition")
    assert record["action"] == "edit" and record["articles"] == [1, 2] and record["note"] == "from the print edition"
    seeded.edit([1], title="Putin and Saudi minister agree", byline="", subtitle="A standfirst")
    article = seeded.article(1)
    assert (article["title"], article["subtitle"], article["byline"], article["outlet"]) == (
        "Putin and Saudi minister agree", "A standfirst", None, "Reuters")
    assert article["published_at"].isoformat() == "2016-01-05T00:00:00"
    assert [a["id"] for a in seeded.articles(filters=ArticleFilter(outlet="reuters"))] == [2, 1]
    assert [hit["id"] for hit in seeded.search("standfirst OR Saudi minister agree")][:1] == [1]

    assert all(r.status == "reprocessed" for r in seeded.reprocess())
    again = seeded.article(1)
    assert {k: again[k] for k in ("title", "subtitle", "byline", "outlet", "published_at")} == {
        k: article[k] for k in ("title", "subtitle", "byline", "outlet", "published_at")}
    assert seeded.article(3)["title"].startswith("Backing Assad")  # untouched articles are re-cleaned as ever


def test_edit_refuses_bad_input_and_changes_nothing(seeded):
    before = seeded.article(1)
    for call, message in [
        (lambda: seeded.edit([99], title="x"), "no article with id 99"),
        (lambda: seeded.edit([1], published="last tuesday"), "not a date"),
        (lambda: seeded.edit([1, 2], url="https://example.org/a"), "one article at a time"),
        (lambda: seeded.edit([1], url="not a url"), "not a web address"),
        (lambda: seeded.edit([1]), "nothing to edit"),
    ]:
        with pytest.raises(CorpusError, match=message):
            call()
    seeded.edit([2], url="https://example.org/a")
    with pytest.raises(CorpusError, match="article 2 already has the URL"):
        seeded.edit([1], url="https://example.org/a/")
    assert seeded.article(1) == before
    assert [entry["articles"] for entry in seeded.history()] == [[2]]


# --- deleting articles -----------------------------------------------------------------------------

def test_delete_removes_everything_of_the_article_and_the_file_adds_again(seeded):
    seeded.tag("mine", [1])
    quotes_before = count(seeded, Quote)
    removed = seeded.delete([1], note="duplicate scan")
    assert [a["id"] for a in removed["articles"]] == [1]
    assert removed["articles"][0]["tags"] == ["mine"]
    assert (removed["quotes"], removed["tags"], removed["documents"]) == (3, 1, 1)
    assert count(seeded, Quote) == quotes_before - 3
    assert count(seeded, Document) == 4
    assert seeded.tags() == []  # a tag on no article is not listed as used
    with pytest.raises(CorpusError, match="no article with id 1"):
        seeded.article(1)
    assert seeded.search("Baghdadi") == []
    [entry] = seeded.history(article_id=1)[:1]
    assert entry["action"] == "delete" and entry["id"] == removed["history_id"]

    [result] = list(seeded.add([str(FIRST_SEED)]))
    assert result.status == "added" and result.article_id == 6
    assert len(seeded.article(6)["quotes"]) == 3


def test_delete_by_search_and_filters_and_a_filter_matching_nothing(seeded):
    with pytest.raises(CorpusError, match="no articles match"):
        seeded.delete(search="Lavrov", filters=ArticleFilter(outlet="nowhere"))
    with pytest.raises(CorpusError, match="give article ids"):
        seeded.delete()
    assert count(seeded, Article) == 5
    seeded.tag("wire", [3, 4])
    removed = seeded.delete(search="Lavrov", filters=ArticleFilter(tag="wire"))
    assert [a["id"] for a in removed["articles"]] == [3]  # article 1 mentions Lavrov but is not tagged


def test_delete_with_sql_then_adding_the_file_again(db_url, tmp_path):
    with Corpus(db_url) as corpus:
        list(corpus.add([str(FIRST_SEED)], tags=["x"]))
        with corpus.engine.begin() as connection:  # foreign keys are on, as for any user of the file
            connection.execute(text("DELETE FROM articles WHERE id = 1"))
        assert count(corpus, Document) == 1  # the document stays behind
        [result] = list(corpus.add([str(FIRST_SEED)], tags=["x"]))
        assert result.status == "added", result.message
        assert count(corpus, Document) == 1
        assert corpus.article(result.article_id)["tags"] == ["x"]


def delete_without_foreign_keys(url: str, article_id: int) -> None:
    """Delete an article as a person at a SQL prompt may: sqlite3's shell leaves foreign keys
    off, so the article's quotes, tags and fingerprint stay behind (on PostgreSQL, as a
    superuser who switched the foreign-key triggers off)."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))  # foreign keys off, as in the shell
        connection.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        connection.commit()
        connection.close()
        return
    with Corpus(url) as other, other.engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        connection.execute(text("DELETE FROM articles WHERE id = :id"), {"id": article_id})


def test_rows_left_by_a_delete_with_foreign_keys_off_are_not_inherited(db_url, tmp_path):
    """The next article may get the deleted one's id (SQLite gives the id after the
    highest): it starts clean, and a near-copy of the deleted text links to nothing gone."""
    with Corpus(db_url) as corpus:
        seeds = sorted(SEEDS.glob("00*.txt"))
        list(corpus.add([str(seeds[0])], tags=["first"]))
        list(corpus.add([str(seeds[1])], tags=["second"]))
        leftover = len(corpus.article(2)["quotes"])
        delete_without_foreign_keys(db_url, 2)
        [added] = list(corpus.add([str(seeds[2])], tags=["third"]))
        assert added.status == "added", added.message
        article = corpus.article(added.article_id)
        assert article["tags"] == ["third"] and leftover and len(article["quotes"]) == len(
            [q for q in corpus.quotes(article_id=added.article_id)])
        assert {q["article_title"] for q in corpus.quotes(article_id=added.article_id)} == {article["title"]}
        [again] = list(corpus.add([str(seeds[1])]))
        assert again.status == "added", again.message
        assert corpus.article(again.article_id)["tags"] == []

        delete_without_foreign_keys(db_url, 1)  # not the highest id: its fingerprint stays
        copy = tmp_path / "copy.txt"
        copy.write_text(seeds[0].read_text(encoding="utf-8").replace("Sunday", "Monday"), encoding="utf-8")
        [near] = list(corpus.add([str(copy)]))
        assert near.status == "added", near.message
        assert corpus.article(near.article_id)["near_copies"] == []


def test_deleting_the_first_article_of_a_cluster_keeps_the_others_linked(corpus, tmp_path):
    body = "\n\n".join(f"Paragraph {i} of a wire story about the ceasefire talks in Geneva, "
                       f"with enough words in it to be a real paragraph number {i}." for i in range(12))
    paths = []
    for i in range(3):
        path = tmp_path / f"{i}.txt"
        path.write_text(f"Wire story {i}\n\n{body}\n\nEdited line {i} for outlet {i}.", encoding="utf-8")
        paths.append(str(path))
    assert [r.status for r in corpus.add(paths)] == ["added"] * 3
    assert [len(c["articles"]) for c in corpus.duplicates()] == [3]
    corpus.delete([1])
    [cluster] = corpus.duplicates()
    assert cluster["cluster"] == 2 and [a["id"] for a in cluster["articles"]] == [2, 3]
    assert cluster["articles"][1]["similarity"] > 0.5
    with corpus.sessions() as session:
        assert session.scalar(select(func.count()).select_from(NearDuplicate)) == 1


# --- quotes ----------------------------------------------------------------------------------------

def test_reject_hides_a_quote_everywhere_and_restore_brings_it_back(seeded):
    lavrov = seeded.quotes(speaker="Lavrov")
    first = lavrov[0]["id"]
    record = seeded.reject_quotes([first], note="a paraphrase")
    assert record["action"] == "quote-reject" and record["quotes"] == [first]
    assert first not in [q["id"] for q in seeded.quotes(speaker="Lavrov")]
    assert [q["id"] for q in seeded.quotes(rejected=True)] == [first]
    assert first not in [q["id"] for r in seeded.export_records() for q in r["quotes"]]
    assert seeded.speakers(name="Lavrov")[0]["quotes"] == len(lavrov) - 1
    assert [q["status"] for q in seeded.article(1)["quotes"] if q["id"] == first] == ["rejected"]
    with pytest.raises(CorpusError, match="already rejected"):
        seeded.reject_quotes([first])
    seeded.restore_quotes([first])
    assert [q["id"] for q in seeded.quotes(speaker="Lavrov")] == [q["id"] for q in lavrov]


def test_quote_errors(seeded):
    with pytest.raises(CorpusError, match="no quote with id 999"):
        seeded.reject_quotes([1, 999])
    with pytest.raises(CorpusError, match="no speaker with id 999"):
        seeded.assign_quotes([1], 999)
    seeded.delete([1])
    with pytest.raises(CorpusError, match="no quote with id 1"):
        seeded.assign_quotes([1], "Kofi Annan")
    assert [entry["action"] for entry in seeded.history()] == ["delete"]


def test_assign_to_an_existing_speaker_by_name_or_id_or_to_a_new_one(seeded):
    [cameron] = seeded.speakers(name="David Cameron")
    quote = seeded.quotes(speaker="Lavrov")[0]["id"]
    record = seeded.assign_quotes([quote], "Cameron")
    assert record["after"]["speaker"] == {"id": cameron["id"], "name": "David Cameron", "created": False}
    assert quote in [q["id"] for q in seeded.quotes(speaker="David Cameron")]
    created = seeded.assign_quotes([quote], "Maria Zakharova")["after"]["speaker"]
    assert created["created"] and created["name"] == "Maria Zakharova"
    seeded.assign_quotes([quote], str(cameron["id"]))
    [row] = [q for q in seeded.quotes(article_id=1) if q["id"] == quote]
    assert (row["speaker"], row["speaker_id"], row["speaker_assigned"]) == ("David Cameron", cameron["id"], True)


# --- tags ------------------------------------------------------------------------------------------

def test_tags_are_one_per_case_folded_trimmed_name(seeded):
    assert seeded.tag("Needs Check", [1]) == 1
    assert seeded.tag("needs check", [1, 2]) == 1
    assert seeded.tag("  NEEDS   check ", [3]) == 1
    assert seeded.tags() == [{"tag": "Needs Check", "articles": 3}]
    assert [a["id"] for a in seeded.articles(filters=ArticleFilter(tag="needs CHECK"))] == [3, 2, 1]
    assert seeded.untag("needs check", [2]) == 1
    assert seeded.tags() == [{"tag": "Needs Check", "articles": 2}]


def test_tag_and_untag_by_search_and_filters(seeded):
    assert seeded.tag("lavrov", search="Lavrov") == 2
    assert seeded.tag("wire", [3, 4]) == 2
    assert seeded.tag("lavrov-wire", search="Lavrov", filters=ArticleFilter(tag="wire")) == 1
    seeded.edit([3], published="2016-01-10")
    assert seeded.tag("dated", filters=ArticleFilter(since="2016-01-01")) == 2
    assert seeded.untag("lavrov", search="Lavrov", filters=ArticleFilter(since="2016-01-01")) == 1
    assert [a["id"] for a in seeded.articles(filters=ArticleFilter(tag="lavrov"))] == [1]
    assert seeded.untag("dated", [3, 4], filters=ArticleFilter(tag="lavrov-wire")) == 1
    with pytest.raises(CorpusError, match="no articles match"):
        seeded.tag("x", search="nosuchwordanywhere")
    with pytest.raises(CorpusError, match="no tag named 'nope'"):
        seeded.untag("nope", [1])


def test_rename_tag_and_merge_into_an_existing_one(seeded):
    seeded.tag("syria", [1, 2])
    seeded.tag("Syrie", [2, 3])
    seeded.tag("ceasefire", [4])
    seeded.rename_tag("ceasefire", "Truce")
    assert {t["tag"] for t in seeded.tags()} == {"syria", "Syrie", "Truce"}
    record = seeded.rename_tag("syrie", "SYRIA")
    assert record["after"]["merged"] and record["after"]["articles_added"] == [3]
    assert seeded.tags() == [{"tag": "Truce", "articles": 1}, {"tag": "syria", "articles": 3}]
    seeded.rename_tag("syria", "Syria")  # a new spelling of the same tag
    with pytest.raises(CorpusError, match="already named 'Syria'"):
        seeded.rename_tag("Syria", "Syria")
    with pytest.raises(CorpusError, match="no tag named 'nope'"):
        seeded.rename_tag("nope", "x")
    seeded.delete_tag("truce")
    assert seeded.tags() == [{"tag": "Syria", "articles": 3}]


# --- speakers --------------------------------------------------------------------------------------

def test_a_renamed_speaker_keeps_the_name_through_adds_and_reprocess(corpus, tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("UN talks\n\n\"We must stop the fighting now and talk,\" said UN Secretary-General "
                    "Antonio Guterres on Monday.\n", encoding="utf-8")
    list(corpus.add([str(page)]))
    [speaker] = corpus.speakers()
    corpus.rename_speaker(speaker["id"], "Antonio Guterres")
    more = tmp_path / "b.txt"
    more.write_text("More UN talks\n\n\"Every side has to give something up for this,\" UN "
                    "Secretary-General Antonio Guterres said.\n", encoding="utf-8")
    list(corpus.add([str(more)]))
    list(corpus.reprocess())
    [speaker] = corpus.speakers()
    assert speaker["name"] == "Antonio Guterres" and speaker["quotes"] == 2
    assert [s["id"] for s in corpus.speakers(name="UN Secretary-General Antonio Guterres")] == [speaker["id"]]


def test_merged_speakers_stay_merged_and_keep_the_kept_name(seeded):
    [putin] = seeded.speakers(name="Vladimir Putin")
    [lavrov] = seeded.speakers(name="Sergei Lavrov")
    merged = seeded.merge_speakers(putin["id"], [lavrov["id"]], note="test merge")
    assert merged["name"] == "Vladimir Putin" and merged["history_id"]
    list(seeded.reprocess())
    list(seeded.add([str(SEEDS)]))
    assert [s["id"] for s in seeded.speakers(name="Sergei Lavrov")] == [putin["id"]]
    assert seeded.speakers(name="Putin")[0]["quotes"] == putin["quotes"] + lavrov["quotes"]
    with pytest.raises(CorpusError, match="cannot be undone"):
        seeded.undo(merged["history_id"])


# --- reprocess keeps quote ids ---------------------------------------------------------------------

def test_reprocess_keeps_quote_ids_and_their_decisions(seeded):
    ids = {a["id"]: quote_ids(seeded, a["id"]) for a in seeded.articles()}
    rejected, assigned = ids[3][0], ids[3][1]
    seeded.reject_quotes([rejected])
    seeded.assign_quotes([assigned], "Maria Zakharova")
    list(seeded.reprocess())
    assert {a["id"]: quote_ids(seeded, a["id"]) for a in seeded.articles()} == ids
    quotes = {q["id"]: q for q in seeded.article(3)["quotes"]}
    assert quotes[rejected]["status"] == "rejected"
    assert (quotes[assigned]["speaker"], quotes[assigned]["speaker_assigned"]) == ("Maria Zakharova", True)


# --- history and undo ------------------------------------------------------------------------------

def test_every_action_is_in_the_history_and_can_be_looked_up(seeded):
    seeded.edit([1], title="T", note="n1")
    seeded.tag("t", [1, 2])
    seeded.reject_quotes([quote_ids(seeded, 1)[0]])
    seeded.rename_speaker(1, "Sergei Viktorovich Lavrov")
    seeded.untag("t", [2])
    entries = seeded.history()
    assert [e["action"] for e in entries] == ["untag", "speaker-rename", "quote-reject", "tag", "edit"]
    assert [e["action"] for e in seeded.history(article_id=1)] == ["quote-reject", "tag", "edit"]
    assert [e["action"] for e in seeded.history(speaker_id=1)] == ["speaker-rename", "quote-reject"]
    assert [e["action"] for e in seeded.history(limit=2)] == ["untag", "speaker-rename"]
    assert entries[-1]["note"] == "n1" and entries[-1]["before"]["articles"]["1"]["title"].startswith("Putin")


def test_undo_reverses_each_undoable_action_once(seeded):
    title = seeded.article(1)["title"]
    quote = quote_ids(seeded, 1)[0]
    speaker = seeded.quotes(article_id=1)[0]["speaker_id"]
    actions = [
        seeded.edit([1], title="T"),
        seeded.reject_quotes([quote]),
        seeded.assign_quotes([quote], "Maria Zakharova"),
        {"id": seeded.rename_speaker(2, "Adel Ahmed al-Jubeir")["history_id"]},
    ]
    seeded.tag("a", [1, 2])
    seeded.tag("b", [2])
    actions += [seeded.history(limit=2)[1], seeded.untag("b", [2]) and seeded.history(limit=1)[0]]
    actions.append(seeded.rename_tag("a", "b"))
    for action in reversed(actions):
        undo = seeded.undo(action["id"], note="oops")
        assert undo["action"] == "undo" and undo["undo_of"] == action["id"]
    assert seeded.article(1)["title"] == title
    [restored] = [q for q in seeded.article(1)["quotes"] if q["id"] == quote]
    assert (restored["status"], restored["speaker_id"], restored["speaker_assigned"]) == ("found", speaker, False)
    assert seeded.speaker(2)["name"] == "Adel al-Jubeir"
    assert seeded.tags() == [{"tag": "b", "articles": 1}]  # "tag b" itself was not undone
    with pytest.raises(CorpusError, match=f"#{actions[0]['id']} was already undone"):
        seeded.undo(actions[0]["id"])
    with pytest.raises(CorpusError, match="no history entry 999"):
        seeded.undo(999)


def test_undo_refuses_when_a_later_action_changed_the_same_value(seeded):
    first = seeded.edit([1], title="First")
    seeded.edit([1], title="Second")
    with pytest.raises(CorpusError, match="changed since"):
        seeded.undo(first["id"])
    assert seeded.article(1)["title"] == "Second"
    removed = seeded.delete([2])
    with pytest.raises(CorpusError, match="a delete cannot be undone"):
        seeded.undo(removed["history_id"])


def test_an_undone_tag_delete_brings_the_tag_back_on_its_articles(seeded):
    seeded.tag("Reviewed", [1, 3])
    deleted = seeded.delete_tag("reviewed")
    seeded.undo(deleted["id"])
    assert seeded.tags() == [{"tag": "Reviewed", "articles": 2}]



def test_control_characters_are_refused_and_change_nothing(listed_seeds):
    """A NUL in a name or note (which PostgreSQL cannot store) is a one-line refusal on
    both databases, before anything is written."""
    seeded = listed_seeds
    before = (seeded.article(1), seeded.tags(), seeded.speaker(1)["name"])
    quote = quote_ids(seeded, 1)[0]
    for call, message in [
        (lambda: seeded.tag("needs\x00check", [1]), "a tag name cannot contain control characters"),
        (lambda: seeded.untag("syria\x00", [1]), "a tag name cannot contain control characters"),
        (lambda: seeded.rename_tag("syria", "Sy\x07ria"), "a tag name cannot contain control characters"),
        (lambda: seeded.edit([1], title="A\x00title"), "title cannot contain control characters"),
        (lambda: seeded.rename_speaker(1, "Sergei\x00Lavrov"), "a speaker's name cannot contain control"),
        (lambda: seeded.assign_quotes([quote], "Kofi\x00Annan"), "a speaker's name cannot contain control"),
        (lambda: seeded.edit([1], title="Fine", note="why\x00"), "a note cannot contain control characters"),
    ]:
        with pytest.raises(CorpusError, match=message):
            call()
    assert (seeded.article(1), seeded.tags(), seeded.speaker(1)["name"]) == before
    assert seeded.history() == []
    assert seeded.edit([1], title="Fine", note="two lines\nof note")["note"] == "two lines\nof note"


# --- adding a document already present -------------------------------------------------------------

def test_adding_a_present_document_applies_tags_and_stated_metadata(seeded):
    results = list(seeded.add([str(FIRST_SEED)], tags=["late", "LATE"]))
    assert [(r.status, r.message) for r in results] == [("tagged", "tag 'late'")]
    [result] = list(seeded.add([str(FIRST_SEED)], tags=["late"], outlet="The Guardian", published="2015-10-11"))
    assert result.status == "updated" and "outlet 'The Guardian'" in result.message
    assert seeded.article(1)["outlet"] == "The Guardian"
    [again] = list(seeded.add([str(FIRST_SEED)], tags=["late"], outlet="The Guardian", published="2015-10-11"))
    assert again.status == "present"
    list(seeded.reprocess([1]))
    assert seeded.article(1)["outlet"] == "The Guardian"
    assert [e["action"] for e in seeded.history(article_id=1)] == ["edit", "tag"]
