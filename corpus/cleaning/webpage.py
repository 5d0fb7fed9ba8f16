"""Article extraction from HTML with trafilatura, plus fallbacks when it finds little.

trafilatura gives the body (its own extractor only: its comparison with readability and
jusText is skipped, fast=True, which on l3s_dev HTML was both quicker, 90.9 -> 60.1 ms a
page, and better, body F1 0.948 -> 0.955) and its metadata steps give title, date and the
rest (page_metadata). Only when its body is empty or short do we also run the plain-text
dump extractor on the page's visible text, and keep that when it finds clearly more prose.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime

import trafilatura
from trafilatura import metadata as trafilatura_metadata
from trafilatura.meta import reset_caches
from trafilatura.settings import DEFAULT_CONFIG, Document, set_date_params

from .article import NO_TEXT, CleanedArticle
from .dates import parse_date
from .dump import (LEAD_PARAGRAPHS, content_words, credit_at_end, from_lines, headline_candidate, headline_score,
                   normalized, split_lines)
from .language import guess_language
from .lines import BYLINE_PREFIX, Line, classify
from .refusal import refusal

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
WHITESPACE = re.compile(r"\s+")
SPACES_AROUND_NEWLINE = re.compile(r" *\n *")
INVISIBLE_TAGS = frozenset("script style noscript template head svg iframe object select datalist textarea".split())
# A table cell holding these lays out a page; a data table's cells hold words and numbers.
LAYOUT_CELL_CONTENT = frozenset("p div table ul ol dl h1 h2 h3 h4 h5 h6 form blockquote article section".split())
DATA_TABLE_PARTS = frozenset("th thead tfoot caption colgroup col".split())
TABLE_PARTS = frozenset("tbody thead tfoot caption".split())

APOSTROPHES = re.compile(r"['’‘`]")
HEADING_NAME = re.compile(r"headline|title|heading|\bhed\b", re.I)
HEADLINE_MATCH_CHARS = 40  # of the first body paragraph, to find it among the page's lines
HEADLINE_WINDOW = 40  # lines above the article searched for its headline
HEADLINE_INSIDE_BODY = 3  # first lines of the body that may still be the headline
MAX_HEADLINE_WORDS = 30
TITLE_SEPARATOR = re.compile(r"\s+[-|–—:»·]\s+|\s*\|\s*")  # between headline, section and site in a <title>
MIN_SITE_NAME_WORDS = 4  # a shorter line in the <title> must share words with the lead (else: the site's name)

_documents_seen = 0


def clean_html(html: str, url: str | None = None) -> CleanedArticle:
    """Article paragraphs and metadata from an HTML page; never raises."""
    try:
        return extract(html if isinstance(html, str) else "", url)
    except Exception:  # a bug must not stop an ingest run: log it, keep going
        log.exception("clean_html failed; returning an empty article")
        return CleanedArticle(body="", refusal=NO_TEXT)


def paragraphs(text: str | None) -> str:
    """trafilatura separates blocks with one newline; the API uses a blank line."""
    return "\n\n".join(p.strip() for p in (text or "").splitlines() if p.strip())


def title_key(text: str) -> str:
    """Words of a title as compared with the page's <title>: lowercase, apostrophes
    dropped ("Saj's" and "Sajs" are one word)."""
    return normalized(APOSTROPHES.sub("", text))


def page_headings(tree) -> tuple[list[str], set[str]]:
    """Title keys of the page's declared titles (<title>, og:title) and of its heading
    elements (h1-h4, or an element whose class or id names a headline)."""
    declared = [tree.findtext(".//title") or "", *tree.xpath("//meta[@property='og:title']/@content")]
    headings = {title_key(h.text_content()) for h in tree.iter("h1", "h2", "h3", "h4")}
    headings |= {title_key(e.text_content()) for e in tree.xpath("//*[@class or @id]")
                 if HEADING_NAME.search(f"{e.get('class', '')} {e.get('id', '')}") and len(e.text_content()) < 300}
    return [f" {title_key(d)} " for d in declared if d.strip()], headings


def find_headline(tree, lines: list[Line], body: str) -> tuple[str | None, str]:
    """The headline as the page shows it, and the body without it. The headline is a
    visible line near the article's first paragraph: the longest one the page's <title>
    or og:title contains (those add the site's name), else the heading element nearest
    the article. Body paragraphs up to the headline (trafilatura keeps an <h1> inside the
    article, and sometimes chrome above it) are dropped."""
    paras = body.split("\n\n")
    body_start = article_start(lines, paras)
    if body_start is None:
        return None, body
    declared, headings = page_headings(tree)
    lead = content_words(" ".join(paras[:LEAD_PARAGRAPHS + 1]))
    near = headline_candidates(lines, body_start)
    in_title = [i for i in near if any(f" {title_key(lines[i].text)} " in d for d in declared)
                and (lines[i].words >= MIN_SITE_NAME_WORDS or content_words(lines[i].text) & lead)]
    heading = [i for i in near if title_key(lines[i].text) in headings and lines[i].words >= 3
               and not BYLINE_PREFIX.match(lines[i].text)]
    if in_title:
        chosen = max(in_title, key=lambda i: (len(title_key(lines[i].text)), i))
    elif heading:
        chosen = min(heading, key=lambda i: abs(body_start - i))
    else:
        return None, body
    title = lines[chosen].text
    for j, paragraph in enumerate(paras[:HEADLINE_INSIDE_BODY]):
        if title_key(paragraph) == title_key(title):
            return title, "\n\n".join(paras[j + 1:])
    return title, body


def article_start(lines: list[Line], paras: list[str]) -> int | None:
    """The page line where the body's first paragraph starts."""
    first = normalized(paras[0])[:HEADLINE_MATCH_CHARS]
    return next((i for i, line in enumerate(lines) if first and normalized(line.text).startswith(first)), None)


def headline_candidates(lines: list[Line], body_start: int) -> list[int]:
    return [i for i in range(max(0, body_start - HEADLINE_WINDOW), min(len(lines), body_start + HEADLINE_INSIDE_BODY))
            if headline_candidate(lines[i]) and lines[i].words <= MAX_HEADLINE_WORDS]


def shown(title: str | None, lines: list[Line]) -> bool:
    """Whether a title trafilatura found is a line of the page, or opens one (a headline
    run into the first paragraph); else it is likely the site's name, or a title written
    for search engines."""
    if not title:
        return False
    key = title_key(title)
    return any(title_key(line.text) == key or (len(key.split()) >= MIN_SITE_NAME_WORDS
                                               and title_key(line.text).startswith(key + " ")) for line in lines)


def shown_part(title: str | None, lines: list[Line]) -> str | None:
    """The longest part of a title trafilatura found ("Headline - Section - Site") that
    is a line of the page, as a headline is (of MIN_SITE_NAME_WORDS words or more: a
    site's or section's name is shorter)."""
    parts = [p.strip() for p in TITLE_SEPARATOR.split(title or "")]
    shown_parts = [p for p in parts if len(p.split()) >= MIN_SITE_NAME_WORDS and shown(p, lines)]
    return max(shown_parts, key=len) if len(parts) > 1 and shown_parts else None


def undeclared_headline(lines: list[Line], body: str) -> str | None:
    """For a page whose headline neither its <title> nor a heading element names: the
    line near the article's start that reads most like its headline (dump.headline_score),
    among those sharing words with the lead's paragraphs of prose."""
    paras = body.split("\n\n")
    body_start = article_start(lines, paras)
    if body_start is None:
        return None
    lead = content_words(" ".join([p for p in paras if classify(p, 0).kind == "prose"][:LEAD_PARAGRAPHS]))
    sharing = [i for i in headline_candidates(lines, body_start)
               if lines[i].kind != "prose" and content_words(lines[i].text) & lead]
    if not sharing:
        return None
    return lines[max(sharing, key=lambda i: headline_score(lines[i], lead, abs(body_start - i)))].text


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
    add = parts.append
    collapse = WHITESPACE.sub

    def walk(element, preformatted: bool) -> None:
        tag = element.tag
        if (isinstance(tag, str) and tag not in INVISIBLE_TAGS and element.get("hidden") is None
                and not HIDDEN_STYLE.search(element.get("style") or "")):
            preformatted = preformatted or tag == "pre"
            block = tag in BLOCK_TAGS
            if block:
                add("\n")
            text = element.text
            if text:
                add(text if preformatted else collapse(" ", text))
            for child in element:
                walk(child, preformatted)
            if block:
                add("\n")
        tail = element.tail
        if tail:
            add(tail if preformatted else collapse(" ", tail))

    body = tree.find(".//body")
    walk(body if body is not None else tree, False)
    return SPACES_AROUND_NEWLINE.sub("\n", "".join(parts))


def page_metadata(tree, url: str | None) -> Document:
    """Title, description, author, date, site name and URL as trafilatura's
    extract_metadata finds them (its steps, in its order, on the same tree), without the
    categories, tags and licence it also looks for, which are not stored: those took
    6.2 of its 7.6 ms a page (bench pages)."""
    document = trafilatura_metadata.examine_meta(tree)
    if document.author and " " not in document.author:
        document.author = None
    try:
        document = trafilatura_metadata.extract_meta_json(tree, document)
    except Exception as exc:  # trafilatura's JSON-LD reader has bugs; it goes on without it too
        log.debug("JSON-LD metadata not read: %s", exc)
    document.title = document.title or trafilatura_metadata.extract_title(tree)
    document.author = document.author or trafilatura_metadata.extract_author(tree)
    document.url = document.url or trafilatura_metadata.extract_url(tree, url)
    date_params = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
    document.date = trafilatura_metadata.find_date(tree, **{**date_params, "url": document.url})
    document.sitename = (document.sitename or trafilatura_metadata.extract_sitename(tree) or "").lstrip("@")
    if document.sitename and "." not in document.sitename and not document.sitename[0].isupper():
        document.sitename = document.sitename.title()
    elif not document.sitename and document.url:
        site = trafilatura_metadata.META_URL.match(document.url)
        document.sitename = site[1] if site else None
    document.clean_and_trim()
    return document


def extract(html: str, url: str | None) -> CleanedArticle:
    count_document()
    tree = trafilatura.load_html(html) if html.strip() else None
    if tree is None:
        return CleanedArticle(body="", refusal=NO_TEXT)
    unwrap_layout_tables(tree)
    document = page_metadata(tree, url)
    extracted = trafilatura.bare_extraction(tree, url=url or document.url, include_comments=False,
                                            favor_precision=True, include_tables=False, fast=True)
    body = without_chrome(paragraphs(extracted.text if extracted is not None else None))
    declared = HTML_LANG.search(html[:5000])
    language = declared.group(1).lower() if declared else None
    page_lines = split_lines(visible_text(tree))
    if len(body) < SHORT_BODY_CHARS:
        from_text = from_lines(page_lines).body
        if len(from_text) > FALLBACK_GAIN * len(body):
            body = from_text
    title, body = find_headline(tree, page_lines, body) if body else (None, body)
    if not title and body and not shown(document.title, page_lines):
        title = shown_part(document.title, page_lines) or undeclared_headline(page_lines, body)
    return CleanedArticle(
        body=body,
        refusal=refusal(body, title or document.title, page_lines),
        title=title or document.title or None,
        subtitle=document.description if document.description and not body.startswith(document.description[:60]) else None,
        byline=document.author or None,
        published_at=published_from_page(html, document.date, url),
        outlet=document.sitename or None,
        url=document.url or None,
        language=language or guess_language(body),
        source_credit=credit_at_end(body.rsplit("\n\n", 1)[-1]) if body else None,
    )
