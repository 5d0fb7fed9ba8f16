"""Settings stored in the database (table `settings`), so that every process adding to one
corpus works alike: each has a name, a default, the values it may take and what it does."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import CorpusError
from .models import Setting

DUPLICATE_THRESHOLD = "duplicate_threshold"


@dataclass(frozen=True)
class Known:
    description: str
    default: Callable[[], float]  # a function: the default may live in a module slow to import
    minimum: float
    maximum: float


def _dedup_threshold() -> float:
    from . import dedup  # datasketch and numpy

    return dedup.THRESHOLD


KNOWN = {
    # Below 0.3 corpus.dedup's LSH bands make fewer than two thirds of such pairs candidates.
    DUPLICATE_THRESHOLD: Known(
        "the similarity (estimated Jaccard of 5-word shingles) at which an added article is linked"
        " as a near-duplicate; setting it links every article again", _dedup_threshold, 0.3, 1.0),
}


def read(session: Session, name: str) -> float:
    """A setting's value: the stored one, else its default."""
    stored = session.scalar(select(Setting.value).where(Setting.name == name))
    return float(stored) if stored is not None else _known(name).default()


def read_all(session: Session, name: str | None = None) -> list[dict]:
    """Every setting (or the one called `name`): name, value, default and what it does."""
    return [{"name": each, "value": read(session, each), "default": known.default(),
             "description": known.description}
            for each, known in ([(name, _known(name))] if name else KNOWN.items())]


def write(session: Session, name: str, value: str | float) -> float:
    """Store a setting; its value as stored. Raises CorpusError for an unknown name or a
    value out of range."""
    known = _known(name)
    try:
        number = float(value)
    except ValueError:
        raise CorpusError(f"{name} is a number from {known.minimum} to {known.maximum}, not {value!r}") from None
    if not known.minimum <= number <= known.maximum:
        raise CorpusError(f"{name} is a number from {known.minimum} to {known.maximum}, not {value}")
    row = session.get(Setting, name) or Setting(name=name)
    row.value = repr(number)
    session.add(row)
    return number


def _known(name: str) -> Known:
    if name not in KNOWN:
        raise CorpusError(f"no setting {name!r}: there is {', '.join(KNOWN)}")
    return KNOWN[name]
