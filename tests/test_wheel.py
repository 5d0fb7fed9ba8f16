"""The package as users install it: the built wheel, in a fresh venv, outside the checkout.

`pip install -e` hides files the wheel lacks (the migrations once were not package data, so
an installed `corpus init` failed); this builds the wheel, installs it without its
dependencies into a new venv, and lends that venv the test environment's dependencies
through a .pth file (the editable install's own .pth there is not processed, so the only
`corpus` importable is the wheel's). No network beyond the build backend from PyPI.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS
from corpus import __version__ as corpus_version


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv holding the wheel built from this checkout; returns its `corpus` script."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy, so the build leaves nothing in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "corpus", source / "corpus", ignore=shutil.ignore_patterns("__pycache__"))
    built = _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(source), "-w", str(work / "dist"))
    assert built.returncode == 0, built.stderr
    [wheel] = (work / "dist").glob("corpus-*.whl")

    target = work / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    installed = _run(sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel))
    assert installed.returncode == 0, installed.stderr
    [site_packages] = target.glob("lib/python*/site-packages")
    (site_packages / "test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return target / "bin" / "corpus"


def test_the_wheel_is_what_runs(installed, tmp_path):
    python = installed.parent / "python"
    where = _run(str(python), "-c", "import corpus; print(corpus.__file__)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(installed.parent.parent)
    assert not Path(where.stdout.strip()).is_relative_to(ROOT)


def test_installed_wheel_initialises_adds_lists_and_searches(installed, empty_db_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CORPUS_DATABASE_URL"}

    def corpus(*args):
        result = _run(str(installed), "--db", empty_db_url, *args, cwd=tmp_path, env=env)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout

    assert corpus("--version") == f"corpus {corpus_version}\n"
    assert "is ready (schema" in corpus("init")
    assert "5 added, 0 already present, 0 failed" in corpus("add", "--manifest", str(SEEDS / "manifest.csv"))
    listed = list(csv.DictReader(io.StringIO(corpus("list", "--csv"))))
    assert len(listed) == 5 and listed[0]["outlet"] == "The Independent"
    found = [json.loads(line) for line in corpus("search", "Damascus defence chief", "--nl").splitlines()]
    assert [row["title"] for row in found][:1] == ["Assad, Russian defence chief meet in Damascus amid US concerns"]


def test_alembic_ini_in_the_checkout_finds_the_packaged_migrations(monkeypatch):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    monkeypatch.chdir(ROOT)  # script_location is relative to where `alembic` runs
    from_ini = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini")))
    assert Path(from_ini.dir).resolve() == (ROOT / "corpus" / "migrations").resolve()
    assert from_ini.get_current_head() is not None


def test_installed_wheel_serves_the_web_page_with_its_templates_and_stylesheet(installed, tmp_path):
    import re

    import httpx

    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    added = _run(str(installed), "--db", url, "add", str(SEEDS), cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    server = subprocess.Popen([str(installed), "--db", url, "serve", "--port", "0"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        address = re.search(r"(http://127\.0\.0\.1:\d+/)", server.stdout.readline()).group(1)
        article = httpx.get(address + "articles/1", timeout=10)
        stylesheet = httpx.get(address + "static/style.css", timeout=10)
    finally:
        server.terminate()
        server.wait(10)
    assert article.status_code == 200 and '<mark class="quote' in article.text
    assert stylesheet.status_code == 200 and "mark.quote" in stylesheet.text


def test_the_newest_revision_read_from_the_files_is_alembics():
    """`corpus` checks a database's schema without importing Alembic (startup time)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from corpus.database import MIGRATIONS_DIR, head_revision

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()
