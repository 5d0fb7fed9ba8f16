"""Which stored quotes a new extraction of the same article found again.

Reprocessing extracts an article's quotes anew; a quote found again keeps its id, so
notes kept against it, and a person's decisions about it (rejected, speaker assigned),
stay attached. Pure: spans in, pairs out.
"""
from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    text: str


def match(old: list[Span], new: list[Span]) -> dict[int, int]:
    """{index in new: index in old} for the quotes found again: at the same offsets with
    the same text first, then with the same text anywhere (the nearest), then over the
    same stretch of text (the largest overlap: a quote whose ends moved). Each old quote
    matches at most one new one."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()

    def pair(new_index: int, old_index: int) -> None:
        pairs[new_index] = old_index
        taken.add(old_index)

    at = {(span.start, span.end, span.text): i for i, span in enumerate(old)}
    for i, span in enumerate(new):
        if span in at:
            pair(i, at[span])
    for i, span in enumerate(new):
        same_text = [j for j, o in enumerate(old) if j not in taken and o.text == span.text]
        if i not in pairs and same_text:
            pair(i, min(same_text, key=lambda j: abs(old[j].start - span.start)))
    overlaps = sorted(
        ((min(span.end, o.end) - max(span.start, o.start), i, j)
         for i, span in enumerate(new) if i not in pairs
         for j, o in enumerate(old) if j not in taken and min(span.end, o.end) > max(span.start, o.start)),
        reverse=True)
    for _, i, j in overlaps:
        if i not in pairs and j not in taken:
            pair(i, j)
    return pairs


def find_again(body: str, span: Span, occupied: list[tuple[int, int]]) -> Span | None:
    """Where an unmatched quote's text is in the new body (the occurrence nearest its old
    offset that overlaps no quote already placed), or None."""
    places = []
    start = body.find(span.text)
    while start != -1 and span.text:
        end = start + len(span.text)
        if all(end <= a or start >= b for a, b in occupied):
            places.append(start)
        start = body.find(span.text, start + 1)
    if not places:
        return None
    start = min(places, key=lambda s: abs(s - span.start))
    return Span(start, start + len(span.text), span.text)
