"""How every listing command prints its rows, in one place (as sqlite-utils' `output_rows`).

Formats: `table` for people (the default when stdout is a terminal), `csv`, `tsv` (the
default when stdout is not a terminal: one row a line, one header line, no padding, no
wrapping, so `cut`, `sort` and `awk -F'\\t'` work), `json` (one array) and `nl` (one JSON
object a line). Every format but `table` carries every field of the record; the table
shows the columns a command chooses. Rows are written as they come (`RowWriter`), so a
long `add` streams one record per document. How many rows there were, and how many more
`--limit` left out, goes to stderr, never into the data.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from datetime import datetime
from enum import Enum
from typing import IO, Iterable, Sequence


class Format(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    nl = "nl"


def is_terminal(stream: IO[str] | None = None) -> bool:
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def default_format() -> Format:
    """A table for people at a terminal, tab-separated values for programs."""
    return Format.table if is_terminal() else Format.tsv


def json_value(value):
    """JSON for what the records hold besides JSON's own types: dates as ISO 8601."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(value, *, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=json_value)


def text_value(value) -> str:
    """One value as a CSV/TSV cell: dates in ISO 8601, lists joined by ";", nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ";".join(map(text_value, value))
    if isinstance(value, dict):
        return dumps(value)
    return str(value)


def table_value(value) -> str:
    """One value as a table cell, for reading: dates to the minute, lists joined by ", ",
    control characters shown escaped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, (list, tuple)):
        return printable(", ".join(map(str, value)))
    return printable(str(value))


# C0 and C1 control characters and DEL: in a file name or a tag they could move the cursor,
# recolour or rewrite what a terminal shows.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text safe to print at a terminal: control characters as escapes (\\x1b, \\n)."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class RowWriter:
    """Writes rows (dicts) in one format as they come; `close()` ends the output (the
    JSON array's bracket, or the whole table, which needs every row to size its columns)."""

    def __init__(self, format: Format, *, columns: Sequence[str] | None = None,
                 widths: dict[str, int] | None = None, stream: IO[str] | None = None):
        self.format = Format(format)
        self.columns = list(columns) if columns else None  # the table's; others show every field
        self.widths = widths or {}
        self.stream = stream or sys.stdout
        self.count = 0
        self._table_rows: list[dict] = []
        self._csv = None

    def write(self, row: dict) -> None:
        if self.format is Format.table:
            self._table_rows.append(row)
        elif self.format is Format.json:
            self.stream.write(("[\n" if not self.count else ",\n") + dumps(row))
        elif self.format is Format.nl:
            self.stream.write(dumps(row) + "\n")
        else:
            self._write_separated(row)
        self.count += 1
        if self.format is not Format.table:
            self.stream.flush()

    def _write_separated(self, row: dict) -> None:
        if self._csv is None:
            if self.format is Format.csv:
                self._csv = csv.writer(self.stream, lineterminator="\n")
            else:  # TSV: no quoting, so tabs and line breaks inside a value become spaces
                self._csv = _TabWriter(self.stream)
            self._fields = list(row)
            self._csv.writerow(self._fields)
        self._csv.writerow([text_value(row.get(field)) for field in self._fields])

    def close(self) -> None:
        if self.format is Format.table:
            if self._table_rows:
                self.stream.write(render_table(self._table_rows, self.columns or list(self._table_rows[0]),
                                               self.widths, terminal=is_terminal(self.stream)))
        elif self.format is Format.json:
            self.stream.write("\n]\n" if self.count else "[]\n")
        self.stream.flush()


_TSV_BREAKS = re.compile(r"[\t\r\n]+")


class _TabWriter:
    def __init__(self, stream: IO[str]):
        self.stream = stream

    def writerow(self, values: Iterable[str]) -> None:
        self.stream.write("\t".join(_TSV_BREAKS.sub(" ", value) for value in values) + "\n")


def render_table(rows: list[dict], columns: list[str], widths: dict[str, int], *, terminal: bool) -> str:
    """Rows as an aligned table. At a terminal long cells fold within the width a column is
    given; elsewhere nothing wraps. No line ends in padding."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in columns:
        if terminal:
            table.add_column(column, overflow="fold", max_width=widths.get(column))
        else:
            table.add_column(column, no_wrap=True, overflow="ignore")
    for row in rows:
        table.add_row(*(Text(table_value(row.get(column))) for column in columns))
    buffer = io.StringIO()
    if terminal:
        Console(file=buffer, highlight=False, markup=False, force_terminal=True,
                width=shutil.get_terminal_size().columns).print(table)
    else:
        Console(file=buffer, highlight=False, markup=False, soft_wrap=True, width=100_000,
                color_system=None).print(table)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def output_rows(rows: Iterable[dict], format: Format, *, columns: Sequence[str] | None = None,
                widths: dict[str, int] | None = None) -> int:
    """Print rows in a format; returns how many."""
    writer = RowWriter(format, columns=columns, widths=widths)
    for row in rows:
        writer.write(row)
    writer.close()
    return writer.count


def report_count(shown: int, total: int, noun: str, plural: str | None = None) -> None:
    """How many rows there were, on stderr: '5 articles', or '20 of 469 matches; --limit
    for more' when a limit left some out."""
    plural = plural or noun + "s"
    if total == 0:
        message = f"no {plural}"
    elif shown < total:
        message = f"{shown} of {total} {plural}; --limit for more"
    else:
        message = f"{total} {noun if total == 1 else plural}"
    sys.stderr.write(message + "\n")
