"""Running a user's own SQL without letting it change anything or run away.

SQLite: `PRAGMA query_only` plus an authorizer that allows reading only (no writes, no
ATTACH, no PRAGMA that sets anything, no extension loading).

PostgreSQL: the guard rests on the database's privileges. The statement runs as the role
corpus_reader (NOLOGIN, SELECT on the corpus tables and nothing else; made and granted
here when the connecting role may, see the README), switched to with SET LOCAL ROLE
inside a READ ONLY transaction that is rolled back. As a second line, one statement only
(a prepared statement cannot hold two), starting with a reading keyword, calling only
functions on an allowlist: so nothing can switch the role back (set_config('role', ...))
or run SQL written inside a string (ts_rewrite, query_to_xml). Identifiers spelt with
Unicode escapes are refused so that no function name hides from that check.

Both: a time limit (60 s unless told), a cap on the size of one value and of the whole
result, and on SQLite a cap on the memory SQLite may take. The statement runs on its own
connection state, which is restored (session advisory locks included).
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from sqlalchemy import Engine

from .database import VERSION_TABLE, QueryTimeout, time_limit
from .errors import CorpusError
from .models import Base
from .sql_functions import ALLOWED_FUNCTIONS, NOT_FUNCTIONS

STATEMENT_TIMEOUT_S = 60.0
READER_ROLE = "corpus_reader"
MAX_VALUE_BYTES = 100_000_000  # one text or blob value (SQLite's own limit is 1 GB)
MAX_RESULT_BYTES = 500_000_000  # all the rows of a result, as fetched
SQLITE_HEAP_LIMIT = 1_000_000_000  # memory SQLite may hold while the statement runs


class ReadOnlyError(CorpusError):
    """The statement was refused or failed; the message is for the user, one line."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


_READING_START = re.compile(r"^\s*(\(\s*)*(select|with|values|table|explain|show)\b", re.IGNORECASE)
# PostgreSQL's lexemes that can hold any text: quoted identifiers (kept, so that their
# names are checked too), string literals (standard, E'...' with backslash escapes,
# $tag$...$tag$) and comments, read left to right in one pass as the server reads them.
_LEXEMES = re.compile(
    r'(?P<identifier>"(?:[^"]|"")*")'
    r"|(?P<string>(?<![\w$])[eE]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'|(?<![\w$])\$(?P<tag>\w*)\$.*?\$(?P=tag)\$)"
    r"|--[^\n]*|/\*.*?\*/",
    re.DOTALL,
)
# A name followed by "(": a function call, unless the name is a keyword or a type, or it
# names the columns of a WITH query or of an alias (checked where it is found).
_NAME = r'(?:"(?:[^"]|"")*"|[^\W\d][\w$]*)'
_CALL = re.compile(rf"(?<![\w$.\"])({_NAME}(?:\s*\.\s*{_NAME})*)\s*\(")
_WITH_QUERY_AFTER = re.compile(r"\s*as\s+(not\s+)?(materialized\s*)?\(\s*(select|with|values|table)\b", re.IGNORECASE)
_NAMES_ONLY = re.compile(rf"\(\s*{_NAME}(\s*,\s*{_NAME})*\s*\)")
_AS_BEFORE = re.compile(r"\bas\s*$", re.IGNORECASE)
_UNICODE_IDENTIFIER = re.compile(r'\bU&"', re.IGNORECASE)
_SQLITE_READ_PRAGMAS = {
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "database_list", "collation_list", "function_list", "data_version",
}
_SQLITE_FORBIDDEN_FUNCTIONS = {"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"}


def run_readonly(engine: Engine, sql: str, *, timeout: float = STATEMENT_TIMEOUT_S) -> QueryResult:
    """Run one reading statement, stopped after `timeout` seconds."""
    sql = sql.strip().rstrip(";").strip()
    if not sql:
        raise ReadOnlyError("empty statement")
    try:
        if engine.dialect.name == "sqlite":
            return _run_sqlite(engine, sql, timeout)
        return _run_postgresql(engine, sql, timeout)
    except QueryTimeout as exc:
        raise ReadOnlyError(str(exc)) from None


def _sqlite_authorizer(action, arg1, arg2, _database, _trigger):
    if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE):
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION:
        forbidden = (arg2 or "").lower() in _SQLITE_FORBIDDEN_FUNCTIONS
        return sqlite3.SQLITE_DENY if forbidden else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _SQLITE_READ_PRAGMAS:
        return sqlite3.SQLITE_OK  # the argument of these is a table or index name, never a value
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
        # FTS5 prepares this when a new connection first opens the search table; the
        # statement never runs, and query_only would refuse it if it did.
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _run_sqlite(engine: Engine, sql: str, timeout: float) -> QueryResult:
    connection = engine.raw_connection()
    try:
        dbapi = connection.driver_connection
        dbapi.execute("PRAGMA query_only = ON")
        value_limit = dbapi.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        # The heap limit is SQLite's, for the whole process: set for this statement only.
        heap_limit = dbapi.execute(f"PRAGMA hard_heap_limit = {SQLITE_HEAP_LIMIT}").fetchone()[0]
        dbapi.set_authorizer(_sqlite_authorizer)
        try:
            with time_limit(dbapi, timeout):
                cursor = dbapi.execute(sql)
                columns = [d[0] for d in cursor.description or []]
                rows = _fetch_rows(cursor)
        except MemoryError:
            raise ReadOnlyError(f"stopped: the statement needed more than {_size(SQLITE_HEAP_LIMIT)} of memory") from None
        except sqlite3.DatabaseError as exc:
            raise ReadOnlyError(_sqlite_message(exc)) from None
        except sqlite3.ProgrammingError as exc:
            raise ReadOnlyError(str(exc)) from None
        finally:
            dbapi.set_authorizer(None)
            if dbapi.in_transaction:
                dbapi.rollback()
            dbapi.execute(f"PRAGMA hard_heap_limit = {heap_limit}")
            dbapi.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, value_limit)
            dbapi.execute("PRAGMA query_only = OFF")
    finally:
        connection.close()
    return QueryResult(columns, rows)


def _sqlite_message(exc: sqlite3.DatabaseError) -> str:
    message = str(exc)
    if "not authorized" in message or "readonly" in message or "read-only" in message:
        return f"refused: corpus sql only reads ({message})"
    if "too big" in message:
        return f"stopped: a value is over {_size(MAX_VALUE_BYTES)} ({message})"
    return message


def _fetch_rows(cursor) -> list[tuple]:
    """Every row, unless together they are over MAX_RESULT_BYTES (then ReadOnlyError)."""
    rows: list[tuple] = []
    size = 0
    while batch := cursor.fetchmany(1000):
        for row in batch:
            size += sum(len(value) if isinstance(value, (str, bytes)) else 8 for value in row)
            rows.append(tuple(row))
        if size > MAX_RESULT_BYTES:
            raise ReadOnlyError(f"stopped: the result is over {_size(MAX_RESULT_BYTES)}; "
                                "select fewer rows or columns (LIMIT)")
    return rows


def _size(count: int) -> str:
    return f"{count / 1e9:g} GB" if count >= 1e9 else f"{count / 1e6:g} MB"


def _code_only(lexeme: re.Match) -> str:
    """String literals emptied, comments blanked, quoted identifiers kept."""
    if lexeme.group("identifier"):
        return lexeme.group(0)
    return "''" if lexeme.group("string") else " "


def _refuse_unlisted_calls(code: str) -> None:
    """The second line: every function the statement calls is on ALLOWED_FUNCTIONS
    (written plainly or in pg_catalog). `code` has its strings emptied."""
    for call in _CALL.finditer(code):
        parts = [part.strip() for part in re.split(r"\s*\.\s*(?=(?:\"|[^\W\d]))", call.group(1))]
        name = parts[-1][1:-1].replace('""', '"') if parts[-1].startswith('"') else parts[-1].lower()
        if len(parts) == 1 and name in NOT_FUNCTIONS:
            continue
        end = _closing(code, call.end())
        if _AS_BEFORE.search(code, 0, call.start()) or (
                _NAMES_ONLY.fullmatch(code, call.end() - 1, end) and _WITH_QUERY_AFTER.match(code, end)):
            continue  # the column names of an alias (AS t(a, b)) or of a WITH query (t(a, b) AS (SELECT ...))
        schema = parts[-2].lower() if len(parts) > 1 else "pg_catalog"
        if name not in ALLOWED_FUNCTIONS or schema != "pg_catalog":
            raise ReadOnlyError(f"refused: corpus sql calls only the functions on its list, and "
                                f"{'.'.join(parts)} is not one (see the README)")


def _closing(code: str, start: int) -> int:
    """The position after the parenthesis that closes the one open before `start`."""
    depth = 1
    for position in range(start, len(code)):
        depth += {"(": 1, ")": -1}.get(code[position], 0)
        if depth == 0:
            return position + 1
    return len(code)


def _run_postgresql(engine: Engine, sql: str, timeout: float) -> QueryResult:
    import psycopg

    # Words inside string literals are data ("... LIKE '%copy%'"), not function calls.
    code = _LEXEMES.sub(_code_only, sql)
    if not _READING_START.match(code):
        raise ReadOnlyError("refused: corpus sql only reads (start with SELECT, WITH, VALUES, TABLE, EXPLAIN or SHOW)")
    if _UNICODE_IDENTIFIER.search(code):
        raise ReadOnlyError('refused: corpus sql only reads (U&"..." identifiers are not allowed)')
    _refuse_unlisted_calls(code)
    connection = engine.raw_connection()
    try:
        pg = connection.driver_connection
        pg.rollback()
        as_reader = _prepare_reader_role(pg)
        try:
            pg.execute("SET TRANSACTION READ ONLY")  # first statement of the implicit transaction
            if as_reader:
                pg.execute(f"SET LOCAL ROLE {READER_ROLE}")
            with time_limit(pg, timeout):
                cursor = pg.execute(sql, prepare=True)
                columns = [d.name for d in cursor.description or []]
                rows = _fetch_rows(cursor) if cursor.description else []
        except psycopg.Error as exc:
            message = (exc.diag.message_primary or str(exc)).splitlines()[0]
            if getattr(exc, "sqlstate", None) in ("25006", "42501"):  # read-only transaction, no privilege
                message = f"refused: corpus sql only reads the corpus tables ({message})"
            raise ReadOnlyError(message) from None
        finally:
            pg.rollback()
            pg.execute("SELECT pg_advisory_unlock_all()")  # session locks outlive the rollback
            pg.rollback()
    finally:
        connection.close()
    return QueryResult(columns, rows)


def _prepare_reader_role(pg) -> bool:
    """Make sure READER_ROLE exists, may SELECT every corpus table, and the connecting role
    may switch to it; True when it can be used. A superuser always can (and must: False
    is an error for it). Another role without the rights to set this up gets False and
    runs the statement as itself, in the same READ ONLY transaction (see the README)."""
    import psycopg

    superuser = pg.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
    try:
        if pg.execute("SELECT to_regrole(%s)", (READER_ROLE,)).fetchone()[0] is None:
            pg.execute(f"CREATE ROLE {READER_ROLE} NOLOGIN")
            pg.commit()
        if pg.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", (READER_ROLE,)).fetchone()[0]:
            raise ReadOnlyError(f"refused: the role {READER_ROLE} has more rights than reading (superuser or BYPASSRLS)")
        if not pg.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", (READER_ROLE,)).fetchone()[0]:
            pg.execute(f"GRANT {READER_ROLE} TO CURRENT_USER")
        tables = [name for (name,) in pg.execute(
            "SELECT c.oid::regclass::text FROM pg_class c WHERE c.relkind IN ('r', 'p', 'v', 'm') "
            "AND c.oid = ANY(%s::regclass[]) AND NOT has_table_privilege(%s, c.oid, 'SELECT')",
            ([name for name in _corpus_tables(pg)], READER_ROLE))]
        if tables:
            pg.execute(f"GRANT SELECT ON {', '.join(tables)} TO {READER_ROLE}")
        pg.commit()
        return True
    except psycopg.Error as exc:
        pg.rollback()
        if isinstance(exc, (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation)):
            return _prepare_reader_role(pg)  # another session made the role at the same moment
        if superuser:
            raise ReadOnlyError(f"refused: could not set up the role {READER_ROLE} ({exc.diag.message_primary})") from None
        return False


def _corpus_tables(pg) -> list[str]:
    """The corpus tables this database has (the models' and Alembic's), as regclass text."""
    names = [*Base.metadata.tables, VERSION_TABLE]
    return [found for (found,) in pg.execute(
        "SELECT to_regclass(name)::text FROM unnest(%s::text[]) AS name WHERE to_regclass(name) IS NOT NULL",
        (names,))]
