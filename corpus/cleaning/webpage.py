"""Article extraction from HTML with trafilatura, plus fallbacks when it finds little.

trafilatura gives body and metadata in one run (its own fallbacks, readability
and jusText, run inside it). Only when its body is empty or short do we also run
the plain-text dump extractor on the page's visible text, and keep that when it
finds clearly more prose.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime

import trafilatura
from trafilatura.meta import reset_caches

from .article import CleanedArticle
from .dates import parse_date
from .dump import credit_at_end, extract as extract_dump, normalized
from .language import guess_language
from .lines import classify

log = logging.getLogger(__name__)

CACHE_RESET_EVERY = 500  # trafilatura's caches grow without bound on long runs
SHORT_BODY_CHARS = 500  # below this trafilatura may have missed the article: try fallbacks
FALLBACK_GAIN = 1.5  # a fallback must find this many times more text to be preferred
MIN_PROSE_LINES = 3  # chrome pruning needs an article of prose to judge lines against
MIN_KEPT_SHARE = 0.5  # pruning more than this is a misjudged page: keep trafilatura's text
# Meta tags naming the publication time, read from the raw HTML with a regex so the
# page is parsed only once (by trafilatura).
META_TAG = re.compile(r"<meta\b[^>]{0,500}>", re.I)
PUBLISHED_META_NAME = re.compile(
    r"""(?:property|name|itemprop)\s*=\s*["']?(?:article:published_time|og:published_time|datePublished"""
    r"""|pubdate|publishdate|date|dc\.date\.issued|dcterms\.created)["'\s/>]""",
    re.I,
)
META_CONTENT = re.compile(r"""content\s*=\s*["']([^"']{8,40})["']""", re.I)
JSONLD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
HTML_LANG = re.compile(r"""<html\b[^>]{0,300}?\blang\s*=\s*["']?([a-z]{2})\b""", re.I)
URL_DATE = re.compile(r"/((?:19|20)\d\d)/([01]?\d)/([0-3]?\d)/")
BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
INVISIBLE_TAGS = frozenset("script style noscript template head svg iframe object select datalist textarea".split())
# A table cell holding these lays out a page; a data table's cells hold words and numbers.
LAYOUT_CELL_CONTENT = frozenset("p div table ul ol dl h1 h2 h3 h4 h5 h6 form blockquote article section".split())
DATA_TABLE_PARTS = frozenset("th thead tfoot caption colgroup col".split())
TABLE_PARTS = frozenset("tbody thead tfoot caption".split())

_documents_seen = 0


def clean_html(html: str, url: str | None = None) -> CleanedArticle:
    """Article paragraphs and metadata from an HTML page; never raises."""
    try:
        return extract(html if isinstance(html, str) else "", url)
    except Exception:  # a bug must not stop an ingest run: log it, keep going
        log.exception("clean_html failed; returning an empty article")
        return CleanedArticle(body="")


def paragraphs(text: str | None) -> str:
    """trafilatura separates blocks with one newline; the API uses a blank line."""
    return "\n\n".join(p.strip() for p in (text or "").splitlines() if p.strip())


def without_headline(body: str, title: str | None) -> str:
    """trafilatura keeps an <h1> inside the article as its first block; the headline is the title."""
    first, _, rest = body.partition("\n\n")
    if title and normalized(first) == normalized(title):
        return rest
    return body


def without_chrome(body: str) -> str:
    """Drop what trafilatura keeps of page chrome: boilerplate lines ("READ MORE: ...",
    copyright), photo captions, and non-sentence lines trailing the last paragraph
    (editor credits, "(END)", link lists)."""
    lines = [classify(paragraph, i) for i, paragraph in enumerate(body.split("\n\n")) if paragraph]
    if sum(line.kind == "prose" for line in lines) < MIN_PROSE_LINES:
        return body  # a list or table page: these line shapes say nothing about it
    kept = [line for line in lines if line.kind not in ("boiler", "caption")]
    while kept and kept[-1].kind not in ("prose", "sentence"):
        kept.pop()
    pruned = "\n\n".join(line.text for line in kept)
    return pruned if len(pruned) >= MIN_KEPT_SHARE * len(body) else body


def own_rows(table) -> list:
    """The table's own rows, not those of tables nested in its cells."""
    return [row for section in (table, *table.iterfind("./*")) for row in section.iterfind("./tr")]


def is_layout_table(table) -> bool:
    """A table used to lay the page out rather than to hold data, judged as Mozilla's
    Readability does (role, nesting, one row or one column, header cells), plus cells
    holding paragraphs or other blocks, which data cells do not."""
    if table.get("role") in ("presentation", "none") or table.find(".//table") is not None:
        return True
    rows = [[cell for cell in row if cell.tag in ("td", "th")] for row in own_rows(table)]
    if any(inner.tag in LAYOUT_CELL_CONTENT for cells in rows for cell in cells for inner in cell.iterdescendants()):
        return True
    if table.get("summary") or any(part.tag in DATA_TABLE_PARTS for part in table.iterdescendants()):
        return False
    return len(rows) <= 1 or max(map(len, rows), default=0) <= 1


def unwrap_layout_tables(tree) -> None:
    """Turn layout tables into divs, so an article laid out in a table cell is read as
    blocks of text, not as one table row of everything on the page. Tables nested in a
    layout table are judged on their own."""
    layout = [table for table in tree.iter("table") if is_layout_table(table)]
    for table in layout:
        rows = own_rows(table)
        sections = [child for child in table if child.tag in TABLE_PARTS]
        for element in [table, *sections, *rows, *(cell for row in rows for cell in row if cell.tag in ("td", "th"))]:
            element.tag = "div"


def count_document() -> None:
    global _documents_seen
    _documents_seen += 1
    if _documents_seen % CACHE_RESET_EVERY == 0:
        reset_caches()


def published_from_page(html: str, day: str | None, url: str | None) -> datetime | None:
    """Publication time with hour and zone from meta tags or JSON-LD when it agrees
    with trafilatura's day; else the day itself; else a date in the URL path."""
    stamps = []
    for tag in META_TAG.finditer(html):
        content = META_CONTENT.search(tag.group(0))
        if content and PUBLISHED_META_NAME.search(tag.group(0)):
            stamps.append(content.group(1))
    stamps += JSONLD_PUBLISHED.findall(html)
    for stamp in stamps:
        when = parse_date(stamp)
        if when and (day is None or when.date().isoformat() == day):
            return when
    if day:
        return parse_date(day)
    m = URL_DATE.search(url or "")
    return parse_date("-".join(m.groups())) if m else None


def visible_text(tree) -> str:
    """The page's visible text as a browser's copy-all gives it: whitespace inside
    text collapsed, block elements and <br> on their own lines."""
    parts: list[str] = []

    def add(text: str | None, preformatted: bool) -> None:
        if text:
            parts.append(text if preformatted else re.sub(r"\s+", " ", text))

    def walk(element, preformatted: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        hidden = tag in INVISIBLE_TAGS or element.get("hidden") is not None or HIDDEN_STYLE.search(element.get("style") or "")
        if tag and not hidden:
            preformatted = preformatted or tag == "pre"
            block = tag in BLOCK_TAGS
            if block:
                parts.append("\n")
            add(element.text, preformatted)
            for child in element:
                walk(child, preformatted)
            if block:
                parts.append("\n")
        add(element.tail, preformatted)

    body = tree.find(".//body")
    walk(body if body is not None else tree, False)
    return re.sub(r" *\n *", "\n", "".join(parts))


def extract(html: str, url: str | None) -> CleanedArticle:
    count_document()
    tree = trafilatura.load_html(html) if html.strip() else None
    if tree is None:
        return CleanedArticle(body="")
    unwrap_layout_tables(tree)
    document = trafilatura.bare_extraction(tree, url=url, include_comments=False, with_metadata=True,
                                           favor_precision=True, include_tables=False)
    if document is None:
        document = trafilatura.settings.Document()
    body = without_chrome(without_headline(paragraphs(document.text), document.title))
    declared = HTML_LANG.search(html[:5000])
    language = declared.group(1).lower() if declared else None
    if len(body) < SHORT_BODY_CHARS:
        from_text = extract_dump(visible_text(tree)).body
        if len(from_text) > FALLBACK_GAIN * len(body):
            body = from_text
    return CleanedArticle(
        body=body,
        title=document.title or None,
        subtitle=document.description if document.description and not body.startswith(document.description[:60]) else None,
        byline=document.author or None,
        published_at=published_from_page(html, document.date, url),
        outlet=document.sitename or None,
        url=document.url or None,
        language=language or guess_language(body),
        source_credit=credit_at_end(body.rsplit("\n\n", 1)[-1]) if body else None,
    )
