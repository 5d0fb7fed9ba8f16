"""Connecting to the database and migrating it.

SQLite is the embedded default and PostgreSQL the server; this module hides how each is
opened (URL forms, SQLite pragmas and locking) and runs Alembic, which is the only thing
that creates or changes the schema.
"""
from __future__ import annotations

import os
import re
import sqlite3
import time
from contextlib import closing, contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .errors import CorpusError

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_URL = "sqlite:///corpus.db"
SQLITE_BUSY_TIMEOUT_S = 60
# Inside the package, so an installed wheel carries them (declared as package data).
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseError(CorpusError):
    """A database that cannot be opened or is not usable as it is (one-line message)."""


def parse_url(url: str | URL | None = None) -> URL:
    """The database to use: the one given, else CORPUS_DATABASE_URL, else ./corpus.db.
    Anything without "://" is a SQLite file path taken as it is (never %-decoded);
    postgresql:// means psycopg 3. Messages show the URL with its password masked."""
    if isinstance(url, URL):
        return url
    url = url or os.environ.get("CORPUS_DATABASE_URL") or DEFAULT_URL
    if "://" not in url:
        return URL.create("sqlite", database=url)
    netloc = url.split("://", 1)[1].split("/", 1)[0]
    if netloc.count("@") > 1:
        raise DatabaseError(f"not a database URL: {mask_password(url)} (write @ in a password as %40)")
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {mask_password(url)}") from None
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def database_url(url: str | URL | None = None) -> str:
    """parse_url() written out in full (password included): for connecting, never for printing."""
    return parse_url(url).render_as_string(hide_password=False)


def display_url(url: URL) -> str:
    """The database for messages: a SQLite file as sqlite:///PATH (unescaped), a server URL
    with its password masked."""
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{url.database or ''}"
    return url.render_as_string(hide_password=True)


def mask_password(text: str) -> str:
    """`text` with the password of any URL in it replaced by ***."""
    return _URL_PASSWORD.sub(r"\1***\2", text)


_URL_PASSWORD = re.compile(r"(\w[\w+.-]*://[^:/@\s]*:)[^/\s]*(@[^@/\s]*(?:/|\s|$))")


def open_engine(url: str | URL | None = None) -> Engine:
    """An engine set up for concurrent use: a busy timeout and enforced foreign keys on
    SQLite; write transactions take SQLite's write lock up front (BEGIN IMMEDIATE), so two
    writers queue instead of failing with 'database is locked'. A SQLite file that is not
    a corpus database is refused before anything is written to it, and one that cannot be
    written (a read-only file or folder) is opened read-only."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _open_sqlite(parsed)
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")
    return create_engine(parsed, pool_pre_ping=True)


def _open_sqlite(url: URL) -> Engine:
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        _configure_sqlite(engine, read_only=False)
        return engine
    path = Path(database).expanduser()
    try:
        if not path.resolve().parent.is_dir():
            raise DatabaseError(f"cannot create database {database}: no directory {path.resolve().parent}")
        _refuse_foreign_file(path)
    except OSError as exc:  # a folder on the way that may not be looked into
        raise DatabaseError(f"cannot open {path}: {exc.strerror or exc}") from None
    if _writable(path):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        _configure_sqlite(engine, read_only=False)
        return engine
    uri = _read_only_uri(path)
    engine = create_engine(url, execution_options={_READ_ONLY_FILE: True}, creator=lambda: sqlite3.connect(
        uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_S, check_same_thread=False))
    _configure_sqlite(engine, read_only=True)
    return engine


_READ_ONLY_FILE = "corpus_read_only_file"  # engine option: the SQLite file was opened read-only


def _writable(path: Path) -> bool:
    """Whether SQLite can write `path`: the file (if there is one) and its folder, which
    holds the journal or write-ahead log."""
    folder = path.resolve().parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _read_only_uri(path: Path) -> str:
    """A URI opening `path` without writing anything. A database in WAL mode needs its -shm
    file to be read read-only; without one (a cleanly closed database, whose log is
    empty) the file is opened as immutable, which needs none."""
    uri = "file:" + quote(str(path.resolve()))
    shared_memory = path.with_name(path.name + "-shm")
    return f"{uri}?mode=ro" if shared_memory.exists() else f"{uri}?immutable=1"


_SQLITE_HEADER = b"SQLite format 3\x00"


def _refuse_foreign_file(path: Path) -> None:
    """Refuse, before anything is written to it, a file that is not a corpus database: not
    SQLite at all, damaged, or a SQLite database holding tables of something else. A
    missing or empty file is fine (it becomes a corpus database)."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file")
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not header:
        return
    if header != _SQLITE_HEADER:
        raise DatabaseError(f"{path} is not a SQLite database (nothing was changed)")
    try:
        with closing(sqlite3.connect(_read_only_uri(path), uri=True)) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} cannot be read as a SQLite database ({exc}); nothing was changed") from None
    if tables and VERSION_TABLE not in tables:
        shown = ", ".join(sorted(tables)[:3]) + (", ..." if len(tables) > 3 else "")
        raise DatabaseError(f"{path} is a SQLite database of something else (tables {shown}), "
                            "not a corpus database: nothing was changed")


SQLITE_CACHE_KIB = 64 * 1024  # per connection, taken only as pages are read


def _configure_sqlite(engine: Engine, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's own handling defers
        # it, and so cannot take the write lock first). The journal mode is set once, by
        # upgrade(): opening a database to read it changes nothing in it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # A long-lived process (the web page, the Python API) reads the same pages again
        # and again: SQLite's default 2 MiB cache made every page a read from the OS
        # (listing 5,000 tagged articles of 100,000: 22 -> 8 ms of CPU with this one).
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        reading = read_only or connection.get_execution_options().get("corpus_readonly", False)
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def require_writable(engine: Engine) -> None:
    """Refuse to write to a SQLite file opened read-only (one line, rather than SQLite's
    'attempt to write a readonly database' halfway through)."""
    if engine.get_execution_options().get(_READ_ONLY_FILE):
        raise DatabaseError(f"{sqlite_file(engine)} is read-only (the file or its folder): it can be read, not changed")


def _use_write_ahead_log(engine: Engine) -> None:
    """WAL lets readers go on while one process writes; the mode is kept in the file."""
    connection = engine.raw_connection()
    try:
        connection.driver_connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite database (None for PostgreSQL or an in-memory database)."""
    database = engine.url.database or ""
    if not is_sqlite(engine) or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def size_bytes(engine: Engine) -> int:
    """How much disk the database takes: the SQLite file with its write-ahead log, or
    PostgreSQL's pg_database_size."""
    if is_sqlite(engine):
        path = sqlite_file(engine)
        files = [path, path.with_name(path.name + "-wal")] if path else []
        return sum(file.stat().st_size for file in files if file.exists())
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_database_size(current_database())")).scalar()


class QueryTimeout(DatabaseError):
    """A statement that ran past its time limit (and was stopped by the database)."""


# How many SQLite virtual-machine steps run between two looks at the clock.
_PROGRESS_STEPS = 10_000
_QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by statement_timeout


@contextmanager
def time_limit(dbapi_connection, seconds: float) -> Iterator[None]:
    """Stop what runs on this driver connection inside the block after `seconds`, raising
    QueryTimeout: SQLite through a progress handler that looks at the clock, PostgreSQL
    through statement_timeout for the current transaction (so the server itself stops,
    even when the client is gone)."""
    message = f"stopped after the time limit of {seconds:g} s (--timeout to change it)"
    if isinstance(dbapi_connection, sqlite3.Connection):
        deadline = time.monotonic() + seconds
        dbapi_connection.set_progress_handler(lambda: time.monotonic() > deadline, _PROGRESS_STEPS)
        try:
            yield
        except (sqlite3.OperationalError, OperationalError) as exc:
            if "interrupted" in str(exc) and time.monotonic() > deadline:
                raise QueryTimeout(message) from None
            raise
        finally:
            dbapi_connection.set_progress_handler(None, 0)
        return
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", (str(max(1, round(seconds * 1000))),))
    try:
        yield
    except Exception as exc:
        if getattr(getattr(exc, "orig", exc), "sqlstate", None) == _QUERY_CANCELED:
            raise QueryTimeout(message) from None
        raise


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading only: on SQLite it does not take the write lock, so reads go
    on while another process is adding."""
    with Session(engine.execution_options(corpus_readonly=True)) as session:
        yield session


def lock_names(session: Session, namespace: int, names: set[str]) -> None:
    """Hold, until the transaction ends, a lock per name in `namespace`, so that concurrent
    writers deciding whether a named row exists (and creating it if not) take turns.
    PostgreSQL only: SQLite writers already take turns (BEGIN IMMEDIATE). Names are locked
    in sorted order, so two writers never wait on each other."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in sorted(names):
        session.execute(select(func.pg_advisory_xact_lock(namespace, func.hashtext(name))))


# --- migrations -------------------------------------------------------------------------

# Full-text search objects are made by migrations in SQL the models cannot express (an FTS5
# table and its shadow tables on SQLite, a generated tsvector column and its index on
# PostgreSQL); comparing the models with the database must not count them as differences.
_SEARCH_TABLE_PREFIX = "articles_fts"
_SEARCH_COLUMNS = {("articles", "search_vector")}
_SEARCH_INDEXES = {"ix_articles_search_vector"}


def include_in_schema_comparison(name, type_, parent_names) -> bool:
    """Alembic's include_name hook for the models-versus-database comparison."""
    if type_ == "table":
        return not (name or "").startswith(_SEARCH_TABLE_PREFIX)
    if type_ == "column":
        return (parent_names.get("table_name"), name) not in _SEARCH_COLUMNS
    if type_ == "index":
        return name not in _SEARCH_INDEXES
    return True


def comparison_options(dialect: str) -> dict:
    """Alembic's options for comparing the models with a database of `dialect` (used by
    corpus/migrations/env.py for autogenerate and by the tests)."""

    def include_object(obj, _name, _type, _reflected, _compare_to) -> bool:
        # An Index(...).ddl_if(dialect=...) exists on that database only.
        made_if = getattr(obj, "_ddl_if", None)
        return made_if is None or made_if.dialect in (None, dialect)

    return {"include_name": include_in_schema_comparison, "include_object": include_object, "compare_type": True}


# Alembic is imported by the functions that migrate, not at startup (it costs about a
# third of a second): checking that a database is at the newest schema reads the version
# table and the migration files' revision lines instead.

def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    if not (MIGRATIONS_DIR / "env.py").is_file():
        raise DatabaseError(f"migrations not found at {MIGRATIONS_DIR}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    require_writable(engine)
    if is_sqlite(engine) and sqlite_file(engine) is not None:
        _use_write_ahead_log(engine)
    _migrate(command.upgrade, engine, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    require_writable(engine)
    _migrate(command.downgrade, engine, revision)


def _migrate(step, engine: Engine, revision: str) -> None:
    """Run an Alembic upgrade or downgrade; an unknown or unreachable revision is a user
    mistake (DatabaseError with Alembic's one-line reason), not a traceback."""
    from alembic.util import CommandError

    try:
        step(alembic_config(engine), revision)
    except CommandError as exc:
        raise DatabaseError(f"cannot move to revision {revision!r}: {str(exc).splitlines()[0]}") from None


VERSION_TABLE = "alembic_version"  # Alembic's own record of the revision a database is at


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*['\"]?([\w-]+)['\"]?\s*$", re.MULTILINE)


@cache
def head_revision() -> str:
    """The newest revision of the migrations this code carries: the one no other revises
    (read from the files' `revision = ...` lines, as Alembic's script template writes them)."""
    revised, revisions = set(), []
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.append(found["revision"])
            revised.add(found.get("down_revision"))
    heads = [revision for revision in revisions if revision not in revised]
    if len(heads) != 1:
        raise DatabaseError(f"the migrations in {MIGRATIONS_DIR} have {len(heads)} newest revisions, not one")
    return heads[0]


def revision_history(engine: Engine) -> list[dict]:
    """Every revision, newest first, with whether it is the one the database is at."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine))
    current = current_revision(engine)
    return [
        {
            "revision": rev.revision,
            "down_revision": rev.down_revision,
            "message": " ".join((rev.doc or "").split()),  # one line: a docstring may wrap
            "current": rev.revision == current,
        }
        for rev in script.walk_revisions()
    ]
