"""Exports never destroy data: not the database (`corpus export -o corpus.db`), not any
other SQLite file, and not an earlier export when this one fails half-way (issue #9, item 1)."""
from __future__ import annotations

import json
import sqlite3

import pytest

from corpus import Corpus
from corpus.database import sqlite_file

from conftest import SEEDS


@pytest.fixture
def seeded_cli(cli):
    assert cli("add", str(SEEDS)).exit_code == 0
    return cli


def test_export_onto_the_database_file_is_refused(seeded_cli, corpus, tmp_path):
    database = sqlite_file(corpus.engine)
    if database is None:
        pytest.skip("PostgreSQL has no database file (other SQLite files: the next test)")
    before = database.read_bytes()
    for target in (database, database.with_name(database.name + "-wal")):
        result = seeded_cli("export", "-o", str(target))
        assert result.exit_code == 1
        assert result.stderr.startswith("error: refusing to write over the database")
        assert "Traceback" not in result.output
    assert database.read_bytes() == before
    assert len(seeded_cli("export").stdout.splitlines()) == 5


def test_export_onto_any_sqlite_database_is_refused(seeded_cli, tmp_path):
    other = tmp_path / "someone-elses.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.execute("INSERT INTO notes VALUES ('keep me')")
    connection.close()
    before = other.read_bytes()
    result = seeded_cli("export", "--format", "csv", "-o", str(other))
    assert result.exit_code == 1
    assert result.stderr == f"error: refusing to write over {other}: it is a SQLite database\n"
    assert other.read_bytes() == before


def test_failed_export_leaves_the_earlier_file_untouched(seeded_cli, tmp_path):
    target = tmp_path / "export.jsonl"
    target.write_text("the earlier export\n")
    result = seeded_cli("export", "--format", "xml", "-o", str(target))
    assert result.exit_code == 1 and "unknown export format" in result.stderr
    assert target.read_text() == "the earlier export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export")] == []


def test_export_interrupted_half_way_leaves_no_half_file(db_url, tmp_path, monkeypatch):
    with Corpus(db_url) as corpus:
        list(corpus.add([str(SEEDS)]))
        real_records = Corpus.export_records

        def two_then_fail(self, **options):
            for number, record in enumerate(real_records(self, **options)):
                if number == 2:
                    raise KeyboardInterrupt
                yield record

        monkeypatch.setattr(Corpus, "export_records", two_then_fail)
        existing, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
        existing.write_text("kept\n")
        existing.chmod(0o640)
        for target in (existing, new):
            with pytest.raises(KeyboardInterrupt):
                corpus.export_file(target)
        assert existing.read_text() == "kept\n"
        assert not new.exists()
        assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".part") == []
        monkeypatch.undo()
        assert corpus.export_file(existing) == 5
    lines = existing.read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [1, 2, 3, 4, 5]
    assert existing.stat().st_mode & 0o777 == 0o640  # the replaced file keeps its permissions
