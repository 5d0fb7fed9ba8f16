"""Quotation marks: which marks open and close a quotation, paired per paragraph.

Apostrophes and nested marks are not quote marks; an unclosed mark runs to the end of its
paragraph, the newspaper convention for a quotation that continues in the next one.
"""
from __future__ import annotations

import re

DOUBLE_MARKS = "\"\u201c\u201d\u00ab\u00bb\u201e\u201f"
SINGLE_MARKS = "'\u2018\u2019\u2039\u203a\u201a\u201b"
QUOTE_MARKS = DOUBLE_MARKS + SINGLE_MARKS
OPENING_GLYPHS = "\u201c\u201e\u00ab\u2018\u2039\u201a\u201b\u201f"
CLOSING_GLYPHS = "\u201d\u00bb\u2019\u203a"
OPENS_AFTER = "([{<\u2014\u2013-/"
CLOSES_BEFORE = ".,;:!?)]}>\u2014\u2013-/\u2026"
OPEN, CLOSE = "open", "close"
_ELISION = re.compile(r"(?:tis|twas|em|n|til|cause|bout|round|\d\ds?)\b", re.IGNORECASE)
_QUOTE_MARK = re.compile(f"[{re.escape(QUOTE_MARKS)}]")

def mark_role(par: str, i: int) -> str | None:
    """Whether the mark at par[i] opens or closes a quotation, from the characters around
    it first (writers and converters often use the wrong glyph), from the glyph second."""
    mark = par[i]
    before = par[i - 1] if i > 0 else " "
    after = par[i + 1] if i + 1 < len(par) else " "
    if mark in SINGLE_MARKS and (before.isalnum() and after.isalnum()
                                 or (not before.isalnum() and _ELISION.match(par, i + 1))):
        return None  # an apostrophe: don't, Russia's, 'tis, rock 'n' roll, the '90s
    opens = before.isspace() or before in OPENS_AFTER or before in QUOTE_MARKS
    closes = after.isspace() or after in CLOSES_BEFORE or after in QUOTE_MARKS
    if opens and not closes:
        return OPEN
    if closes and not opens:
        return CLOSE
    if mark in OPENING_GLYPHS:
        return OPEN
    if mark in CLOSING_GLYPHS:
        return CLOSE
    return None


def quoted_spans(par: str) -> list[tuple[int, int, bool]]:
    """(open mark index, end index, closed) of each outermost quotation in a paragraph.
    Marks of the other family inside a quotation are nested and belong to it."""
    marks = [(m.start(), m.group() in DOUBLE_MARKS, mark_role(par, m.start()))
             for m in _QUOTE_MARK.finditer(par)]
    last_single_close = max((i for i, double, role in marks if not double and role == CLOSE),
                            default=-1)
    spans = []
    outer: tuple[int, bool] | None = None
    for i, double, role in marks:
        if outer is None:
            # A single mark only opens a quotation it also closes (or that opens the
            # paragraph): otherwise it is an elision such as '90s.
            if role == OPEN and (double or i < last_single_close or not par[:i].strip()):
                outer = (i, double)
            continue
        if double != outer[1]:
            continue
        if role == CLOSE or (role is None and double):
            spans.append((outer[0], i, True))
            outer = None
        elif role == OPEN and double:
            # A second opening mark: the first quotation lost its closing mark.
            spans.append((outer[0], i, False))
            outer = (i, double)
    if outer is not None:
        spans.append((outer[0], len(par), False))
    return spans
