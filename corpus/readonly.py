"""Running a user's own SQL without letting it change anything.

SQLite: `PRAGMA query_only` plus an authorizer that allows reading only (no writes, no
ATTACH, no PRAGMA that sets anything, no extension loading). PostgreSQL: one statement
(a prepared statement cannot hold two), in a READ ONLY transaction that is rolled back,
starting with a reading keyword and calling no function that reads files, changes
settings or runs SQL given as a string; identifiers spelt with Unicode escapes are
refused so that no function name hides from that check. Either way the statement runs on
its own connection state, which is restored (session advisory locks included).
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from sqlalchemy import Engine

from .errors import CorpusError

STATEMENT_TIMEOUT_MS = 60_000


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
_POSTGRES_FORBIDDEN = re.compile(
    r"\b(set_config|pg_read_file|pg_read_binary_file|pg_ls_\w+|pg_stat_file|lo_\w+|dblink\w*"
    r"|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_promote"
    r"|pg_logical_emit_message|pg_file_write|pg_notify|copy"
    # these run SQL passed as a string, which no check here could read
    r"|query_to_xml\w*|cursor_to_xml\w*|ts_stat)\b",
    re.IGNORECASE,
)
_UNICODE_IDENTIFIER = re.compile(r'\bU&"', re.IGNORECASE)
_SQLITE_READ_PRAGMAS = {
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "database_list", "collation_list", "function_list", "data_version",
}
_SQLITE_FORBIDDEN_FUNCTIONS = {"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"}


def run_readonly(engine: Engine, sql: str) -> QueryResult:
    sql = sql.strip().rstrip(";").strip()
    if not sql:
        raise ReadOnlyError("empty statement")
    if engine.dialect.name == "sqlite":
        return _run_sqlite(engine, sql)
    return _run_postgresql(engine, sql)


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


def _run_sqlite(engine: Engine, sql: str) -> QueryResult:
    connection = engine.raw_connection()
    try:
        dbapi = connection.driver_connection
        dbapi.execute("PRAGMA query_only = ON")
        dbapi.set_authorizer(_sqlite_authorizer)
        try:
            cursor = dbapi.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            rows = [tuple(row) for row in cursor.fetchall()]
        except sqlite3.DatabaseError as exc:
            raise ReadOnlyError(_sqlite_message(exc)) from None
        except sqlite3.ProgrammingError as exc:
            raise ReadOnlyError(str(exc)) from None
        finally:
            dbapi.set_authorizer(None)
            if dbapi.in_transaction:
                dbapi.rollback()
            dbapi.execute("PRAGMA query_only = OFF")
    finally:
        connection.close()
    return QueryResult(columns, rows)


def _sqlite_message(exc: sqlite3.DatabaseError) -> str:
    message = str(exc)
    if "not authorized" in message or "readonly" in message or "read-only" in message:
        return f"refused: corpus sql only reads ({message})"
    return message


def _code_only(lexeme: re.Match) -> str:
    """String literals emptied, comments blanked, quoted identifiers kept."""
    if lexeme.group("identifier"):
        return lexeme.group(0)
    return "''" if lexeme.group("string") else " "


def _run_postgresql(engine: Engine, sql: str) -> QueryResult:
    import psycopg

    # Words inside string literals are data ("... LIKE '%copy%'"), not function calls.
    bare = _LEXEMES.sub(_code_only, sql)
    if not _READING_START.match(bare):
        raise ReadOnlyError("refused: corpus sql only reads (start with SELECT, WITH, VALUES, TABLE, EXPLAIN or SHOW)")
    if _UNICODE_IDENTIFIER.search(bare):
        raise ReadOnlyError('refused: corpus sql only reads (U&"..." identifiers are not allowed)')
    forbidden = _POSTGRES_FORBIDDEN.search(bare)
    if forbidden:
        raise ReadOnlyError(f"refused: corpus sql only reads ({forbidden.group(1)} is not allowed)")
    connection = engine.raw_connection()
    try:
        pg = connection.driver_connection
        pg.rollback()
        try:
            pg.execute("SET TRANSACTION READ ONLY")  # first statement of the implicit transaction
            pg.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
            cursor = pg.execute(sql, prepare=True)
            columns = [d.name for d in cursor.description or []]
            rows = [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        except psycopg.Error as exc:
            message = (exc.diag.message_primary or str(exc)).splitlines()[0]
            if getattr(exc, "sqlstate", None) == "25006":
                message = f"refused: corpus sql only reads ({message})"
            raise ReadOnlyError(message) from None
        finally:
            pg.rollback()
            pg.execute("SELECT pg_advisory_unlock_all()")  # session locks outlive the rollback
            pg.rollback()
    finally:
        connection.close()
    return QueryResult(columns, rows)
