"""A schema downgrade that would drop data says what it destroys and needs --yes (issue
#9, item 2); a downgrade that keeps every row runs as before."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect

from corpus import Corpus
from corpus.database import current_revision, head_revision
from corpus.downgrades import DowngradeLossError, Loss

from conftest import SEEDS


def test_downgrade_to_base_of_a_populated_database_is_refused_without_yes(cli):
    assert cli("add", str(SEEDS), "--tag", "syria").exit_code == 0
    result = cli("db", "downgrade", "base")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    message = result.stderr
    assert message.startswith("error: downgrading to base would destroy table ")
    assert "table articles (5 rows)" in message and "table quotes (" in message
    assert "table article_tags (5 rows)" in message and "table documents (5 rows)" in message
    assert "table tags (1 row)" in message
    assert "corpus export -o backup.jsonl" in message and "--yes" in message
    assert json.loads(cli("db", "current", "--json").stdout)["current"] == head_revision()
    assert len(cli("export").stdout.splitlines()) == 5

    confirmed = cli("db", "downgrade", "base", "--yes")
    assert confirmed.exit_code == 0 and confirmed.stdout == "at schema base (empty)\n"
    assert json.loads(cli("db", "current", "--json").stdout)["current"] is None


def test_a_downgrade_that_keeps_every_row_needs_no_yes(cli):
    assert cli("add", str(SEEDS)).exit_code == 0
    result = cli("db", "downgrade", "-1")  # 0007 drops an index only
    assert result.exit_code == 0, result.output
    assert cli("db", "upgrade").exit_code == 0
    assert len(cli("export").stdout.splitlines()) == 5


def test_an_empty_database_goes_down_to_base_without_asking(cli):
    assert cli("db", "downgrade", "base").exit_code == 0


def test_dropped_columns_holding_values_count_too(db_url):
    """0005 drops the curation columns and history: an edited title is data."""
    with Corpus(db_url) as corpus:
        list(corpus.add([str(SEEDS)]))
        assert corpus.downgrade_losses("0005") == []
        corpus.edit([1], title="A title a person chose")
        found = corpus.downgrade_losses("0004")
        assert Loss("articles", "edited_fields", 1) in found
        assert Loss("history", None, 1) in found
        with pytest.raises(DowngradeLossError, match=r"column articles\.edited_fields \(1 row with a value\)"):
            corpus.downgrade("0004")
        assert current_revision(corpus.engine) == head_revision()
        assert "edited_fields" in {c["name"] for c in inspect(corpus.engine).get_columns("articles")}
        assert corpus.downgrade("0004", destroy=True) == "0004"


def test_an_unknown_revision_is_still_a_one_line_error(cli):
    assert cli("add", str(SEEDS)).exit_code == 0
    result = cli("db", "downgrade", "nosuch")
    assert result.exit_code == 1 and result.stderr.startswith("error: cannot move to revision 'nosuch'")


def test_at_a_terminal_it_asks_and_no_leaves_everything(cli, monkeypatch):
    import corpus.cli

    assert cli("add", str(SEEDS)).exit_code == 0
    monkeypatch.setattr(corpus.cli, "is_terminal", lambda stream=None: True)
    declined = cli("db", "downgrade", "base", input="n\n")
    assert declined.exit_code == 1
    assert "table articles (5 rows)" in declined.stderr
    assert "Destroy them? [y/N]" in declined.stderr
    assert declined.stderr.endswith("error: downgrade cancelled: nothing changed\n")
    assert len(cli("export").stdout.splitlines()) == 5
    accepted = cli("db", "downgrade", "base", input="y\n")
    assert accepted.exit_code == 0 and accepted.stdout.endswith("at schema base (empty)\n")
