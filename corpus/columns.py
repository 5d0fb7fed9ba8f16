"""Values fitted to the columns that store them, the same way on both databases.

PostgreSQL refuses text longer than a VARCHAR column and text holding a NUL character,
where SQLite would store either as given. Ingest fits every string it writes: NUL
characters removed, text cut to the column's length (as read from the model), and says
what it changed, so one odd page is stored (and reported) instead of failing its batch.
Columns whose values must stay exact (URLs, unique names) are fitted by their callers
before lookup; `watch` is the net under everything else."""
from __future__ import annotations

from sqlalchemy import String, event
from sqlalchemy import inspect as inspect_model
from sqlalchemy.orm import InstrumentedAttribute, Session

REPAIRS = "corpus_repairs"  # key in Session.info: what the last flushes changed


def length_of(attribute: InstrumentedAttribute) -> int | None:
    """The length of a model attribute's column (None: unlimited text)."""
    return getattr(attribute.property.columns[0].type, "length", None)


def fits(value: str | None, attribute: InstrumentedAttribute) -> bool:
    length = length_of(attribute)
    return value is None or length is None or len(value) <= length


def fit(value: str, attribute: InstrumentedAttribute) -> str:
    """The value without NUL characters, cut to the column's length."""
    value = value.replace("\x00", "")
    length = length_of(attribute)
    return value[:length] if length is not None else value


def watch(session: Session) -> None:
    """Fit every string a flush of this session writes, recording what changed in
    session.info[REPAIRS]."""
    if not event.contains(session, "before_flush", _fit_pending):
        event.listen(session, "before_flush", _fit_pending)


def take_repairs(session: Session) -> list[str]:
    """What was fitted since the last call (and forget it)."""
    return session.info.pop(REPAIRS, [])


def _fit_pending(session: Session, _context, _instances) -> None:
    for instance in [*session.new, *session.dirty]:
        state = inspect_model(instance)
        for attribute in state.mapper.column_attrs:
            column = attribute.columns[0]
            value = state.dict.get(attribute.key)  # loaded values only: an expired one is not being written
            if not isinstance(column.type, String) or not isinstance(value, str):
                continue
            fitted = fit(value, getattr(type(instance), attribute.key))
            if fitted != value:
                setattr(instance, attribute.key, fitted)
                session.info.setdefault(REPAIRS, []).append(_describe(column, value, fitted))


def _describe(column, value: str, fitted: str) -> str:
    where = f"{column.table.name}.{column.name}"
    if len(value.replace("\x00", "")) != len(fitted):
        return f"{where} cut to {len(fitted)} characters"
    return f"NUL characters removed from {where}"
