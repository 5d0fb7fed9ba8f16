"""Curation on the command line: edit, delete, quotes reject/restore/assign, tags
rename/delete, history and undo; bad input is one line, a non-zero exit, and no change."""
from __future__ import annotations

import json
import sqlite3

import pytest

from corpus import cli as cli_module

from conftest import SEEDS, Cli

FIRST_SEED = SEEDS / "000_866a51af9ae93c57.txt"


@pytest.fixture
def seeded_cli(cli: Cli) -> Cli:
    result = cli("add", "--manifest", str(SEEDS / "manifest.csv"))
    assert result.exit_code == 0, result.output
    return cli


def one_error_line(result) -> str:
    """The message of a refused command: exit status 1 or 2, one `error:` line, no traceback."""
    assert result.exit_code in (1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def history(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli("history", "--json", *args).stdout)


def test_edit_show_history_and_undo(seeded_cli):
    cli = seeded_cli
    result = cli("edit", "1", "2", "--outlet", "Reuters", "--byline", "", "--note", "wire copy")
    assert result.exit_code == 0 and "(history #1)" in result.stdout
    show = cli("show", "1").stdout
    assert "outlet:            Reuters" in show and "edited_fields:     byline, outlet" in show
    [entry] = history(cli, "--article", "2")
    assert (entry["action"], entry["note"], entry["after"]["articles"]["2"]["outlet"]) == ("edit", "wire copy", "Reuters")
    table = cli("history", "--table").stdout
    assert "edit" in table and "wire copy" in table
    assert "undid #1 (edit)" in cli("undo", "1").stdout
    assert "Middle East Eye" in cli("show", "2").stdout
    assert history(cli)[1]["undone_by"] == 2
    assert "was already undone (by #2)" in one_error_line(cli("undo", "1"))
    assert one_error_line(cli("edit", "1")).startswith("error: give at least one field")


def test_delete_asks_at_a_terminal_and_needs_yes_in_scripts(seeded_cli, monkeypatch):
    cli = seeded_cli
    assert "add --yes" in one_error_line(cli("delete", "1"))
    monkeypatch.setattr(cli_module, "at_terminal", lambda: True)
    declined = cli("delete", "1", "3", input="n\n")
    assert declined.exit_code == 1 and "#1  Putin and Saudi" in declined.stderr and "Delete 2 articles?" in declined.stderr
    assert cli("show", "1").exit_code == 0
    accepted = cli("delete", "1", input="y\n")
    assert accepted.exit_code == 0 and "deleted #1" in accepted.stdout
    assert "1 article deleted, with 3 quotes, 3 tags" in accepted.stdout
    assert cli("show", "1").exit_code == 1


def test_delete_by_search_with_yes_then_the_file_adds_again(seeded_cli):
    cli = seeded_cli
    result = cli("delete", "--search", "Baghdadi", "--outlet", "Middle East Eye", "--yes")
    assert "no articles match" in one_error_line(result)
    result = cli("delete", "--search", "Baghdadi", "--yes", "--json")
    removed = json.loads(result.stdout)
    assert [a["id"] for a in removed["articles"]] == [1] and removed["documents"] == 1
    again = cli("add", str(FIRST_SEED))
    assert again.exit_code == 0 and again.stdout.startswith("added")


def test_delete_with_sql_and_foreign_keys_on_then_add_again(cli, tmp_path):
    if not cli.url.startswith("sqlite"):
        pytest.skip("raw sqlite3 connection")
    assert cli("add", str(FIRST_SEED)).exit_code == 0
    connection = sqlite3.connect(cli.url.removeprefix("sqlite:///"))
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("DELETE FROM articles WHERE id = 1")
    connection.commit()
    connection.close()
    result = cli("add", str(FIRST_SEED))
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout and result.stderr.count("\n") <= 1


def test_quotes_reject_restore_and_assign(seeded_cli):
    cli = seeded_cli
    rows = json.loads(cli("quotes", "--article", "1", "--json").stdout)
    first, second = rows[0]["id"], rows[1]["id"]
    assert "rejected quotes #" in cli("quotes", "reject", str(first), "--note", "a paraphrase").stdout
    assert first not in [r["id"] for r in json.loads(cli("quotes", "--article", "1", "--json").stdout)]
    assert [r["id"] for r in json.loads(cli("quotes", "--rejected", "--json").stdout)] == [first]
    assert "(rejected)" in cli("show", "1").stdout
    assert "already rejected" in one_error_line(cli("quotes", "reject", str(first)))
    assert cli("quotes", "restore", str(first)).exit_code == 0
    result = cli("quotes", "assign", str(second), "--speaker", "Maria Zakharova")
    assert "→ speaker #" in result.stdout and "Maria Zakharova (new speaker)" in result.stdout
    assert [r["speaker"] for r in json.loads(cli("quotes", "--speaker", "Zakharova", "--json").stdout)] == [
        "Maria Zakharova"]


def test_tags_rename_delete_and_untag_by_search_and_filters(seeded_cli):
    cli = seeded_cli
    assert "tagged 2 articles 'Needs Check'" in cli("tag", "Needs Check", "--search", "Lavrov").stdout
    assert "tagged 1 article 'Needs Check'" in cli("tag", " NEEDS CHECK ", "--outlet", "The Independent").stdout
    assert "tagged 0 articles 'Needs Check'" in cli("tag", "needs check", "1", "3").stdout
    result = cli("tags", "rename", "needs check", "Syria")
    assert "(merged)" in result.stdout
    assert json.loads(cli("tags", "--json").stdout)[-1] == {"tag": "syria", "articles": 5}
    assert "'syria', was on 5 articles" in cli("tags", "delete", "SYRIA").stdout
    assert "syria" not in cli("tags").stdout


def test_untag_by_search_within_a_filter(seeded_cli):
    cli = seeded_cli
    cli("tag", "x", "1", "3", "4")
    result = cli("untag", "x", "--search", "Lavrov OR Putin", "--outlet", "The Independent")
    assert "untagged 1 article 'x'" in result.stdout
    assert json.loads(cli("list", "--tag", "x", "--json").stdout)[0]["id"] == 3


def test_speakers_rename_and_merge_take_a_note(seeded_cli):
    cli = seeded_cli
    result = cli("speakers", "rename", "1", "Sergei V. Lavrov", "--note", "as the ministry spells it")
    assert "#1 is now Sergei V. Lavrov (history #1)" in result.stdout
    assert history(cli, "--speaker", "1")[0]["note"] == "as the ministry spells it"
    result = cli("speakers", "merge", "1", "2")
    assert "merged into #1 Sergei V. Lavrov" in result.stdout and "(history #2)" in result.stdout


def test_adding_present_documents_applies_their_tags_and_metadata(seeded_cli):
    cli = seeded_cli
    result = cli("add", str(SEEDS), "--tag", "Late")
    assert result.stdout.count("tagged  #") == 5
    assert "0 added, 5 tagged, 0 already present, 0 failed" in result.stdout
    result = cli("add", str(FIRST_SEED), "--published", "2015-10-11")
    assert "updated #1" in result.stdout and "published_at '2015-10-11T00:00:00'" in result.stdout
    assert "0 added, 1 updated, 0 already present" in result.stdout
    assert "1 already present" in cli("add", str(FIRST_SEED), "--published", "2015-10-11").stdout


@pytest.mark.parametrize("args, message", [
    (["edit", "99", "--title", "x"], "no article with id 99"),
    (["edit", "1", "--published", "soon"], "not a date"),
    (["quotes", "reject", "999"], "no quote with id 999"),
    (["quotes", "assign", "1", "--speaker", "999"], "no speaker with id 999"),
    (["tags", "rename", "russia", " russia "], "error: the tag is already named"),
    (["tags", "rename", "nope", "x"], "no tag named 'nope'"),
    (["tags", "delete", "nope"], "no tag named 'nope'"),
    (["delete", "--tag", "nope", "--yes"], "no articles match"),
    (["delete", "99", "--yes"], "no article with id 99"),
    (["undo", "99"], "no history entry 99"),
    (["tag", "x", "99"], "no article with id 99"),
    (["untag", "russia", "99"], "no article with id 99"),
    (["speakers", "rename", "99", "X Y"], "no speaker with id 99"),
    (["speakers", "merge", "1", "99"], "no speaker with id 99"),
])
def test_bad_input_is_one_line_and_changes_nothing(seeded_cli, args, message):
    cli = seeded_cli
    before = cli("export").stdout
    assert message in one_error_line(cli(*args))
    assert cli("export").stdout == before
    assert history(cli) == []


def test_a_quote_of_a_deleted_article_is_unknown(seeded_cli):
    cli = seeded_cli
    quote = json.loads(cli("quotes", "--article", "1", "--json").stdout)[0]["id"]
    cli("delete", "1", "--yes")
    assert f"no quote with id {quote}" in one_error_line(cli("quotes", "reject", str(quote)))
    assert "a delete cannot be undone" in one_error_line(cli("undo", "1"))
