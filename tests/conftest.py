"""Fixtures: every test that takes `db_url` (or `corpus`, `cli`) runs on SQLite, and on
PostgreSQL too when CORPUS_TEST_DATABASE_URL names a server database to create test
databases from (each test gets a fresh one, cloned from a migrated template)."""
from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from corpus import Corpus
from corpus.cli import app
from corpus.database import database_url, open_engine, upgrade

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
POSTGRES_ADMIN_URL = os.environ.get("CORPUS_TEST_DATABASE_URL")


def _admin_connection():
    url = make_url(database_url(POSTGRES_ADMIN_URL)).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


def _database_url(name: str) -> str:
    return make_url(database_url(POSTGRES_ADMIN_URL)).set(database=name).render_as_string(hide_password=False)


class PostgresDatabases:
    """Creates throwaway databases on the test server and drops them afterwards."""

    def __init__(self):
        self.prefix = f"corpus_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.template = None

    def create(self, migrated: bool) -> str:
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        with _admin_connection() as admin:
            if migrated:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template()}"')
            else:
                admin.execute(f'CREATE DATABASE "{name}"')
        return _database_url(name)

    def _template(self) -> str:
        if self.template is None:
            self.template = f"{self.prefix}_template"
            with _admin_connection() as admin:
                admin.execute(f'CREATE DATABASE "{self.template}"')
            engine = open_engine(_database_url(self.template))
            upgrade(engine)
            engine.dispose()
        return self.template

    def drop_all(self):
        """Drops in parallel: each DROP DATABASE waits for a checkpoint, and concurrent
        drops share one (one by one, hundreds of them took minutes on a busy server)."""
        with _admin_connection() as admin:
            names = [r[0] for r in admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (self.prefix + "%",))]

        def drop(name):
            with _admin_connection() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(drop, names))


@pytest.fixture(scope="session")
def postgres_databases():
    if not POSTGRES_ADMIN_URL:
        pytest.skip("CORPUS_TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def _fresh_url(backend, request, tmp_path, migrated: bool) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'corpus.db'}"
    return request.getfixturevalue("postgres_databases").create(migrated)


@pytest.fixture
def empty_db_url(backend, request, tmp_path) -> str:
    """A database with no schema at all."""
    return _fresh_url(backend, request, tmp_path, migrated=False)


@pytest.fixture
def db_url(backend, request, tmp_path) -> str:
    """A database migrated to the newest schema."""
    url = _fresh_url(backend, request, tmp_path, migrated=True)
    if backend == "sqlite":
        with Corpus(url) as corpus:
            corpus.init()
    return url


@pytest.fixture
def corpus(db_url):
    with Corpus(db_url) as opened:
        yield opened


@pytest.fixture
def seeded(corpus):
    """A corpus holding the five seed pages."""
    results = list(corpus.add([str(SEEDS)]))
    assert [r.status for r in results] == ["added"] * 5
    return corpus


@pytest.fixture
def listed_seeds(corpus):
    """The five seed pages with the outlets, dates and tags seeds/manifest.csv gives them."""
    results = list(corpus.add(manifest=str(SEEDS / "manifest.csv")))
    assert [r.status for r in results] == ["added"] * 5
    return corpus


class Cli:
    """Runs `corpus --db URL ...` in-process through typer's runner."""

    def __init__(self, url: str):
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None):
        return self.runner.invoke(app, ["--db", self.url, *args], input=input)


@pytest.fixture
def cli(db_url) -> Cli:
    return Cli(db_url)


class PageServer:
    """`corpus serve` in a thread of this process, on a free port of 127.0.0.1."""

    def __init__(self, corpus: Corpus, **options):
        import threading
        import time

        import uvicorn

        from corpus.web import create_app
        from corpus.web.server import bind

        sock = bind("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(corpus, **options), log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "the page server did not start"
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def serve_page():
    """Start the web page over a Corpus (`serve_page(corpus, read_only=..., token=...)`);
    returns its address. Stopped after the test."""
    servers: list[PageServer] = []

    def start(corpus: Corpus, **options) -> str:
        servers.append(PageServer(corpus, **options))
        return servers[-1].url

    yield start
    for server in servers:
        server.stop()
