"""Opening the database: any file name, passwords never shown, files that are not corpus
databases refused untouched, read-only folders readable (#9 items 8, 9, 10)."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from corpus import Corpus
from corpus.database import DatabaseError

from conftest import POSTGRES_ADMIN_URL, SEEDS, Cli

SEED_FILE = sorted(SEEDS.glob("*.txt"))[0]
ODD_NAMES = ["näme.db", "100%.db", "a#b.db", "sp ace?.db", "50%25.db"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_a_file_name_needing_escapes_is_used_as_it_is(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    cli = Cli(name)
    init = cli("init")
    assert init.exit_code == 0, init.output
    assert init.stdout.strip() == f"sqlite:///{name} is ready (schema {_head()})"
    assert cli("add", str(SEED_FILE)).exit_code == 0
    assert [a["id"] for a in json.loads(cli("list", "--json").stdout)] == [1]
    assert json.loads(cli("db", "current", "--json").stdout)["up_to_date"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == [name]


def test_a_sqlite_url_is_percent_decoded(tmp_path):
    result = Cli(f"sqlite:///{tmp_path}/a%23b.db")("init")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a#b.db").exists()


def _head() -> str:
    from corpus.database import head_revision

    return head_revision()


def test_no_message_shows_the_password(postgres_databases):
    """A password with an escaped @ works, and no output of any command shows it."""
    url = make_url(postgres_databases.create(migrated=False)).set(password="p@ss%w0rd")
    written = url.render_as_string(hide_password=False)
    assert "p%40ss%25w0rd" in written
    cli = Cli(written)
    outputs = [cli("init"), cli("list"), cli("db", "current"), cli("stats"),
               Cli(written.replace("/corpus_test", "/no_such_db_corpus_test"))("list"),
               Cli(written.replace("p%40ss", "p@ss"))("list")]
    assert outputs[0].exit_code == 0, outputs[0].output
    assert "***" in outputs[0].stdout
    for result in outputs:
        assert "Traceback" not in result.output
        assert "p@ss" not in result.output and "p%40ss" not in result.output and "w0rd" not in result.output
    assert outputs[-1].exit_code == 1 and "write @ in a password as %40" in outputs[-1].stderr
    with Corpus(written) as corpus:
        assert "w0rd" not in corpus.display_url and "w0rd" not in json.dumps(corpus.stats())


def test_mask_password():
    from corpus.database import mask_password

    assert mask_password("at postgresql+psycopg://me:p%40ss@db.example:5432/x.") == \
        "at postgresql+psycopg://me:***@db.example:5432/x."
    assert mask_password("postgresql://me:p@ss@host/db") == "postgresql://me:***@host/db"
    assert mask_password("sqlite:///a:b@c.db") == "sqlite:///a:b@c.db"


# --- files that are not corpus databases ---------------------------------------------------

def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        connection.execute("INSERT INTO notes (text) VALUES ('keep me')")
    connection.close()


def _truncated_corpus(path: Path) -> None:
    with Corpus(f"sqlite:///{path}") as corpus:
        list(corpus.add([str(SEEDS)]))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


NOT_CORPUS = {
    "text": lambda path: path.write_text("hello, this is a text file\n"),
    "png": lambda path: path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200)),
    "sqlite header only": lambda path: path.write_bytes(b"SQLite format 3\x00" + bytes(20)),
    "truncated corpus": _truncated_corpus,
    "someone else's sqlite": _foreign_sqlite,
}


@pytest.mark.parametrize("kind", NOT_CORPUS)
@pytest.mark.parametrize("command", [("list",), ("init",), ("add", str(SEED_FILE)), ("sql", "SELECT 1")])
def test_a_file_that_is_not_a_corpus_database_is_refused_unchanged(tmp_path, kind, command):
    path = tmp_path / "other.db"
    NOT_CORPUS[kind](path)
    before = path.read_bytes()
    result = Cli(str(path))(*command)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert str(path) in result.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -journal


def test_someone_elses_sqlite_file_keeps_its_journal_mode(tmp_path):
    path = tmp_path / "other.db"
    _foreign_sqlite(path)
    with pytest.raises(DatabaseError, match="not a corpus database"):
        Corpus(str(path))
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert connection.execute("SELECT text FROM notes").fetchall() == [("keep me",)]
        assert [r[0] for r in connection.execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_an_empty_file_becomes_a_corpus_database(tmp_path):
    path = tmp_path / "new.db"
    path.touch()
    result = Cli(str(path))("add", str(SEED_FILE))
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout


def test_reading_does_not_change_the_journal_mode(tmp_path):
    """Only creating or upgrading a database sets WAL; `list` leaves a corpus file as it is."""
    path = tmp_path / "corpus.db"
    with Corpus(str(path)) as corpus:
        corpus.init()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()
    assert Cli(str(path))("list").exit_code == 0
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()


# --- read-only folders ---------------------------------------------------------------------

def _as_unprivileged_user() -> list[str]:
    """A prefix that runs a command as a user the file permissions apply to (root ignores
    them): nobody, when the tests run as root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("the tests run as root and setpriv is missing: cannot test file permissions")
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    if subprocess.run([*prefix, sys.executable, "-c", "import corpus.cli"], capture_output=True).returncode:
        pytest.skip("this checkout is not readable by nobody (a private folder): cannot run corpus as nobody")
    return prefix


@pytest.fixture
def read_only_folder():
    """A folder holding a corpus of the seed pages, which the command's user cannot write.
    Made in the system's temporary folder, not pytest's (which is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="corpus-readonly-"))
    try:
        with Corpus(str(folder / "corpus.db")) as corpus:
            assert [r.status for r in corpus.add([str(SEEDS)])] == ["added"] * 5
        (folder / "corpus.db").chmod(0o444)
        folder.chmod(0o555)
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize("command, expected", [
    (["list", "--json"], lambda out: len(json.loads(out)) == 5),
    (["sql", "--json", "SELECT count(*) AS n FROM articles"], lambda out: json.loads(out) == [{"n": 5}]),
    (["db", "current", "--json"], lambda out: json.loads(out)["up_to_date"]),
    (["search", "--json", "Shoigu"], lambda out: [hit["id"] for hit in json.loads(out)] == [2]),
    (["stats", "--json"], lambda out: json.loads(out)["articles"] == 5),
    (["show", "2"], lambda out: "Shoigu" in out),
    (["export"], lambda out: len(out.splitlines()) == 5),
])
def test_a_database_in_a_read_only_folder_can_be_read(read_only_folder, command, expected):
    before = sorted(p.name for p in read_only_folder.iterdir())
    result = subprocess.run([*_as_unprivileged_user(), sys.executable, "-m", "corpus",
                             "--db", str(read_only_folder / "corpus.db"), *command],
                            capture_output=True, text=True, timeout=120, cwd=read_only_folder)
    assert result.returncode == 0, result.stderr
    assert expected(result.stdout), result.stdout
    assert sorted(p.name for p in read_only_folder.iterdir()) == before


def test_writing_to_a_read_only_folder_is_one_clear_line(read_only_folder):
    result = subprocess.run([*_as_unprivileged_user(), sys.executable, "-m", "corpus",
                             "--db", str(read_only_folder / "corpus.db"), "tag", "x", "1"],
                            capture_output=True, text=True, timeout=120, cwd=read_only_folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "read-only" in result.stderr or "readonly" in result.stderr


@pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason="needs CORPUS_TEST_DATABASE_URL")
def test_postgres_url_forms_still_connect(postgres_databases):
    url = postgres_databases.create(migrated=True)
    short = url.replace("postgresql+psycopg://", "postgres://")
    result = Cli(short)("db", "current", "--json")
    assert result.exit_code == 0, result.output
