"""Marked-up text for the page: an article body with its quotations, and a search snippet
with its matched words. Both come out as pieces of plain text that the templates escape and
wrap; nothing here builds HTML, so no article text can become markup."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# What the snippets of a search enclose matched words in: private-use characters, which no
# news text uses, so brackets and the like in an article stay as they are.
MARKS = ("\ue000", "\ue001")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_CLOSING = re.compile(r"[\"”’'»›]*")  # quotation marks closing a quote, which its speaker follows
_TOKEN = re.compile(r"\n\s*\n|\S+")  # words, and paragraph breaks as tokens of their own


@dataclass(frozen=True)
class Piece:
    text: str
    quote: dict | None = None  # the quotation this text is part of, if any
    speaker_of: dict | None = None  # the quotation whose speaker is shown after this piece


def paragraphs(body: str, quotes: list[dict]) -> list[list[Piece]]:
    """The body's paragraphs (blank-line separated), each a list of pieces, the quoted ones
    carrying their quote. A quote running over several paragraphs is marked in each; one
    overlapping an earlier quote is marked from where that one ends. Each quote's speaker
    goes after its closing quotation mark."""
    spans: list[tuple[int, int, dict | None, dict | None]] = []  # start, end, quote, speaker after
    position = 0
    for quote in sorted(quotes, key=lambda q: (q["start"], q["end"])):
        start, end = max(quote["start"], position), min(quote["end"], len(body))
        if start >= end:
            continue
        if start > position:
            spans.append((position, start, None, None))
        closing = _CLOSING.match(body, end).end()
        if closing > end:
            spans += [(start, end, quote, None), (end, closing, None, quote)]
        else:
            spans.append((start, end, quote, quote))
        position = closing
    if position < len(body):
        spans.append((position, len(body), None, None))

    result: list[list[Piece]] = [[]]
    for start, end, quote, speaker_of in spans:
        parts = _PARAGRAPH_BREAK.split(body[start:end])
        last = max((number for number, part in enumerate(parts) if part), default=-1)
        for number, part in enumerate(parts):
            if number:
                result.append([])
            if part:
                result[-1].append(Piece(part, quote, speaker_of if number == last else None))
    return [paragraph for paragraph in result if any(piece.text.strip() for piece in paragraph)]


def snippet(text: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, matched) pieces, from the MARKS the search put around
    the matched words."""
    start, stop = MARKS
    pieces: list[tuple[str, bool]] = []
    for number, part in enumerate(re.split(f"[{start}{stop}]", text)):
        if part:
            pieces.append((part, number % 2 == 1))
    return pieces


def differences(first: str, other: str) -> list[list[tuple[str, bool]]]:
    """`other` as paragraphs of (text, changed) runs, the words it does not share with
    `first` marked changed: what one near-copy of a story altered."""
    first_words, other_words = _TOKEN.findall(first), _TOKEN.findall(other)
    matcher = difflib.SequenceMatcher(None, first_words, other_words, autojunk=False)
    result: list[list[tuple[str, bool]]] = [[]]
    for operation, _, _, start, end in matcher.get_opcodes():
        changed = operation != "equal"
        for token in other_words[start:end]:
            if token.isspace():
                result.append([])
            elif result[-1] and result[-1][-1][1] == changed:
                result[-1][-1] = (result[-1][-1][0] + " " + token, changed)
            else:
                result[-1].append((token, changed))
    return [paragraph for paragraph in result if paragraph]
