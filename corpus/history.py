"""The history of people's decisions: one `history` row per curation action, with the
values before and after as JSON, and one `history_rows` row per article, quote, speaker
or tag it touched. corpus.curation writes it; this module records and reads it, and
says in words what each action did."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .errors import without_control_characters
from .models import History, HistoryRow, utcnow

TABLES = ("articles", "quotes", "speakers", "tags")


def record(session: Session, action: str, rows: dict[str, Iterable[int]], *, before=None, after=None,
           note: str | None = None, undo_of: int | None = None) -> History:
    """Write one action to the history (in the caller's transaction)."""
    note = without_control_characters((note or "").strip(), "a note") or None
    entry = History(action=action, before=before, after=after, note=note,
                    undo_of=undo_of, created_at=utcnow())
    entry.rows = [HistoryRow(table_name=table, row_id=row_id)
                  for table in TABLES for row_id in sorted(set(rows.get(table, ())))]
    session.add(entry)
    session.flush()
    return entry


def entries(session: Session, *, article_id: int | None = None, speaker_id: int | None = None,
            limit: int | None = None) -> list[dict]:
    """History records, newest first: all, or those that touched one article or speaker."""
    stmt = select(History).options(selectinload(History.rows)).order_by(History.id.desc())
    for table, row_id in (("articles", article_id), ("speakers", speaker_id)):
        if row_id is not None:
            stmt = stmt.where(History.id.in_(select(HistoryRow.history_id).where(
                HistoryRow.table_name == table, HistoryRow.row_id == row_id)))
    if limit:
        stmt = stmt.limit(limit)
    found = session.scalars(stmt).all()
    undone_by = dict(session.execute(select(History.undo_of, History.id).where(
        History.undo_of.in_([entry.id for entry in found]))).all()) if found else {}
    return [as_record(entry, undone_by.get(entry.id)) for entry in found]


def undone_by(session: Session, history_id: int) -> int | None:
    return session.scalar(select(History.id).where(History.undo_of == history_id))


def nothing_done() -> dict:
    """The record of an action that changed nothing (and so is not in the history)."""
    return {"id": None, "action": None, **{table: [] for table in TABLES}, "summary": "nothing changed"}


def as_record(entry: History, undone_by: int | None = None) -> dict:
    rows: dict[str, list[int]] = {table: [] for table in TABLES}
    for row in entry.rows:
        rows[row.table_name].append(row.row_id)
    return {"id": entry.id, "at": entry.created_at, "action": entry.action, **rows,
            "summary": summary(entry), "note": entry.note, "before": entry.before, "after": entry.after,
            "undo_of": entry.undo_of, "undone_by": undone_by}


# --- in words -------------------------------------------------------------------------------

def _short(value, width: int = 40) -> str:
    if value is None:
        return "(none)"
    text = str(value)
    return repr(text if len(text) <= width else text[:width - 1] + "…")


def _ids(ids: Iterable) -> str:
    ids = [f"#{i}" for i in ids]
    return ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")


def summary(entry: History) -> str:
    """One line saying what the action did."""
    before, after = entry.before or {}, entry.after or {}
    describe = _SUMMARIES.get(entry.action)
    return describe(before, after) if describe else entry.action


def _edit(before: dict, after: dict) -> str:
    parts = []
    for article_id, fields in after["articles"].items():
        old = before["articles"].get(article_id, {})
        parts.append(f"#{article_id} " + ", ".join(
            f"{field} {_short(old.get(field))} → {_short(value)}" for field, value in fields.items()))
    return "; ".join(parts)


def _delete(before: dict, _after: dict) -> str:
    return "; ".join(f"#{a['id']} {_short(a['title'])}" for a in before["articles"])


def _quotes(status: str):
    return lambda before, _after: f"{status} quotes {_ids(before['quotes'])}"


def _assign(before: dict, after: dict) -> str:
    speaker = after["speaker"]
    made = " (new speaker)" if speaker.get("created") else ""
    return f"quotes {_ids(before['quotes'])} → speaker #{speaker['id']} {speaker['name']}{made}"


_SUMMARIES = {
    "edit": _edit,
    "delete": _delete,
    "tag": lambda b, a: f"{a['tag']!r} on {_ids(a['articles'])}",
    "untag": lambda b, a: f"{b['tag']!r} off {_ids(b['articles'])}",
    "tag-rename": lambda b, a: f"{b['name']!r} → {a['name']!r}" + (" (merged)" if a.get("merged") else ""),
    "tag-delete": lambda b, a: f"{b['name']!r}, was on {len(b['articles'])} articles",
    "quote-reject": _quotes("rejected"),
    "quote-restore": _quotes("restored"),
    "quote-assign": _assign,
    "speaker-rename": lambda b, a: f"#{a['id']} {b['name']!r} → {a['name']!r}",
    "speaker-merge": lambda b, a: (", ".join(f"#{s['id']} {s['name']!r}" for s in b["merged"])
                                   + f" into #{a['id']} {a['name']!r}"),
    "undo": lambda b, a: f"undid #{a['history_id']} ({a['action']})",
}
