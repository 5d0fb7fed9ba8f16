"""`corpus sql` rests on privileges, not on a list of forbidden words (#9 item 5): on
PostgreSQL the statement runs as corpus_reader, which can only SELECT the corpus tables,
and calls only allowlisted functions; on both databases it stops at a time limit and
cannot take unbounded memory."""
from __future__ import annotations

import time

import pytest

from conftest import SEEDS
from corpus.readonly import READER_ROLE, ReadOnlyError

# Each ran on PostgreSQL before: SQL inside a string, server-wide actions.
POSTGRESQL_LET_THROUGH = [
    "SELECT ts_rewrite('a'::tsquery, 'SELECT pg_read_file(''/etc/passwd'')::tsquery, ''b''::tsquery')",
    "SELECT ts_rewrite('a'::tsquery, 'SELECT ''a''::tsquery, ''b''::tsquery WHERE pg_terminate_backend(0)')",
    "SELECT * FROM pg_create_physical_replication_slot('corpus_test_slot')",
    "SELECT pg_switch_wal()",
    "SELECT pg_stat_reset()",
    "SELECT pg_create_restore_point('corpus_test')",
    "SELECT set_config('role', 'postgres', true), 1",
    "SELECT pg_catalog.set_config('role', 'postgres', true)",
    'SELECT "set_config"(\'role\', \'postgres\', true)',
    "SELECT * FROM ts_stat('SELECT to_tsvector(pg_read_file(''/etc/hostname''))')",
    "SELECT * FROM articles, pg_read_file(title) AS (x text)",
    "WITH t(a) AS (SELECT 1) SELECT pg_read_file('/etc/hostname') FROM t",
    "SELECT pg_read_file FROM pg_read_file('/etc/hostname')",
    "SELECT * FROM pg_authid",
    "SELECT lower(rolpassword) FROM pg_authid",
]


@pytest.fixture
def pg_seeded(backend, request):
    if backend != "postgresql":
        pytest.skip("PostgreSQL's roles and functions")
    return request.getfixturevalue("seeded")


@pytest.mark.parametrize("statement", POSTGRESQL_LET_THROUGH)
def test_postgresql_sql_cannot_reach_past_reading_the_corpus(pg_seeded, statement):
    with pytest.raises(ReadOnlyError) as refused:
        pg_seeded.sql(statement)
    assert "\n" not in str(refused.value)
    with pg_seeded.engine.connect() as connection:
        slots = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'corpus_test_slot'").scalar()
        assert slots == 0


def test_postgresql_sql_runs_as_the_reader_role(pg_seeded):
    assert pg_seeded.sql("SELECT current_user, session_user <> current_user").rows == [(READER_ROLE, True)]
    with pg_seeded.engine.connect() as connection:
        granted = connection.exec_driver_sql(
            "SELECT count(*) FROM information_schema.role_table_grants "
            f"WHERE grantee = '{READER_ROLE}' AND privilege_type <> 'SELECT' "
            "AND table_catalog = current_database()").scalar()
        assert granted == 0
        assert connection.exec_driver_sql("SELECT current_user").scalar() != READER_ROLE


def test_postgresql_sql_still_reads_with_common_functions(pg_seeded):
    rows = pg_seeded.sql(
        "WITH counts(outlet, n) AS (SELECT o.name, count(*) FROM articles a LEFT JOIN outlets o ON o.id = a.outlet_id "
        "GROUP BY o.name) SELECT lower(outlet), n, round(n * 100.0 / sum(n) OVER (), 1) AS share, "
        "to_char(now(), 'YYYY') FROM counts ORDER BY n DESC, 1").rows
    assert sum(row[1] for row in rows) == 5
    assert pg_seeded.sql("SELECT count(*) FROM articles WHERE search_vector @@ websearch_to_tsquery('english', "
                         "'Putin') AND coalesce(title, '') <> ''").rows[0][0] >= 1
    assert pg_seeded.sql("SELECT g.n FROM generate_series(1, 3) AS g(n)").rows == [(1,), (2,), (3,)]


def test_a_role_without_rights_to_make_the_reader_runs_as_itself(pg_seeded):
    """A non-superuser that may not create roles: corpus sql runs as that role, READ ONLY,
    with the same function allowlist."""
    name = f"corpus_plain_{int(time.time() * 1000) % 10**8}"
    url = pg_seeded.engine.url
    with pg_seeded.engine.connect() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {name} LOGIN")
        connection.exec_driver_sql(f"GRANT SELECT ON articles TO {name}")
        connection.commit()
    try:
        from corpus import Corpus

        with Corpus(url.set(username=name, password=None).render_as_string(hide_password=False)) as plain:
            assert plain.sql("SELECT count(*), current_user FROM articles").rows == [(5, name)]
            with pytest.raises(ReadOnlyError):
                plain.sql("SELECT set_config('role', 'postgres', true)")
            with pytest.raises(ReadOnlyError):
                plain.sql("SELECT count(*) FROM quotes")
    finally:
        with pg_seeded.engine.connect() as connection:
            connection.exec_driver_sql(f"REVOKE ALL ON articles FROM {name}")
            connection.exec_driver_sql(f"DROP ROLE {name}")
            connection.commit()


# --- time and memory, both databases -------------------------------------------------------

FOREVER = {
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
    "postgresql": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
}


def test_sql_stops_at_the_time_limit(seeded):
    dialect = seeded.engine.dialect.name
    started = time.monotonic()
    with pytest.raises(ReadOnlyError, match="time limit of 1 s"):
        seeded.sql(FOREVER[dialect], timeout=1)
    assert time.monotonic() - started < 30
    assert seeded.sql("SELECT count(*) FROM articles").rows == [(5,)]  # the connection is fine after


def test_cli_sql_timeout_option(cli):
    assert cli("add", str(sorted(SEEDS.glob("*.txt"))[0])).exit_code == 0
    result = cli("sql", "--timeout", "1", FOREVER["sqlite"])
    assert result.exit_code == 1 and "time limit of 1 s" in result.stderr, result.output
    assert "Traceback" not in result.output


def test_sqlite_sql_refuses_a_billion_byte_value(backend, request):
    if backend != "sqlite":
        pytest.skip("SQLite's limits")
    seeded = request.getfixturevalue("seeded")
    with pytest.raises(ReadOnlyError, match="stopped: a value is over 100 MB"):
        seeded.sql("SELECT length(randomblob(1e9))")


@pytest.mark.parametrize("statement, message", [
    # one value grown past the value cap
    ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
     "SELECT length(group_concat(hex(randomblob(500000)))) FROM n", "a value is over"),
    # SQLite's own memory (a sort held in memory) past the heap cap
    ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) "
     "SELECT count(*) FROM (SELECT randomblob(500000) AS b FROM n ORDER BY random())", "of memory"),
    # the rows fetched past the result cap
    ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) "
     "SELECT randomblob(900000) FROM n", "the result is over"),
])
def test_sql_memory_is_capped(backend, request, monkeypatch, statement, message):
    """The caps at a twentieth of their size, so the test stays light."""
    from corpus import readonly

    if backend != "sqlite":
        pytest.skip("SQLite statements (PostgreSQL bounds a value at 1 GB and its memory by work_mem)")
    monkeypatch.setattr(readonly, "MAX_VALUE_BYTES", 5_000_000)
    monkeypatch.setattr(readonly, "SQLITE_HEAP_LIMIT", 50_000_000)
    monkeypatch.setattr(readonly, "MAX_RESULT_BYTES", 25_000_000)
    seeded = request.getfixturevalue("seeded")
    with pytest.raises(ReadOnlyError, match=f"stopped: .*{message}"):
        seeded.sql(statement)
    assert seeded.sql("SELECT length(randomblob(1000))").rows == [(1000,)]
