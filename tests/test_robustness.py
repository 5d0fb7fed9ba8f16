"""Robustness: a killed `corpus add`, several writers at once, migrations on a populated
database, and `corpus sql` attempts to write, attach files or change settings.

These run real `python -m corpus` processes against the test databases (SQLite, and
PostgreSQL when CORPUS_TEST_DATABASE_URL is set). Nothing here asserts on timings.
"""
from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import time
import zlib
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from corpus import Corpus, ingest
from corpus.database import current_revision, downgrade, head_revision, open_engine, read_session, upgrade
from corpus.models import Article, ArticleTag, Document, Outlet, Quote, Speaker, SpeakerAlias, Tag
from corpus.readonly import ReadOnlyError

from conftest import ROOT, Cli

KILL_DOCUMENTS = 200
KILL_DUPLICATES = 5  # byte-for-byte copies under another name: one article each
WRITER_DOCUMENTS = 48
POPULATED_ARTICLES = 10_000


# --- documents -----------------------------------------------------------------------------

FIRST = ["Sergei", "Adel", "Hassan", "Catherine", "Ibrahim", "Leila", "Anders", "Federica", "Omar",
         "Mevlut", "Rania", "Staffan", "Nadia", "Javad", "Yulia", "Kemal"]
LAST = ["Lavrov", "Jubeir", "Rouhani", "Ashton", "Haddad", "Khoury", "Rasmussen", "Mogherini",
        "Saleh", "Cavusoglu", "Mansour", "Mistura", "Karimi", "Zarif", "Tymoshenko", "Demir"]
ROLES = ["Foreign Minister", "Defence Minister", "UN envoy", "Prime Minister", "spokeswoman"]
PLACES = ["Damascus", "Geneva", "Moscow", "Riyadh", "Vienna", "Ankara", "Beirut", "Doha", "Kyiv", "Amman"]
TOPICS = ["the ceasefire", "sanctions", "the aid convoys", "the prisoner exchange", "grain exports",
          "the border crossing", "reconstruction", "the new constitution", "water shortages"]
WORDS = ["fragile", "tentative", "renewed", "stalled", "limited", "urgent", "regional", "temporary",
         "landmark", "disputed", "modest", "informal"]


def make_document(i: int) -> str:
    """A small plain-text page dump (site chrome around a short article with quotations)."""
    rng = random.Random(f"robustness-{i}")
    people = [(rng.choice(ROLES), f"{rng.choice(FIRST)} {rng.choice(LAST)}") for _ in range(2)]
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    (role1, name1), (role2, name2) = people
    title = f"{name1} says {rng.choice(WORDS)} talks on {topic} will resume in {place} ({i})"
    paragraphs = [
        f"{role1} {name1} said on {rng.choice(['Monday', 'Tuesday', 'Friday'])} that talks on {topic} "
        f"would resume in {place} after a {rng.choice(WORDS)} pause, in a statement carried by "
        f"state media and reported by {rng.choice(['officials', 'diplomats', 'aid workers'])}.",
        f"\u201cWe will not accept any {rng.choice(WORDS)} deal that ignores {topic},\u201d {name1} "
        f"told reporters in {place}. \u201cThe people of {rng.choice(PLACES)} have waited long enough "
        f"for this,\u201d {name1.split()[-1]} added.",
        f"{name2}, the {role2.lower()}, said: \u201cOur priority remains {topic} and the safety of "
        f"civilians in {rng.choice(PLACES)}.\u201d",
        f"Talks between the two sides in {place} are expected to last {rng.randint(2, 9)} days, and "
        f"{rng.randint(3, 40)} delegations have been invited, according to officials who spoke on "
        f"condition of anonymity about the {rng.choice(WORDS)} schedule (document {i}).",
    ]
    chrome_top = ["Skip to main content", "", "World", "Politics", "Business", "Opinion", "",
                  "We use cookies to improve your experience. Accept all", ""]
    chrome_bottom = ["", "Share this article", "Facebook", "Twitter", "", "Related stories",
                     f"More on {topic}", "", "Comments (0)", "", "About us | Contact | Privacy policy",
                     "© 2016 Example News. All rights reserved."]
    byline = [f"By {rng.choice(FIRST)} {rng.choice(LAST)}", f"{12 + i % 15} March 2016", ""]
    return "\n".join(chrome_top + [title, ""] + byline + [p + "\n" for p in paragraphs] + chrome_bottom) + "\n"


def write_documents(directory: Path, count: int, duplicates: int = 0) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = directory / f"doc{i:04d}.txt"
        path.write_text(make_document(i), encoding="utf-8")
        paths.append(path)
    for k in range(duplicates):
        copy = directory / f"zz-copy{k}.txt"
        copy.write_bytes(paths[k * 7].read_bytes())
        paths.append(copy)
    return paths


def corpus_command(db_url: str, *args: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.Popen([sys.executable, "-m", "corpus", "--db", db_url, *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def run_corpus(db_url: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    process = corpus_command(db_url, *args)
    out, err = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def summary_counts(stdout: str) -> tuple[int, int, int]:
    """(added, present, failed) from `corpus add`'s last line."""
    match = re.search(r"(\d+) added, (\d+) already present, (\d+) failed", stdout)
    assert match, stdout[-2000:]
    return tuple(int(n) for n in match.groups())


def quotes_by_file(db_url: str) -> dict[str, int]:
    """File name -> number of quotes its article has."""
    with Corpus(db_url) as corpus, read_session(corpus.engine) as session:
        rows = session.execute(
            select(Article.source, func.count(Quote.id)).outerjoin(Quote).group_by(Article.id, Article.source))
        return {Path(source).name: count for source, count in rows}


@pytest.fixture(scope="module")
def kill_documents(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("kill") / "docs"
    write_documents(directory, KILL_DOCUMENTS, duplicates=KILL_DUPLICATES)
    return directory


def prepared_articles(paths: list[Path]) -> dict[str, ingest.PreparedArticle]:
    """File name -> what a fresh add of that file stores (add's pure half, `prepare`,
    decides it; storing writes it as rows)."""
    prepared = {}
    for path in paths:
        data = path.read_bytes()
        article = ingest.prepare(ingest.AddRequest(source=str(path), path=str(path)), data,
                                 hashlib.sha256(data).hexdigest())
        assert not isinstance(article, ingest.AddResult), article
        prepared[path.name] = article
    return prepared


def expected_quotes(paths: list[Path]) -> dict[str, int]:
    """File name -> number of quotes a fresh add of that file stores."""
    return {name: len(article.quotes) for name, article in prepared_articles(paths).items()}


@pytest.fixture(scope="module")
def kill_reference(kill_documents) -> dict[str, int]:
    reference = expected_quotes(sorted(kill_documents.glob("doc*.txt")))
    assert len(reference) == KILL_DOCUMENTS and sum(reference.values()) > KILL_DOCUMENTS
    return reference


def article_count(engine) -> int:
    with engine.execution_options(corpus_readonly=True).connect() as connection:
        return connection.execute(text("SELECT count(*) FROM articles")).scalar_one()


def assert_only_whole_articles(db_url: str) -> None:
    with Corpus(db_url) as corpus:
        counts = corpus.counts()  # the database opens and every table reads
        with corpus.engine.connect() as connection:
            def scalar(sql: str) -> int:
                return connection.execute(text(sql)).scalar_one()

            assert scalar("SELECT count(*) FROM articles a LEFT JOIN documents d ON d.id = a.document_id "
                          "WHERE d.id IS NULL") == 0, "articles without their document"
            assert scalar("SELECT count(*) FROM documents WHERE id NOT IN (SELECT document_id FROM articles)") == 0, \
                "documents without an article"
            assert scalar("SELECT count(*) FROM quotes WHERE article_id NOT IN (SELECT id FROM articles)") == 0
            assert scalar("SELECT count(*) FROM article_tags WHERE article_id NOT IN (SELECT id FROM articles)") == 0
            assert scalar("SELECT count(*) FROM quotes WHERE speaker_id IS NOT NULL AND speaker_id NOT IN "
                          "(SELECT id FROM speakers)") == 0
            if corpus.engine.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                # the full-text index agrees with the articles table
                connection.exec_driver_sql("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        assert counts["documents"] == counts["articles"]


def test_sigkill_during_add_leaves_only_whole_articles_and_a_rerun_completes(
        db_url, kill_documents, kill_reference):
    engine = open_engine(db_url)
    process = corpus_command(db_url, "add", str(kill_documents))
    deadline = time.monotonic() + 120
    try:
        while article_count(engine) == 0:
            assert process.poll() is None, f"add ended before storing anything: {process.stderr.read()[-2000:]}"
            assert time.monotonic() < deadline, "no article stored within 120 s"
            time.sleep(0.01)
        time.sleep(random.Random(db_url).uniform(0, 0.3))  # land somewhere inside a later transaction
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    engine.dispose()

    stored = quotes_by_file(db_url)
    assert 0 < len(stored) < KILL_DOCUMENTS, "the add was not interrupted part-way"
    assert_only_whole_articles(db_url)
    for name, quotes in stored.items():
        assert quotes == kill_reference[name], f"{name}: {quotes} quotes stored, a fresh add stores {kill_reference[name]}"

    done = run_corpus(db_url, "add", str(kill_documents))
    assert done.returncode == 0, done.stderr[-2000:]
    added, present, failed = summary_counts(done.stdout)
    assert (added, present, failed) == (KILL_DOCUMENTS - len(stored), len(stored) + KILL_DUPLICATES, 0)
    assert quotes_by_file(db_url) == kill_reference
    assert_only_whole_articles(db_url)
    with Corpus(db_url) as corpus:
        assert corpus.counts()["articles"] == KILL_DOCUMENTS
        assert len(corpus.search('"document 123"')) == 1


def speaker_names(paths: list[Path]) -> set[str]:
    """The distinct speakers a fresh add of these files names."""
    return {quote.speaker for article in prepared_articles(paths).values() for quote in article.quotes
            if quote.speaker}


def test_four_writers_store_every_article_exactly_once(db_url, tmp_path):
    paths = write_documents(tmp_path / "docs", WRITER_DOCUMENTS)
    reference = expected_quotes(paths)

    # Overlapping sets, each in its own order: every file is wanted by at least two writers.
    third = WRITER_DOCUMENTS // 3
    sets = [paths[:2 * third], paths[third:], paths[:third] + paths[2 * third:], list(reversed(paths))]
    writers = []
    for k, chosen in enumerate(sets):
        chosen = chosen[:]
        random.Random(k).shuffle(chosen)
        writers.append(corpus_command(db_url, "add", "--tag", "shared", *map(str, chosen)))
    outputs = [writer.communicate(timeout=300) for writer in writers]
    for writer, (out, err) in zip(writers, outputs):
        assert writer.returncode == 0, err[-2000:]
    summaries = [summary_counts(out) for out, _ in outputs]
    assert sum(added for added, _, _ in summaries) == WRITER_DOCUMENTS
    assert [added + present for added, present, _ in summaries] == [len(s) for s in sets]

    assert quotes_by_file(db_url) == reference
    assert_only_whole_articles(db_url)
    with Corpus(db_url) as corpus:
        counts = corpus.counts()
        assert counts["articles"] == counts["documents"] == WRITER_DOCUMENTS
        assert corpus.tags() == [{"tag": "shared", "articles": WRITER_DOCUMENTS}]
        with read_session(corpus.engine) as session:
            hashes = Counter(session.scalars(select(Document.sha256)))
            assert set(hashes.values()) == {1}
            assert set(hashes) == {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
            # each person is one speaker row, as when one writer adds everything (a surname
            # alone may stand for two namesakes; a full name may not)
            split = session.execute(select(Speaker.name).group_by(Speaker.name)
                                    .having(func.count(Speaker.id) > 1)).all()
            assert split == [], f"people split over several speaker rows: {split}"
            assert session.scalar(select(func.count(Speaker.id))) == len(speaker_names(paths))


# --- migrations on a populated database ------------------------------------------------------

def populate(engine, articles: int = POPULATED_ARTICLES) -> None:
    """Bulk-insert a realistic corpus (tags, outlets, speakers with aliases, 3 quotes an
    article) straight through SQL: the cleaning pipeline would take minutes."""
    rng = random.Random(20161123)
    now = datetime(2026, 1, 1)
    outlets = [{"id": i, "name": f"Outlet {i}", "domain": f"outlet{i}.example", "created_at": now}
               for i in range(1, 21)]
    tags = [{"id": i, "name": f"tag-{i}", "name_key": f"tag-{i}", "created_at": now} for i in range(1, 13)]
    speakers, aliases = [], []
    for i in range(1, 401):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}{i}"
        speakers.append({"id": i, "name": name, "kind": "person", "role": rng.choice(ROLES), "created_at": now})
        aliases.append({"speaker_id": i, "alias": name, "alias_key": name.lower()})
        aliases.append({"speaker_id": i, "alias": f"Mr {name.split()[-1]}", "alias_key": name.split()[-1].lower()})
    documents, rows, article_tags, quotes = [], [], [], []
    for i in range(1, articles + 1):
        quoted = [f"we will not accept any {rng.choice(WORDS)} deal on {rng.choice(TOPICS)} number {i}-{k}"
                  for k in range(3)]
        parts = [f"{rng.choice(ROLES)} met delegates in {rng.choice(PLACES)} about {rng.choice(TOPICS)}."]
        spans = []
        for q in quoted:
            prefix = " ".join(parts) + " \u201c"
            spans.append((len(prefix), len(prefix) + len(q)))
            parts.append(f"\u201c{q},\u201d an official said.")
        body = " ".join(parts)
        raw = f"<html><body><p>{body}</p></body></html>".encode()
        documents.append({"id": i, "sha256": hashlib.sha256(raw).hexdigest(), "content_type": "text/html",
                          "encoding": "utf-8", "size": len(raw), "data": zlib.compress(raw), "url": None,
                          "fetched_at": None, "supplied_metadata": {"outlet": "Outlet"} if i % 3 == 0 else None,
                          "created_at": now})
        rows.append({"id": i, "outlet_id": rng.randint(1, 20), "document_id": i, "url": f"https://x.example/{i}",
                     "source": f"/data/{i}.html", "title": f"Article {i} on {rng.choice(TOPICS)}",
                     "subtitle": None, "byline": rng.choice(FIRST), "language": "en",
                     "published_at": now - timedelta(hours=i), "body": body, "word_count": len(body.split()),
                     "source_credit": None, "content_hash": hashlib.sha256(body.encode()).hexdigest(),
                     "extractor_version": "clean-1", "added_at": now})
        for tag_id in rng.sample(range(1, 13), rng.randint(1, 2)):
            article_tags.append({"article_id": i, "tag_id": tag_id, "tagged_at": now})
        for (start, end), q in zip(spans, quoted):
            speaker = rng.randint(1, 400)
            assert body[start:end] == q
            quotes.append({"article_id": i, "speaker_id": speaker, "text": q, "kind": "direct", "cue": "said",
                           "start_offset": start, "end_offset": end, "speaker_name": speakers[speaker - 1]["name"],
                           "speaker_role": None})
    with engine.begin() as connection:
        for model, values in ((Outlet, outlets), (Tag, tags), (Speaker, speakers), (SpeakerAlias, aliases),
                              (Document, documents), (Article, rows), (ArticleTag, article_tags), (Quote, quotes)):
            table = model.__table__
            usable = {c.name for c in table.columns}
            connection.execute(table.insert(), [{k: v for k, v in row.items() if k in usable} for row in values])
        if engine.dialect.name == "postgresql":
            for table in ("outlets", "tags", "speakers", "speaker_aliases", "documents", "articles", "quotes"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))


DERIVED_COLUMNS = {("articles", "search_vector")}


def snapshot(engine) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row of every corpus table (not Alembic's, not the search index), in key order."""
    tables = {}
    with engine.execution_options(corpus_readonly=True).connect() as connection:
        inspector = inspect(connection)
        for table in sorted(inspector.get_table_names()):
            if table == "alembic_version" or table.startswith("articles_fts"):
                continue
            columns = sorted(c["name"] for c in inspector.get_columns(table)
                             if (table, c["name"]) not in DERIVED_COLUMNS)
            key = inspector.get_pk_constraint(table)["constrained_columns"] or columns
            listing = ", ".join(f'"{c}"' for c in columns)
            order = ", ".join(f'"{c}"' for c in key)
            rows = [tuple(row) for row in connection.execute(text(f'SELECT {listing} FROM "{table}" ORDER BY {order}'))]
            tables[table] = (columns, rows)
    return tables


def digest(tables: dict) -> dict[str, tuple[int, str]]:
    return {name: (len(rows), hashlib.sha256(repr((columns, rows)).encode()).hexdigest())
            for name, (columns, rows) in tables.items()}


def project(tables: dict, shape: dict) -> dict:
    """`tables` cut down to the tables and columns `shape` has (what an older schema keeps)."""
    projected = {}
    for name, (columns, _) in shape.items():
        if name in tables:
            all_columns, rows = tables[name]
            keep = [all_columns.index(c) for c in columns if c in all_columns]
            projected[name] = ([all_columns[i] for i in keep], [tuple(row[i] for i in keep) for row in rows])
    return projected


def search_counts(db_url: str) -> list[int]:
    with Corpus(db_url) as corpus:
        return [len(corpus.search(q, limit=100_000)) for q in ("ceasefire", '"prisoner exchange"', "number")]


def revisions(engine) -> list[str]:
    from alembic.script import ScriptDirectory
    from corpus.database import alembic_config
    return [r.revision for r in ScriptDirectory.from_config(alembic_config(engine)).walk_revisions()]


def test_upgrading_a_populated_database_changes_nothing(db_url):
    """`corpus init` / `corpus db upgrade` on a full, current database is a no-op; and the
    snapshot used by the migration test below does see a lost row."""
    engine = open_engine(db_url)
    populate(engine)
    before = snapshot(engine)
    assert digest(before)["articles"][0] == POPULATED_ARTICLES
    searches = search_counts(db_url)
    assert searches[2] == POPULATED_ARTICLES
    cli = Cli(db_url)
    assert cli("init").exit_code == 0
    assert cli("db", "upgrade").exit_code == 0
    assert digest(snapshot(engine)) == digest(before)
    assert search_counts(db_url) == searches
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM quotes WHERE id = (SELECT max(id) FROM quotes)"))
    assert digest(snapshot(engine))["quotes"] != digest(before)["quotes"]
    engine.dispose()


def test_one_step_down_and_up_on_a_populated_database_loses_nothing(db_url):
    engine = open_engine(db_url)
    known = revisions(engine)
    if len(known) < 2:
        engine.dispose()
        pytest.skip(f"only one migration ({known[0]}): one step down is the empty database; "
                    "this runs once a second migration exists")
    populate(engine)
    before = snapshot(engine)
    searches = search_counts(db_url)
    downgrade(engine, "-1")
    assert current_revision(engine) == known[1]
    older = snapshot(engine)
    assert digest(older) == digest(project(before, older)), "the downgrade lost or changed rows"
    upgrade(engine, "head")
    assert current_revision(engine) == head_revision()
    assert digest(snapshot(engine)) == digest(before), "down and up again lost or changed rows"
    assert search_counts(db_url) == searches
    engine.dispose()


# --- corpus sql cannot write, attach files or change settings ------------------------------------

SQLITE_REFUSED = [
    "PRAGMA writable_schema = ON",
    "PRAGMA writable_schema = 1",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA busy_timeout = 1",
    "PRAGMA user_version = 42",
    "PRAGMA trusted_schema = ON",
    "SELECT * FROM pragma_query_only(0)",
    "ATTACH DATABASE (SELECT '{dir}/sub.db') AS x",
    "ATTACH (SELECT group_concat(x, '') FROM (SELECT '{dir}/' AS x UNION ALL SELECT 'concat.db')) AS y",
    "SELECT 1; ATTACH DATABASE '{dir}/multi.db' AS z",
    "VACUUM INTO '{dir}/copy.db'",
    "VACUUM",
    "ANALYZE",
    "REINDEX",
    "CREATE TEMP TABLE tags (name TEXT)",
    "CREATE TEMP VIEW articles AS SELECT 1 AS id",
    "INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')",
    "EXPLAIN DELETE FROM articles",
    "BEGIN IMMEDIATE",
    "SAVEPOINT s",
    "SELECT 1; PRAGMA writable_schema = ON",
    "SELECT 1; DROP TABLE quotes",
]
POSTGRESQL_REFUSED = [
    "SET ROLE postgres",
    "SET SESSION AUTHORIZATION postgres",
    "RESET ALL",
    "SELECT 1; SET ROLE postgres",
    "SELECT lo_import('/etc/hostname')",
    "SELECT pg_catalog.lo_import('/etc/hostname')",
    "SELECT lo_export(1, '/tmp/corpus-lo-export')",
    "SELECT nextval('articles_id_seq')",
    "SELECT setval('articles_id_seq', 1000000)",
    "SELECT pg_read_binary_file('/etc/hostname')",
    "SELECT * FROM pg_ls_dir('.')",
    "EXPLAIN ANALYZE DELETE FROM articles",
    "WITH gone AS (DELETE FROM tags RETURNING 1) SELECT count(*) FROM gone",
    "SELECT query_to_xml('DELETE FROM articles', true, true, '')",
    "COPY (SELECT 1) TO PROGRAM 'true'",
    "LISTEN corpus",
    "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
    "PREPARE p AS SELECT 1",
    "CREATE TEMP TABLE tags (name text)",
    "CALL pg_sleep(0)",
]


def _settings(corpus: Corpus) -> dict:
    with corpus.engine.connect() as connection:
        if corpus.engine.dialect.name == "sqlite":
            return {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
                    for name in ("query_only", "writable_schema", "journal_mode", "busy_timeout", "foreign_keys",
                                 "user_version", "trusted_schema")} | {
                "databases": [row[1] for row in connection.exec_driver_sql("PRAGMA database_list")]}
        return {name: connection.exec_driver_sql(f"SHOW {name}").scalar_one()
                for name in ("statement_timeout", "default_transaction_read_only", "search_path", "role",
                             "session_authorization")} | {
            "user": connection.exec_driver_sql("SELECT current_user").scalar_one(),
            "advisory_locks": connection.exec_driver_sql(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").scalar_one()}


def _rows(corpus: Corpus) -> dict:
    return {table: corpus.sql(f"SELECT count(*) FROM {table}").rows[0][0]
            for table in ("articles", "documents", "quotes", "tags", "speakers", "article_tags")}


def test_sql_cannot_write_attach_or_change_settings(seeded, tmp_path):
    tmp_path = tmp_path / "targets"
    tmp_path.mkdir()
    dialect = seeded.engine.dialect.name
    before_rows, before_settings = _rows(seeded), _settings(seeded)
    statements = SQLITE_REFUSED if dialect == "sqlite" else POSTGRESQL_REFUSED
    allowed = []
    for statement in statements:
        try:
            seeded.sql(statement.format(dir=tmp_path))
            allowed.append(statement)
        except ReadOnlyError as exc:
            assert "\n" not in str(exc)
    assert allowed == []
    assert list(tmp_path.glob("*.db")) == []
    assert not Path("/tmp/corpus-lo-export").exists()
    assert _rows(seeded) == before_rows
    assert _settings(seeded) == before_settings
    # what a read-only statement may do still works, on the same pooled connection
    assert seeded.sql("SELECT count(*) FROM articles").rows == [(5,)]
    assert seeded.tag("after-sql", [1]) == 1


def test_sql_reading_functions_leave_no_state_behind(seeded):
    """Reading with side-effect-free functions works; nothing they might leave on the
    pooled connection (advisory locks, settings) outlives the statement."""
    if seeded.engine.dialect.name == "sqlite":
        assert seeded.sql("SELECT sqlite_version() IS NOT NULL").rows == [(1,)]
        return
    before = _settings(seeded)
    seeded.sql("SELECT pg_sleep(0.01)")
    for statement in ("SELECT pg_advisory_lock(4242)",
                      "SELECT query_to_xml('SELECT pg_advisory_lock(4243)', true, true, '')"):
        try:
            seeded.sql(statement)
        except ReadOnlyError:
            pass
    assert _settings(seeded) == before, "a statement left a lock or a setting on the connection"


@pytest.mark.parametrize("statement", [
    # the function names are spelt with Unicode escapes, so a word filter does not see them
    "SELECT U&\"pg\\005fread\\005ffile\"('/etc/hostname')",
    "SELECT U&\"lo\\005fget\"(U&\"lo\\005fimport\"('/etc/hostname'))",
    "SELECT query_to_xml('SELECT pg_' || 'read_file(''/etc/hostname'')', true, true, '')",
    "SELECT U&\"set\\005fconfig\"('search_path', 'nowhere', false)",
    # a quote mark inside a quoted identifier must not start a string that hides the call
    "SELECT 1 AS \"x'\", pg_read_file('/etc/hostname') AS \"'\"",
    "SELECT 'a'as\"b'\",pg_read_file('/etc/hostname')",
])
def test_postgresql_sql_cannot_read_server_files_or_set_config_by_another_spelling(backend, request, statement):
    if backend != "postgresql":
        pytest.skip("PostgreSQL function-name spellings")
    seeded = request.getfixturevalue("seeded")
    try:
        result = seeded.sql(statement)
    except ReadOnlyError:
        return
    pytest.fail(f"corpus sql ran {statement!r} and returned {str(result.rows)[:80]}")


def test_sql_words_inside_string_literals_are_data(seeded):
    """A LIKE pattern naming a forbidden function or keyword is only text."""
    for statement in ("SELECT count(*) FROM articles WHERE body NOT LIKE '%copy%'",
                      "SELECT count(*) FROM articles WHERE title <> 'pg_read_file(''/etc/hostname'')' -- set_config"):
        assert seeded.sql(statement).rows == [(5,)], statement


@pytest.mark.parametrize("statement, expected", [
    ("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Putin'", None),
    ("PRAGMA table_info(articles)", "content_hash"),
])
def test_sqlite_sql_reads_the_search_index_and_schema_from_a_fresh_process(backend, request, statement, expected):
    """What `corpus sql` is for: reading, including the FTS5 table and the read-only
    schema pragmas it allows, as a user runs it (a new process, a new connection)."""
    if backend != "sqlite":
        pytest.skip("SQLite's FTS5 table and pragmas")
    seeded = request.getfixturevalue("seeded")
    expected = expected or str(len(seeded.search("Putin", limit=100)))
    done = run_corpus(seeded.url, "sql", "--csv", statement, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert expected in done.stdout.splitlines()[1:] or expected in done.stdout.split(",")
