"""What a schema downgrade would destroy, found before it runs.

The downgrade is rehearsed on a scratch SQLite database brought to the same revision:
the tables and columns it has afterwards, compared with the real database's, are what
the real downgrade drops. Those holding data are counted in the real database, so a
downgrade that would lose rows can be refused until the user says yes."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, table, column

from . import database
from .errors import CorpusError


class DowngradeLossError(CorpusError):
    """A downgrade that would drop data, asked for without saying yes."""


@dataclass(frozen=True)
class Loss:
    table: str
    column: str | None  # None: the whole table goes
    rows: int  # rows of the table, or rows with a value in the column

    def describe(self) -> str:
        noun = "row" if self.rows == 1 else "rows"
        if self.column is None:
            return f"table {self.table} ({self.rows:,} {noun})"
        return f"column {self.table}.{self.column} ({self.rows:,} {noun} with a value)"


def losses(engine: Engine, revision: str) -> list[Loss]:
    """The tables and columns holding data that downgrading to `revision` would drop.
    An unknown revision raises DatabaseError, as the downgrade itself would."""
    current = database.current_revision(engine)
    if current is None:
        return []
    before = _schema(engine)
    after = _schema_after_rehearsal(current, revision)
    found = []
    with engine.connect() as connection:
        for name, columns in sorted(before.items()):
            if name not in after:
                rows = connection.scalar(select(func.count()).select_from(table(name)))
                if rows:
                    found.append(Loss(name, None, rows))
                continue
            for dropped in sorted(columns - after[name]):
                rows = connection.scalar(select(func.count(column(dropped))).select_from(table(name)))
                if rows:
                    found.append(Loss(name, dropped, rows))
    return found


SAVE_FIRST = "save them first (`corpus export -o backup.jsonl`, or a copy of the database file or a pg_dump)"


def summary(revision: str, found: list[Loss]) -> str:
    return f"downgrading to {revision} would destroy {', '.join(loss.describe() for loss in found)}"


def refusal(revision: str, found: list[Loss]) -> str:
    """The one-line message for a downgrade refused because of what it would destroy."""
    return f"{summary(revision, found)}; {SAVE_FIRST}, then run it again with --yes"


def _schema(engine: Engine) -> dict[str, set[str]]:
    """The corpus tables and their columns (not Alembic's version table, nor the search
    index objects that differ between the two databases)."""
    inspector = inspect(engine)
    schema = {}
    for name in inspector.get_table_names():
        if name == database.VERSION_TABLE or not database.include_in_schema_comparison(name, "table", {}):
            continue
        schema[name] = {
            info["name"] for info in inspector.get_columns(name)
            if database.include_in_schema_comparison(info["name"], "column", {"table_name": name})
        }
    return schema


def _schema_after_rehearsal(current: str, revision: str) -> dict[str, set[str]]:
    with tempfile.TemporaryDirectory(prefix="corpus-downgrade-") as scratch_dir:
        scratch = database.open_engine(f"sqlite:///{Path(scratch_dir) / 'rehearsal.db'}")
        try:
            database.upgrade(scratch, current)
            database.downgrade(scratch, revision)
            return _schema(scratch)
        finally:
            scratch.dispose()
