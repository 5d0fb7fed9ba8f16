"""Full-text search over article titles and bodies: the one place where SQLite (FTS5) and
PostgreSQL (tsvector) differ. One query language for both, parsed once here (`parse`)
and written out as an FTS5 expression or a tsquery:

- words: every one must match (`Putin Lavrov`); `AND` between them changes nothing;
- "a quoted phrase": those words in that order;
- `OR` between two words or phrases: either (`ceasefire OR truce`);
- `-word`, `-"a phrase"` or `NOT word`: articles with it are left out;
- the operators are written in capitals; `and`, `or`, `not` are ordinary words.

Very common English words ("the", "not", "and": PostgreSQL's English stop list, which
its index leaves out) are ignored outside phrases on both databases, so the same query
finds the same articles on each. User text never reaches FTS5 MATCH unquoted, nor
to_tsquery's own syntax. A query is limited to MAX_QUERY_TERMS words and phrases, and a
search stops after SEARCH_TIMEOUT_S seconds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ARRAY, ColumnElement, Integer, Select, any_, bindparam, column, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from .database import time_limit
from .errors import CorpusError
from .models import Article

SNIPPET_START, SNIPPET_END = "[", "]"
_FTS_TABLE = table("articles_fts", column("rowid"))
RANK_WINDOW = 1000  # a query matching more articles ranks the most recently added this many
MAX_QUERY_TERMS = 50  # words and phrases in one query
MAX_QUERY_CHARS = 1000
SEARCH_TIMEOUT_S = 60.0
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)

# PostgreSQL's English stop list (tsearch_data/english.stop): its index leaves these out.
STOP_WORDS = frozenset("""
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
her hers herself it its itself they them their theirs themselves what which who whom this that
these those am is are was were be been being have has had having do does did doing a an the
and but if or because as until while of at by for with about against between into through
during before after above below to from up down in out on off over under again further then
once here there when where why how all any both each few more most other some such no nor not
only own same so than too very s t can will just don should now
""".split())


class SearchQueryError(CorpusError):
    """A query that cannot be searched for (one-line message for the user)."""


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    rank: float  # higher is better on both databases
    snippet: str


@dataclass(frozen=True)
class Term:
    """A word or a phrase as typed (`text`, for PostgreSQL's parser) and its words (for FTS5)."""

    text: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """Every group must match (a group matches when any of its terms does); no excluded term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]


def parse(query: str) -> Query:
    """The query language above, parsed. Raises SearchQueryError for a query with no word to
    look for, or one that is too long."""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchQueryError(f"search too long: {len(query):,} characters, at most {MAX_QUERY_CHARS:,}")
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = pending_not = False
    count = 0
    for match in _TOKEN.finditer(query):
        negated = bool(match.group(1)) or pending_not
        phrase = match.group(2) is not None
        raw = match.group(2) if phrase else match.group(3)
        if not phrase and raw in ("OR", "AND", "NOT"):
            pending_or = raw == "OR" and bool(groups) and not pending_not
            pending_not = raw == "NOT"
            continue
        if not phrase and raw.startswith("-") and len(raw) > 1:
            negated, raw = True, raw[1:]
        words = tuple(_WORD.findall(raw))
        if not words or all(word.lower() in STOP_WORDS for word in words):
            pending_or = pending_not = False
            continue
        count += 1
        if count > MAX_QUERY_TERMS:
            raise SearchQueryError(f"search too long: more than {MAX_QUERY_TERMS} words and phrases")
        term = Term(raw, words)
        if negated:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = pending_not = False
    if not groups:
        raise SearchQueryError(
            "empty search: give at least one word that is not excluded" if excluded
            else "empty search: give at least one word (very common words such as 'the' are ignored)"
        )
    return Query(tuple(tuple(group) for group in groups), tuple(excluded))


def fts5_query(query: str) -> str:
    """The query as an FTS5 expression in which every user word is inside a quoted
    string, so no user text is read as FTS5 syntax."""
    parsed = parse(query)

    def quoted(term: Term) -> str:
        return '"' + " ".join(term.words) + '"'

    expression = " AND ".join("(" + " OR ".join(map(quoted, group)) + ")" for group in parsed.groups)
    for term in parsed.excluded:
        expression = f"({expression}) NOT {quoted(term)}"
    return expression


def tsquery(query: str) -> ColumnElement:
    """The query as a PostgreSQL tsquery: each word or phrase through phraseto_tsquery (the
    same parser and dictionary as the index), joined with tsquery_and/or/not, so no user
    text is read as tsquery syntax."""
    parsed = parse(query)

    def term_query(term: Term) -> ColumnElement:
        return func.phraseto_tsquery("english", bindparam(None, term.text, unique=True))

    def any_of(group: tuple[Term, ...]) -> ColumnElement:
        combined = term_query(group[0])
        for term in group[1:]:
            combined = func.tsquery_or(combined, term_query(term))
        return combined

    combined = any_of(parsed.groups[0])
    for group in parsed.groups[1:]:
        combined = func.tsquery_and(combined, any_of(group))
    for term in parsed.excluded:
        combined = func.tsquery_and(combined, func.tsquery_not(term_query(term)))
    return combined


def _within(article_id: ColumnElement, restrict: Select, sqlite: bool) -> ColumnElement:
    """`article_id` is one of `restrict`'s ids. On SQLite written `+rowid IN (...)`, so FTS5
    reads the matches and checks each against the ids: given the ids, it looked each one
    up in the word lists (5,000 tagged articles and a common word: 2.4 s, not 86 ms)."""
    return (article_id + 0 if sqlite else article_id).in_(restrict)


def matching_ids(session: Session, query: str) -> Select:
    """A SELECT of the ids of every article matching the query (for filters and tagging)."""
    if session.get_bind().dialect.name == "sqlite":
        return select(_FTS_TABLE.c.rowid).where(
            text("articles_fts MATCH :fts_query").bindparams(fts_query=fts5_query(query))
        )
    return select(Article.id).where(literal_column("articles.search_vector").op("@@")(tsquery(query)))


def count(session: Session, query: str, *, restrict: Select | None = None,
          timeout: float = SEARCH_TIMEOUT_S) -> int:
    """How many articles match the query (within `restrict`, a SELECT of article ids)."""
    ids = matching_ids(session, query)
    sqlite = session.get_bind().dialect.name == "sqlite"
    if restrict is not None:
        ids = ids.where(_within(ids.selected_columns[0], restrict, sqlite))
    if not sqlite:
        # For a common word PostgreSQL's planner prefers reading every row, not knowing that
        # each search_vector it then tests is a TOAST fetch; the index's bitmap counts the
        # same rows without reading a vector (100,000 articles, "minister": 1,220 -> 141 ms).
        session.execute(text("SET LOCAL enable_seqscan = off"))
    with time_limit(_driver_connection(session), timeout):
        return session.scalar(select(func.count()).select_from(ids.subquery()))


def estimate(session: Session, query: str, *, restrict: Select | None = None,
             timeout: float = SEARCH_TIMEOUT_S) -> tuple[int, bool]:
    """(how many articles match, whether that is exact): exact when at most RANK_WINDOW
    match; past that, estimated from how densely the newest RANK_WINDOW + 1 matches lie
    among the articles' ids (the same newest matches a search ranks), rounded to two
    significant figures. Counting every match of a common word or phrase reads every
    matching article (PostgreSQL rereads each one's words for a phrase: 1.6 s for one
    phrase at 100,000 articles); this reads as many as a search does."""
    newest = _newest(session, query, restrict, RANK_WINDOW + 1, timeout)
    return _estimated(session, newest, RANK_WINDOW)


def search_and_estimate(session: Session, query: str, *, limit: int = 20, offset: int = 0,
                        restrict: Select | None = None, marks: tuple[str, str] = (SNIPPET_START, SNIPPET_END),
                        timeout: float = SEARCH_TIMEOUT_S) -> tuple[list[SearchHit], int, bool]:
    """search() and estimate() together (a page of results and how many there are); on
    PostgreSQL from one walk of the newest matches, which is most of either's time."""
    window_size = max(RANK_WINDOW, offset + limit)  # exact as far as the search ranks
    newest = _newest(session, query, restrict, window_size + 1, timeout)
    if session.get_bind().dialect.name == "sqlite":
        hits = search(session, query, limit=limit, offset=offset, restrict=restrict, marks=marks, timeout=timeout)
        return hits, *_estimated(session, newest, window_size)
    among = Article.id == any_(bindparam("newest", newest[:window_size], type_=ARRAY(Integer)))
    hits = _rank_postgresql(session, query, among, limit, offset, marks, timeout) if newest else []
    return hits, *_estimated(session, newest, window_size)


def _newest_ids(session: Session, query: str, restrict: Select | None) -> Select:
    """A SELECT of the ids of the matches, newest first."""
    ids = matching_ids(session, query)
    article_id = ids.selected_columns[0]
    if restrict is not None:
        ids = ids.where(_within(article_id, restrict, session.get_bind().dialect.name == "sqlite"))
    return ids.order_by(article_id.desc())


def _newest(session: Session, query: str, restrict: Select | None, size: int, timeout: float) -> list[int]:
    """The ids of the newest `size` matches, newest first."""
    with time_limit(_driver_connection(session), timeout):
        return list(session.scalars(_newest_ids(session, query, restrict).limit(size)))


def _estimated(session: Session, newest: list[int], exact_up_to: int) -> tuple[int, bool]:
    """estimate()'s answer from the newest matches (up to `exact_up_to` + 1 of them)."""
    if len(newest) <= exact_up_to:
        return len(newest), True
    # Two statements: SQLite reads min() or max() alone off the index's ends, both at once by a scan.
    low = session.scalar(select(func.min(Article.id)))
    high = session.scalar(select(func.max(Article.id)))
    return _two_figures(len(newest) * (high - low + 1) / (high - newest[-1] + 1)), False


def _two_figures(value: float) -> int:
    digits = max(0, len(str(int(value))) - 2)
    return int(round(value, -digits))


def search(session: Session, query: str, *, limit: int = 20, offset: int = 0, restrict: Select | None = None,
           marks: tuple[str, str] = (SNIPPET_START, SNIPPET_END), timeout: float = SEARCH_TIMEOUT_S) -> list[SearchHit]:
    """Ranked matches with a snippet of the body around the matched words, which `marks`
    enclose. `restrict` is an optional SELECT of article ids to search within
    (tag/outlet/duplicate filters); `offset` skips that many of the best matches (paging).

    Ranking costs time for every article ranked, so a query matching more than
    RANK_WINDOW articles (or `limit`, if larger) ranks only that many of the most recently
    added: searches stay fast at any corpus size, a very common word finds recent articles
    first, and asking for more results than the window still returns every match. Stops
    after `timeout` seconds (QueryTimeout)."""
    window_size = max(RANK_WINDOW, offset + limit)
    if session.get_bind().dialect.name != "sqlite":
        # One statement: the newest matches as a subquery of the ranking one.
        newest = _newest_ids(session, query, restrict).limit(window_size)
        return _rank_postgresql(session, query, Article.id.in_(newest), limit, offset, marks, timeout)
    start, stop = marks
    fts = literal_column("articles_fts")
    bm25 = func.bm25(fts, 5.0, 1.0)
    article_id = _FTS_TABLE.c.rowid
    matches = text("articles_fts MATCH :fts_query").bindparams(fts_query=fts5_query(query))
    stmt = select(article_id, (-bm25).label("score"),
                  func.snippet(fts, 1, start, stop, "…", 16)).order_by(bm25)
    window = select(article_id).where(matches)
    if restrict is not None:
        window = window.where(_within(article_id, restrict, True))
    oldest_ranked = (window.order_by(article_id.desc()).offset(window_size - 1).limit(1)
                     .correlate(None).scalar_subquery())
    stmt = stmt.where(matches, article_id >= func.coalesce(oldest_ranked, 0))
    if restrict is not None:
        stmt = stmt.where(_within(article_id, restrict, True))
    with time_limit(_driver_connection(session), timeout):
        rows = session.execute(stmt.limit(limit).offset(offset)).all()
    return [SearchHit(article_id=row[0], rank=float(row[1]), snippet=_one_line(row[2])) for row in rows]


def _rank_postgresql(session: Session, query: str, among: ColumnElement, limit: int, offset: int,
                     marks: tuple[str, str], timeout: float) -> list[SearchHit]:
    """The best of the newest matches (`among`: a condition on the article id naming them;
    walking the newest articles is the planner's choice for a common word, and reading a
    tsvector is a TOAST fetch, so the walk is made once), ranked; only the page of best
    ones gets a headline (it parses the whole body)."""
    start, stop = marks
    wanted = tsquery(query)
    vector = literal_column("articles.search_vector")
    score = func.ts_rank_cd(vector, wanted).label("score")
    best = (select(Article.id, score).where(among)
            .order_by(score.desc(), Article.id).limit(limit).offset(offset).subquery())
    headline = func.ts_headline(
        "english", Article.body, wanted,
        f"StartSel={start}, StopSel={stop}, MaxWords=28, MinWords=12, MaxFragments=1, FragmentDelimiter=…",
    )
    stmt = (select(best.c.id, best.c.score, headline).join(Article, Article.id == best.c.id)
            .order_by(best.c.score.desc(), best.c.id))
    with time_limit(_driver_connection(session), timeout):
        rows = session.execute(stmt).all()
    return [SearchHit(article_id=row[0], rank=float(row[1]), snippet=_one_line(row[2])) for row in rows]


def _driver_connection(session: Session):
    """The database driver's connection under the session's transaction (for time_limit)."""
    return session.connection().connection.driver_connection


def _one_line(snippet: str | None) -> str:
    return " ".join((snippet or "").split())
