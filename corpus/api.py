"""The Python API: everything the command line does, callable from Python.

    from corpus import Corpus
    corpus = Corpus("sqlite:///corpus.db")       # or a PostgreSQL URL, or None for the default
    for result in corpus.add(["seeds/"], tags=["syria"]):
        print(result.status, result.source)
    corpus.search("Lavrov")
"""
from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable, Iterable, Iterator, TypeVar

from sqlalchemy import Select, String, bindparam, func, literal, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, defer, selectinload

from . import database, documents, search as fulltext, values
from .database import DatabaseError
from .errors import CorpusError, NotFoundError
from .lazy import lazy_import
from .models import Article, ArticleTag, Document, History, NearDuplicate, Outlet, Quote, Speaker, SpeakerAlias, Tag
from . import schema
from .output import dumps, text_value
from .readonly import STATEMENT_TIMEOUT_S, QueryResult, run_readonly
from .records import ARTICLE_FIELDS, EXPORT_FIELDS, article_summary, export_csv_row, export_record, outlet_name, quote_record

CONFLICT_RETRIES = 3
T = TypeVar("T")
# The quotes listings, exports and counts show: not those a person rejected.
LISTED = Quote.status == "found"

# Loaded when first used, so that reading (`corpus list`, `search`, `quotes`) does not pay
# for adding, curating and near-duplicate linking (bench/startup.py, tests/test_startup.py).
clusters = lazy_import("corpus.clusters")
curation = lazy_import("corpus.curation")
curation_history = lazy_import("corpus.history")
downgrades = lazy_import("corpus.downgrades")
ingest = lazy_import("corpus.ingest")
outfiles = lazy_import("corpus.outfiles")
settings = lazy_import("corpus.settings")
speaker_rows = lazy_import("corpus.speakers")

if TYPE_CHECKING:
    from .fetch import Fetcher  # imported by adding only: urllib3 and lxml cost startup time
    from .ingest import AddResult


@dataclass(frozen=True)
class ArticleFilter:
    """The filters `list`, `export`, `search` and `quotes` share."""

    tag: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    no_duplicates: bool = False  # count each story once: leave out near-copies of earlier articles
    language: str | None = None

    def apply(self, stmt: Select, session: Session | None = None) -> Select:
        """`stmt` narrowed to the articles these filters select. Given a session, the tag
        and outlet ids are looked up first, so PostgreSQL plans with them as constants:
        it then knows a rare tag (start from its few articles) from a common one (walk
        the newest articles until the page is full)."""
        if self.tag:
            stmt = stmt.where(Article.id.in_(self._tagged(session)))
        if self.outlet:
            outlet_ids = _outlets_matching(self.outlet)
            if session is not None:
                outlet_ids = list(session.scalars(outlet_ids))
            stmt = stmt.where(Article.outlet_id.in_(outlet_ids))
        if self.since:
            stmt = stmt.where(Article.published_at >= _parse_bound(self.since))
        if self.until:
            until = _parse_bound(self.until)
            if values.is_date_only(self.until):
                stmt = stmt.where(Article.published_at < until + timedelta(days=1))
            else:
                stmt = stmt.where(Article.published_at <= until)
        if self.no_duplicates:
            stmt = stmt.where(Article.id.not_in(select(NearDuplicate.article_id)))
        if self.language:
            stmt = stmt.where(Article.language == self.language.lower())
        return stmt

    def _tagged(self, session: Session | None) -> Select:
        """A SELECT of the ids of the articles carrying the tag (its id looked up first
        when there is a session)."""
        tag_ids = select(Tag.id).where(Tag.name_key == values.tag_key(self.tag))
        if session is not None:
            tag_ids = list(session.scalars(tag_ids))
        return select(ArticleTag.article_id).where(ArticleTag.tag_id.in_(tag_ids))

    def ids(self, session: Session) -> Select:
        """A SELECT of the ids of the articles these filters select. A tag alone is read
        from the tag's rows only, each one article (the foreign key removes them with it):
        checking that each is in articles read a row per tagged article."""
        if self.tag and replace(self, tag=None) == ArticleFilter():
            return self._tagged(session)
        return self.apply(select(Article.id), session)

    def count(self, session: Session) -> Select:
        """A SELECT of how many articles these filters select: count(*), which SQLite reads
        off an index's size (count(id) read every row)."""
        if self == ArticleFilter():
            return select(func.count()).select_from(Article)
        return select(func.count()).select_from(self.ids(session).subquery())


def _outlets_matching(outlet: str) -> Select:
    """Outlets a user names: by name ("The Independent", any case), by domain
    ("independent.co.uk", "www.independent.co.uk") or by any URL on that domain."""
    wanted = " ".join(outlet.split()).lower()
    domain = values.domain_of(wanted if "://" in wanted else f"http://{wanted}")
    return select(Outlet.id).where((func.lower(Outlet.name) == wanted) | (Outlet.domain == domain))


def _parse_bound(value: str) -> datetime:
    try:
        return values.parse_datetime(value)
    except ValueError as exc:
        raise CorpusError(str(exc)) from None


class Corpus:
    """A corpus database. Opening it does not create or migrate anything: call `init()`
    (the command line's `corpus init`), or `add()`, which initialises an empty database."""

    def __init__(self, url: str | None = None):
        parsed = database.parse_url(url)
        self.url = database.database_url(parsed)
        self.engine = database.open_engine(parsed)
        self.sessions = database.session_factory(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- schema ----------------------------------------------------------------------------

    def init(self) -> str | None:
        """Create the database or bring it up to the newest schema; returns the revision."""
        database.upgrade(self.engine)
        return database.current_revision(self.engine)

    def downgrade(self, revision: str, *, destroy: bool = False) -> str | None:
        """Downgrade the schema; returns the revision reached. A downgrade that would drop
        tables or columns holding data is refused (DowngradeLossError, naming them and how
        many rows) unless `destroy` is true; `downgrade_losses` lists them beforehand."""
        self.require_existing()
        if not destroy:
            found = downgrades.losses(self.engine, revision)
            if found:
                raise downgrades.DowngradeLossError(downgrades.refusal(revision, found))
        database.downgrade(self.engine, revision)
        return database.current_revision(self.engine)

    def downgrade_losses(self, revision: str) -> list[downgrades.Loss]:
        """The tables and columns holding data that downgrading to `revision` would drop."""
        self.require_existing()
        return downgrades.losses(self.engine, revision)

    def require_existing(self) -> None:
        """Refuse a SQLite file that does not exist, rather than make an empty one by
        looking into it (reading commands leave nothing behind)."""
        path = database.sqlite_file(self.engine)
        if path is not None and not path.exists():
            raise DatabaseError(f"no database at {path}: run `corpus init` (or `corpus add`) to make one")

    def require_schema(self) -> None:
        """Refuse to work on a database that is not at the schema this code expects."""
        self.require_existing()
        current = database.current_revision(self.engine)
        head = database.head_revision()
        if current is None:
            raise DatabaseError(f"{self.display_url} is not a corpus database yet: run `corpus init`")
        if current != head:
            raise DatabaseError(
                f"{self.display_url} is at schema {current}, this corpus needs {head}: run `corpus db upgrade`"
            )

    @property
    def display_url(self) -> str:
        return database.display_url(self.engine.url)

    def _read(self):
        return database.read_session(self.engine)

    # --- adding ----------------------------------------------------------------------------

    def add(
        self,
        inputs: Iterable[str] = (),
        *,
        outlet: str | None = None,
        url: str | None = None,
        tags: Iterable[str] = (),
        published: str | datetime | None = None,
        title: str | None = None,
        manifest: str | None = None,
        feeds: Iterable[str] = (),
        sitemaps: Iterable[str] = (),
        since: str | datetime | None = None,
        limit: int | None = None,
        fetcher: Fetcher | None = None,
        stdin: IO[bytes] | None = None,
        on_total: Callable[[int], None] | None = None,
        jobs: int = 1,
        max_size: int | None = None,
    ) -> Iterator[AddResult]:
        """Add files, directories, globs, "-" (stdin), web pages (http/https URLs), the
        articles RSS/Atom feeds and sitemaps list (`since`, `limit` select among those),
        and/or a manifest's rows. Yields one result per document, in input order, as it is
        stored. Pages already in the corpus (by normalised URL) are not fetched again.
        With jobs > 1, cleaning and quote extraction run in that many worker processes
        while this one stores (no more than documents, nor than twice the cores). Files
        and pages over `max_size` bytes (default: the fetcher's limit, 10 MB) fail. An
        empty database is initialised first."""
        self._ready_to_write()
        if fetcher is None:
            fetcher = ingest.fetch.Fetcher(**({"max_bytes": max_size} if max_size else {}))
        requests = ingest.gather_requests(
            inputs, ingest.stated_metadata(outlet, url, published, title, tags),
            stdin=stdin if stdin is not None else sys.stdin.buffer, manifest=manifest, feeds=feeds,
            sitemaps=sitemaps, since=ingest.as_datetime(since), limit=limit, fetcher=fetcher)
        if on_total:
            on_total(len(requests))
        yield from ingest.add_requests(self.sessions, requests, jobs, fetcher, on_present=curation.apply_stated,
                                       max_bytes=max_size or fetcher.max_bytes)

    def add_bytes(
        self,
        data: bytes,
        *,
        source: str,
        content_type: str | None = None,
        outlet: str | None = None,
        url: str | None = None,
        tags: Iterable[str] = (),
        published: str | datetime | None = None,
        title: str | None = None,
        max_size: int = documents.MAX_DOCUMENT_BYTES,
    ) -> AddResult:
        """Add one document from bytes in memory (failed if over `max_size` bytes)."""
        self._ready_to_write()
        request = ingest.AddRequest(source=source, data=data, content_type=content_type,
                             metadata=ingest.stated_metadata(outlet, url, published, title, tags))
        [result] = ingest.add_requests(self.sessions, [request], jobs=1, on_present=curation.apply_stated,
                                       max_bytes=max_size)
        return result

    def _ready_to_write(self) -> None:
        """Initialise an empty database; refuse one at another schema or one that cannot be written."""
        database.require_writable(self.engine)
        if database.current_revision(self.engine) is None:
            self.init()
        else:
            self.require_schema()

    # --- reading ---------------------------------------------------------------------------

    def articles(self, *, filters: ArticleFilter = ArticleFilter(), limit: int | None = None,
                 offset: int = 0) -> list[dict]:
        """Article summaries, newest published first (then newest added), each with its
        quote count and, for a near-copy, the first article of its story (`duplicate_of`).
        `limit` and `offset` page through them."""
        newest_first = (Article.published_at.desc().nulls_last(), Article.id.desc())
        # The page's ids first, so the counts below are made for its rows only (PostgreSQL
        # would compute them for every row an OFFSET skips).
        with self._read() as session:
            page = filters.apply(select(Article.id), session).order_by(*newest_first)
            if limit:
                page = page.limit(limit)
            if offset:
                page = page.offset(offset)
            page = page.subquery()
            quote_count = (select(func.count()).select_from(Quote).where(Quote.article_id == Article.id, LISTED)
                           .scalar_subquery().label("quote_count"))
            duplicate_of = (select(NearDuplicate.duplicate_of).where(NearDuplicate.article_id == Article.id)
                            .scalar_subquery().label("duplicate_of"))
            stmt = (_summary_columns(quote_count, duplicate_of).join(page, Article.id == page.c.id)
                    .order_by(*newest_first))
            return _summaries(session, session.execute(stmt))

    def count_articles(self, *, filters: ArticleFilter = ArticleFilter()) -> int:
        """How many articles `articles(filters=...)` lists without a limit."""
        with self._read() as session:
            return session.scalar(filters.count(session))

    def article(self, article_id: int) -> dict:
        """One article in full: metadata, tags, quotes with speakers (those a person
        rejected too, by their status), body, which fields a person edited, and its
        near-copies (the other articles of its story, with their similarity)."""
        with self._read() as session:
            article = self._get_article(session, article_id)
            return dict(export_record(article), quotes=[quote_record(quote) for quote in article.quotes],
                        extractor_version=article.extractor_version, added_at=article.added_at,
                        edited_fields=article.edited_fields or [], near_copies=self._near_copies(session, article_id))

    @staticmethod
    def _near_copies(session: Session, article_id: int) -> list[dict]:
        """The other articles in this article's near-duplicate cluster, most similar first;
        the similarity is each copy's to the cluster's first article (None for that one)."""
        root = session.scalar(select(NearDuplicate.duplicate_of).where(NearDuplicate.article_id == article_id))
        root = root or article_id
        members = select(NearDuplicate.article_id).where(NearDuplicate.duplicate_of == root)
        stmt = (
            select(Article.id, Article.title, Outlet.name, NearDuplicate.similarity)
            .outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .outerjoin(NearDuplicate, NearDuplicate.article_id == Article.id)
            .where(Article.id.in_(members.union(select(literal(root)))), Article.id != article_id)
            .order_by(NearDuplicate.similarity.desc().nulls_first(), Article.id)
        )
        return [{"id": i, "title": title, "outlet": outlet, "similarity": similarity}
                for i, title, outlet, similarity in session.execute(stmt)]

    def raw(self, article_id: int) -> documents.DecodedDocument:
        """The stored original an article was made from, decoded."""
        with self._read() as session:
            document = self._get_article(session, article_id).document
            return documents.decode(documents.decompress(document.data), document.content_type)

    @staticmethod
    def _get_article(session: Session, article_id: int) -> Article:
        article = session.get(Article, article_id, options=[
            selectinload(Article.tags), selectinload(Article.quotes).selectinload(Quote.speaker)])
        if article is None:
            raise NotFoundError(f"no article with id {article_id}")
        return article

    # --- tags ------------------------------------------------------------------------------

    def tag(self, tag: str, article_ids: Iterable[int] = (), *, search: str | None = None,
            filters: ArticleFilter | None = None, note: str | None = None) -> int:
        """Tag articles, by id and/or every match of a search and filters (which narrow the
        ids given); returns how many were newly tagged. Tags are matched case-insensitively:
        an existing tag keeps its spelling."""
        def work(session: Session) -> int:
            ids = self._selected_ids(session, article_ids, search, filters)
            return curation.tag_articles(session, tag, ids, note=note)[0]
        return self._curate(work)

    def untag(self, tag: str, article_ids: Iterable[int] = (), *, search: str | None = None,
              filters: ArticleFilter | None = None, note: str | None = None) -> int:
        """Remove a tag from articles (chosen as for `tag`); returns how many had it. A tag
        left on no article is deleted."""
        def work(session: Session) -> int:
            ids = self._selected_ids(session, article_ids, search, filters)
            return curation.untag_articles(session, tag, ids, note=note)[0]
        return self._curate(work)

    def rename_tag(self, old: str, new: str, *, note: str | None = None) -> dict:
        """Rename a tag; if NEW is already a tag, OLD is merged into it."""
        return self._curate_recorded(lambda session: curation.rename_tag(session, old, new, note=note))

    def delete_tag(self, name: str, *, note: str | None = None) -> dict:
        """Delete a tag from every article."""
        return self._curate_recorded(lambda session: curation.delete_tag(session, name, note=note))

    def select_articles(self, article_ids: Iterable[int] = (), *, search: str | None = None,
                        filters: ArticleFilter | None = None) -> list[dict]:
        """The articles `delete`, `tag` and `untag` act on when given these ids, search and
        filters (each narrowing the others), as summaries in id order: what to show
        before asking whether to go on."""
        with self._read() as session:
            ids = self._selected_ids(session, article_ids, search, filters)
            return [article_summary(article) for article in session.scalars(
                select(Article).where(Article.id.in_(ids)).order_by(Article.id)
                .options(selectinload(Article.tags), selectinload(Article.outlet), defer(Article.body)))]

    @staticmethod
    def _selected_ids(session: Session, article_ids: Iterable[int], search: str | None,
                      filters: ArticleFilter | None) -> list[int]:
        """Articles chosen by id, and/or by a search and filters, each narrowing the others;
        an unknown id, or a choice matching nothing, is an error."""
        ids = set(article_ids)
        curation.existing_article_ids(session, ids)
        narrowed = bool(search) or (filters is not None and filters != ArticleFilter())
        if not ids and not narrowed:
            raise CorpusError("give article ids, a search or a filter")
        if not narrowed:
            return sorted(ids)
        stmt = (filters or ArticleFilter()).apply(select(Article.id))
        if search:
            stmt = stmt.where(Article.id.in_(fulltext.matching_ids(session, search)))
        if ids:
            stmt = stmt.where(Article.id.in_(ids))
        found = sorted(session.scalars(stmt))
        if not found:
            raise CorpusError("no articles match")
        return found

    def tags(self) -> list[dict]:
        """Every tag with how many articles carry it."""
        stmt = (
            select(Tag.name, func.count(ArticleTag.article_id))
            .outerjoin(ArticleTag).group_by(Tag.id, Tag.name).order_by(Tag.name)
        )
        with self._read() as session:
            return [{"tag": name, "articles": count} for name, count in session.execute(stmt)]

    # --- search and SQL ---------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20, offset: int = 0, filters: ArticleFilter = ArticleFilter(),
               marks: tuple[str, str] = (fulltext.SNIPPET_START, fulltext.SNIPPET_END),
               timeout: float = fulltext.SEARCH_TIMEOUT_S) -> list[dict]:
        """Ranked full-text matches over titles and bodies, with a snippet each in which
        `marks` enclose the matched words. `offset` skips that many of the best (paging).
        The query language is corpus.search's; the search stops after `timeout` seconds."""
        with self._read() as session:
            hits = fulltext.search(session, query, limit=limit, offset=offset, restrict=_restriction(filters, session),
                                   marks=marks, timeout=timeout)
            return self._hit_records(session, hits)

    @staticmethod
    def _hit_records(session: Session, hits: list[fulltext.SearchHit]) -> list[dict]:
        """Search hits with their article's title, outlet and date."""
        rows = {row.id: row for row in session.execute(
                select(Article.id, Article.title, Outlet.name.label("outlet"), Article.published_at)
                .outerjoin(Outlet, Article.outlet_id == Outlet.id)
                .where(Article.id.in_(bindparam("ids", expanding=True))), {"ids": [hit.article_id for hit in hits]})}
        return [{"id": hit.article_id, "rank": round(hit.rank, 4), "title": rows[hit.article_id].title,
                 "outlet": rows[hit.article_id].outlet, "published_at": rows[hit.article_id].published_at,
                 "snippet": hit.snippet} for hit in hits]

    def count_matches(self, query: str, *, filters: ArticleFilter = ArticleFilter(),
                      timeout: float = fulltext.SEARCH_TIMEOUT_S) -> int:
        """How many articles match a search (every match, not only the ranked ones)."""
        with self._read() as session:
            return fulltext.count(session, query, restrict=_restriction(filters, session), timeout=timeout)

    def search_page(self, query: str, *, limit: int = 20, offset: int = 0, filters: ArticleFilter = ArticleFilter(),
                    marks: tuple[str, str] = (fulltext.SNIPPET_START, fulltext.SNIPPET_END),
                    timeout: float = fulltext.SEARCH_TIMEOUT_S) -> dict:
        """`search` and `estimate_matches` at once (a page of results and about how many
        there are, as the web page shows them): `hits`, `matches`, `exact`."""
        with self._read() as session:
            hits, matches, exact = fulltext.search_and_estimate(
                session, query, limit=limit, offset=offset, restrict=_restriction(filters, session), marks=marks,
                timeout=timeout)
            return {"hits": self._hit_records(session, hits), "matches": matches, "exact": exact}

    def estimate_matches(self, query: str, *, filters: ArticleFilter = ArticleFilter(),
                         timeout: float = fulltext.SEARCH_TIMEOUT_S) -> dict:
        """How many articles match a search, as fast as a search answers: `matches`, exact
        (`exact` True) when at most corpus.search.RANK_WINDOW match, else an estimate to
        two significant figures from the newest matches (what a page of results shows:
        "about 74,000 matches"). `count_matches` counts every one."""
        with self._read() as session:
            matches, exact = fulltext.estimate(session, query, restrict=_restriction(filters, session), timeout=timeout)
            return {"matches": matches, "exact": exact}

    def sql(self, statement: str, *, timeout: float = STATEMENT_TIMEOUT_S) -> QueryResult:
        """Run a read-only SQL statement, stopped after `timeout` seconds; writes, ATTACH,
        settings changes and (on PostgreSQL) anything but reading the corpus tables are refused."""
        return run_readonly(self.engine, statement, timeout=timeout)

    # --- export ------------------------------------------------------------------------------

    EXPORT_FORMATS = ("jsonl", "csv")

    def export_records(self, *, filters: ArticleFilter = ArticleFilter(), batch_size: int = 500) -> Iterator[dict]:
        """Every matching article as an export record, streamed in id order."""
        ids_stmt = filters.apply(select(Article.id)).order_by(Article.id)
        with self._read() as session:
            ids = list(session.scalars(ids_stmt))
            for start in range(0, len(ids), batch_size):
                batch = session.scalars(
                    select(Article).where(Article.id.in_(ids[start:start + batch_size])).order_by(Article.id)
                    .options(selectinload(Article.tags), selectinload(Article.outlet),
                             selectinload(Article.quotes).selectinload(Quote.speaker))
                ).all()
                for article in batch:
                    yield export_record(article)
                session.expunge_all()

    def export(self, out: IO[str], *, format: str = "jsonl", filters: ArticleFilter = ArticleFilter()) -> int:
        """Write articles as JSONL (one article a line, with quotes) or CSV; returns the count."""
        format = format.lower()
        if format not in self.EXPORT_FORMATS:
            raise CorpusError(f"unknown export format {format!r}: use jsonl or csv")
        count = 0
        writer = csv.writer(out) if format == "csv" else None
        if writer:
            writer.writerow(EXPORT_FIELDS)
        for record in self.export_records(filters=filters):
            if writer:
                row = export_csv_row(record)
                writer.writerow([text_value(row[column]) for column in EXPORT_FIELDS])
            else:
                out.write(dumps(record) + "\n")
            count += 1
        return count

    def export_file(self, path: str | Path, *, format: str = "jsonl", filters: ArticleFilter = ArticleFilter()) -> int:
        """Export to a file, replacing it only once the export is complete; a database file
        (this one or any SQLite database) is refused. Returns the count."""
        database_file = database.sqlite_file(self.engine)
        with outfiles.replacing(Path(path), [database_file] if database_file else []) as handle:
            return self.export(handle, format=format, filters=filters)

    # --- re-cleaning -------------------------------------------------------------------------

    def reprocess(self, article_ids: Iterable[int] | None = None, *, refused_only: bool = False) -> Iterator[AddResult]:
        """Clean stored raw documents again, keeping ids, tags and every decision people
        made: edited fields stay as edited, quotes are extracted anew and those found
        again keep their ids, rejections and assigned speakers, and speakers keep the
        names people gave them. With no ids, every article and every refused document
        (with refused_only, those alone): a refused document cleaning now finds an article
        in is added ("added"), else it stays refused ("refused", with today's reason)."""
        with self.sessions() as session:
            with session.begin():
                if article_ids is not None:
                    ids, refused = curation.existing_article_ids(session, article_ids), []
                else:
                    ids = [] if refused_only else list(session.scalars(select(Article.id).order_by(Article.id)))
                    refused = list(session.scalars(
                        select(Document.id).where(Document.refusal.is_not(None)).order_by(Document.id)))
            for article_id in ids:
                yield ingest.reprocess_article(session, article_id)
            for document_id in refused:
                yield ingest.revisit_refused(session, document_id)

    def refused(self, *, limit: int | None = None) -> list[dict]:
        """Documents cleaning found no article in, oldest first: document id, source, URL,
        size, when added and the reason ("not an article: navigation only"). Their raw
        bytes are kept: `reprocess` revisits them."""
        stmt = (select(Document.id, Document.created_at.label("added_at"), Document.source, Document.url,
                       Document.size, Document.refusal.label("reason"))
                .where(Document.refusal.is_not(None)).order_by(Document.id).limit(limit))
        with self._read() as session:
            return [dict(row._mapping) for row in session.execute(stmt)]

    # --- curation ----------------------------------------------------------------------------

    def edit(self, article_ids: Iterable[int], *, title: str | None = None, subtitle: str | None = None,
             byline: str | None = None, outlet: str | None = None, published: str | datetime | None = None,
             url: str | None = None, language: str | None = None, note: str | None = None) -> dict:
        """Set articles' metadata: a field not given is unchanged, "" clears it. Fields set
        so are kept by every later reprocess. Returns the history record (its `id` is None
        when nothing changed)."""
        given = {"title": title, "subtitle": subtitle, "byline": byline, "outlet": outlet,
                 "published_at": published, "url": url, "language": language}
        changes = {field: curation.edit_value(field, value) for field, value in given.items() if value is not None}
        return self._curate_recorded(lambda session: curation.edit_articles(session, article_ids, changes, note=note))

    def delete(self, article_ids: Iterable[int] = (), *, filters: ArticleFilter = ArticleFilter(),
               search: str | None = None, note: str | None = None) -> dict:
        """Delete articles (by id, and/or every match of a search and filters) with their
        quotes, tags, near-duplicate links and stored documents. Adding the same file later
        adds it again. Returns what was removed, with the history id (a delete cannot be
        undone)."""
        def work(session: Session) -> dict:
            ids = self._selected_ids(session, article_ids, search, filters)
            entry, removed = curation.delete_articles(session, ids, note=note)
            return dict(removed, history_id=entry.id)
        return self._curate(work)

    def reject_quotes(self, quote_ids: Iterable[int], *, note: str | None = None) -> dict:
        """Mark quotes as not quotations (or not worth keeping): hidden from `quotes`,
        exports and speaker counts, kept in the database and the history."""
        return self._curate_recorded(lambda session: curation.set_quote_status(session, quote_ids, "rejected", note=note))

    def restore_quotes(self, quote_ids: Iterable[int], *, note: str | None = None) -> dict:
        """Undo rejections: the quotes are listed and exported again."""
        return self._curate_recorded(lambda session: curation.set_quote_status(session, quote_ids, "found", note=note))

    def assign_quotes(self, quote_ids: Iterable[int], speaker: int | str, *, note: str | None = None) -> dict:
        """Attribute quotes to a speaker (an id, or a name: a name no speaker has makes a new
        speaker); reprocessing keeps the assignment."""
        return self._curate_recorded(lambda session: curation.assign_quotes(session, quote_ids, speaker, note=note))

    def history(self, *, article_id: int | None = None, speaker_id: int | None = None,
                limit: int | None = None) -> list[dict]:
        """Curation actions, newest first: all, or those that touched one article or speaker."""
        with self._read() as session:
            return curation_history.entries(session, article_id=article_id, speaker_id=speaker_id, limit=limit)

    def undo(self, history_id: int, *, note: str | None = None) -> dict:
        """Reverse one action from the history (not a delete, a speaker merge or an undo),
        if what it changed has not changed since; the undo is recorded too."""
        return self._curate_recorded(lambda session: curation.undo(session, history_id, note=note))

    def _curate(self, action: Callable[[Session], T]) -> T:
        """Run one curation action in a transaction of its own. When another process wrote
        the same rows at the same moment, it runs again on what that process left; if that
        keeps happening, ConflictError (and nothing was changed)."""
        for _ in range(CONFLICT_RETRIES):
            try:
                with self.sessions() as session, session.begin():
                    return action(session)
            except (IntegrityError, OperationalError) as exc:
                if not _is_conflict(exc):
                    raise
        raise curation.ConflictError("another process changed the same rows at the same time; nothing was changed: try again")

    def _curate_recorded(self, action: Callable[[Session], History | None]) -> dict:
        def work(session: Session) -> dict:
            entry = action(session)
            return curation_history.as_record(entry) if entry is not None else curation_history.nothing_done()
        return self._curate(work)

    # --- near-duplicates ---------------------------------------------------------------------

    def duplicates(self, *, limit: int | None = None, fingerprint: bool = True,
                   threshold: float | None = None) -> list[dict]:
        """Clusters of near-duplicate articles (the same story with small edits), largest
        first: the first article of each cluster and its near-copies with their similarity.
        `threshold` keeps only near-copies at least that similar (links are made at the
        duplicate_threshold setting, so a lower one is refused). Articles stored before near-duplicates
        were detected are fingerprinted first, unless `fingerprint` is False (a reader that
        must not write: `add` does it too)."""
        if threshold is not None:
            with self._read() as session:
                linked_at = settings.read(session, settings.DUPLICATE_THRESHOLD)
            if not linked_at <= threshold <= 1:
                raise CorpusError(f"the near-duplicate threshold must be from {linked_at} (links are made at"
                                  f" that similarity: `corpus settings {settings.DUPLICATE_THRESHOLD}` changes it)"
                                  f" to 1, not {threshold}")
        if fingerprint:
            with self.sessions() as session:
                clusters.fingerprint_missing(session)
        with self._read() as session:
            links = session.execute(
                select(NearDuplicate.duplicate_of, NearDuplicate.article_id, NearDuplicate.similarity)
                .order_by(NearDuplicate.duplicate_of, NearDuplicate.article_id)
            ).all()
            members: dict[int, list] = {}
            for root, article_id, similarity in links:
                if threshold is None or similarity >= threshold:
                    members.setdefault(root, []).append((article_id, similarity))
            ids = set(members) | {a for rows in members.values() for a, _ in rows}
            articles = {a.id: a for a in session.scalars(
                select(Article).where(Article.id.in_(ids)).options(selectinload(Article.outlet)))}

            def describe(article_id: int, similarity: float | None) -> dict:
                article = articles[article_id]
                return {"id": article_id, "title": article.title, "outlet": outlet_name(article),
                        "similarity": similarity}

            found = [
                {"cluster": root, "size": len(rows) + 1,
                 "articles": [describe(root, None)] + [describe(a, s) for a, s in rows]}
                for root, rows in members.items()
            ]
        found.sort(key=lambda cluster: (-cluster["size"], cluster["cluster"]))
        return found[:limit] if limit else found

    def settings(self, name: str | None = None) -> list[dict]:
        """This database's settings (or the one called `name`; a CorpusError if there is
        none): name, value, default and what it does."""
        with self._read() as session:
            return settings.read_all(session, name)

    def set_setting(self, name: str, value: str | float) -> dict:
        """Store a setting (a CorpusError for an unknown name or a value out of range). A new
        duplicate_threshold links every article again: `near_duplicates` is how many links."""
        if name == settings.DUPLICATE_THRESHOLD:
            with self.sessions() as session:
                clusters.fingerprint_missing(session)
        with self.sessions() as session, session.begin():
            stored = settings.write(session, name, value)
            result = {"name": name, "value": stored}
            if name == settings.DUPLICATE_THRESHOLD:
                result["near_duplicates"] = clusters.relink(session, stored)
        return result

    # --- speakers and quotes -----------------------------------------------------------------

    def speakers(self, *, name: str | None = None, filters: ArticleFilter = ArticleFilter(),
                 limit: int | None = None, offset: int = 0) -> list[dict]:
        """Speakers with their quote and article counts, most quoted first. With filters,
        only quotes in the articles they select count, and speakers with none are left out
        (the top speakers of a tag, an outlet, a period)."""
        quote_count = func.count(Quote.id)
        stmt = (
            select(Speaker, quote_count, func.count(func.distinct(Quote.article_id)))
            .group_by(Speaker.id).order_by(quote_count.desc(), Speaker.name, Speaker.id)
            .options(selectinload(Speaker.aliases))
        )
        if limit:
            stmt = stmt.limit(limit)
        if offset:
            stmt = stmt.offset(offset)
        with self._read() as session:
            restrict = _restriction(filters, session)
            if restrict is None:
                stmt = stmt.outerjoin(Quote, (Quote.speaker_id == Speaker.id) & LISTED)
            else:
                stmt = stmt.join(Quote).where(Quote.article_id.in_(restrict), LISTED)
            if name:
                stmt = stmt.where(Speaker.id.in_(self._speaker_ids_matching(session, name)))
            return [
                {"id": s.id, "name": s.name, "kind": s.kind, "role": s.role,
                 "organisation": s.organisation, "quotes": quotes,
                 "articles": articles, "aliases": [a.alias for a in s.aliases]}
                for s, quotes, articles in session.execute(stmt)
            ]

    def count_speakers(self, *, name: str | None = None) -> int:
        """How many speakers `speakers(name=...)` lists (for paging)."""
        stmt = select(func.count(Speaker.id))
        with self._read() as session:
            if name:
                stmt = stmt.where(Speaker.id.in_(self._speaker_ids_matching(session, name)))
            return session.scalar(stmt)

    def speaker(self, speaker_id: int, *, limit: int | None = None, offset: int = 0) -> dict:
        """One speaker: names seen, role, how many quotes in how many articles, and the
        quotes with their article (all, or the page `limit` and `offset` select)."""
        with self._read() as session:
            speaker = session.get(Speaker, speaker_id, options=[selectinload(Speaker.aliases)])
            if speaker is None:
                raise NotFoundError(f"no speaker with id {speaker_id}")
            quote_count, article_count = session.execute(
                select(func.count(Quote.id), func.count(func.distinct(Quote.article_id)))
                .where(Quote.speaker_id == speaker_id, LISTED)
            ).one()
            record = {"id": speaker.id, "name": speaker.name, "kind": speaker.kind, "role": speaker.role,
                      "organisation": speaker.organisation, "aliases": [a.alias for a in speaker.aliases],
                      "quote_count": quote_count, "articles": article_count}
        record["quotes"] = self.quotes(speaker_id=speaker_id, limit=limit, offset=offset)
        return record

    def speaker_id(self, speaker: str | int) -> int:
        """The id of the speaker a user names: an id, or any name the speaker is known by
        ("Lavrov", "Sergey Lavrov"); a name that fits several speakers is refused with their ids."""
        if isinstance(speaker, int) or speaker.strip().isdigit():
            return int(speaker)
        with self._read() as session:
            ids = self._speaker_ids_matching(session, speaker)
            if len(ids) == 1:
                return ids[0]
            if not ids:
                raise NotFoundError(f"no speaker named {speaker!r}")
            names = session.execute(select(Speaker.id, Speaker.name).where(Speaker.id.in_(ids)).order_by(Speaker.id))
            raise CorpusError(f"{len(ids)} speakers are called {speaker!r}: "
                              + ", ".join(f"#{i} {name}" for i, name in names) + "; give an id")

    def merge_speakers(self, keep_id: int, other_ids: Iterable[int], *, note: str | None = None) -> dict:
        """Fold other speakers into one: their quotes and names move to it, and its name
        is kept from then on. Returns the speaker, with `history_id`."""
        entry = self._curate_recorded(lambda session: curation.merge_speakers(session, keep_id, other_ids, note=note))
        return dict(self.speaker(keep_id), history_id=entry["id"])

    def rename_speaker(self, speaker_id: int, name: str, *, note: str | None = None) -> dict:
        """Give a speaker the name a person chose: no later add, reprocess or merge replaces
        it, and the old name stays an alias that still finds the speaker. Returns the
        speaker, with `history_id`."""
        entry = self._curate_recorded(lambda session: curation.rename_speaker(session, speaker_id, name, note=note))
        return dict(self.speaker(speaker_id), history_id=entry["id"])

    @staticmethod
    def _speaker_ids_matching(session: Session, name: str) -> list[int]:
        """Speakers known by a name matching this one: any alias, a bare surname
        ("Lavrov") or another spelling ("Sergey Lavrov" for "Sergei Lavrov")."""
        tokens = speaker_rows.name_tokens(name)
        if not tokens:
            raise CorpusError(f"not a speaker name: {name!r}")
        surname = speaker_rows.surname_of(tokens)
        condition = SpeakerAlias.alias_key == speaker_rows.name_key(name)
        if surname:
            condition |= SpeakerAlias.surname_key == surname
        aliases: dict[int, list[str]] = {}
        for speaker_id, alias in session.execute(select(SpeakerAlias.speaker_id, SpeakerAlias.alias).where(condition)):
            aliases.setdefault(speaker_id, []).append(alias)
        return sorted(sid for sid, names in aliases.items() if speaker_rows.same_person(name, names))

    def quotes(
        self,
        *,
        speaker: str | None = None,
        speaker_id: int | None = None,
        article_id: int | None = None,
        kind: str | None = None,
        search: str | None = None,
        named_only: bool = False,
        filters: ArticleFilter = ArticleFilter(),
        rejected: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict]:
        """Quotes with their speaker and article (one row per quote: id, text, speaker,
        kind, offsets, article id, title, outlet, date), filtered like articles plus by
        speaker (any alias, or one speaker's id), article, kind and a substring of the quote
        text; `named_only` keeps the quotes of named speakers (no unnamed source, no quote
        without a speaker); `limit` and `offset` page through them. Quotes a person rejected
        are left out, or with `rejected` listed alone."""
        # Columns, not ORM rows: a speaker's quotes span thousands of articles whose bodies
        # this listing never needs.
        columns = (Quote.id, Quote.text, func.coalesce(Speaker.name, Quote.speaker_name).label("speaker"),
                   Quote.speaker_id, Speaker.kind.label("speaker_kind"), Quote.speaker_role,
                   Speaker.organisation.label("speaker_organisation"), Quote.kind, Quote.cue,
                   Quote.start_offset.label("start"), Quote.end_offset.label("end"), Quote.status,
                   Quote.speaker_assigned, Quote.article_id,
                   Article.title.label("article_title"), Outlet.name.label("outlet"), Article.published_at)
        with self._read() as session:
            stmt = self._quotes_query(session, select(*columns), speaker, article_id, kind, search,
                                      named_only, filters, speaker_id=speaker_id, rejected=rejected)
            stmt = stmt.order_by(Quote.article_id, Quote.start_offset)
            if limit:
                stmt = stmt.limit(limit)
            if offset:
                stmt = stmt.offset(offset)
            return [dict(row._mapping) for row in session.execute(stmt)]

    def count_quotes(self, *, speaker: str | None = None, article_id: int | None = None, kind: str | None = None,
                     search: str | None = None, named_only: bool = False,
                     filters: ArticleFilter = ArticleFilter(), rejected: bool = False) -> int:
        """How many quotes `quotes(...)` lists without a limit."""
        with self._read() as session:
            return session.scalar(self._quotes_query(session, select(func.count(Quote.id)), speaker, article_id,
                                                     kind, search, named_only, filters, rejected=rejected))

    def _quotes_query(self, session: Session, stmt: Select, speaker, article_id, kind, search, named_only,
                      filters: ArticleFilter, *, speaker_id: int | None = None, rejected: bool = False) -> Select:
        if kind and kind not in ("direct", "partial"):
            raise CorpusError(f"unknown quote kind {kind!r}: use direct or partial")
        stmt = filters.apply(
            stmt.select_from(Quote).join(Article, Quote.article_id == Article.id)
            .outerjoin(Speaker, Quote.speaker_id == Speaker.id)
            .outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .where(~LISTED if rejected else LISTED), session
        )
        if speaker_id is not None:
            stmt = stmt.where(Quote.speaker_id == speaker_id)
        if article_id is not None:
            stmt = stmt.where(Quote.article_id == article_id)
        if kind:
            stmt = stmt.where(Quote.kind == kind)
        if search:
            stmt = stmt.where(func.lower(Quote.text).contains(search.lower(), autoescape=True))
        if named_only:
            stmt = stmt.where(Quote.speaker_id.is_not(None),
                              or_(Speaker.kind.is_(None), Speaker.kind != speaker_rows.DESCRIPTION))
        if speaker:
            stmt = stmt.where(Quote.speaker_id.in_(self._speaker_ids_matching(session, speaker)))
        return stmt

    # --- statistics ---------------------------------------------------------------------------

    def articles_per_week(self, *, filters: ArticleFilter = ArticleFilter()) -> list[dict]:
        """How many articles each outlet published each week (weeks start on Monday, undated
        articles are left out), oldest week first."""
        day = func.date(Article.published_at)
        stmt = filters.apply(
            select(day, Outlet.name, func.count(Article.id)).outerjoin(Outlet, Article.outlet_id == Outlet.id)
            .where(Article.published_at.is_not(None)).group_by(day, Outlet.name)
        )
        counts: Counter = Counter()
        with self._read() as session:
            for published, outlet, articles in session.execute(stmt):
                published = date.fromisoformat(str(published))
                counts[(published - timedelta(days=published.weekday()), outlet)] += articles
        return [{"week": week, "outlet": outlet, "articles": articles}
                for (week, outlet), articles in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1] or ""))]

    def quotes_per_month(self, *, speaker_id: int | None = None,
                         filters: ArticleFilter = ArticleFilter()) -> list[dict]:
        """How many quotes (of one speaker, or of everyone) each month's articles carry,
        oldest month first; quotes in undated articles are left out."""
        month = func.substr(func.cast(func.date(Article.published_at), String), 1, 7)
        stmt = filters.apply(
            select(month, func.count(Quote.id)).join(Article, Quote.article_id == Article.id)
            .where(Article.published_at.is_not(None), LISTED).group_by(month).order_by(month)
        )
        if speaker_id is not None:
            stmt = stmt.where(Quote.speaker_id == speaker_id)
        with self._read() as session:
            return [{"month": month, "quotes": quotes} for month, quotes in session.execute(stmt)]

    def outlets(self, *, limit: int | None = None) -> list[dict]:
        """Outlets with how many articles each has and their first and last publication
        dates, most articles first."""
        count = func.count(Article.id)
        stmt = (select(Outlet.id, Outlet.name, Outlet.domain, count.label("articles"),
                       func.min(Article.published_at).label("first_published"),
                       func.max(Article.published_at).label("last_published"))
                .outerjoin(Article, Article.outlet_id == Outlet.id)
                .group_by(Outlet.id, Outlet.name, Outlet.domain).order_by(count.desc(), Outlet.name))
        if limit:
            stmt = stmt.limit(limit)
        with self._read() as session:
            return [dict(row._mapping) for row in session.execute(stmt)]

    def stats(self) -> dict:
        """Counts of every kind of row, the database's size on disk and its schema revision."""
        return {**self.counts(), "size_bytes": database.size_bytes(self.engine),
                "schema": database.current_revision(self.engine), "database": self.display_url}

    def schema(self) -> list[dict]:
        """Every table with its columns (type, nullable, primary key, meaning), foreign keys
        and indexes, as the database has them; internal tables marked and listed last."""
        return schema.describe(self.engine)

    def datasette_metadata(self) -> dict:
        """datasette metadata for this SQLite file (`datasette corpus.db -m FILE`): internal
        tables hidden, tables and columns described, full-text search on articles."""
        path = database.sqlite_file(self.engine)
        if path is None:
            raise CorpusError("datasette opens SQLite files: give --db a SQLite file")
        return schema.datasette_metadata(path.stem)

    def counts(self) -> dict:
        """How many rows each main table holds, and how many documents were refused."""
        with self._read() as session:
            return {
                table: session.scalar(select(func.count()).select_from(model))
                for table, model in (("articles", Article), ("outlets", Outlet), ("tags", Tag),
                                     ("speakers", Speaker), ("quotes", Quote), ("documents", Document),
                                     ("near_duplicates", NearDuplicate), ("history", History))
            } | {"refused": session.scalar(select(func.count(Document.id)).where(Document.refusal.is_not(None)))}


def _is_conflict(exc: IntegrityError | OperationalError) -> bool:
    """Whether a failed write clashed with another process's (run it again), rather than
    being wrong in itself."""
    if isinstance(exc, IntegrityError):
        return True
    return (getattr(exc.orig, "sqlstate", None) in ("40001", "40P01")  # serialization failure, deadlock
            or "database is locked" in str(exc.orig))


def _summary_columns(*extra) -> Select:
    """A SELECT of the columns of article summaries (and `extra`), from articles and their
    outlet: columns, not ORM rows, so a listing builds no objects it throws away."""
    columns = [Outlet.name.label("outlet") if name == "outlet" else getattr(Article, name)
               for name in ARTICLE_FIELDS if name != "tags"]
    return select(*columns, *extra).select_from(Article).outerjoin(Outlet, Article.outlet_id == Outlet.id)


_TAGS_OF = (select(ArticleTag.article_id, Tag.name).join(Tag, Tag.id == ArticleTag.tag_id)
            .where(ArticleTag.article_id.in_(bindparam("ids", expanding=True))).order_by(Tag.name))


def _summaries(session: Session, rows) -> list[dict]:
    """Article summaries (`records.article_summary`'s fields, then any extra columns) from
    rows of `_summary_columns`, their tags read in one query."""
    rows = [row._mapping for row in rows]
    tags: dict[int, list[str]] = {row["id"]: [] for row in rows}
    if tags:
        for article_id, name in session.execute(_TAGS_OF, {"ids": list(tags)}):
            tags[article_id].append(name)
    return [{**{name: tags[row["id"]] if name == "tags" else row[name] for name in ARTICLE_FIELDS},
             **{name: value for name, value in row.items() if name not in ARTICLE_FIELDS}} for row in rows]


def _restriction(filters: ArticleFilter, session: Session) -> Select | None:
    """The ids a search is limited to, or None when the filters select every article."""
    return None if filters == ArticleFilter() else filters.ids(session)
