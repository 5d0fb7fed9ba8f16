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


# An outlet's standard paragraphs, on every page it publishes: longer than its short stories.
STANDARD = [
    "The Valley Post is an independent newspaper owned by the Wendle Trust, a charity founded in 1888 by the "
    "mill owner Arthur Bramley so that the people of the valley would always have a paper of their own, "
    "answerable to its readers rather than to a company or a political party.",
    "Our reporting on the district's councils is paid for by the Local Democracy Fund, which employs two "
    "reporters to attend every council, planning and licensing meeting in the valley and to publish their "
    "notes, the agendas and the votes of every councillor on the day of each meeting.",
]
SHORT_STORIES = [
    ["The parish council voted on Monday to close the library on Wednesdays from March to save money.",
     "Volunteers said they would run a book swap in the church hall on the days the library is shut."],
    ["A lorry shed its load of timber on the bypass near Ashford early on Tuesday, closing both lanes for "
     "six hours.", "Nobody was hurt, and the road reopened before the evening rush, police said."],
    ["Wendle Rovers signed the goalkeeper Sam Doyle on a two-year contract after their first choice broke his "
     "wrist in training.", "Doyle, 31, played more than two hundred games for Kestrel Point."],
    ["The farmers' market will move to the station car park in June while the square is repaved.",
     "Stallholders welcomed the move, saying the car park had more room and better parking for customers."],
    ["Pupils at Marston primary school raised four thousand pounds for a new playground by running laps of "
     "the field.", "The head teacher said the money would pay for climbing frames and a covered reading area."],
]


def test_different_stories_of_one_outlet_sharing_its_standard_text_are_not_linked(corpus):
    from corpus import dedup

    pages = [page(f"Story {number}", story + STANDARD) for number, story in enumerate(SHORT_STORIES)]
    # Without the outlet check these pairs would be near-duplicates: the test can fail.
    assert dedup.similarity(dedup.signature(pages[3].decode()), dedup.signature(pages[4].decode())) >= dedup.THRESHOLD
    ids = [corpus.add_bytes(data, source=f"{number}.txt", outlet="Valley Post").article_id
           for number, data in enumerate(pages)]

    def linked() -> set[int]:
        return {a["id"] for cluster in corpus.duplicates() for a in cluster["articles"]}

    # The standard text is learnt from the outlet's other articles: from the fourth on.
    assert linked() <= set(ids[:3])
    list(corpus.reprocess(ids[:3]))  # compared again, now that there are more
    assert linked() == set()
    # A second version of a story in the same outlet is still its near-copy.
    update = page("Market moves to the station", SHORT_STORIES[3] + [
        "The council will review the arrangement in a year."] + STANDARD)
    added = corpus.add_bytes(update, source="update.txt", outlet="Valley Post")
    [cluster] = corpus.duplicates()
    assert [a["id"] for a in cluster["articles"]] == [ids[3], added.article_id]


def test_duplicates_threshold_keeps_only_closer_copies(db_url):
    from corpus import Corpus

    with Corpus(db_url) as corpus:
        first, copy, _ = add_three(corpus)
        similarity = corpus.duplicates()[0]["articles"][1]["similarity"]
        assert corpus.duplicates(threshold=similarity) and not corpus.duplicates(threshold=min(1, similarity + 0.01))
    cli = Cli(db_url)
    assert cli("duplicates", "--threshold", "1").stderr == "no clusters\n"
    refused = cli("duplicates", "--threshold", "0.2")
    assert refused.exit_code == 1 and refused.stderr.startswith("error: the near-duplicate threshold must be from 0.45")


HERALD_STANDARD = [
    "The County Herald has been printed in Marston every Thursday since 1902 and is now owned by its "
    "staff, who elect the editor every four years at a meeting open to every reader who holds a share.",
    "The Herald's court and council reporting is shared with the community radio station and the library "
    "archive, where every edition since the first is kept on microfilm and can be read free of charge.",
]


def test_a_copy_in_another_outlet_is_found_through_both_outlets_standard_text(corpus):
    from corpus import dedup

    for number, story in enumerate(SHORT_STORIES[:4]):
        corpus.add_bytes(page(f"Post {number}", story + STANDARD), source=f"post{number}.txt", outlet="Valley Post")
    for number, story in enumerate(reversed(SHORT_STORIES[:4])):
        corpus.add_bytes(page(f"Herald {number}", story[::-1] + ["A reader's view."] + HERALD_STANDARD),
                         source=f"herald{number}.txt", outlet="County Herald")
    original = corpus.add_bytes(page("Flood", STORY[:3] + STANDARD), source="flood.txt", outlet="Valley Post")
    copy_text = page("Wendle floods", STORY[:3] + HERALD_STANDARD)
    # Each outlet's standard text keeps the copy below the threshold: the test can fail.
    estimate = dedup.similarity(dedup.signature(page("Flood", STORY[:3] + STANDARD).decode()),
                                dedup.signature(copy_text.decode()))
    assert dedup.DILUTED_FLOOR <= estimate < dedup.THRESHOLD
    copy = corpus.add_bytes(copy_text, source="copy.txt", outlet="County Herald")
    assert [[a["id"] for a in c["articles"]] for c in corpus.duplicates()
            if original.article_id in {a["id"] for a in c["articles"]}] == [[original.article_id, copy.article_id]]


def test_the_stored_threshold_links_every_article_again_and_later_adds_use_it(db_url):
    from corpus import Corpus

    with Corpus(db_url) as corpus:
        first, copy, _ = add_three(corpus)
        assert [(s["name"], s["value"], s["default"]) for s in corpus.settings()] == [("duplicate_threshold", 0.45, 0.45)]
        assert corpus.set_setting("duplicate_threshold", 1)["near_duplicates"] == 0
        assert corpus.duplicates() == []
    with Corpus(db_url) as reopened:  # another process reads the stored threshold
        third = reopened.add_bytes(page("Wendle flood: what we know", STORY[:5]), source="third.txt")
        assert reopened.duplicates() == []
        assert reopened.set_setting("duplicate_threshold", "0.45")["near_duplicates"] == 2
        [cluster] = reopened.duplicates()
        assert [a["id"] for a in cluster["articles"]] == [first, copy, third.article_id]
    cli = Cli(db_url)
    assert json.loads(cli("settings", "--json").stdout)[0]["value"] == 0.45
    assert cli("settings", "duplicate_threshold", "0.9").exit_code == 0
    assert json.loads(cli("settings", "duplicate_threshold", "--json").stdout)[0]["value"] == 0.9
    assert cli("duplicates", "--threshold", "0.5").stderr.startswith("error: the near-duplicate threshold must be from 0.9")
    refused = cli("settings", "duplicate_threshold", "2")
    assert refused.exit_code == 1 and refused.stderr == "error: duplicate_threshold is a number from 0.3 to 1.0, not 2\n"
    assert cli("settings", "colour").stderr == "error: no setting 'colour': there is duplicate_threshold\n"
