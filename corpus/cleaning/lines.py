"""Line features for plain-text page dumps.

A page saved as text is a sequence of lines: article paragraphs, but also
navigation, captions, share/comment widgets and footers. Each line gets a kind
from generic surface features (length, sentence punctuation, capitalisation,
boilerplate vocabulary, photo-credit shapes) that `dump` uses to locate the
article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import find_date

# Phrases that mark page chrome wherever they stand in a line. One hit makes a
# short line chrome; a long line needs two (a paragraph may mention "cookies").
CHROME_PHRASES = [
    r"sign(?:ing)?[ -]?(?:up|in)\b", r"subscri(?:be|bed|ption)\b", r"newsletters?\b", r"cookies?\b",
    r"all rights reserved\b", r"copyright\b", r"click here\b", r"terms (?:of|and) (?:use|service|conditions)\b",
    r"privacy (?:policy|notice|settings)\b", r"follow us\b", r"share (?:this|on|via)\b",
    r"post (?:a|your) comment", r"leave (?:a|your) comment", r"add (?:a|your) comment", r"comments?\s*\(\d+",
    r"commenting\b", r"log(?:ged)?[ -]?(?:in|out)\b", r"regist(?:er|ering|ration)\b", r"refresh (?:the|your)\b",
    r"republish", r"fill (?:out|in) (?:this|the) form\b", r"can be found here\b", r"enable javascript\b",
    r"download (?:our|the) app\b", r"captcha\b", r"rate this\b", r"print this\b", r"email this\b",
    r"breaking news alerts?\b", r"thank you for (?:registering|subscribing|reading)\b",
    r"join (?:the|our) (?:conversation|discussion|community)\b", r"report (?:this )?(?:comment|post|abuse)\b",
]
# Widget headings: chrome when they open a line or make up a short one
# ("Most popular" is a widget; "2014's most popular searches" a headline).
WIDGET_HEADINGS = [
    r"advertis(?:e|ement|ements|ing)\b", r"skip to\b", r"most (?:popular|read|viewed|shared)\b",
    r"related(?: articles?| stories| news| content| topics| links| coverage|:)", r"read (?:more|next|full)\b",
    r"back to top\b", r"sponsored\b", r"you (?:may|might) (?:also )?like\b", r"more (?:from|on|in) \w+",
    r"promoted (?:stories|content|links)\b", r"get (?:the latest|our)\b", r"see also\b", r"recommended\b",
    r"top stories\b", r"latest (?:news|stories)\b", r"share (?:article|story)\b", r"(?:watch|listen|read):",
]
WIDGET_LINE_WORDS = 5
# Script a page's text kept (an advert's JavaScript): never written in an article.
CODE = re.compile(r"\bdocument\.[a-z]\w*|\bfunction\s*\(|\bvar \w+\s*=|\)\s*\{|\}\s*else\b")
# A line opening the readers' comments under an article: "Comments (12)", "Readers'
# comments", "Have your say", "Post a comment", "Comments are closed", "No comments yet".
COMMENTS_HEADING = re.compile(
    r"^[*+o•·|-]?\s*(?:\d+\s+)?(?:(?:(?:user|users'?|readers?'?|your|recent|latest|post|add|leave|write|view|read|all)"
    r"\s+(?:a\s+|your\s+|all\s+|new\s+)?)?comments?|(?:user|users'?|readers?'?|your)\s+(?:responses|reactions|feedback))"
    r"(?:\s*\(\d+\))?"
    r"(?:\s+(?:on|to|for|about) (?:this|the) (?:story|article|entry|post)|\s+so far|\s+here)?\s*:?$"
    r"|^[*+o•·|-]?\s*(?:have your say|discuss this (?:story|article))\b"
    r"|^comments? (?:are|is|have been|has been) (?:now )?closed\b|^comments for this \w+ (?:are|have been) closed\b"
    r"|^(?:there are )?(?:currently )?no comments\b|^(?:this (?:article|story|entry) has )no comments\b",
    re.I,
)
COMMENTS_HEADING_WORDS = 8


def phrase_pattern(phrases: list[str], prefix: str = "") -> re.Pattern:
    """One regex for a phrase list, matched against lowercased lines; the lookahead on
    first letters makes the long alternation cheap on ordinary prose."""
    first_letters = "".join(sorted({p[0] for p in phrases}))
    return re.compile(prefix + r"\b(?=[" + first_letters + r"])(?:" + "|".join(phrases) + ")")


CHROME = phrase_pattern(CHROME_PHRASES, prefix="©|")
WIDGET_HEADING = phrase_pattern(WIDGET_HEADINGS)
# Single words that make up share bars, menus and comment widgets.
WIDGET_WORDS = frozenset(
    "comments comment share shares tweet email print reply report like likes follow tags topics "
    "menu search home more next previous prev related recommended trending video videos photos "
    "photo gallery listen close loading advertisement sponsored image images subscribe login "
    "bold italic underline quote total displaying captcha save copy link facebook twitter "
    "whatsapp linkedin pinterest reddit telegram messenger sections section news latest top "
    "stories story watch live read opinion sport sports business world politics tech ad ads feedback "
    "contact about help rewards partner careers jobs store archive accessibility".split()
)
# Job titles that follow a name in a byline.
ROLE_WORDS = frozenset(
    "correspondent editor reporter writer analyst columnist contributor staff senior chief political "
    "bureau producer desk journalist photographer associate deputy managing international diplomatic "
    "economics security defence defense affairs".split()
)
PHOTO_CREDIT_WORDS = re.compile(
    r"\b(?:getty|images?|photo(?:graph)?s?|pictures?|afp|ap|epa|pa|reuters|shutterstock|alamy"
    r"|file|handout|supplied|courtesy|credit|anadolu|xinhua|sipa|rex|corbis|istock)\b",
    re.I,
)
CAPTION_LABEL = re.compile(
    r"(?:^|[.\s])(?:photograph|photo|picture|image|illustration|credit|photo credit)s?\s*(?:by)?\s*:\s*\S", re.I
)
TRAILING_PAREN = re.compile(r"\(([^()]{1,60})\)\s*$")
SENTENCE_END = re.compile(
    r"(?:[.!?。！？]|[.!?][\"”’'»)\]]+)"
    r"(?:\s*[–—-]?\s*\([A-Z][^()]{0,40}\)|\s*/\s*[A-Z][\w .&'-]{0,30})?\s*$"
)
TRUNCATED = re.compile(r"(?:\.\.\.|…)[\"”’]?\s*$")
NAME_TOKEN = re.compile(
    r"(?:[A-Z][a-z'’]+(?:-[A-Za-z][a-z'’]+)?|[A-Z]\.|[A-Z][a-z]*[A-Z][a-z]+|(?:al|el|bin|ibn|de|da|van|von|der|den|du|la|le|di|dos|del|mac)(?:-[A-Z][a-z'’]+)?)$"
)
BYLINE_PREFIX = re.compile(
    r"^(?:(?:analysis|opinion|story|words|written|reporting|posted|report|text)\s+)?by\s*:?\s+|^author\s*:\s*", re.I
)
DATE_LABEL = re.compile(
    r"\b(?:published|posted|updated|last updated|first published|modified|date|on|at|am|pm|gmt|utc"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun"
    r"|jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september"
    r"|oct|october|nov|november|dec|december|et|est|edt|pst|pdt|bst|cet)\b",
    re.I,
)
WORD = re.compile(r"\w+", re.UNICODE)
MONTH_NAME = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July"
    r"|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
TAIL_CHARS = 300
LEAD_IN_MIN_WORDS = 8
WIDE_SCRIPT = re.compile(r"[\u0e00-\u0e7f\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass
class Line:
    """One non-blank line of a dump with the features the extractor uses. Its kind is
    worked out when first asked for: a web page's lines are mostly looked at only by
    their text, and classifying every one took 13 of clean_html's 49 ms a page."""

    text: str
    index: int
    words: int
    _kind: str | None = field(default=None, repr=False, compare=False)

    @property
    def kind(self) -> str:
        """prose | sentence | short | caption | boiler | nav | date | byline"""
        if self._kind is None:
            self._kind = kind_of(self.text, self.words)
        return self._kind


def word_count(text: str) -> int:
    """Words in text; scripts written without spaces count about one word per two characters."""
    wide = len(WIDE_SCRIPT.findall(text))
    return len(WORD.findall(WIDE_SCRIPT.sub(" ", text))) + wide // 2


def is_boilerplate(text: str, words: int) -> bool:
    lowered = text.lower()
    hits = {m.group(0) for m in CHROME.finditer(lowered)}
    if len(hits) >= 2 or (hits and words < 20):
        return True
    heading = WIDGET_HEADING.search(lowered)
    if heading and (words <= WIDGET_LINE_WORDS or not lowered[: heading.start()].strip(" -–—•*|#>:")):
        return True
    tokens = [t.lower() for t in WORD.findall(text)]
    return 0 < len(tokens) <= 4 and all(t in WIDGET_WORDS or t.isdigit() for t in tokens) and not all(
        t.isdigit() for t in tokens
    )


def opens_comments(line: "Line") -> bool:
    """Whether the line heads a section of readers' comments."""
    return line.words <= COMMENTS_HEADING_WORDS and bool(COMMENTS_HEADING.match(line.text))


def is_nav(text: str) -> bool:
    """Menus and separators: pipe-separated items, bullets of a few words, no letters;
    and script code (it costs a line, like a menu, not a whole footer)."""
    if not re.search(r"[^\W\d_]", text) or CODE.search(text):
        return True
    parts = [p.strip() for p in re.split(r"\s[|»›>•·]\s|\s?\|\s?", text) if p.strip()]
    if len(parts) >= 2 and all(word_count(p) <= 4 for p in parts):
        return True
    return bool(re.match(r"^[•*·▪►-]\s*\S", text)) and word_count(text) <= 4


def is_caption(text: str) -> bool:
    """Photo captions: end with a credit in parentheses, carry a "Photograph:" label
    or end with an agency/picture-library name."""
    if CAPTION_LABEL.search(text):
        return True
    paren = TRAILING_PAREN.search(text)
    if paren:
        credit = paren.group(1).strip()
        before = text[: paren.start()].rstrip()
        credit_shaped = word_count(credit) <= 6 and (
            PHOTO_CREDIT_WORDS.search(credit) or all(w[:1].isupper() for w in credit.split())
        )
        if credit_shaped and before and word_count(before) >= 3:
            if not re.search(r"[.!?\"”’][\s–—-]*$", before):
                return True
            return bool(re.search(r"getty|images|photo|shutterstock|alamy|epa|associated press", credit, re.I))
    return bool(
        re.search(r"(?:getty images|shutterstock|alamy|ap photo|afp via getty|epa-efe)\s*$", text, re.I)
    )


def name_tokens_ok(tokens: list[str]) -> bool:
    return 2 <= len(tokens) <= 5 and all(NAME_TOKEN.match(t) for t in tokens) and tokens[0][:1].isupper()


def byline_name(text: str) -> str | None:
    """The author name(s) in a byline line: "By X and Y", "X in Antalya",
    "Analysis by X, CNN Senior Analyst", "X | 24 Feb 2016" → the names."""
    text = re.sub(r"\s+", " ", text).strip()
    prefixed = BYLINE_PREFIX.match(text)
    rest = text[prefixed.end():] if prefixed else text
    rest = re.split(r"\s[|•·–—-]\s|\s*\|\s*|\s+(?:in|at|for|from)\s+(?=[A-Z])|\s+on\s+|\d|\s+(?=" + MONTH_NAME + ")", rest)[0]
    names: list[str] = []
    for part in re.split(r",\s*|\s+(?:and|&)\s+", rest):
        part = re.sub(r"(?:\s+[A-Z]{2,})+$", "", part.strip(" ,.:;")).strip(" ,.:;")  # "Leigh Ann Caldwell CNN"
        tokens = part.split()
        is_name = name_tokens_ok(tokens) or bool(prefixed and len(tokens) == 1 and NAME_TOKEN.match(tokens[0]))
        if names and any(t.lower() in ROLE_WORDS for t in tokens):
            break  # "Joan Park, Senior Political Correspondent"
        if not is_name or any(t.lower() in WIDGET_WORDS for t in tokens):
            if prefixed and names:
                break  # a role or organisation follows the names
            return None
        names.append(part)
    if not names or len(names) > 4:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def is_date_line(text: str) -> bool:
    """A dateline: a date plus at most a few label words ("Published", weekday, zone)."""
    found = find_date(text)
    if not found:
        return False
    start, end = found[1]
    rest = WORD.findall(text[:start] + " " + text[end:])
    other = [w for w in rest if not DATE_LABEL.fullmatch(w) and not w.isdigit()]
    return len(other) <= 3


def classify(text: str, index: int) -> Line:
    """The line with its features; its kind (kind_of) is found on first use."""
    return Line(text=text, index=index, words=word_count(text))


def kind_of(text: str, words: int) -> str:
    """A line's kind from its surface features."""
    tail = text[-TAIL_CHARS:]  # end-anchored patterns only need the end of a long line
    sentence = bool(SENTENCE_END.search(tail)) and not TRUNCATED.search(tail) or (
        tail.endswith(":") and words >= LEAD_IN_MIN_WORDS  # "... data points include:"
    )
    if is_boilerplate(text, words):
        return "boiler"
    if is_nav(text):
        return "nav"
    if is_caption(tail):
        return "caption"
    if words <= 20 and is_date_line(text):
        return "date"
    if words <= 12 and not sentence and byline_name(text):
        return "byline"
    if sentence and words >= 6 or words >= 40:
        return "prose"
    if sentence:
        return "sentence"
    return "short"
