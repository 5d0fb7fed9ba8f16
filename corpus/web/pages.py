"""The pages that read: articles, search, an article, speakers, duplicates, charts.
Each list is paged, and downloads whole as CSV or JSON with the same filters
(`?format=csv`). A GET never changes anything."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..api import ArticleFilter, Corpus, CorpusError
from ..curation import NOT_UNDOABLE
from . import charts, highlight
from .actions import editable_values
from .downloads import download
from .params import BadRequest, article_filter, filter_params, output_format, page_number, row_id
from .responses import render

ARTICLES_PER_PAGE = 50
RESULTS_PER_PAGE = 20
SPEAKERS_PER_PAGE = 50
QUOTES_PER_PAGE = 50
CLUSTERS_PER_PAGE = 20
DOWNLOAD_BATCH = 1000
SIDE_BY_SIDE = 4  # articles of a cluster shown next to each other
CHART_OUTLETS = 7  # outlets drawn on their own; the rest are summed
CHART_SPEAKERS = 15
MAX_WEEKLY_COLUMNS = 80  # longer periods are drawn per month

ARTICLE_COLUMNS = ["id", "published_at", "outlet", "title", "byline", "language", "word_count", "quote_count",
                   "tags", "duplicate_of", "url", "source"]
RESULT_COLUMNS = ["id", "rank", "published_at", "outlet", "title", "snippet"]
SPEAKER_COLUMNS = ["id", "name", "kind", "role", "quotes", "articles", "aliases"]
QUOTE_COLUMNS = ["id", "article_id", "article_title", "outlet", "published_at", "speaker", "kind", "text"]
CLUSTER_COLUMNS = ["cluster", "id", "title", "outlet", "similarity"]
HISTORY_COLUMNS = ["id", "at", "action", "summary", "note", "articles", "quotes", "speakers", "tags", "undo_of",
                   "undone_by"]
HISTORY_ENTRIES = 200
ARTICLE_HISTORY = 20


@dataclass(frozen=True)
class Pager:
    page: int
    per_page: int
    total: int
    exact: bool = True  # False: `total` is an estimate, shown as "about"

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def first(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.per_page, self.total)


def corpus_of(request: Request) -> Corpus:
    return request.app.state.corpus


def articles(request: Request) -> Response:
    corpus, params = corpus_of(request), request.query_params
    filters, fmt = article_filter(params), output_format(params)
    if fmt != "html":
        return download(_every_article(corpus, filters), ARTICLE_COLUMNS, format=fmt, name="articles")
    pager = Pager(page_number(params), ARTICLES_PER_PAGE, corpus.count_articles(filters=filters))
    rows = corpus.articles(filters=filters, limit=pager.per_page, offset=pager.offset)
    return render(request, "articles.html", rows=rows, pager=pager, filters=filters)


def _every_article(corpus: Corpus, filters: ArticleFilter) -> Iterator[dict]:
    offset = 0
    while True:
        batch = corpus.articles(filters=filters, limit=DOWNLOAD_BATCH, offset=offset)
        yield from batch
        if len(batch) < DOWNLOAD_BATCH:
            return
        offset += DOWNLOAD_BATCH


def search(request: Request) -> Response:
    corpus, params = corpus_of(request), request.query_params
    query = (params.get("q") or "").strip()
    filters, fmt = article_filter(params), output_format(params)
    if not query:
        if fmt != "html":
            raise BadRequest("give a search: ?q=words")
        return render(request, "search.html", query="", hits=[], pager=None, filters=filters)
    if fmt != "html":
        total = corpus.count_matches(query, filters=filters)
        return download(corpus.search(query, limit=max(total, 1), filters=filters), RESULT_COLUMNS,
                        format=fmt, name="search")
    # A page of results says how many there are as fast as it finds them: exactly up to
    # the ranked window, "about" past it (counting every match of a common phrase took
    # longer than the search itself).
    page = page_number(params)
    found = corpus.search_page(query, limit=RESULTS_PER_PAGE, offset=(page - 1) * RESULTS_PER_PAGE, filters=filters,
                               marks=highlight.MARKS)
    pager = Pager(page, RESULTS_PER_PAGE, found["matches"], exact=found["exact"])
    hits = found["hits"]
    for hit in hits:
        hit["pieces"] = highlight.snippet(hit["snippet"])
    return render(request, "search.html", query=query, hits=hits, pager=pager, filters=filters,
                  hidden=filter_params(filters))


def article(request: Request) -> Response:
    corpus = corpus_of(request)
    record = corpus.article(row_id(request.path_params["article_id"]))
    found = [quote for quote in record["quotes"] if quote["status"] != "rejected"]
    return render(request, "article.html", article=record, found=found,
                  paragraphs=highlight.paragraphs(record["body"], found),
                  editable=editable_values(record),
                  history=with_undo(corpus.history(article_id=record["id"], limit=ARTICLE_HISTORY)))


def raw(request: Request) -> Response:
    corpus = corpus_of(request)
    article_id = row_id(request.path_params["article_id"])
    record = corpus.article(article_id)
    return render(request, "raw.html", article=record, document=corpus.raw(article_id))


def speakers(request: Request) -> Response:
    corpus, params = corpus_of(request), request.query_params
    name, fmt = (params.get("name") or "").strip() or None, output_format(params)
    if fmt != "html":
        return download(corpus.speakers(name=name), SPEAKER_COLUMNS, format=fmt, name="speakers")
    pager = Pager(page_number(params), SPEAKERS_PER_PAGE, corpus.count_speakers(name=name))
    rows = corpus.speakers(name=name, limit=pager.per_page, offset=pager.offset)
    return render(request, "speakers.html", rows=rows, pager=pager, name=name or "")


def speaker(request: Request) -> Response:
    corpus, params = corpus_of(request), request.query_params
    speaker_id, fmt = row_id(request.path_params["speaker_id"]), output_format(params)
    if fmt != "html":
        corpus.speaker(speaker_id, limit=1)  # 404 for an unknown speaker, before the download starts
        return download(corpus.quotes(speaker_id=speaker_id), QUOTE_COLUMNS, format=fmt, name=f"speaker-{speaker_id}")
    page = page_number(params)
    record = corpus.speaker(speaker_id, limit=QUOTES_PER_PAGE, offset=(page - 1) * QUOTES_PER_PAGE)
    pager = Pager(page, QUOTES_PER_PAGE, record["quote_count"])
    monthly = corpus.quotes_per_month(speaker_id=speaker_id)
    chart = None
    if monthly:
        counts = {row["month"]: row["quotes"] for row in monthly}
        months = charts.months_between(monthly[0]["month"], monthly[-1]["month"])
        chart = charts.stacked_columns("Quotes per month (by the article's date)", months,
                                       [("quotes", [counts.get(m, 0) for m in months])], unit="quotes")
    return render(request, "speaker.html", speaker=record, pager=pager, chart=chart,
                  namesakes=_namesakes(corpus, record))


def _namesakes(corpus: Corpus, record: dict) -> list[dict]:
    """Other speakers known by a name like this one's: the likely merges."""
    try:
        found = corpus.speakers(name=record["name"], limit=20)
    except CorpusError:
        return []
    return [row for row in found if row["id"] != record["id"]]


def duplicates(request: Request) -> Response:
    corpus, params = corpus_of(request), request.query_params
    clusters, fmt = corpus.duplicates(fingerprint=False), output_format(params)
    if fmt != "html":
        rows = [dict(member, cluster=cluster["cluster"]) for cluster in clusters for member in cluster["articles"]]
        return download(rows, CLUSTER_COLUMNS, format=fmt, name="duplicates")
    pager = Pager(page_number(params), CLUSTERS_PER_PAGE, len(clusters))
    return render(request, "duplicates.html", clusters=clusters[pager.offset:pager.offset + pager.per_page],
                  pager=pager)


def cluster(request: Request) -> Response:
    """A story's near-copies side by side: its first article, then the one asked for, then
    the most similar others, each with the words it changed marked."""
    corpus = corpus_of(request)
    chosen = corpus.article(row_id(request.path_params["article_id"]))
    if not chosen["near_copies"]:
        raise BadRequest(f"article {chosen['id']} has no near-copies")
    first_id = next((m["id"] for m in chosen["near_copies"] if m["similarity"] is None), chosen["id"])
    first = chosen if first_id == chosen["id"] else corpus.article(first_id)
    copies = sorted(first["near_copies"], key=lambda m: m["id"] != chosen["id"])[:SIDE_BY_SIDE - 1]
    columns = [(dict(first, similarity=None), highlight.differences(first["body"], first["body"]))]
    for copy in copies:
        record = chosen if copy["id"] == chosen["id"] else corpus.article(copy["id"])
        columns.append((dict(record, similarity=copy["similarity"]),
                        highlight.differences(first["body"], record["body"])))
    return render(request, "cluster.html", columns=columns, size=len(first["near_copies"]) + 1)


def charts_page(request: Request) -> Response:
    corpus, params = corpus_of(request), request.query_params
    filters, fmt = article_filter(params), output_format(params)
    weekly = corpus.articles_per_week(filters=filters)
    top = corpus.speakers(filters=filters, limit=CHART_SPEAKERS)
    if fmt != "html":
        if params.get("chart") == "speakers":
            return download(top, SPEAKER_COLUMNS, format=fmt, name="top-speakers")
        return download(weekly, ["week", "outlet", "articles"], format=fmt, name="articles-per-week")
    speakers_chart = charts.horizontal_bars(
        "Most quoted speakers", [(row["name"], row["quotes"], f"/speakers/{row['id']}") for row in top], unit="quotes")
    return render(request, "charts.html", filters=filters, outlets_chart=_outlets_chart(weekly),
                  speakers_chart=speakers_chart)


def _outlets_chart(weekly: list[dict]) -> charts.Chart:
    """Articles per outlet per week (per month over long periods), the outlets with the most
    articles drawn on their own and the rest summed."""
    if not weekly:
        return charts.Chart("Articles per outlet", charts.WIDTH, 0, empty_text="No dated articles to count here.")
    weeks = charts.weeks_between(weekly[0]["week"], weekly[-1]["week"])
    if len(weeks) > MAX_WEEKLY_COLUMNS:
        def period(day: date) -> str:
            return day.strftime("%Y-%m")
        categories = charts.months_between(period(weeks[0]), period(weeks[-1]))
        title = "Articles per outlet per month"
    else:
        def period(day: date) -> str:
            return day.isoformat()
        categories = [period(week) for week in weeks]
        title = "Articles per outlet per week (weeks from Monday)"
    totals: dict[str, int] = {}
    for row in weekly:
        name = row["outlet"] or "(no outlet)"
        totals[name] = totals.get(name, 0) + row["articles"]
    ranked = sorted(totals, key=lambda name: (-totals[name], name))
    named = ranked if len(ranked) <= CHART_OUTLETS + 1 else ranked[:CHART_OUTLETS]
    others = "other outlets"
    series = {name: [0] * len(categories) for name in named + ([others] if len(ranked) > len(named) else [])}
    index = {category: i for i, category in enumerate(categories)}
    for row in weekly:
        name = row["outlet"] or "(no outlet)"
        series[name if name in named else others][index[period(row["week"])]] += row["articles"]
    return charts.stacked_columns(title, categories, list(series.items()), unit="articles")


def history(request: Request) -> Response:
    corpus, params = corpus_of(request), request.query_params
    fmt = output_format(params)
    if fmt != "html":
        return download(corpus.history(), HISTORY_COLUMNS, format=fmt, name="history")
    entries = with_undo(corpus.history(limit=HISTORY_ENTRIES))
    return render(request, "history.html", entries=entries, limit=HISTORY_ENTRIES)


def with_undo(entries: list[dict]) -> list[dict]:
    """History entries marked with whether the page offers to undo them."""
    return [dict(entry, undoable=entry["action"] not in NOT_UNDOABLE and not entry["undone_by"])
            for entry in entries]


def routes() -> list[Route]:
    return [
        Route("/", articles, name="articles"),
        Route("/search", search, name="search"),
        Route("/articles/{article_id:int}", article, name="article"),
        Route("/articles/{article_id:int}/raw", raw, name="raw"),
        Route("/speakers", speakers, name="speakers"),
        Route("/speakers/{speaker_id:int}", speaker, name="speaker"),
        Route("/duplicates", duplicates, name="duplicates"),
        Route("/duplicates/{article_id:int}", cluster, name="cluster"),
        Route("/charts", charts_page, name="charts"),
        Route("/history", history, name="history"),
    ]
