"""Whether a cleaned page holds an article at all, and if not, what it holds instead.

A page is an article when what cleaning kept has one real sentence of prose (a one-line
brief is an article), neither chrome nor a notice about the page itself (a cookie banner,
"sign in to continue reading", "the page you requested was not found").
A page without one is refused with a reason naming what it is: an error page, a login
wall, a cookie notice, navigation only, or no text at all, read from the page's own lines.
"""
from __future__ import annotations

import re

from .lines import WORD, Line, is_boilerplate, word_count

MIN_ARTICLE_WORDS = 5  # one sentence of prose is a (very short) article
MIN_SENTENCE_WORDS = 5
NOTICE_MAX_WORDS = 80  # a longer paragraph is prose even if it mentions cookies or a login
MAX_CAPITALISED_SHARE = 0.6  # of a sentence's words; a caseless script has none
SENTENCE_BREAK = re.compile(r"(?<=[.!?。！？])[\"”’')\]]*\s+")
SENTENCE_END = re.compile(r"[.!?。！？][\"”’')\]]*$")
# What pages about themselves say, by the reason they are refused for (checked in order).
NOTICES = {
    "error page": re.compile(
        r"\b(?:404|410|500|503)\b.{0,40}\b(?:error|not found|gone|unavailable)\b"
        r"|\bpage (?:not found|cannot be found|could not be found|does not exist|doesn't exist|is missing)\b"
        r"|\b(?:page|article|story|content|file|url|address) (?:(?:you|that you) (?:requested|are looking for|were looking for|tried to \w+) )?"
        r"(?:could not|cannot|can't|can ?not|couldn't|wasn't|was not) (?:be )?(?:found|located|displayed)\b"
        r"|\b(?:page|article|story|content) (?:you (?:requested|are looking for|were looking for) )?"
        r"(?:is|has been|was) (?:no longer available|removed|deleted|moved|expired)\b"
        r"|\b(?:no longer exists|doesn't exist anymore|has expired)\b"
        r"|\b(?:an error (?:has )?occurred|internal server error|service (?:temporarily )?unavailable|access denied"
        r"|403 forbidden|bad request|something went wrong)\b",
        re.I),
    "login wall": re.compile(
        r"\b(?:sign|log) ?in (?:to|or \w+ to) (?:continue|read|view|access|keep reading|see)\b"
        r"|\b(?:subscribe|register|create (?:a free|an) account|become a (?:member|subscriber)) "
        r"(?:now |today )?(?:to|for) (?:continue|read|unlock|view|access|get (?:full|unlimited) access|keep reading)\b"
        r"|\b(?:for|to) (?:subscribers|members|registered users) only\b|\bsubscribers? only\b"
        r"|\bthis (?:article|content|story|page) is (?:only )?(?:available|reserved|for) (?:to |for )?"
        r"(?:subscribers|members|registered)\b"
        r"|\balready (?:a subscriber|have an account|registered)\b|\bto continue reading\b",
        re.I),
    "cookie notice": re.compile(
        r"\b(?:we|this (?:site|website)|our (?:site|website|partners)) uses? cookies\b|\bcookies? (?:policy|settings|consent|preferences)\b"
        r"|\b(?:accept|allow|reject) (?:all )?cookies\b|\buse of cookies\b|\bconsent to (?:the use|our use|cookies)\b",
        re.I),
}


def notice(text: str) -> str | None:
    """The kind of notice a line or sentence is ("error page", "login wall", "cookie
    notice"), or None for anything else."""
    for kind, pattern in NOTICES.items():
        if pattern.search(text):
            return kind
    return None


def blocks(body: str) -> list[str]:
    """The body's paragraphs, with lines that stop mid-sentence joined to the next (a
    page may wrap its paragraphs into short lines)."""
    joined: list[str] = []
    for paragraph in body.split("\n\n"):
        paragraph = " ".join(paragraph.split())
        if joined and not SENTENCE_END.search(joined[-1]):
            joined[-1] += " " + paragraph
        elif paragraph:
            joined.append(paragraph)
    return joined


def has_prose(body: str) -> bool:
    """Whether the body's sentences of prose hold MIN_ARTICLE_WORDS words: sentences
    ending in a full stop, ? or !, of MIN_SENTENCE_WORDS or more, not mostly capitalised
    (menus and headings are), not page chrome, and not in a paragraph that is a notice.
    Stops at the first sentences that are enough (a whole article need not be read)."""
    total = 0
    for block in blocks(body):
        if word_count(block) <= NOTICE_MAX_WORDS and notice(block):
            continue
        for sentence in SENTENCE_BREAK.split(block):
            words, count = WORD.findall(sentence), word_count(sentence)
            if (count >= MIN_SENTENCE_WORDS and SENTENCE_END.search(sentence)
                    and sum(w[0].isupper() for w in words) <= MAX_CAPITALISED_SHARE * len(words)
                    and not is_boilerplate(sentence, count)):
                total += count
                if total >= MIN_ARTICLE_WORDS:
                    return True
    return False


def refusal(body: str, title: str | None, page: list[Line]) -> str | None:
    """Why the page is not an article (`not an article: error page`), or None when its
    body, or the page around it (`page`, every line of its text, where the reason is read
    from), has a real paragraph of prose."""
    if has_prose(body):
        return None
    if body.strip() and has_prose("\n\n".join(line.text for line in page)):
        return None  # the page has prose cleaning did not keep: an article it missed is still one
    return f"not an article: {what_it_is(title, page)}"


def what_it_is(title: str | None, page: list[Line]) -> str:
    """What a page with no article holds, by the notices in its title and lines: an
    error page or a login wall wherever it says so, a cookie notice when that is most of
    the page's words, else navigation only."""
    if not page and not (title or "").strip():
        return "no text"
    kinds = [notice(line.text) for line in page]
    found = {*kinds, notice(title or "")}
    for kind in ("error page", "login wall"):
        if kind in found:
            return kind
    cookie_words = sum(line.words for line, kind in zip(page, kinds) if kind == "cookie notice")
    if cookie_words and cookie_words >= sum(line.words for line in page) / 2:
        return "cookie notice"
    return "navigation only"
