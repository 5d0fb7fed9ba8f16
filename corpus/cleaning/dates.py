"""Date/time parsing for dateline strings, without dateutil.

Covers the shapes news pages print: "Wednesday 24 February 2016 17:23 GMT",
"Feb. 24, 2016 5:23 p.m. EST", "2016-02-24T17:23:00+02:00", "24/02/2016 17:23",
"Updated 17:23, 24 Feb 2016". A zone named in the text gives an aware datetime;
otherwise the result is naive.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
ZONE_HOURS = {
    "gmt": 0, "utc": 0, "z": 0, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3,
    "msk": 3, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
    "pst": -8, "pdt": -7, "ist": 5.5, "jst": 9, "aest": 10, "aedt": 11,
}
_MONTH = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
DATE_PATTERNS = [
    re.compile(r"\b" + _YEAR + r"[-/.](?P<mnum>[01]?\d)[-/.](?P<day>[0-3]?\d)(?!\d)"),
    re.compile(r"\b" + _DAY + r"\.?(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b(?P<a>[0-3]?\d)[/.\-](?P<b>[0-3]?\d)[/.\-]" + _YEAR + r"\b"),
]
TIME_PATTERN = re.compile(
    r"(?<![\d:.])(?P<hour>[0-2]?\d)[:.h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:\.\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"(?:\s*(?P<zone>Z\b|(?:GMT|UTC)?\s?[+\-−]\s?\d{1,2}(?::?\d\d)?|"
    + "|".join(z.upper() for z in ZONE_HOURS if z != "z") + r")\b)?",
    re.I,
)
TIME_GAP = re.compile(r"[\s,|@–-]*(?:at\s+|T)?")


def _zone(text: str | None) -> timezone | None:
    """tzinfo for a zone name or numeric offset; None when there is none."""
    if not text:
        return None
    key = re.sub(r"\s", "", text).replace("−", "-").lower()
    if key in ZONE_HOURS:
        return timezone(timedelta(hours=ZONE_HOURS[key]))
    m = re.fullmatch(r"(?:gmt|utc)?([+-])(\d{1,2}):?(\d\d)?", key)
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if m.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _date_from_match(m: re.Match) -> tuple[int, int, int] | None:
    groups = m.groupdict()
    year = int(groups["year"])
    if groups.get("mon"):
        month = MONTHS[groups["mon"].lower().rstrip(".")]
        day = int(groups["day"])
    elif groups.get("mnum"):
        month, day = int(groups["mnum"]), int(groups["day"])
    else:  # numeric a/b/year: day-first unless that cannot be
        a, b = int(groups["a"]), int(groups["b"])
        day, month = (b, a) if a <= 12 < b else (a, b)
    try:
        datetime(year, month, day)
    except ValueError:
        return None
    return year, month, day


def find_date(text: str) -> tuple[datetime, tuple[int, int]] | None:
    """First date in text (with a time and zone near it when given) and the
    character span the whole date/time expression covers."""
    best = None
    for pattern in DATE_PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best.start()):
            if _date_from_match(m):
                best = m
    if best is None:
        return None
    year, month, day = _date_from_match(best)
    start, end = best.span()
    hour = minute = second = 0
    tz = None
    window_after = text[end:end + 40]
    window_before = text[max(0, start - 30):start]
    gap = TIME_GAP.match(window_after).end()
    found = TIME_PATTERN.match(window_after, gap)
    if found:
        end += found.end()
    else:
        candidates = list(TIME_PATTERN.finditer(window_before))
        if candidates and re.fullmatch(r"[\s,|–-]*(?:on\s*)?", window_before[candidates[-1].end():]):
            found = candidates[-1]
            start -= len(window_before) - found.start()
    if found:
        hour, minute = int(found.group("hour")), int(found.group("minute"))
        second = int(found.group("second") or 0)
        ampm = (found.group("ampm") or "").replace(".", "").replace(" ", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23:
            hour = minute = second = 0
        tz = _zone(found.group("zone"))
    if tz is None:
        after = text[end:end + 12]
        zm = re.match(r"\s*\(?(Z|GMT|UTC|[A-Z]{3,4})\b", after)
        if zm and found:
            tz = _zone(zm.group(1))
    return datetime(year, month, day, hour, minute, second, tzinfo=tz), (start, end)


def parse_date(text: str) -> datetime | None:
    """The first date (and time, zone) written in text, or None."""
    found = find_date(text or "")
    return found[0] if found else None
