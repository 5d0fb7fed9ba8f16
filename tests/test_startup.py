"""Starting `corpus` imports only what the command needs: `--help` and `--version` no
database layer, `list` nothing of adding (trafilatura, datasketch, the fetcher) and no
Alembic. (The times themselves are measured in bench/startup.py, not here.)"""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import SEEDS

HEAVY = ("sqlalchemy", "alembic", "trafilatura", "justext", "datasketch", "numpy", "urllib3", "corpus.quotes.attribution")


def imported_by(*args: str, env: dict | None = None) -> set[str]:
    code = ("import atexit, sys\n"
            f"atexit.register(lambda: sys.stderr.write('\\nIMPORTED ' + ' '.join(m for m in {HEAVY!r} if m in sys.modules)))\n"
            f"sys.argv = ['corpus', *{list(args)!r}]\n"
            "from corpus.cli import main\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.rsplit("IMPORTED", 1)[1].split())


def test_help_and_version_import_no_database_layer():
    assert imported_by("--help") == set()
    assert imported_by("--version") == set()


def test_list_imports_nothing_of_adding(tmp_path):
    env = dict(os.environ, CORPUS_DATABASE_URL=f"sqlite:///{tmp_path / 'seeds.db'}")
    added = subprocess.run([sys.executable, "-m", "corpus", "add", str(SEEDS)], env=env, capture_output=True, timeout=300)
    assert added.returncode == 0
    assert imported_by("list", env=env) == {"sqlalchemy"}
