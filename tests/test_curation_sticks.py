"""The "done when" of curation: every kind of decision a person makes, then 20 new pages
about the same people and `reprocess --all`, and every decision is intact."""
from __future__ import annotations

import json
from pathlib import Path

from corpus import Corpus

from conftest import SEEDS, Cli

PEOPLE_SAY = [
    ('"We cannot let the people of {city} wait another week for food and medicine," '
     'UN Secretary-General Antonio Guterres said on {day}.'),
    ('Russia\'s foreign minister Sergei Lavrov said the talks in {city} were "the only realistic path to '
     'a political settlement in Syria".'),
    '"Our position on {city} has not changed and will not change this {day}," Mr Lavrov told reporters.',
    ('"The president is following the negotiations on {city} closely and expects results," the Kremlin '
     'said in a statement.'),
    ('"We support every effort that brings the fighting in {city} to an end as soon as possible," '
     'the Russian President\'s office said.'),
    ('"Nobody in {city} should have to choose between hunger and bombs," Guterres added, '
     'speaking again on {day}.'),
]
CITIES = ["Aleppo", "Homs", "Idlib", "Raqqa", "Deir ez-Zor", "Palmyra", "Daraa", "Hama", "Latakia", "Douma"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def news_page(number: int) -> str:
    """A plain-text page dump (headline, byline, body, page chrome) in which the same
    people speak as in every other generated page, in words of its own."""
    city, day = CITIES[number % len(CITIES)], DAYS[number % len(DAYS)]
    paragraphs = [f"Report {number}: talks on {city} resume as envoys meet for the {number + 1}th time."]
    for turn in range(4):
        said = PEOPLE_SAY[(number + turn) % len(PEOPLE_SAY)]
        paragraphs.append(said.format(city=city, day=day))
        paragraphs.append(f"Delegations from {number + turn + 3} countries attended the session in Geneva, "
                          f"where the situation in {city} was discussed for a {turn + 2}th hour.")
    return "\n\n".join([f"Syria talks, report {number}: envoys meet over {city}", "By Staff Reporter",
                        *paragraphs, "Share this article", "Comments"]) + "\n"


def write_pages(directory: Path, numbers: range) -> list[str]:
    directory.mkdir(exist_ok=True)
    paths = []
    for number in numbers:
        path = directory / f"report-{number:02}.txt"
        path.write_text(news_page(number), encoding="utf-8")
        paths.append(str(path))
    return paths


def speaker_named(corpus: Corpus, name: str) -> dict:
    [speaker] = corpus.speakers(name=name)
    return speaker


def test_every_decision_survives_new_pages_and_reprocess_all(db_url, tmp_path):
    cli = Cli(db_url)
    assert cli("add", "--manifest", str(SEEDS / "manifest.csv")).exit_code == 0
    [first_report] = write_pages(tmp_path / "first", range(1))
    assert cli("add", first_report).exit_code == 0
    corpus = Corpus(db_url)

    # Speakers: a rename, and a merge of two rows a person knows are one.
    guterres = speaker_named(corpus, "UN Secretary-General Antonio Guterres")
    assert cli("speakers", "rename", str(guterres["id"]), "Antonio Guterres", "--note", "no title").exit_code == 0
    kremlin, office = speaker_named(corpus, "Kremlin"), speaker_named(corpus, "Russian President's office")
    assert cli("speakers", "merge", str(kremlin["id"]), str(office["id"])).exit_code == 0

    # Articles: edited fields, a cleared one.
    assert cli("edit", "2", "--title", "Assad meets Russian defence chief", "--outlet", "MEE",
               "--published", "2015-10-20", "--byline", "").exit_code == 0
    # Quotes: one rejected, one given to the right (new) speaker.
    quotes_of_3 = corpus.quotes(article_id=3)
    rejected, reassigned = quotes_of_3[0]["id"], quotes_of_3[1]["id"]
    assert cli("quotes", "reject", str(rejected), "--note", "reported speech").exit_code == 0
    assert cli("quotes", "assign", str(reassigned), "--speaker", "Maria Zakharova").exit_code == 0
    # Tags: case-insensitive, renamed, deleted, removed.
    assert cli("tag", "Needs Check", "1", "2").exit_code == 0
    assert cli("tag", "needs check ", "4").exit_code == 0
    assert cli("tags", "rename", "saudi-arabia", "Saudi Arabia").exit_code == 0
    assert cli("tags", "delete", "russia").exit_code == 0
    assert cli("untag", "syria", "5").exit_code == 0

    quote_ids = {a["id"]: [q["id"] for q in corpus.article(a["id"])["quotes"]] for a in corpus.articles()}
    edited = {k: corpus.article(2)[k] for k in ("title", "outlet", "published_at", "byline")}
    tags = {a["id"]: a["tags"] for a in corpus.articles()}
    history_before = corpus.history()

    # Twenty new pages about the same people, then everything cleaned again.
    added = cli("add", *write_pages(tmp_path / "more", range(1, 21)))
    assert added.exit_code == 0 and "20 added" in added.stdout
    result = cli("reprocess", "--all")
    assert result.exit_code == 0 and "26 reprocessed, 0 failed" in result.stdout

    # Names and merges.
    renamed = speaker_named(corpus, "Antonio Guterres")
    assert renamed["id"] == guterres["id"] and renamed["name"] == "Antonio Guterres"
    assert renamed["quotes"] > guterres["quotes"]  # the new pages' quotes joined the renamed speaker
    assert [s["id"] for s in corpus.speakers(name="UN Secretary-General Antonio Guterres")] == [guterres["id"]]
    assert [s["id"] for s in corpus.speakers(name="Russian President's office")] == [kremlin["id"]]
    assert not [s for s in corpus.speakers() if s["name"] in ("UN Secretary-General Antonio Guterres",
                                                               "Russian President's office")]
    merged = speaker_named(corpus, "Kremlin")
    assert merged["quotes"] > kremlin["quotes"] + office["quotes"]
    # Edited fields.
    assert {k: corpus.article(2)[k] for k in edited} == edited
    # Quotes keep their ids, rejections and assignments.
    assert {a: [q["id"] for q in corpus.article(a)["quotes"]] for a in quote_ids} == quote_ids
    by_id = {q["id"]: q for q in corpus.article(3)["quotes"]}
    assert by_id[rejected]["status"] == "rejected"
    assert rejected not in [q["id"] for q in corpus.quotes()]
    assert (by_id[reassigned]["speaker"], by_id[reassigned]["speaker_assigned"]) == ("Maria Zakharova", True)
    # Tags.
    assert {a: tags[a] for a in tags} == {a["id"]: a["tags"] for a in corpus.articles() if a["id"] in tags}
    assert {t["tag"] for t in corpus.tags()} == {"Needs Check", "Saudi Arabia", "syria"}
    # The history holds every decision, and nothing was added to it by adding or reprocessing.
    assert corpus.history() == history_before
    assert [e["action"] for e in reversed(history_before)] == [
        "speaker-rename", "speaker-merge", "edit", "quote-reject", "quote-assign", "tag", "tag",
        "tag-rename", "tag-delete", "untag"]
    assert json.loads(cli("history", "--speaker", str(guterres["id"]), "--json").stdout)[0]["note"] == "no title"
    corpus.close()
