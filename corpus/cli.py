"""The `corpus` command: a thin layer over corpus.api.Corpus. Every listing prints a table
for people, or JSON with --json; user mistakes end in a one-line message and exit 1."""
from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import OperationalError, ProgrammingError

from . import database
from .api import ArticleFilter, Corpus, CorpusError
from .database import DatabaseError
from .documents import DocumentError
from .fetch import Fetcher
from .ingest import AddResult, InputError
from .readonly import ReadOnlyError
from .search import SearchQueryError
from .speakers import SpeakerError

USER_ERRORS = (CorpusError, DatabaseError, DocumentError, InputError, ReadOnlyError, SearchQueryError, SpeakerError)

app = typer.Typer(help="Curate a database of news articles: add, clean, tag, search, query, export.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
db_app = typer.Typer(help="Schema migrations (Alembic).", no_args_is_help=True)
speakers_app = typer.Typer(help="Speakers quoted across the corpus: list, show, merge, rename.",
                           invoke_without_command=True)
app.add_typer(db_app, name="db")
app.add_typer(speakers_app, name="speakers")

# Piped output is for other programs: wide tables, and no lines broken at 80 columns.
# No markup: titles, quotes and messages are printed as they are, "[IS]" included.
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
if not out.is_terminal:
    out.width = 240


class State:
    db_url: str | None = None


state = State()

JsonOption = typer.Option(False, "--json", help="Print JSON for scripts instead of a table.")
TagOption = typer.Option(None, "--tag", help="Only articles with this tag.")
OutletOption = typer.Option(None, "--outlet", help="Only articles from this outlet (name or domain).")
SinceOption = typer.Option(None, "--since", help="Only articles published on or after this date (YYYY-MM-DD).")
UntilOption = typer.Option(None, "--until", help="Only articles published on or before this date.")
LimitOption = typer.Option(None, "--limit", min=1, help="At most this many rows.")
NoDuplicatesOption = typer.Option(False, "--no-duplicates", help="Count each story once: leave out near-copies.")


@app.callback()
def main_options(
    db: Optional[str] = typer.Option(
        None, "--db", metavar="URL",
        help="Database URL or SQLite file [default: $CORPUS_DATABASE_URL, else sqlite:///corpus.db].",
    ),
):
    state.db_url = db


@contextmanager
def open_corpus(require_schema: bool = True) -> Iterator[Corpus]:
    """The corpus the command works on; user mistakes inside the block become one-line errors."""
    corpus = None
    try:
        corpus = Corpus(state.db_url)
        if require_schema:
            corpus.require_schema()
        yield corpus
    except USER_ERRORS as exc:
        fail(str(exc))
    except (OperationalError, ProgrammingError) as exc:
        fail(f"database: {str(exc.orig).splitlines()[0]}")
    finally:
        if corpus is not None:
            corpus.close()


def fail(message: str, code: int = 1):
    err.print(Text.assemble(("error:", "bold red"), f" {message}"))
    raise typer.Exit(code)


def print_json(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=_json_value) + "\n")


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def print_table(rows: list[dict], columns: list[str], *, empty: str = "nothing found", widths: dict | None = None) -> None:
    if not rows:
        err.print(empty)
        return
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in columns:
        table.add_column(column, overflow="fold", max_width=(widths or {}).get(column))
    for row in rows:
        table.add_row(*(Text(_cell(row.get(column))) for column in columns))
    out.print(table)


def article_filter(tag, outlet, since, until, no_duplicates) -> ArticleFilter:
    return ArticleFilter(tag=tag, outlet=outlet, since=since, until=until, no_duplicates=no_duplicates)


# --- database ---------------------------------------------------------------------------------

@app.command()
def init():
    """Create the database, or upgrade it to the newest schema."""
    with open_corpus(require_schema=False) as corpus:
        revision = corpus.init()
        out.print(f"{corpus.display_url} is ready (schema {revision})")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")):
    """Upgrade the schema (to the newest by default)."""
    with open_corpus(require_schema=False) as corpus:
        database.upgrade(corpus.engine, revision)
        out.print(f"at schema {database.current_revision(corpus.engine)}")


@db_app.command("downgrade", context_settings={"ignore_unknown_options": True})  # "-1" is a revision
def db_downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. -1 or base.")):
    """Downgrade the schema to an earlier revision."""
    with open_corpus(require_schema=False) as corpus:
        database.downgrade(corpus.engine, revision)
        out.print(f"at schema {database.current_revision(corpus.engine) or 'base (empty)'}")


@db_app.command("current")
def db_current(as_json: bool = JsonOption):
    """Show the schema revision the database is at."""
    with open_corpus(require_schema=False) as corpus:
        current = database.current_revision(corpus.engine)
        head = database.head_revision(corpus.engine)
        if as_json:
            print_json({"current": current, "head": head, "up_to_date": current == head})
        else:
            note = "up to date" if current == head else f"newest is {head}: run `corpus db upgrade`"
            out.print(f"{current or 'none (empty database)'} ({note})")


@db_app.command("history")
def db_history(as_json: bool = JsonOption):
    """List schema revisions, newest first."""
    with open_corpus(require_schema=False) as corpus:
        rows = database.revision_history(corpus.engine)
        if as_json:
            print_json(rows)
        else:
            for row in rows:
                marker = " (current)" if row["current"] else ""
                out.print(f"{row['revision']}  {row['message']}{marker}")


# --- adding -------------------------------------------------------------------------------------

@app.command()
def add(
    inputs: list[str] = typer.Argument(None, metavar="PATH|URL|-...",
                                       help="Files, directories (recursive), globs, web pages, or - for stdin."),
    outlet: Optional[str] = typer.Option(None, help="Outlet (publisher) of every document added."),
    url: Optional[str] = typer.Option(None, help="URL the document was published at."),
    tag: list[str] = typer.Option(None, "--tag", help="Tag every added article (repeatable)."),
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD or ISO date-time)."),
    title: Optional[str] = typer.Option(None, help="Title, instead of the one found in the page."),
    manifest: Optional[str] = typer.Option(None, help="CSV or JSONL with path or url, outlet, published, tags, title."),
    feed: list[str] = typer.Option(None, "--feed", metavar="URL", help="Add every article an RSS/Atom feed lists (repeatable)."),
    sitemap: list[str] = typer.Option(None, "--sitemap", metavar="URL", help="Add every page a sitemap lists (repeatable)."),
    since: Optional[str] = typer.Option(None, "--since", help="From feeds and sitemaps, only entries dated on or after this date."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="From each feed or sitemap, at most the newest N."),
    ignore_robots: bool = typer.Option(False, "--ignore-robots", help="Fetch pages robots.txt disallows."),
    delay: float = typer.Option(1.0, "--delay", min=0, help="Seconds between two requests to one host."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds before giving up on a page."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Clean in this many processes (one writer stores)."),
    as_json: bool = JsonOption,
):
    """Add documents (HTML or plain text, told apart by content), web pages, and the
    articles of feeds and sitemaps. Content already in the corpus is not added again."""
    if not inputs and not manifest and not feed and not sitemap:
        fail("nothing to add: give paths, URLs, - for stdin, --feed, --sitemap or --manifest FILE", 2)
    fetcher = Fetcher(timeout=timeout, per_host_delay=delay, ignore_robots=ignore_robots)
    results: list[AddResult] = []
    with open_corpus(require_schema=False) as corpus:
        progress = Progress(TextColumn("adding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=err, transient=True, disable=not err.is_terminal)
        task = None

        def on_total(total: int) -> None:
            nonlocal task
            task = progress.add_task("add", total=total, visible=total > 1)

        with progress:
            try:
                for result in corpus.add(inputs or (), outlet=outlet, url=url, tags=tag or (), published=published,
                                         title=title, manifest=manifest, feeds=feed or (), sitemaps=sitemap or (),
                                         since=since, limit=limit, fetcher=fetcher, on_total=on_total, jobs=jobs):
                    results.append(result)
                    if task is not None:
                        progress.advance(task)
                    if not as_json:
                        _print_add_result(result)
            except KeyboardInterrupt:
                added = sum(r.status == "added" for r in results)
                fail(f"interrupted after {added} added; run the same command again to add the rest", 130)
    if as_json:
        print_json([r.as_dict() for r in results])
    else:
        _print_add_summary(results)
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)


def _print_add_result(result: AddResult) -> None:
    if result.status == "added":
        out.print(Text.assemble(f"added   #{result.article_id}  {result.source}  ", (result.title or "", "dim")))
    elif result.status == "present":
        out.print(Text.assemble(f"present #{result.article_id}  {result.source}  ", ("(already in the corpus)", "dim")))
    else:
        err.print(Text.assemble(("failed", "red"), f"  {result.source}: {result.message}"))


def _print_add_summary(results: list[AddResult]) -> None:
    counts = {status: sum(r.status == status for r in results) for status in ("added", "present", "failed")}
    out.print(f"{counts['added']} added, {counts['present']} already present, {counts['failed']} failed")
    for result in results:
        if result.status == "failed":
            err.print(f"  failed: {result.source}: {result.message}")


# --- listing and showing --------------------------------------------------------------------

@app.command("list")
def list_articles(
    tag: Optional[str] = TagOption,
    outlet: Optional[str] = OutletOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    no_duplicates: bool = NoDuplicatesOption,
    limit: Optional[int] = LimitOption,
    as_json: bool = JsonOption,
):
    """List articles, newest published first."""
    with open_corpus() as corpus:
        rows = corpus.articles(filters=article_filter(tag, outlet, since, until, no_duplicates), limit=limit)
    if as_json:
        print_json(rows)
    else:
        print_table(rows, ["id", "published_at", "outlet", "title", "word_count", "tags"],
                    empty="no articles", widths={"title": 70})


@app.command()
def show(
    article_id: int = typer.Argument(..., metavar="ID"),
    raw: bool = typer.Option(False, "--raw", help="Print the stored original document instead."),
    as_json: bool = JsonOption,
):
    """Show one article: metadata, tags, quotes and body."""
    with open_corpus() as corpus:
        if raw:
            sys.stdout.write(corpus.raw(article_id).text)
            return
        record = corpus.article(article_id)
    if as_json:
        print_json(record)
        return
    for label in ("id", "title", "subtitle", "byline", "outlet", "published_at", "url", "source",
                  "language", "word_count", "source_credit", "tags", "extractor_version"):
        if record.get(label) not in (None, [], ""):
            out.print(Text.assemble((f"{label + ':':19}", "bold"), _cell(record[label])))
    if record["quotes"]:
        out.print(Text.assemble(("quotes:", "bold"), f" {len(record['quotes'])}"))
        for quote in record["quotes"]:
            out.print(f"  #{quote['id']} [{quote['kind']}] {quote['speaker'] or '(unattributed)'}: "
                      f"“{quote['text']}”")
    out.print()
    out.print(record["body"])


# --- tags -------------------------------------------------------------------------------------

@app.command()
def tag(
    name: str = typer.Argument(..., metavar="TAG"),
    article_ids: list[int] = typer.Argument(None, metavar="ID..."),
    search: Optional[str] = typer.Option(None, "--search", help="Tag every article matching this search."),
):
    """Tag articles by id, or every article matching --search."""
    if not article_ids and not search:
        fail("give article ids or --search QUERY", 2)
    with open_corpus() as corpus:
        count = corpus.tag(name, article_ids or (), search=search)
    out.print(f"tagged {count} article{'s' if count != 1 else ''} {name!r}")


@app.command()
def untag(name: str = typer.Argument(..., metavar="TAG"), article_ids: list[int] = typer.Argument(..., metavar="ID...")):
    """Remove a tag from articles."""
    with open_corpus() as corpus:
        count = corpus.untag(name, article_ids)
    out.print(f"untagged {count} article{'s' if count != 1 else ''} {name!r}")


@app.command()
def tags(as_json: bool = JsonOption):
    """List tags with how many articles carry each."""
    with open_corpus() as corpus:
        rows = corpus.tags()
    if as_json:
        print_json(rows)
    else:
        print_table(rows, ["tag", "articles"], empty="no tags")


# --- search, SQL, export -------------------------------------------------------------------------

@app.command()
def search(
    query: str = typer.Argument(..., help='Words, "phrases", -excluded, OR.'),
    tag: Optional[str] = TagOption,
    outlet: Optional[str] = OutletOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    no_duplicates: bool = NoDuplicatesOption,
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many results."),
    as_json: bool = JsonOption,
):
    """Full-text search over titles and bodies, best matches first."""
    with open_corpus() as corpus:
        rows = corpus.search(query, limit=limit, filters=article_filter(tag, outlet, since, until, no_duplicates))
    if as_json:
        print_json(rows)
    else:
        print_table(rows, ["id", "outlet", "title", "snippet"], empty="no matches", widths={"title": 40})


@app.command()
def sql(
    statement: str = typer.Argument(..., metavar="SQL", help="One read-only statement (SELECT ...)."),
    as_json: bool = JsonOption,
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
):
    """Run your own read-only SQL against the corpus schema."""
    with open_corpus() as corpus:
        result = corpus.sql(statement)
    rows = [dict(zip(result.columns, row)) for row in result.rows]
    if as_json:
        print_json(rows)
    elif as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    else:
        print_table(rows, result.columns, empty="(no rows)")


@app.command()
def export(
    format: str = typer.Option("jsonl", "--format", help="jsonl (one article a line, with quotes) or csv."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write [default: stdout]."),
    tag: Optional[str] = TagOption,
    outlet: Optional[str] = OutletOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    no_duplicates: bool = NoDuplicatesOption,
):
    """Export articles with their tags and quotes."""
    with open_corpus() as corpus:
        filters = article_filter(tag, outlet, since, until, no_duplicates)
        if output is None:
            corpus.export(sys.stdout, format=format, filters=filters)
            return
        try:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = corpus.export(handle, format=format, filters=filters)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}")
    err.print(f"exported {count} article{'s' if count != 1 else ''} to {output}")


@app.command()
def reprocess(
    article_ids: list[int] = typer.Argument(None, metavar="[ID...]"),
    all_articles: bool = typer.Option(False, "--all", help="Re-clean every article."),
    as_json: bool = JsonOption,
):
    """Clean articles again from their stored raw documents, keeping ids and tags."""
    if not article_ids and not all_articles:
        fail("give article ids or --all", 2)
    with open_corpus() as corpus:
        results = list(corpus.reprocess(None if all_articles else article_ids))
    if as_json:
        print_json([r.as_dict() for r in results])
        return
    for result in results:
        if result.status == "failed":
            err.print(f"failed  #{result.article_id}: {result.message}")
    done = sum(r.status == "reprocessed" for r in results)
    out.print(f"{done} reprocessed, {len(results) - done} failed")
    if done != len(results):
        raise typer.Exit(1)


@app.command()
def duplicates(limit: Optional[int] = LimitOption, as_json: bool = JsonOption):
    """List clusters of near-duplicate articles (the same story with small edits)."""
    with open_corpus() as corpus:
        found = corpus.duplicates(limit=limit)
    if as_json:
        print_json(found)
        return
    if not found:
        err.print("no near-duplicates")
    for cluster in found:
        out.print(Text.assemble((f"cluster #{cluster['cluster']}", "bold"), f" ({cluster['size']} articles)"))
        for article in cluster["articles"]:
            similarity = "first" if article["similarity"] is None else f"{article['similarity']:.2f}"
            out.print(f"  {similarity:>6}  #{article['id']:<6} {article['outlet'] or '':24} {article['title'] or ''}")


# --- speakers and quotes --------------------------------------------------------------------------

@speakers_app.callback()
def speakers_list(
    ctx: typer.Context,
    limit: Optional[int] = LimitOption,
    as_json: bool = JsonOption,
):
    """List speakers with how many quotes and articles each has (or use a subcommand)."""
    if ctx.invoked_subcommand:
        return
    with open_corpus() as corpus:
        rows = corpus.speakers(limit=limit)
    if as_json:
        print_json(rows)
    else:
        print_table(rows, ["id", "name", "kind", "quotes", "articles", "aliases"], empty="no speakers")


@speakers_app.command("show")
def speakers_show(speaker_id: int = typer.Argument(..., metavar="ID"), as_json: bool = JsonOption):
    """Show a speaker: names seen, role, quotes."""
    with open_corpus() as corpus:
        record = corpus.speaker(speaker_id)
    if as_json:
        print_json(record)
        return
    out.print(Text.assemble((f"#{record['id']} {record['name']}", "bold"), f" ({record['kind'] or 'unknown kind'})"))
    if record["role"]:
        out.print(f"role: {record['role']}")
    out.print(f"also written: {', '.join(record['aliases'])}")
    out.print(f"{len(record['quotes'])} quotes in {record['articles']} articles")
    for quote in record["quotes"]:
        out.print(f"  article #{quote['article_id']} [{quote['kind']}]: “{quote['text']}”")


@speakers_app.command("merge")
def speakers_merge(keep: int = typer.Argument(..., metavar="KEEP"),
                   others: list[int] = typer.Argument(..., metavar="OTHER...")):
    """Merge speakers into KEEP: their quotes and names move to it."""
    with open_corpus() as corpus:
        record = corpus.merge_speakers(keep, others)
    out.print(f"merged into #{record['id']} {record['name']}: {len(record['quotes'])} quotes, "
              f"names {', '.join(record['aliases'])}")


@speakers_app.command("rename")
def speakers_rename(speaker_id: int = typer.Argument(..., metavar="ID"), name: str = typer.Argument(...)):
    """Rename a speaker (the old name stays as an alias)."""
    with open_corpus() as corpus:
        record = corpus.rename_speaker(speaker_id, name)
    out.print(f"#{record['id']} is now {record['name']}")


@app.command()
def quotes(
    speaker: Optional[str] = typer.Option(None, "--speaker", help="Only this speaker (any name it is known by)."),
    article: Optional[int] = typer.Option(None, "--article", help="Only quotes in this article."),
    kind: Optional[str] = typer.Option(None, "--kind", help="direct or partial."),
    search: Optional[str] = typer.Option(None, "--search", help="Only quotes containing this text."),
    tag: Optional[str] = TagOption,
    outlet: Optional[str] = OutletOption,
    since: Optional[str] = SinceOption,
    until: Optional[str] = UntilOption,
    no_duplicates: bool = NoDuplicatesOption,
    limit: Optional[int] = LimitOption,
    as_json: bool = JsonOption,
):
    """List quotes with speaker and article."""
    with open_corpus() as corpus:
        rows = corpus.quotes(speaker=speaker, article_id=article, kind=kind, search=search,
                             filters=article_filter(tag, outlet, since, until, no_duplicates), limit=limit)
    if as_json:
        print_json(rows)
    else:
        print_table(rows, ["id", "article_id", "speaker", "kind", "text"], empty="no quotes", widths={"text": 80})


def main() -> None:
    app()
