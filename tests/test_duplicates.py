"""Near-duplicate detection when adding: near-copies are linked, both are kept, and
--no-duplicates counts each story once."""
from __future__ import annotations

import json

from corpus import ArticleFilter

from conftest import Cli

STORY = [
    "Flood defences along the river Wendle failed on Tuesday night after three days of heavy rain, "
    "forcing the evacuation of more than four hundred homes in the lower town.",
    "Emergency crews worked through the night to shore up the embankment near the old mill, where "
    "water had broken through a section of wall built in the nineteen sixties.",
    "“We have never seen the river rise this quickly, and we are asking everyone in the valley to stay "
    "away from the banks,” said fire service commander Helen Okafor.",
    "The regional council said temporary shelters had been opened in two schools and the sports hall, "
    "and that buses would run every hour from the station to the shelters.",
    "Forecasters expect the rain to ease by Thursday, but warned that water levels downstream would "
    "keep rising for at least another day as the flood moves towards the estuary.",
    "Residents criticised the council for delaying repairs to the wall, which engineers had reported "
    "as weakened two years ago after a smaller flood damaged its foundations.",
]
OTHER_STORY = [
    "The city orchestra announced on Friday that its new concert hall will open next spring, two years "
    "later than planned, after disputes with the builders over the acoustic panels.",
    "Ticket holders for the cancelled autumn season will be offered refunds or seats at the opening "
    "gala, the orchestra's director told a press conference at the town hall.",
    "Musicians have rehearsed in a converted warehouse since the old hall closed, and several players "
    "said the temporary venue had damaged instruments because of poor heating.",
    "The final cost of the building has risen to almost twice the original estimate, according to "
    "figures published by the culture department this week.",
]


def page(title: str, paragraphs: list[str], chrome: tuple[str, str] = ("Home | News | Local", "Sign up to our newsletter")) -> bytes:
    return "\n\n".join([chrome[0], title, *paragraphs, chrome[1]]).encode()


def add_three(corpus):
    first = corpus.add_bytes(page("River Wendle bursts its banks", STORY), source="wire.txt",
                             outlet="Valley Post")
    copy = corpus.add_bytes(
        page("Hundreds evacuated as Wendle floods", STORY[:4] + ["A spokesman for the water board said "
             "an inquiry into the failure of the wall would begin once the water had gone down."] + STORY[4:],
             chrome=("Skip to content", "Share this story on social media")),
        source="copy.txt", outlet="County Herald")
    other = corpus.add_bytes(page("Concert hall delayed again", OTHER_STORY), source="other.txt",
                             outlet="Valley Post")
    assert [r.status for r in (first, copy, other)] == ["added"] * 3
    return first.article_id, copy.article_id, other.article_id


def test_a_near_copy_in_another_outlet_is_linked_and_both_are_kept(corpus):
    first, copy, other = add_three(corpus)
    [cluster] = corpus.duplicates()
    assert cluster["cluster"] == first and cluster["size"] == 2
    assert [a["id"] for a in cluster["articles"]] == [first, copy]
    assert cluster["articles"][1]["similarity"] >= 0.5
    assert corpus.counts()["articles"] == 3


def test_no_duplicates_counts_each_story_once(corpus):
    first, copy, other = add_three(corpus)
    once = ArticleFilter(no_duplicates=True)
    assert sorted(a["id"] for a in corpus.articles(filters=once)) == [first, other]
    assert [h["id"] for h in corpus.search("embankment", filters=once)] == [first]
    assert {h["id"] for h in corpus.search("embankment")} == {first, copy}
    assert {q["article_id"] for q in corpus.quotes(filters=once)} == {first}
    assert [r["id"] for r in corpus.export_records(filters=once)] == [first, other]


def test_a_third_copy_joins_the_first_articles_cluster(corpus):
    first, copy, _ = add_three(corpus)
    third = corpus.add_bytes(page("Wendle flood: what we know", list(reversed(STORY))), source="third.txt")
    [cluster] = corpus.duplicates()
    assert [a["id"] for a in cluster["articles"]] == [first, copy, third.article_id]


def test_articles_added_before_detection_are_fingerprinted_later(corpus):
    first, copy, _ = add_three(corpus)
    from corpus.models import ArticleMinhash, MinhashBand, NearDuplicate
    with corpus.sessions() as session, session.begin():
        for model in (NearDuplicate, MinhashBand, ArticleMinhash):
            session.query(model).delete()
    assert corpus.duplicates()[0]["articles"][1]["id"] == copy


def test_duplicates_command_and_no_duplicates_flags(db_url):
    cli = Cli(db_url)
    from corpus import Corpus
    with Corpus(db_url) as corpus:
        first, copy, other = add_three(corpus)
    listed = cli("duplicates")  # piped: tab-separated, one row per article of a cluster
    assert listed.exit_code == 0 and listed.stderr == "1 cluster\n"
    header, *rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [dict(zip(header, row))["id"] for row in rows] == [str(first), str(copy)]
    clustered = json.loads(cli("duplicates", "--json").stdout)
    assert [(r["cluster"], r["size"], r["id"]) for r in clustered] == [(first, 2, first), (first, 2, copy)]
    assert len(json.loads(cli("list", "--no-duplicates", "--json").stdout)) == 2
    assert len(json.loads(cli("search", "embankment", "--no-duplicates", "--json").stdout)) == 1
    exported = cli("export", "--no-duplicates").stdout.splitlines()
    assert len(exported) == 2
