"""The command line, through typer's runner and once as a real process."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

from conftest import SEEDS, Cli


def add_seeds(cli: Cli):
    result = cli("add", str(SEEDS))
    assert result.exit_code == 0, result.output
    return result


def test_add_reports_each_document_and_a_summary(cli):
    result = add_seeds(cli)
    assert result.stdout.count("added   #") == 5
    assert "5 added, 0 already present, 0 failed" in result.stdout
    again = cli("add", str(SEEDS))
    assert again.exit_code == 0
    assert "0 added, 5 already present, 0 failed" in again.stdout


def test_add_exits_1_when_any_document_failed(cli, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = cli("add", str(SEEDS / "000_866a51af9ae93c57.txt"), str(tmp_path / "empty.txt"), str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert "1 added, 0 already present, 2 failed" in result.stdout
    assert "empty.txt: empty document" in result.stderr
    assert "nope: no such file or directory" in result.stderr


def test_add_from_stdin_with_metadata(cli):
    text = (SEEDS / "003_d9a59713860c2f7a.txt").read_text(encoding="utf-8")
    result = cli("add", "-", "--outlet", "The Independent", "--tag", "calls", "--tag", "putin",
                 "--published", "2016-02-24", "--json", input=text)
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    assert record["status"] == "added" and record["source"] == "<stdin>"
    shown = json.loads(cli("show", str(record["article_id"]), "--json").stdout)
    assert shown["outlet"] == "The Independent" and shown["tags"] == ["calls", "putin"]


def test_list_filters_and_json(cli):
    add_seeds(cli)
    assert cli("tag", "russia", "1", "2").exit_code == 0
    rows = json.loads(cli("list", "--json").stdout)
    assert len(rows) == 5 and {"id", "title", "outlet", "published_at", "tags"} <= set(rows[0])
    tagged = json.loads(cli("list", "--tag", "russia", "--json").stdout)
    assert sorted(r["id"] for r in tagged) == [1, 2]
    assert len(json.loads(cli("list", "--limit", "2", "--json").stdout)) == 2
    dated = json.loads(cli("list", "--since", "2016-02-01", "--until", "2016-02-24", "--json").stdout)
    assert [r["title"] for r in dated] == [
        "Vladimir Putin in phone calls with Syrian, Iranian, Saudi Arabian and Israeli leaders as Syria ceasefire plans continue"]
    assert json.loads(cli("list", "--since", "2016-02-25", "--json").stdout) == []
    table = cli("list")
    assert table.exit_code == 0 and "Putin and Saudi defence minister" in table.stdout


def test_list_with_a_bad_date_is_a_one_line_error(cli):
    add_seeds(cli)
    result = cli("list", "--since", "last tuesday")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: not a date: 'last tuesday'")
    assert "Traceback" not in result.output


def test_show_prints_metadata_quotes_body_and_raw(cli):
    add_seeds(cli)
    shown = cli("show", "1")
    assert shown.exit_code == 0
    assert "Putin and Saudi defence minister agree to co-operate in Syria" in shown.stdout
    assert "Russian president Vladimir Putin met" in shown.stdout
    brackets = cli("show", "2").stdout  # text in [brackets] is printed, not read as markup
    assert "counter-ISIL [IS] forces" in brackets and "[partial] Peter Cook" in brackets
    raw = cli("show", "1", "--raw")
    assert raw.stdout == (SEEDS / "000_866a51af9ae93c57.txt").read_text(encoding="utf-8")
    missing = cli("show", "99")
    assert missing.exit_code == 1 and "no article with id 99" in missing.stderr


def test_tag_untag_tags_and_tag_by_search(cli):
    add_seeds(cli)
    assert "tagged 2 articles 'saudi'" in cli("tag", "saudi", "1", "3").stdout
    result = cli("tag", "shoigu", "--search", "Shoigu")
    assert "tagged 1 article 'shoigu'" in result.stdout
    tags = json.loads(cli("tags", "--json").stdout)
    assert tags == [{"tag": "saudi", "articles": 2}, {"tag": "shoigu", "articles": 1}]
    assert "untagged 1 article 'saudi'" in cli("untag", "saudi", "3").stdout
    assert json.loads(cli("tags", "--json").stdout)[0] == {"tag": "saudi", "articles": 1}
    bad = cli("tag", "x", "42")
    assert bad.exit_code == 1 and "no article with id 42" in bad.stderr


def test_search_table_json_and_malformed_queries(cli):
    add_seeds(cli)
    rows = json.loads(cli("search", "Shoigu", "--json").stdout)
    assert rows[0]["id"] == 2 and "[Shoigu]" in rows[0]["snippet"]
    for query in ['"unclosed', "AND (", "-"]:
        result = cli("search", query)
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1)
        if result.exit_code:
            assert len(result.stderr.strip().splitlines()) == 1


def test_sql_json_csv_and_refused_write(cli):
    add_seeds(cli)
    rows = json.loads(cli("sql", "SELECT id, title FROM articles ORDER BY id", "--json").stdout)
    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5]
    parsed = list(csv.reader(io.StringIO(cli("sql", "SELECT id FROM articles ORDER BY id", "--csv").stdout)))
    assert parsed == [["id"], ["1"], ["2"], ["3"], ["4"], ["5"]]
    refused = cli("sql", "DELETE FROM articles")
    assert refused.exit_code == 1 and "refused" in refused.stderr
    assert json.loads(cli("sql", "SELECT count(*) AS n FROM articles", "--json").stdout) == [{"n": 5}]


def test_export_jsonl_and_csv(cli, tmp_path):
    add_seeds(cli)
    cli("tag", "syria", "1")
    result = cli("export", "--format", "jsonl", "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 0 and "exported 5 articles" in result.stderr
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5
    expected = {"id", "source", "url", "outlet", "title", "subtitle", "byline", "published_at",
                "language", "body", "tags", "quotes"}
    assert expected <= set(records[0])
    assert records[0]["tags"] == ["syria"]
    for record in records:
        for quote in record["quotes"]:
            assert {"id", "text", "speaker", "speaker_id", "kind", "cue", "start", "end"} <= set(quote)
            assert record["body"][quote["start"]:quote["end"]] == quote["text"]
    csv_out = cli("export", "--format", "csv", "--tag", "syria").stdout
    rows = list(csv.DictReader(io.StringIO(csv_out)))
    assert len(rows) == 1 and rows[0]["tags"] == "syria"
    bad = cli("export", "--format", "xml")
    assert bad.exit_code == 1 and "unknown export format" in bad.stderr


def test_commands_on_an_uninitialised_database_say_what_to_do(tmp_path):
    cli = Cli(f"sqlite:///{tmp_path / 'new.db'}")
    result = cli("list")
    assert result.exit_code == 1 and "run `corpus init`" in result.stderr
    assert cli("init").exit_code == 0
    assert cli("list").exit_code == 0
    assert json.loads(cli("db", "current", "--json").stdout)["up_to_date"] is True


def test_db_commands(tmp_path):
    cli = Cli(f"sqlite:///{tmp_path / 'x.db'}")
    assert cli("db", "upgrade").exit_code == 0
    history = json.loads(cli("db", "history", "--json").stdout)
    assert history[0]["current"] is True
    head = history[0]["revision"]
    assert cli("db", "downgrade", "-1").exit_code == 0  # a relative revision, not an option
    assert json.loads(cli("db", "current", "--json").stdout)["current"] == history[1]["revision"]
    assert cli("db", "upgrade").exit_code == 0
    for bad in (("downgrade", "nosuch"), ("upgrade", "nosuch"), ("downgrade", "-99")):
        result = cli("db", *bad)
        assert result.exit_code == 1 and result.stderr.startswith("error: cannot move to revision"), result.output
        assert "Traceback" not in result.output
    assert json.loads(cli("db", "current", "--json").stdout)["current"] == head
    assert cli("db", "downgrade", "base").exit_code == 0
    assert json.loads(cli("db", "current", "--json").stdout)["current"] is None


def test_a_bad_database_url_is_a_one_line_error(tmp_path):
    result = Cli(f"sqlite:///{tmp_path}/no/such/dir/x.db")("list")
    assert result.exit_code == 1 and "no directory" in result.stderr
    result = Cli("mysql://nobody@localhost/x")("list")
    assert result.exit_code == 1 and "unsupported database" in result.stderr


def test_the_installed_command_runs_as_a_process(tmp_path):
    env = dict(os.environ, CORPUS_DATABASE_URL=f"sqlite:///{tmp_path / 'proc.db'}")
    corpus_command = [sys.executable, "-m", "corpus"]
    added = subprocess.run([*corpus_command, "add", str(SEEDS)], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert added.returncode == 0, added.stderr
    assert "5 added, 0 already present, 0 failed" in added.stdout
    listed = subprocess.run([*corpus_command, "list", "--json"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert len(json.loads(listed.stdout)) == 5


def test_outlets_stats_and_schema(cli):
    assert cli("add", "--manifest", str(SEEDS / "manifest.csv")).exit_code == 0
    outlets = json.loads(cli("outlets", "--json").stdout)
    independent = [o for o in outlets if o["name"] == "The Independent"]
    assert independent and independent[0]["articles"] == 1 and independent[0]["first_published"]
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["articles"] == 5 and stats["quotes"] > 0 and stats["size_bytes"] > 0
    assert stats["schema"] == json.loads(cli("db", "current", "--json").stdout)["head"]
    assert "articles:" in cli("stats").stdout
    tables = {t["table"]: t for t in json.loads(cli("schema", "--json").stdout)}
    quotes = {c["name"]: c for c in tables["quotes"]["columns"]}
    assert quotes["id"]["primary_key"] and "direct or partial" in quotes["kind"]["description"]
    assert {"columns": ["article_id"], "table": "articles", "referred_columns": ["id"]} in tables["quotes"]["foreign_keys"]
    assert tables["minhash_bands"]["internal"] and not tables["articles"]["internal"]
    assert "start_offset" in cli("schema").stdout


def test_outlet_filters_take_a_name_a_domain_or_a_url(cli):
    text = (SEEDS / "000_866a51af9ae93c57.txt").read_text(encoding="utf-8")
    added = cli("add", "-", "--outlet", "Reuters", "--url", "https://www.reuters.com/world/putin-saudi", "--json",
                input=text)
    assert added.exit_code == 0, added.output
    for outlet in ("Reuters", "reuters", "reuters.com", "www.reuters.com", "https://www.reuters.com/world/other"):
        listed = json.loads(cli("list", "--outlet", outlet, "--json").stdout)
        assert [row["outlet"] for row in listed] == ["Reuters"], outlet
    assert json.loads(cli("list", "--outlet", "bbc.co.uk", "--json").stdout) == []


def test_speakers_show_takes_a_name_or_an_id(cli):
    add_seeds(cli)
    by_name = json.loads(cli("speakers", "show", "Sergey Lavrov", "--json").stdout)
    assert by_name["name"] == "Sergei Lavrov"
    assert json.loads(cli("speakers", "show", str(by_name["id"]), "--json").stdout)["id"] == by_name["id"]
    missing = cli("speakers", "show", "Nobody Atall")
    assert missing.exit_code == 1 and missing.stderr == "error: no speaker named 'Nobody Atall'\n"


def test_reading_a_missing_database_leaves_no_file(tmp_path):
    path = tmp_path / "missing.db"
    for command in (("list",), ("search", "x"), ("stats",), ("db", "current"), ("db", "history")):
        result = Cli(f"sqlite:///{path}")(*command)
        assert result.exit_code == 1 and "no database at" in result.stderr, command
    assert list(tmp_path.iterdir()) == []


def test_export_format_is_case_insensitive(cli):
    add_seeds(cli)
    assert list(csv.DictReader(io.StringIO(cli("export", "--format", "CSV").stdout)))[0]["id"] == "1"
