"""Values people type, read the same way when adding and when filtering: tag names (as
they are matched), dates and date-times (as the naive UTC the schema stores) and outlet
domains. Light on purpose: reading commands (`list --tag`, `--since`, `--outlet`) use it
without loading the add pipeline."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from urllib.parse import urlsplit

from . import columns
from .models import Tag


def tag_key(name: str) -> str:
    """What tag names are matched by: trimmed, inner whitespace collapsed, case-folded
    ("Needs Check", " needs  check " and "NEEDS CHECK" are one tag)."""
    return columns.fit(unicodedata.normalize("NFKC", " ".join(str(name).split())).casefold(), Tag.name_key)


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_datetime(value: str) -> datetime:
    """An ISO 8601 date or date-time, as the naive UTC datetime the schema stores."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
    return to_utc(parsed)


def is_date_only(value: str) -> bool:
    return bool(_DATE_ONLY.match(value.strip()))


def to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def domain_of(url: str | None) -> str | None:
    """The host of a URL, lower-case, without a leading www. (how outlets are keyed)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host or None
