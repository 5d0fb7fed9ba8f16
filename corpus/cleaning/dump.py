"""Article extraction from plain-text page dumps ("save as text", copy-all).

The article is located as the run of lines with the highest total score
(prose lines score their length, chrome scores negative), the classic
body-text-extraction idea applied to lines. Inside that run, captions,
duplicates, links to other stories and widgets are dropped and short
subheadings between prose paragraphs are kept. Headline, standfirst, byline
and dateline are read from the lines above the run; outlet and agency credit
from the chrome around it.
"""
from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .article import NO_TEXT, CleanedArticle
from .dates import find_date
from .language import guess_language
from .lines import BYLINE_PREFIX, WIDGET_WORDS, WORD, Line, byline_name, classify, opens_comments, word_count
from .refusal import refusal

LINE_SCORES = {"sentence": 0.5, "short": -2.0, "caption": -4.0, "nav": -4.0, "date": -4.0, "byline": -4.0}
BOILER_PENALTY = 10
ISOLATED_PROSE_FACTOR = 0.3
TEASER_NEIGHBOURS = frozenset({"short", "date", "byline", "nav"})  # headline, timestamp, author of a teaser
GAP_GROWTH = 0.5
MAX_GAP_AFTER = 20
MIN_ARTICLE_ABOVE_COMMENTS = 50  # score of the article a comments heading must close (a share bar's "Comments (3)" does not)
JOIN_SHARE = 0.25  # a run this strong relative to the best joins it across a chrome-free gap
HEADER_WINDOW = 25  # non-blank lines above the article searched for its dateline
HEADLINE_WINDOW = 40  # non-blank lines above the article searched for its headline
STANDFIRST_MIN_WORDS = 12
BULLET = re.compile(r"^[*+o•·▪►-]\s")  # a list item: a link to another page, not a headline
# Weights of the features of a line above the article (headline_features) in how likely
# it is the headline: a listwise logistic model fitted by bench/title_weights.py on the
# even-numbered l3s_dev text dumps (the odd ones held out).
HEADLINE_WEIGHTS = {
    "capitalised": -1.11, "chrome_above": 1.53, "dateline_below": 0.37, "first_paragraph_shared": 0.98,
    "headline_length": 1.80, "lead_coverage": 2.05, "lead_shared": -0.26, "list_item": -4.48, "log_distance": -0.43,
    "menu_words": -2.32, "repeated": -1.38, "sentence": -1.75,
}
BYLINE_WINDOW = 8
SHARED_WORDS_FULL = 6  # lead words a headline shares to count as fully matching
HEADLINE_DISTANCE_COST = 0.02  # per line between a candidate headline and the article
LEAD_PARAGRAPHS = 3
OPENING_HEADLINE_WORDS = 25
SUBHEADING_MAX_WORDS = 7
ECHO_DISTANCE = 3
MIN_WRAPPED_LINE = 40
MIN_WRAPPED_LINES = 8
MIN_WRAP_WIDTH, MAX_WRAP_WIDTH = 50, 110
WRAP_SLACK = 15
COLUMN_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")  # spaces between two table cells laid side by side
MIN_COLUMN_START = 30  # narrower first columns are data tables (a label and a figure), not page layout
COLUMN_SLACK = 4  # cells of one column start within this many characters of each other
COLUMN_ROWS = 8  # lines within which a second row confirms a column
PAGE_IN_ONE_LINE_WORDS = 100  # a chrome line this long may hold the whole page, article included
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"”’')]*\s+(?=[\"“‘'(]?[A-Z0-9])")
PARAGRAPH_BREAK = re.compile(r"[.!?][\"”’')]*$")
INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
CREDIT_AT_END = [
    re.compile(r"[–—-]\s*\(([A-Z][\w .&'/-]{1,40})\)\s*$"),
    re.compile(r"[.!?\"”’]\s*\(([A-Z][\w .&'/-]{1,40})\)\s*$"),
    re.compile(r"[.!?\"”’]\s*/\s*([A-Z][\w.&' -]{1,30}?)\s*$"),
    re.compile(r"[.!?\"”’]\s*[–—]\s*([A-Z][\w.&' ]{1,30}?)\s*$"),
]
SOURCE_LINE = re.compile(r"^\(?(?:source|sources|credit)s?\s*:\s*([^,;|()]+)", re.I)
OUTLET_NAME = r"(?:The\s+)?[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4}"
OUTLET_PATTERNS = [
    re.compile(r"^(?P<name>" + OUTLET_NAME + r")\s+(?:delivers|provides|publishes|is the|is where|brings you|offers)\b"),
    re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*(?:[-–]\s*\d{4})?)?\s*(?P<name>" + OUTLET_NAME + ")", re.I),
    re.compile(r"\bother (?P<name>" + OUTLET_NAME + r") (?:readers|subscribers|users)\b"),
    re.compile(r"\b(?:more about|welcome to) (?P<name>" + OUTLET_NAME + r")\b"),
    re.compile(r"(?P<name>" + OUTLET_NAME + r")['’]s newsletters?\b"),
]
NAME_THEN_SEPARATOR = re.compile(r"[^\W\d_][^|,•·–—\d]*\s*[|,•·–—]")  # "Sam Ortiz | 3 May"
PUBLISHED_WORDS = re.compile(r"publish|posted", re.I)
UPDATED_WORDS = re.compile(r"updated|modified", re.I)
OUTLET_STOPWORDS = frozenset("all rights reserved the this our us we you".split())
log = logging.getLogger(__name__)


def wrap_width(lines: list[str]) -> int | None:
    """The column a hard-wrapped dump (Firefox "save as text", lynx) was wrapped at,
    or None when lines are not wrapped: many lines end just short of one width and
    almost none pass it."""
    lengths = sorted(len(line) for line in lines if len(line) >= MIN_WRAPPED_LINE)
    if len(lengths) < MIN_WRAPPED_LINES:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return None
    near = sum(width - WRAP_SLACK <= n <= width for n in lengths)
    beyond = sum(n > width + 5 for n in lengths)
    if near < 0.3 * len(lengths) or beyond > 0.05 * len(lengths):
        return None
    return max(n for n in lengths if n <= width + 5)


def unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into paragraphs: a line was broken by the wrapper
    when the next line's first word would not have fitted after it. Where no blank
    lines separate paragraphs, a sentence end followed by a capital is taken as a
    paragraph end."""
    width = wrap_width(lines)
    if width is None:
        return lines
    blank_separated = sum(not line for line in lines) >= 0.3 * sum(bool(line) for line in lines)
    joined: list[str] = []
    last_piece = ""
    for line in lines:
        previous = joined[-1] if joined else ""
        first_word = line.split(" ", 1)[0]
        wrapped = bool(previous and line) and len(last_piece) + 1 + len(first_word) > width - 1
        if wrapped and re.match(r"[•*·▪►-]\s", line):
            wrapped = False
        if wrapped and not blank_separated and PARAGRAPH_BREAK.search(last_piece) and re.match(r"[\"“‘'(]?[A-Z0-9]", line):
            wrapped = False
        if wrapped:
            joiner = "" if re.search(r"[^\W\d_]-$", previous) else " "  # broken after a hyphen
            joined[-1] = previous + joiner + line
        else:
            joined.append(line)
        last_piece = line
    return joined


def column_starts(lines: list[str]) -> list[list[int]]:
    """Per line, where the cells after the first start: a gap of spaces inside a line
    parts two cells when another line close by has a cell starting at the same column
    (a dump lays a layout table's columns side by side; one wide gap alone may be
    spacing inside a sentence). A cell whose column starts after a gap of only two
    spaces is parted too."""
    gaps = [[m.end() for m in COLUMN_GAP.finditer(line) if m.end() >= MIN_COLUMN_START] for line in lines]
    starts: list[list[int]] = []
    for i, line in enumerate(lines):
        near = [c for j in range(max(0, i - COLUMN_ROWS), min(len(lines), i + COLUMN_ROWS + 1)) if j != i
                for c in gaps[j]]
        found = [c for c in gaps[i] if any(abs(c - n) <= COLUMN_SLACK for n in near)]
        if near and not found:  # a row whose first cell fills its column ends two spaces before the next
            found = [m.end() for m in re.finditer(r"(?<=\S)  (?=\S)", line)
                     if m.end() >= MIN_COLUMN_START and any(abs(m.end() - n) <= COLUMN_SLACK for n in near)][:1]
        starts.append(found)
    return starts


def split_columns(lines: list[str]) -> list[str]:
    """Lay a table that a dump printed side by side (a page laid out in table cells:
    menu, article, sidebar on one line) out column after column, each cell on its own
    line, so the article's paragraphs follow each other again. Rows between two split
    rows belong to the table; their cells go to the column they start in."""
    starts = column_starts(lines)
    split = [i for i, s in enumerate(starts) if s]
    if not split:
        return lines
    out: list[str] = []
    done = 0
    for block_start, block_end in table_blocks(split):
        out.extend(lines[done:block_start])
        columns: dict[int, list[str]] = {}
        edges = column_edges(c for s in starts[block_start:block_end] for c in s)
        for i in range(block_start, block_end):
            cuts = [0, *starts[i], len(lines[i])]
            for a, b in zip(cuts, cuts[1:]):
                column = sum(a >= e - COLUMN_SLACK for e in edges)
                columns.setdefault(column, []).extend([lines[i][a:b].strip(), ""])
            if not lines[i].strip():
                columns.setdefault(0, []).append("")
        for column in sorted(columns):
            out.extend(columns[column])
        done = block_end
    out.extend(lines[done:])
    return out


def column_edges(starts) -> list[int]:
    """The first start of each column: starts closer than COLUMN_SLACK to the one before
    are one column."""
    edges: list[int] = []
    previous = None
    for start in sorted(starts):
        if previous is None or start - previous > COLUMN_SLACK:
            edges.append(start)
        previous = start
    return edges


def table_blocks(rows: list[int]) -> list[tuple[int, int]]:
    """[start, end) of the runs of split rows lying within COLUMN_ROWS of each other."""
    blocks: list[tuple[int, int]] = []
    for row in rows:
        if blocks and row - blocks[-1][1] < COLUMN_ROWS:
            blocks[-1] = (blocks[-1][0], row + 1)
        else:
            blocks.append((row, row + 1))
    return blocks


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with features; a line of only (non-breaking) spaces is blank."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")))
    raw_lines = [re.sub(r"[ \t\u00a0\u2007\u202f\u3000]+", " ", raw).strip()
                 for raw in split_columns(text.replace("\t", "    ").split("\n"))]
    lines: list[Line] = []
    for stripped in unwrap(raw_lines):
        if stripped:
            line = classify(stripped, len(lines))
            if line.kind in ("boiler", "nav") and line.words >= PAGE_IN_ONE_LINE_WORDS:
                lines.extend(sentence_pieces(stripped, len(lines)))
            else:
                lines.append(line)
    return lines


@dataclass
class Piece(Line):
    """A piece of a long page line cut after a sentence (sentence_pieces)."""

    continues: bool = False  # the page line goes on in the next piece


def sentence_pieces(text: str, first_index: int) -> list[Line]:
    """A long line that reads as chrome as a whole (a page whose text came out as one
    line: menu, headline, article and footer) cut after each sentence, so the article's
    sentences are told from the chrome around them; pieces kept next to each other are
    one paragraph again (`paragraph_texts`)."""
    starts = [0, *(m.end() for m in SENTENCE_SPLIT.finditer(text))]
    pieces = [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]
    return [Piece(**vars(classify(piece, first_index + n)), continues=n < len(pieces) - 1)
            for n, piece in enumerate(pieces)]


def paragraph_texts(kept: list[Line]) -> list[str]:
    """The body's paragraphs: each kept line, pieces of one page line that were kept
    one after the other joined again."""
    texts: list[str] = []
    for n, line in enumerate(kept):
        previous = kept[n - 1] if n else None
        if isinstance(previous, Piece) and previous.continues and previous.index + 1 == line.index:
            texts[-1] += " " + line.text
        else:
            texts.append(line.text)
    return texts


def line_score(line: Line) -> float:
    if line.kind == "prose":
        return float(line.words)
    if line.kind == "boiler":
        return -float(BOILER_PENALTY + line.words)
    if line.kind == "short" and line.words >= 20:
        return line.words / 3
    return LINE_SCORES[line.kind]


def run_scores(lines: list[Line]) -> list[float]:
    """Line scores in context: prose standing alone between headline- or date-like
    lines (teasers in link lists) counts little, a subheading costs nothing, and each
    further line of a chrome stretch costs more, so a long footer or link list
    separates the article from prose beyond it."""
    scores = []
    gap = 0
    for i, line in enumerate(lines):
        score = line_score(line)
        if line.kind == "prose":
            gap = 0
            # an advert between two paragraphs does not make the second stand alone
            neighbours = [n for n in (nearest_content(lines, i, -1), nearest_content(lines, i, 1)) if n]
            if not any(n.kind in ("prose", "sentence") for n in neighbours) and any(
                n.kind in TEASER_NEIGHBOURS for n in neighbours
            ):
                score *= ISOLATED_PROSE_FACTOR
        elif is_subheading(lines, i):
            score = 0.0
        elif score <= 0:
            gap += 1
            score *= 1 + GAP_GROWTH * (gap - 1)
        scores.append(score)
    return scores


def best_run(scores: list[float], start: int, end: int) -> tuple[int, int, float]:
    """[start, end) and total of the contiguous run of lines with the highest total
    score within lines[start:end]."""
    best, best_span = 0.0, (start, start)
    total, run_start = 0.0, start
    for i in range(start, end):
        if total <= 0:
            total, run_start = 0.0, i
        total += scores[i]
        if total > best:
            best, best_span = total, (run_start, i + 1)
    return best_span[0], best_span[1], best


def article_runs(lines: list[Line]) -> list[tuple[int, int]]:
    """The best run, joined by strong runs on either side when no boilerplate
    separates them (an article split by a table or a photo gallery); after the best
    run only across a short gap."""
    scores = run_scores(lines)
    start, end, best = best_run(scores, 0, len(lines))
    if best <= 0:
        return []
    runs = [(start, end)]
    for side in ("before", "after"):
        while True:
            lo, hi = (0, runs[0][0]) if side == "before" else (runs[-1][1], len(lines))
            run_start, run_end, total = best_run(scores, lo, hi)
            gap = range(run_end, hi) if side == "before" else range(lo, run_start)
            if total < JOIN_SHARE * best or any(lines[i].kind == "boiler" for i in gap):
                break
            if side == "after" and len(gap) > MAX_GAP_AFTER:
                break  # past a long stretch of links comes the footer
            runs.insert(0, (run_start, run_end)) if side == "before" else runs.append((run_start, run_end))
    return runs


def comments_start(lines: list[Line]) -> int:
    """Where the readers' comments under the article start (a comments heading with an
    article above it), else the end of the page: comments follow the article, so no
    part of it is looked for below them, however much prose they hold."""
    scores = run_scores(lines)
    for i, line in enumerate(lines):
        if opens_comments(line) and best_run(scores, 0, i)[2] >= MIN_ARTICLE_ABOVE_COMMENTS:
            return i
    return len(lines)


def normalized(text: str) -> str:
    return " ".join(WORD.findall(text.lower()))


def nearest_content(lines: list[Line], i: int, step: int) -> Line | None:
    """The next line before (step -1) or after (step 1) line i, skipping up to two
    adverts or captions."""
    for j in range(i + step, i + 3 * step, step):
        if not 0 <= j < len(lines):
            return None
        if lines[j].kind not in ("caption", "boiler"):
            return lines[j]
    return None


def is_subheading(lines: list[Line], i: int) -> bool:
    """A short heading-like line between prose paragraphs."""
    line = lines[i]
    if line.kind not in ("short", "byline") or line.words > SUBHEADING_MAX_WORDS:
        return False
    first = line.text.lstrip("\"“‘'")[:1]
    if not (first.isupper() or first.isdigit()) or line.text.endswith((",", ";")):
        return False
    previous, following = nearest_content(lines, i, -1), nearest_content(lines, i, 1)
    return (
        previous is not None and previous.kind in ("prose", "sentence")
        and following is not None and following.kind == "prose"
    )


def is_echo(lines: list[Line], i: int) -> bool:
    """A line repeating a nearby one: an image's alt text next to its caption, or a
    line already given just above."""
    key = normalized(lines[i].text)
    if not key:
        return True
    for j in range(max(0, i - ECHO_DISTANCE), min(len(lines), i + ECHO_DISTANCE + 1)):
        if j == i:
            continue
        other = normalized(lines[j].text)
        if other == key and j < i:
            return True
        if lines[j].kind == "caption" and len(key.split()) >= 4 and other.startswith(key) and other != key:
            return True
    return False


def article_lines(lines: list[Line], runs: list[tuple[int, int]]) -> list[Line]:
    """The paragraphs of the article's runs: prose and sentences, subheadings between them."""
    kept: list[Line] = []
    seen: set[str] = set()
    for i in (i for start, end in runs for i in range(start, end)):
        line = lines[i]
        if is_echo(lines, i) or normalized(line.text) in seen:
            continue
        if line.kind in ("prose", "sentence") or is_subheading(lines, i):
            kept.append(line)
            seen.add(normalized(line.text))
    while len(kept) > 1 and kept[-1].kind == "sentence" and kept[-1].index > kept[-2].index + 1:
        kept.pop()  # a short sentence set apart after the article: a footer note
    return kept


def header_end(lines: list[Line], start: int, end: int) -> int:
    """Move the article start past a byline/dateline found among its first lines, so a
    standfirst written as a sentence stays out of the body."""
    head = [i for i in range(start, min(end, start + 4)) if lines[i].kind in ("byline", "date")]
    return head[-1] + 1 if head else start


def headline_candidate(line: Line) -> bool:
    if line.kind in ("boiler", "nav", "caption", "date") or line.words < 3 or line.words > 40:
        return False
    text = line.text
    if text.endswith((":", "—", "–", "-")) or (text.endswith(".") and not text.endswith("...")):
        return False
    if line.kind == "byline" and byline_name(text) == text:  # names alone: a caption or credit
        return False
    return bool(re.search(r"[^\W\d_]", text))


def content_words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if len(w) > 3}


def headline_score(line: Line, lead_words: set[str], distance: int) -> float:
    """How headline-like a line above the article is: headlines share words with the
    article's lead and sit close above it."""
    words = content_words(line.text)
    shared = words & lead_words
    coverage = len(shared) / len(words) if words else 0.0
    return (coverage + min(len(shared), SHARED_WORDS_FULL) / SHARED_WORDS_FULL) / 2 + (
        0.3 if 5 <= line.words <= 25 else 0.0
    ) - HEADLINE_DISTANCE_COST * distance


def headline_features(lines: list[Line], i: int, body_start: int, lead_words: set[str], first_words: set[str],
                      repeats: Counter) -> dict[str, float]:
    """What tells the headline from other short lines above an article: it shares words
    with the lead (and its first paragraph), is 5-25 words long, sits near the article,
    under chrome and over a byline or dateline, is not a list item, a sentence or a run
    of menu words, and the page may give it twice (breadcrumb, "email this")."""
    line = lines[i]
    words = content_words(line.text)
    shared = words & lead_words
    tokens = re.findall(r"[^\W\d_][\w'’]*", line.text)
    above = lines[i - 1] if i > 0 else None
    below = lines[i + 1] if i + 1 < len(lines) else None
    return {
        "lead_coverage": len(shared) / len(words) if words else 0.0,
        "lead_shared": min(len(shared), SHARED_WORDS_FULL) / SHARED_WORDS_FULL,
        "first_paragraph_shared": float(bool(words & first_words)),
        "log_distance": math.log1p(body_start - i),
        "headline_length": float(5 <= line.words <= 25),
        "list_item": float(bool(BULLET.match(line.text))),
        "sentence": float(line.kind in ("prose", "sentence")),
        "dateline_below": float(below is not None and below.kind in ("date", "byline")),
        "chrome_above": float(above is not None and above.kind in ("nav", "boiler", "date")),
        "capitalised": sum(t[0].isupper() for t in tokens) / len(tokens) if tokens else 0.0,
        "menu_words": sum(t.lower() in WIDGET_WORDS for t in tokens) / len(tokens) if tokens else 0.0,
        "repeated": float(repeats[normalized(line.text)] > 1),
    }


def reads_as_standfirst(lines: list[Line], i: int) -> bool:
    """Line i reads as a standfirst (a long line) and sits where one does: right under a
    shorter headline-like line (no list item) and right above the byline or dateline (a
    headline need not share the lead's words)."""
    above, line = lines[i - 1], lines[i]
    after = lines[i + 1] if i + 1 < len(lines) else None
    return (after is not None and after.kind in ("byline", "date") and headline_candidate(above)
            and not BULLET.match(above.text) and 5 <= above.words < line.words and line.words >= STANDFIRST_MIN_WORDS)


def headline_choices(lines: list[Line], body_start: int, kept: list[Line]) -> dict[int, dict[str, float]]:
    """The features (headline_features) of each line above the article (`kept`) that may
    be its headline: a headline-like line, not an image's alt text repeating its caption,
    sharing words with the lead where any line does."""
    zone = [i for i in range(max(0, body_start - HEADLINE_WINDOW), body_start)
            if headline_candidate(lines[i]) and not is_echo(lines, i)]
    lead_words = content_words(" ".join(line.text for line in kept[:LEAD_PARAGRAPHS]))
    first_words = content_words(kept[0].text) if kept else set()
    repeats = Counter(normalized(line.text) for line in lines)
    zone = [i for i in zone if content_words(lines[i].text) & lead_words] or zone
    return {i: headline_features(lines, i, body_start, lead_words, first_words, repeats) for i in zone}


def find_header(lines: list[Line], body_start: int, kept: list[Line]) -> tuple[int | None, int | None]:
    """Indexes of headline and standfirst among the lines above the article (`kept`):
    the candidate whose features weigh most (HEADLINE_WEIGHTS), then the line right
    after it."""
    choices = headline_choices(lines, body_start, kept)
    if not choices:
        return None, None
    title = max(choices, key=lambda i: sum(HEADLINE_WEIGHTS[k] * v for k, v in choices[i].items()))
    if title > 0 and reads_as_standfirst(lines, title):
        title -= 1  # the best match was the standfirst under the headline
    following = title + 1
    if following < body_start:
        line = lines[following]
        if line.kind in ("prose", "sentence", "short") and line.words >= 5 and not BYLINE_PREFIX.match(line.text):
            return title, following
    return title, None


def opening_headline(lines: list[Line], kept: list[Line]) -> Line | None:
    """The text's first line when the text opens with the article, as a news database
    exports one (headline, blank line, body; the headline may end in a full stop): a
    short line, not chrome, sharing words with the article's first paragraphs, with its
    lines (`kept`) starting right after it and a longer line among the next three."""
    if len(lines) < 2 or not kept or kept[0].index > 2:
        return None
    first, following = lines[0], lines[1:4]
    if (first.kind in ("boiler", "nav", "caption", "date") or first.words > OPENING_HEADLINE_WORDS
            or first.text.endswith((":", ",", ";")) or not re.search(r"[^\W\d_]", first.text)):
        return None
    if not any(line.kind == "prose" for line in following[:2]) or first.words >= max(l.words for l in following):
        return None
    lead = " ".join(line.text for line in kept[:2 * LEAD_PARAGRAPHS] if line is not first)
    return first if content_words(first.text) & content_words(lead) else None


def find_byline(lines: list[Line], title: int | None, body_start: int) -> str | None:
    """A byline between headline and article (above the headline, menu items look
    just like names)."""
    first = title + 1 if title is not None else max(0, body_start - BYLINE_WINDOW)
    for i in range(first, body_start):
        line = lines[i]
        if line.kind in ("prose", "caption", "boiler"):
            continue
        # a name line, "By ..." of any shape, or "X | 3 May 2022" (nav- or date-shaped)
        if line.kind == "byline" or BYLINE_PREFIX.match(line.text) or (
            line.kind in ("date", "nav") and NAME_THEN_SEPARATOR.match(line.text) and find_date(line.text)
        ):
            name = byline_name(line.text)
            if name:
                return name
    return None



def find_published(lines: list[Line], title: int | None, body_start: int, body_end: int):
    """The dateline around the headline (after it preferred), else a "published"
    line after the article."""
    window = max(0, body_start - HEADER_WINDOW)
    after_title = range(title + 1 if title is not None else window, body_start)
    before_title = range(window, title) if title is not None else range(0)
    dated = []
    for i in [*after_title, *before_title, *range(body_end, len(lines))]:
        line = lines[i]
        if line.kind in ("caption", "prose") or line.words > 25:
            continue
        if i >= body_end and not PUBLISHED_WORDS.search(line.text):
            continue
        found = find_date(line.text)
        if found:
            dated.append((found[0], line.text))
    preferred = [d for d in dated if PUBLISHED_WORDS.search(d[1])]
    not_updated = [d for d in dated if not UPDATED_WORDS.search(d[1])]
    chosen = preferred or not_updated or dated
    return chosen[0][0] if chosen else None


def credit_at_end(paragraph: str) -> str | None:
    """"... last year. – (Reuters)" → "Reuters"; "...die.”/Guardian" → "Guardian"."""
    tail = paragraph[-80:]
    for pattern in CREDIT_AT_END:
        m = pattern.search(tail)
        if m and word_count(m.group(1)) <= 4:
            return m.group(1).strip()
    return None


def find_source_credit(kept: list[Line], lines: list[Line], body_end: int) -> str | None:
    """Agency credit ending the last paragraph ("– (Reuters)", "/Guardian"), else a
    "Source: X" line right after the article."""
    if kept:
        credit = credit_at_end(kept[-1].text)
        if credit:
            return credit
    for line in lines[body_end:body_end + 5]:
        m = SOURCE_LINE.match(line.text)
        if m:
            credit = re.split(r"\s+(?:and|&)?\s*(?:edited|updated|compiled)\b", m.group(1), flags=re.I)[0]
            return credit.strip(" .") or None
    return None


def expand_acronym(acronym: str, lines: list[Line]) -> str | None:
    """"MEE" → "Middle East Eye" when the page spells the name out somewhere."""
    pattern = re.compile(r"\b" + r"\s+".join(f"{c}[a-z]+" for c in acronym) + r"\b")
    for line in lines:
        m = pattern.search(line.text)
        if m:
            return m.group(0)
    return None


def find_outlet(lines: list[Line], chrome: list[Line]) -> str | None:
    """The publisher as the page's own chrome names it (footer blurb, copyright, readers)."""
    for pattern in OUTLET_PATTERNS:
        for line in chrome:
            m = pattern.search(line.text)
            if not m:
                continue
            name = re.split(r"\.\s", m.group("name"))[0].strip(" .,'’")
            name = re.sub(r"(?:['’]s)$", "", name)
            words = name.split()
            while words and words[-1].lower() in OUTLET_STOPWORDS:
                words.pop()
            if not words or words[0].lower() in OUTLET_STOPWORDS - {"the"}:
                continue
            name = " ".join(words).strip(" .,'’")
            if name.isupper() and 2 <= len(name) <= 6:
                name = expand_acronym(name, lines) or name
            elif "readers" in m.group(0) and not name.lower().startswith("the "):
                name = "The " + name
            return name
    return None


def clean_text(text: str) -> CleanedArticle:
    """Article paragraphs and metadata from a plain-text page dump; never raises."""
    try:
        return extract(text if isinstance(text, str) else "")
    except Exception:  # a bug must not stop an ingest run: log it, keep going
        log.exception("clean_text failed; returning an empty article")
        return CleanedArticle(body="", refusal=NO_TEXT)


def extract(text: str) -> CleanedArticle:
    return from_lines(split_lines(text))


def article_paragraphs(lines: list[Line]) -> tuple[list[Line], Line | None]:
    """The article's lines among a page's lines, and the headline when the text opens
    with it (opening_headline)."""
    runs = article_runs(lines[:comments_start(lines)])
    if runs:
        runs[0] = (header_end(lines, *runs[0]), runs[0][1])
    kept = article_lines(lines, runs)
    headline = opening_headline(lines, kept)
    if headline is not None:
        kept = [line for line in kept if line.index != headline.index]
    return kept, headline


def from_lines(lines: list[Line]) -> CleanedArticle:
    """The article among a page's lines (split_lines)."""
    kept, headline = article_paragraphs(lines)
    body_start = kept[0].index if kept else len(lines)
    body_end = kept[-1].index + 1 if kept else len(lines)
    title_i, subtitle_i = (headline.index, None) if headline else find_header(lines, body_start, kept)
    kept_indexes = {line.index for line in kept}
    chrome = [line for line in lines if line.index not in kept_indexes and (line.index >= body_end or line.kind == "boiler")]
    body = "\n\n".join(paragraph_texts(kept))
    title = lines[title_i].text if title_i is not None else None
    return CleanedArticle(
        body=body,
        refusal=refusal(body, title, lines),
        language=guess_language(body),
        title=title,
        subtitle=lines[subtitle_i].text if subtitle_i is not None else None,
        byline=find_byline(lines, title_i, body_start),
        published_at=find_published(lines, title_i, body_start, body_end),
        outlet=find_outlet(lines, chrome),
        source_credit=find_source_credit(kept, lines, body_end),
    )
