"""Starting `corpus` imports only what the command needs: `--help` and `--version` no
database layer, `list` nothing of adding (trafilatura, datasketch, the fetcher) and no
Alembic. (The times themselves are measured in bench/startup.py, not here.)"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import SEEDS

HEAVY = ("sqlalchemy", "alembic", "trafilatura", "justext", "datasketch", "numpy", "urllib3", "pydantic",
         "corpus.quotes.attribution")
# Corpus's own modules that only adding, curating or near-duplicate linking need.
WRITING = ("corpus.ingest", "corpus.curation", "corpus.clusters", "corpus.fetch", "corpus.cleaning")


def imported_by(*args: str, env: dict | None = None) -> set[str]:
    """The modules of HEAVY and WRITING whose code ran (a LazyLoader module that was
    never used sits in sys.modules without having run: it does not count)."""
    code = ("import atexit, importlib.util, sys\n"
            "def ran(name):\n"
            "    return name in sys.modules and not isinstance(sys.modules[name], importlib.util._LazyModule)\n"
            f"atexit.register(lambda: sys.stderr.write('\\nIMPORTED ' + ' '.join(m for m in {HEAVY + WRITING!r} if ran(m))))\n"
            f"sys.argv = ['corpus', *{list(args)!r}]\n"
            "from corpus.cli import main\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.rsplit("IMPORTED", 1)[1].split())


def test_help_and_version_import_no_database_layer():
    assert imported_by("--help") == set()
    assert imported_by("--version") == set()


@pytest.fixture(scope="module")
def seeds_env(tmp_path_factory):
    path = tmp_path_factory.mktemp("startup") / "seeds.db"
    env = dict(os.environ, CORPUS_DATABASE_URL=f"sqlite:///{path}")
    added = subprocess.run([sys.executable, "-m", "corpus", "add", str(SEEDS)], env=env, capture_output=True, timeout=300)
    assert added.returncode == 0, added.stderr
    return env


@pytest.mark.parametrize("command", [["list"], ["search", "Lavrov"], ["quotes", "--speaker", "Lavrov"],
                                     ["list", "--outlet", "independent.co.uk", "--csv"], ["outlets"], ["stats"]])
def test_reading_imports_nothing_of_adding(seeds_env, command):
    assert imported_by(*command, env=seeds_env) == {"sqlalchemy"}
