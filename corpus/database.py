"""Connecting to the database and migrating it.

SQLite is the embedded default and PostgreSQL the server; this module hides how each is
opened (URL forms, SQLite pragmas and locking) and runs Alembic, which is the only thing
that creates or changes the schema.
"""
from __future__ import annotations

import os
import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from sqlalchemy import Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
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


def database_url(url: str | None = None) -> str:
    """The URL to use: the one given, else CORPUS_DATABASE_URL, else ./corpus.db.
    A bare file path means SQLite; postgresql:// means psycopg 3."""
    url = url or os.environ.get("CORPUS_DATABASE_URL") or DEFAULT_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def open_engine(url: str | None = None) -> Engine:
    """An engine set up for concurrent use: WAL, a busy timeout and enforced foreign keys
    on SQLite; write transactions take SQLite's write lock up front (BEGIN IMMEDIATE), so
    two writers queue instead of failing with 'database is locked'."""
    url = database_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            parent = Path(database).expanduser().resolve().parent
            if not parent.is_dir():
                raise DatabaseError(f"cannot create database {database}: no directory {parent}")
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise DatabaseError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's own handling defers
        # it, and so cannot take the write lock first).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        readonly = connection.get_execution_options().get("corpus_readonly", False)
        connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


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
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    _migrate(command.upgrade, engine, revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

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
            "message": rev.doc,
            "current": rev.revision == current,
        }
        for rev in script.walk_revisions()
    ]
