"""Full-text search over article titles and bodies: the one place where SQLite (FTS5) and
PostgreSQL (tsvector) differ. Both accept the same web-search syntax from users:
words, "quoted phrases", -excluded words and OR. User text never reaches FTS5 MATCH
unquoted; PostgreSQL parses it with websearch_to_tsquery.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from .errors import CorpusError
from .models import Article

SNIPPET_START, SNIPPET_END = "[", "]"
_FTS_TABLE = table("articles_fts", column("rowid"))
RANK_WINDOW = 1000  # a query matching more articles ranks the most recently added this many
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


class SearchQueryError(CorpusError):
    """A query that cannot be searched for (one-line message for the user)."""


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    rank: float  # higher is better on both databases
    snippet: str


def fts5_query(query: str) -> str:
    """Translate web-search syntax into an FTS5 expression in which every user word is a
    quoted string, so no user text is read as FTS5 syntax."""
    positive: list[str] = []  # groups joined by AND; each group is a list of OR-ed terms
    negative: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(query):
        negated = bool(match.group(1))
        raw = match.group(2) if match.group(2) is not None else match.group(3)
        if match.group(3) is not None and raw == "OR":
            pending_or = bool(positive)
            continue
        if match.group(3) is not None and raw.startswith("-") and len(raw) > 1:
            negated, raw = True, raw[1:]
        words = _WORD.findall(raw)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if negated:
            negative.append(term)
        elif pending_or:
            positive[-1] = f"{positive[-1]} OR {term}"
        else:
            positive.append(term)
        pending_or = False
    if not positive:
        raise SearchQueryError(
            "empty search: give at least one word that is not excluded" if negative
            else "empty search: give at least one word"
        )
    expression = " AND ".join(f"({group})" for group in positive)
    for term in negative:
        expression = f"({expression}) NOT {term}"
    return expression


def matching_ids(session: Session, query: str) -> Select:
    """A SELECT of the ids of every article matching the query (for filters and tagging)."""
    if session.get_bind().dialect.name == "sqlite":
        return select(_FTS_TABLE.c.rowid).where(
            text("articles_fts MATCH :fts_query").bindparams(fts_query=fts5_query(query))
        )
    _check_words(query)
    return select(Article.id).where(
        literal_column("articles.search_vector").op("@@")(func.websearch_to_tsquery("english", query))
    )


def count(session: Session, query: str, *, restrict: Select | None = None) -> int:
    """How many articles match the query (within `restrict`, a SELECT of article ids)."""
    ids = matching_ids(session, query)
    if restrict is not None:
        ids = ids.where(ids.selected_columns[0].in_(restrict))
    return session.scalar(select(func.count()).select_from(ids.subquery()))


def search(session: Session, query: str, *, limit: int = 20, offset: int = 0, restrict: Select | None = None,
           marks: tuple[str, str] = (SNIPPET_START, SNIPPET_END)) -> list[SearchHit]:
    """Ranked matches with a snippet of the body around the matched words, which `marks`
    enclose. `restrict` is an optional SELECT of article ids to search within
    (tag/outlet/duplicate filters); `offset` skips that many of the best matches (paging).

    Ranking costs time for every article ranked, so a query matching more than
    RANK_WINDOW articles (or `limit`, if larger) ranks only that many of the most recently
    added: searches stay fast at any corpus size, a very common word finds recent articles
    first, and asking for more results than the window still returns every match."""
    window_size = max(RANK_WINDOW, offset + limit)
    if session.get_bind().dialect.name != "sqlite":
        return _search_postgresql(session, query, limit, offset, restrict, marks, window_size)
    start, stop = marks
    fts = literal_column("articles_fts")
    bm25 = func.bm25(fts, 5.0, 1.0)
    article_id = _FTS_TABLE.c.rowid
    matches = text("articles_fts MATCH :fts_query").bindparams(fts_query=fts5_query(query))
    stmt = select(article_id, (-bm25).label("score"),
                  func.snippet(fts, 1, start, stop, "…", 16)).order_by(bm25)
    window = select(article_id).where(matches)
    if restrict is not None:
        window = window.where(article_id.in_(restrict))
    oldest_ranked = (window.order_by(article_id.desc()).offset(window_size - 1).limit(1)
                     .correlate(None).scalar_subquery())
    stmt = stmt.where(matches, article_id >= func.coalesce(oldest_ranked, 0))
    if restrict is not None:
        stmt = stmt.where(article_id.in_(restrict))
    rows = session.execute(stmt.limit(limit).offset(offset)).all()
    return [SearchHit(article_id=row[0], rank=float(row[1]), snippet=_one_line(row[2])) for row in rows]


def _search_postgresql(session: Session, query: str, limit: int, offset: int, restrict: Select | None,
                       marks: tuple[str, str], window_size: int) -> list[SearchHit]:
    """The newest `window_size` matches are found in one walk, ranked, and only the page
    of best ones gets a headline. (Each tsvector read is a TOAST fetch: finding the
    window's edge first and then ranking from it read every vector twice; a headline
    parses the whole body.)"""
    _check_words(query)
    start, stop = marks
    tsquery = func.websearch_to_tsquery("english", query)
    vector = literal_column("articles.search_vector")
    newest = select(Article.id).where(vector.op("@@")(tsquery))
    if restrict is not None:
        newest = newest.where(Article.id.in_(restrict))
    newest = newest.order_by(Article.id.desc()).limit(window_size).subquery()
    score = func.ts_rank_cd(vector, tsquery).label("score")
    best = (select(Article.id, score).join(newest, newest.c.id == Article.id)
            .order_by(score.desc(), Article.id).limit(limit).offset(offset).subquery())
    headline = func.ts_headline(
        "english", Article.body, tsquery,
        f"StartSel={start}, StopSel={stop}, MaxWords=28, MinWords=12, MaxFragments=1, FragmentDelimiter=…",
    )
    stmt = (select(best.c.id, best.c.score, headline).join(Article, Article.id == best.c.id)
            .order_by(best.c.score.desc(), best.c.id))
    return [SearchHit(article_id=row[0], rank=float(row[1]), snippet=_one_line(row[2])) for row in session.execute(stmt)]


def _check_words(query: str) -> None:
    """PostgreSQL accepts any text; give the same error as SQLite for a query of no words."""
    fts5_query(query)


def _one_line(snippet: str | None) -> str:
    return " ".join((snippet or "").split())
