"""Every list on the page as a CSV or JSON download (`?format=csv` / `?format=json` on the
list's own address, so the same filters apply), streamed so a long list never sits in memory
as one string."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Iterable, Iterator

from starlette.responses import StreamingResponse


def download(rows: Iterable[dict], columns: list[str], *, format: str, name: str) -> StreamingResponse:
    """`rows` as `name`.csv (the given columns, lists joined with ';') or `name`.json (an
    array of the whole records)."""
    if format == "csv":
        body, media_type = _csv(rows, columns), "text/csv; charset=utf-8"
    else:
        body, media_type = _json(rows), "application/json"
    return StreamingResponse(body, media_type=media_type,
                             headers={"content-disposition": f'attachment; filename="{name}.{format}"'})


def _csv(rows: Iterable[dict], columns: list[str]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json(rows: Iterable[dict]) -> Iterator[str]:
    separator = "[\n"
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False, default=json_value)
        separator = ",\n"
    yield "[]\n" if separator == "[\n" else "\n]\n"


def json_value(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _cell(value):
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return "" if value is None else value
