"""Quotes and speakers as users curate them: `corpus quotes`, `corpus speakers ...`."""
from __future__ import annotations

import json

from conftest import SEEDS, Cli


def seeded_cli(db_url) -> Cli:
    cli = Cli(db_url)
    assert cli("add", "--manifest", str(SEEDS / "manifest.csv")).exit_code == 0
    return cli


def speaker_named(cli: Cli, name: str) -> dict:
    [speaker] = [s for s in json.loads(cli("speakers", "--json").stdout) if s["name"] == name]
    return speaker


def test_speakers_quoted_in_two_articles_are_one_row(db_url):
    cli = seeded_cli(db_url)
    lavrov = speaker_named(cli, "Sergei Lavrov")
    assert lavrov["quotes"] == 3 and lavrov["articles"] == 2
    putin = speaker_named(cli, "Vladimir Putin")
    assert putin["articles"] == 2
    table = cli("speakers")
    assert table.exit_code == 0 and "Sergei Lavrov" in table.stdout


def test_quotes_filters(db_url):
    cli = seeded_cli(db_url)

    def quotes(*args):
        result = cli("quotes", "--json", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    every = quotes()
    assert len(every) >= 15
    for speaker in ("Lavrov", "Sergey Lavrov", "Mr Lavrov", "sergei lavrov"):
        assert {q["speaker"] for q in quotes("--speaker", speaker)} == {"Sergei Lavrov"}
    assert {q["article_id"] for q in quotes("--article", "5")} == {5}
    assert {q["kind"] for q in quotes("--kind", "partial")} == {"partial"}
    assert [q["speaker"] for q in quotes("--search", "barrel-bomb")] == ["David Cameron"]
    assert {q["outlet"] for q in quotes("--outlet", "The Independent")} == {"The Independent"}
    assert quotes("--tag", "no-such-tag") == []
    assert len(quotes("--limit", "2")) == 2
    bad = cli("quotes", "--kind", "indirect")
    assert bad.exit_code == 1 and "unknown quote kind" in bad.stderr


def test_speakers_show_rename_and_merge(db_url):
    cli = seeded_cli(db_url)
    cameron = speaker_named(cli, "David Cameron")
    shown = json.loads(cli("speakers", "show", str(cameron["id"]), "--json").stdout)
    assert len(shown["quotes"]) == 4 and shown["articles"] == 1
    assert "David Cameron" in cli("speakers", "show", str(cameron["id"])).stdout

    renamed = cli("speakers", "rename", str(cameron["id"]), "David William Donald Cameron")
    assert renamed.exit_code == 0 and "is now David William Donald Cameron" in renamed.stdout
    assert {q["speaker"] for q in json.loads(cli("quotes", "--speaker", "David Cameron", "--json").stdout)} == {
        "David William Donald Cameron"}

    obama = speaker_named(cli, "Barack Obama")
    merged = cli("speakers", "merge", str(cameron["id"]), str(obama["id"]))
    assert merged.exit_code == 0 and "6 quotes" in merged.stdout
    assert "Barack Obama" in json.loads(cli("speakers", "show", str(cameron["id"]), "--json").stdout)["aliases"]
    assert [s for s in json.loads(cli("speakers", "--json").stdout) if s["id"] == obama["id"]] == []

    for args, message in ((("merge", "1", "1"), "into itself"), (("merge", "1", "999"), "no speaker with id 999"),
                          (("show", "999"), "no speaker with id 999"), (("rename", "999", "X"), "no speaker with id 999")):
        result = cli("speakers", *args)
        assert result.exit_code == 1 and message in result.stderr, result.output


def test_reprocess_keeps_ids_tags_and_curated_speakers(db_url):
    cli = seeded_cli(db_url)
    before = [json.loads(line) for line in cli("export").stdout.splitlines()]
    lavrov = speaker_named(cli, "Sergei Lavrov")
    cli("speakers", "rename", str(lavrov["id"]), "Sergei V. Lavrov")
    result = cli("reprocess", "--all")
    assert result.exit_code == 0 and "5 reprocessed, 0 failed" in result.stdout
    after = [json.loads(line) for line in cli("export").stdout.splitlines()]
    assert [(a["id"], a["tags"], a["body"], a["outlet"], a["published_at"]) for a in after] == [
        (b["id"], b["tags"], b["body"], b["outlet"], b["published_at"]) for b in before]
    assert after[1]["outlet"] == "Middle East Eye"  # stated in the manifest, kept over re-cleaning
    assert speaker_named(cli, "Sergei V. Lavrov")["quotes"] == 3
    assert cli("reprocess", "42").exit_code == 1
    assert cli("reprocess").exit_code == 2


def test_every_spelling_an_article_uses_becomes_an_alias(db_url):
    """One alias per normalised form: "Mr Lavrov" and "Lavrov" are one key, and so are
    "Sergei Lavrov" and "Sergey Lavrov"."""
    cli = seeded_cli(db_url)
    lavrov = speaker_named(cli, "Sergei Lavrov")
    assert set(lavrov["aliases"]) == {"Sergei Lavrov", "Mr Lavrov"}
    assert "Cameron" in speaker_named(cli, "David Cameron")["aliases"]


def test_a_namesake_is_not_merged_through_a_bare_surname_alias(corpus):
    corpus.add_bytes(
        "Talks resume\n\nForeign Minister Sergei Lavrov spoke in Moscow on Monday about the talks.\n\n"
        "“We will continue to work with all our partners in the region,” Mr Lavrov said.\n".encode(),
        source="a.txt")
    corpus.add_bytes(
        "Festival opens\n\nThe violinist Anna Lavrov opened the summer festival in Salzburg on Friday.\n\n"
        "“Playing here again after ten years feels like coming home,” said Anna Lavrov.\n".encode(),
        source="b.txt")
    names = {s["name"]: s for s in corpus.speakers()}
    assert {"Sergei Lavrov", "Anna Lavrov"} <= set(names)
    assert names["Sergei Lavrov"]["quotes"] == names["Anna Lavrov"]["quotes"] == 1


UNNAMED_SOURCES = [
    ("First story.\n\nSenator Jane Holt spoke at noon. “We will vote against the bill next week,” "
     "a State Department official said. “The talks are over for now,” said Holt.\n"),
    ("Second story.\n\n“Nobody expected the deal to collapse this quickly,” a State Department "
     "official told reporters on Monday.\n"),
]


def test_unnamed_sources_are_description_speakers_kept_apart_and_filtered_out(corpus, tmp_path):
    for number, text in enumerate(UNNAMED_SOURCES):
        path = tmp_path / f"story{number}.txt"
        path.write_text(text, encoding="utf-8")
        list(corpus.add([str(path)]))
    described = [q for q in corpus.quotes() if q["speaker_kind"] == "description"]
    assert [q["speaker"] for q in described] == ["State Department official"] * 2
    assert len({q["speaker_id"] for q in described}) == 2  # two articles, two unnamed people
    assert {q["speaker_organisation"] for q in described} == {"State Department"}
    assert [q["speaker"] for q in corpus.quotes(named_only=True)] == ["Jane Holt"]
    holt = [s for s in corpus.speakers() if s["name"] == "Jane Holt"]
    assert len(holt) == 1 and holt[0]["kind"] == "person"


def test_named_only_from_the_command_line(db_url, tmp_path):
    cli = Cli(db_url)
    path = tmp_path / "story.txt"
    path.write_text(UNNAMED_SOURCES[0], encoding="utf-8")
    assert cli("add", str(path)).exit_code == 0
    every = json.loads(cli("quotes", "--json").stdout)
    named = json.loads(cli("quotes", "--named-only", "--json").stdout)
    assert {q["speaker"] for q in every} == {"State Department official", "Jane Holt"}
    assert [q["speaker"] for q in named] == ["Jane Holt"]
