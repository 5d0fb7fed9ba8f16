"""Output formats every listing command shares: --table, --csv, --tsv, --json, --nl; TSV
when piped; counts on stderr; `add` streaming one record per document."""
from __future__ import annotations

import csv
import io
import json
import os
import select
import subprocess
import sys
import time

import pytest

from conftest import SEEDS, Cli

LISTINGS = [("list",), ("search", "Assad"), ("quotes",), ("speakers",), ("tags",), ("outlets",), ("duplicates",),
            ("sql", "SELECT id, title FROM articles"), ("db", "history")]


@pytest.fixture
def seeded_cli(db_url) -> Cli:
    cli = Cli(db_url)
    assert cli("add", "--manifest", str(SEEDS / "manifest.csv")).exit_code == 0
    return cli


def test_every_listing_takes_every_format(seeded_cli):
    for command in LISTINGS:
        outputs = {}
        for flag in ("--table", "--csv", "--tsv", "--json", "--nl"):
            result = seeded_cli(*command, flag)
            assert result.exit_code == 0, (command, flag, result.output)
            outputs[flag] = result.stdout
        array = json.loads(outputs["--json"])
        assert [json.loads(line) for line in outputs["--nl"].splitlines()] == array, command
        assert len(list(csv.DictReader(io.StringIO(outputs["--csv"])))) == len(array), command
        if array:
            assert len(outputs["--tsv"].splitlines()) == len(array) + 1, command


def test_piped_output_is_tab_separated_without_padding_or_wrapping(seeded_cli):
    piped = seeded_cli("list")  # the runner's stdout is not a terminal
    assert piped.stdout == seeded_cli("list", "--tsv").stdout
    header, *rows = [line.split("\t") for line in piped.stdout.splitlines()]
    assert header[:2] == ["id", "source"] and len(rows) == 5
    assert all(len(row) == len(header) for row in rows)
    table = seeded_cli("list", "--table").stdout.splitlines()
    assert len(table) == 6  # a header and one line per article: long titles not wrapped
    assert not [line for line in table if line != line.rstrip()]
    assert any("Russia and west could set aside differences over future of President Assad" in line
               for line in table)


def test_counts_go_to_stderr(seeded_cli):
    assert seeded_cli("list").stderr == "5 articles\n"
    limited = seeded_cli("list", "--limit", "2", "--json")
    assert len(json.loads(limited.stdout)) == 2 and limited.stderr == "2 of 5 articles; --limit for more\n"
    total = len(json.loads(seeded_cli("search", "Syria", "--limit", "100", "--json").stdout))
    assert total > 2
    searched = seeded_cli("search", "Syria", "--limit", "2")
    assert searched.stderr == f"2 of {total} matches; --limit for more\n"
    assert seeded_cli("search", "nosuchwordanywhere").stderr == "no matches\n"
    quotes = seeded_cli("quotes", "--speaker", "Lavrov", "--limit", "1")
    assert quotes.stderr == "1 of 3 quotes; --limit for more\n"


def test_one_format_at_a_time(seeded_cli):
    result = seeded_cli("list", "--csv", "--json")
    assert result.exit_code == 2 and "give only one of --csv, --json" in result.output


def test_quotes_csv_has_a_row_per_quote_with_its_article(seeded_cli):
    rows = list(csv.DictReader(io.StringIO(seeded_cli("quotes", "--speaker", "Lavrov", "--csv").stdout)))
    assert len(rows) == 3
    assert {"id", "article_id", "article_title", "outlet", "published_at", "speaker", "kind", "text",
            "start", "end"} <= set(rows[0])
    assert {row["speaker"] for row in rows} == {"Sergei Lavrov"}
    body = json.loads(seeded_cli("show", rows[0]["article_id"], "--json").stdout)["body"]
    assert body[int(rows[0]["start"]):int(rows[0]["end"])] == rows[0]["text"]


def test_sql_keeps_columns_of_the_same_name(seeded_cli):
    parsed = list(csv.reader(io.StringIO(seeded_cli(
        "sql", "SELECT a.id, o.id FROM articles a JOIN outlets o ON o.id = a.outlet_id ORDER BY a.id LIMIT 1",
        "--csv").stdout)))
    assert parsed[0] == ["id", "id_2"]


def test_add_json_and_nl_give_a_record_per_document(cli):
    streamed = cli("add", str(SEEDS), "--nl")
    records = [json.loads(line) for line in streamed.stdout.splitlines()]
    assert [r["status"] for r in records] == ["added"] * 5
    assert {"source", "status", "article_id", "title", "message"} == set(records[0])
    again = json.loads(cli("add", str(SEEDS), "--json").stdout)
    assert [r["status"] for r in again] == ["present"] * 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_add_streams_each_record_as_it_is_stored(tmp_path):
    """The first document's record is printed while the second cannot be read yet."""
    fifo = tmp_path / "second.txt"
    os.mkfifo(fifo)
    env = dict(os.environ, CORPUS_DATABASE_URL=f"sqlite:///{tmp_path / 'stream.db'}")
    process = subprocess.Popen([sys.executable, "-m", "corpus", "add", "--nl", str(SEEDS / "000_866a51af9ae93c57.txt"),
                                str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        ready, _, _ = select.select([process.stdout], [], [], 120)
        assert ready, "no record before the second document was readable"
        first = json.loads(process.stdout.readline())
        assert first["status"] == "added"
        _write_when_read(fifo, (SEEDS / "001_8bbc5c1762615b22.txt").read_bytes(), process)
        rest, _ = process.communicate(timeout=120)
        assert json.loads(rest)["status"] == "added"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _write_when_read(fifo, data: bytes, process: subprocess.Popen, timeout: float = 120) -> None:
    """Write to a named pipe once the process opens it (never blocking if it died first)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError:  # no reader yet
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
            time.sleep(0.05)
    try:
        os.set_blocking(descriptor, True)
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def test_help_names_what_to_give_not_python_types(cli):
    import re

    import typer

    from corpus.cli import app

    def commands(group, path=()):
        for name, command in getattr(group, "commands", {}).items():
            yield (*path, name)
            yield from commands(command, (*path, name))

    paths = list(commands(typer.main.get_command(app)))
    assert ("tag",) in paths and ("speakers", "show") in paths
    for path in paths:
        shown = cli(*path, "--help").stdout
        assert not re.search(r"<[a-z][\w\[\], ]*>", shown), (path, shown)


def test_reprocess_prints_a_line_or_a_record_per_article_as_add_does(seeded_cli):
    lines = seeded_cli("reprocess", "1", "2").stdout.splitlines()
    assert [line.split()[:2] for line in lines[:2]] == [["reprocessed", "#1"], ["reprocessed", "#2"]]
    assert lines[2] == "2 reprocessed, 0 failed"
    records = [json.loads(line) for line in seeded_cli("reprocess", "1", "2", "--nl").stdout.splitlines()]
    assert [(r["status"], r["article_id"]) for r in records] == [("reprocessed", 1), ("reprocessed", 2)]


def test_quote_rows_carry_their_articles_outlet_and_date(seeded_cli):
    """The seeds state an outlet and a date for article 4 only (Lavrov's articles have
    neither, so his rows leave them empty): a quote row shows its article's."""
    rows = list(csv.DictReader(io.StringIO(seeded_cli("quotes", "--outlet", "The Independent", "--csv").stdout)))
    assert rows and {(row["article_id"], row["outlet"], row["published_at"]) for row in rows} == {
        ("4", "The Independent", "2016-02-24T17:23:00")}
    seeded_cli("edit", "1", "--outlet", "Reuters", "--published", "2015-10-11")
    lavrov = json.loads(seeded_cli("quotes", "--speaker", "Lavrov", "--json").stdout)
    assert {(row["article_id"], row["outlet"], row["published_at"]) for row in lavrov} == {
        (1, "Reuters", "2015-10-11T00:00:00"), (3, None, None)}


def test_every_article_filter_takes_a_language(seeded_cli):
    assert seeded_cli("edit", "2", "--language", "de").exit_code == 0
    for command in (("list",), ("search", "Assad"), ("quotes",), ("export",)):
        result = seeded_cli(*command, "--language", "DE", *(() if command == ("export",) else ("--nl",)))
        assert result.exit_code == 0, (command, result.output)
        ids = {json.loads(line).get("article_id", json.loads(line)["id"]) for line in result.stdout.splitlines()}
        assert ids == {2}, command
    assert seeded_cli("list", "--language", "fr").stderr == "no articles\n"


def _at_a_terminal(args: list[str], env: dict, timeout: float = 300) -> tuple[int, str]:
    """Run `corpus ARGS` with stdin, stdout and stderr on a pseudo-terminal, as a person
    at a shell does; returns its exit status and what it printed."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "corpus", *args], stdin=follower, stdout=follower,
                               stderr=follower, env=dict(env, COLUMNS="120", LINES="40"), close_fds=True)
    os.close(follower)
    printed, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process has ended
                break
            if not chunk:
                break
            printed += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    return process.wait(timeout=60), printed.decode("utf-8", "replace")


def test_at_a_terminal_add_shows_progress_and_list_a_table(tmp_path):
    env = dict(os.environ, CORPUS_DATABASE_URL=f"sqlite:///{tmp_path / 'corpus.db'}")
    status, printed = _at_a_terminal(["add", "--manifest", str(SEEDS / "manifest.csv")], env)
    assert status == 0, printed
    assert "5/5" in printed and "5 added, 0 already present, 0 failed" in printed  # the bar, then the summary
    status, printed = _at_a_terminal(["list"], env)
    assert status == 0, printed
    assert "The Independent" in printed and "\t" not in printed and "5 articles" in printed
