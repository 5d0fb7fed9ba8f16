"""The `corpus` command: a thin layer over corpus.api.Corpus. Every listing prints its rows
through corpus.output (a table at a terminal, tab-separated values when piped, or --csv,
--tsv, --json, --nl), with how many there were on stderr; every user mistake (a
corpus.errors.CorpusError) ends in a one-line `error: ...` and exit 1."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Optional

import typer

from .cli_options import argument_help_without_types, filter_options, output_options
from .errors import CorpusError
from .lazy import lazy_import
from .output import Format, RowWriter, default_format, dumps, is_terminal, output_rows, printable, report_count, table_value

# Startup: `corpus --help` and `--version` import typer and little else; each command
# imports the database layer, the API and rich's extras when it runs (bench/startup.py).
if TYPE_CHECKING:
    from .api import ArticleFilter, Corpus
    from .ingest import AddResult

database = lazy_import("corpus.database")
downgrades = lazy_import("corpus.downgrades")

app = typer.Typer(help="Curate a database of news articles: add, clean, tag, search, query, export.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None)
db_app = typer.Typer(help="Schema migrations (Alembic).", no_args_is_help=True)
speakers_app = typer.Typer(help="Speakers quoted across the corpus: list, show, merge, rename.",
                           invoke_without_command=True)
quotes_app = typer.Typer(help="Quotes with speaker and article: list, reject, restore, assign.",
                         invoke_without_command=True)
tags_app = typer.Typer(help="Tags with how many articles carry each: list, rename, delete.",
                       invoke_without_command=True)
app.add_typer(db_app, name="db")
app.add_typer(speakers_app, name="speakers")
app.add_typer(quotes_app, name="quotes")
app.add_typer(tags_app, name="tags")
argument_help_without_types()



class _Console:
    """A rich Console made on first use. No markup: titles, quotes and messages are printed
    as they are, "[IS]" included; no lines broken at the width of a terminal that is not there."""

    def __init__(self, stderr: bool):
        self._stderr = stderr
        self._console = None

    @property
    def console(self):
        """The rich Console itself, for what takes one (a progress bar enters it as a context)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, highlight=False, soft_wrap=True, markup=False)
        return self._console

    def __getattr__(self, name):
        return getattr(self.console, name)


out = _Console(stderr=False)
err = _Console(stderr=True)


def styled(*parts):
    """Text made of plain strings and (string, style) pairs."""
    from rich.text import Text

    return Text.assemble(*parts)


class State:
    db_url: str | None = None


state = State()

JsonOption = typer.Option(False, "--json", help="Print JSON for scripts.")
LimitOption = typer.Option(None, "--limit", min=1, metavar="N", help="At most this many rows.")
NoteOption = typer.Option(None, "--note", metavar="TEXT", help="Why: kept with the action in the history.")
TimeLimitOption = typer.Option(60.0, "--timeout", min=0.1, metavar="SECONDS",
                               help="Stop after this many seconds.")
SearchOption = typer.Option(None, "--search", metavar="QUERY",
                            help="Every article matching this search (the filters narrow it).")


def _print_version(wanted: bool) -> None:
    if wanted:
        from . import __version__

        sys.stdout.write(f"corpus {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Optional[str] = typer.Option(
        None, "--db", metavar="URL",
        help="Database URL (sqlite:///FILE, postgresql://USER@HOST/NAME) or SQLite file; "
             "default: the CORPUS_DATABASE_URL environment variable, else sqlite:///corpus.db "
             "in the current directory.",
    ),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="Print the version and exit."),
):
    state.db_url = db


@contextmanager
def open_corpus(require_schema: bool = True) -> Iterator[Corpus]:
    """The corpus the command works on; user mistakes inside the block become one-line errors."""
    from sqlalchemy.exc import DatabaseError

    from .api import Corpus

    corpus = None
    try:
        corpus = Corpus(state.db_url)
        if require_schema:
            corpus.require_schema()
        yield corpus
    except CorpusError as exc:
        fail(database.mask_password(str(exc)))
    except DatabaseError as exc:
        fail(database.mask_password(f"database: {str(exc.orig).splitlines()[0]}"))
    except OverflowError:  # SQLite: an id (or other number) past 64 bits
        fail("a number given is too large for the database (at most 9223372036854775807)")
    finally:
        if corpus is not None:
            corpus.close()


def fail(message: str, code: int = 1):
    err.print(styled(("error:", "bold red"), f" {message}"))
    raise typer.Exit(code)


def print_json(value) -> None:
    """One record (not a listing) as JSON."""
    sys.stdout.write(dumps(value, indent=2) + "\n")


def print_rows(rows: list[dict], output: Format | None, columns: list[str], *, noun: str, plural: str | None = None,
               total: int | None = None, widths: dict | None = None) -> None:
    """A listing in the chosen format (or the default), then how many rows on stderr;
    `total` is how many there were before --limit, when it left some out."""
    output_rows(rows, output or default_format(), columns=columns, widths=widths)
    report_count(len(rows), len(rows) if total is None else total, noun, plural)


def limited(rows: list, limit: int | None, count) -> int | None:
    """The total before `limit` when the rows may have been cut short by it (`count()`
    asks the database), else None."""
    return count() if limit and len(rows) >= limit else None


# --- database ---------------------------------------------------------------------------------

@app.command()
def init():
    """Create the database, or upgrade it to the newest schema."""
    with open_corpus(require_schema=False) as corpus:
        revision = corpus.init()
        out.print(f"{corpus.display_url} is ready (schema {revision})")


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", metavar="REVISION", help="Target revision.")):
    """Upgrade the schema (to the newest by default)."""
    with open_corpus(require_schema=False) as corpus:
        database.upgrade(corpus.engine, revision)
        out.print(f"at schema {database.current_revision(corpus.engine)}")


@db_app.command("downgrade", context_settings={"ignore_unknown_options": True})  # "-1" is a revision
def db_downgrade(revision: str = typer.Argument(..., metavar="REVISION", help="Target revision, e.g. -1 or base."),
                 yes: bool = typer.Option(False, "--yes", help="Drop tables and columns that hold data.")):
    """Downgrade the schema to an earlier revision. One that would drop data says what and
    asks (at a terminal) or needs --yes."""
    with open_corpus(require_schema=False) as corpus:
        losses = corpus.downgrade_losses(revision) if not yes and is_terminal(sys.stdin) else []
        if losses:
            err.print(f"{downgrades.summary(revision, losses)}: {downgrades.SAVE_FIRST}.")
            if not typer.confirm("Destroy them?", default=False, err=True):
                fail("downgrade cancelled: nothing changed")
            yes = True
        reached = corpus.downgrade(revision, destroy=yes)
        out.print(f"at schema {reached or 'base (empty)'}")


@db_app.command("current")
def db_current(as_json: bool = JsonOption):
    """Show the schema revision the database is at."""
    with open_corpus(require_schema=False) as corpus:
        corpus.require_existing()
        current = database.current_revision(corpus.engine)
        head = database.head_revision()
        if as_json:
            print_json({"current": current, "head": head, "up_to_date": current == head})
        else:
            note = "up to date" if current == head else f"newest is {head}: run `corpus db upgrade`"
            out.print(f"{current or 'none (empty database)'} ({note})")


@db_app.command("history")
@output_options
def db_history(output: Optional[Format]):
    """List schema revisions, newest first."""
    with open_corpus(require_schema=False) as corpus:
        corpus.require_existing()
        rows = database.revision_history(corpus.engine)
    print_rows(rows, output, ["revision", "message", "current"], noun="revision")


# --- adding -------------------------------------------------------------------------------------

@app.command()
@output_options
def add(
    inputs: list[str] = typer.Argument(None, metavar="PATH|URL|-...",
                                       help="Files, directories (recursive), globs, web pages, or - for stdin."),
    outlet: Optional[str] = typer.Option(None, metavar="NAME", help="Outlet (publisher) of every document added."),
    url: Optional[str] = typer.Option(None, metavar="URL", help="URL the document was published at."),
    tag: list[str] = typer.Option(None, "--tag", metavar="TAG", help="Tag every added article (repeatable)."),
    published: Optional[str] = typer.Option(None, metavar="DATE", help="Publication date (YYYY-MM-DD or ISO date-time)."),
    title: Optional[str] = typer.Option(None, metavar="TEXT", help="Title, instead of the one found in the page."),
    manifest: Optional[str] = typer.Option(None, metavar="FILE", help="CSV or JSONL with path or url, outlet, published, tags, title."),
    feed: list[str] = typer.Option(None, "--feed", metavar="URL", help="Add every article an RSS/Atom feed lists (repeatable)."),
    sitemap: list[str] = typer.Option(None, "--sitemap", metavar="URL", help="Add every page a sitemap lists (repeatable)."),
    since: Optional[str] = typer.Option(None, "--since", metavar="DATE", help="From feeds and sitemaps, only entries dated on or after this date."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, metavar="N", help="From each feed or sitemap, at most the newest N."),
    ignore_robots: bool = typer.Option(False, "--ignore-robots", help="Fetch pages robots.txt disallows."),
    delay: float = typer.Option(1.0, "--delay", min=0, metavar="SECONDS", help="Seconds between two requests to one host."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, metavar="SECONDS",
                                  help="Seconds a page may take in all (robots.txt and redirects included)."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Fetch from loopback and private addresses (this machine, this network)."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Clean in this many processes (one writer stores)."),
    max_size: Optional[str] = typer.Option(None, "--max-size", metavar="SIZE",
                                           help="Refuse files and pages larger than this, e.g. 50MB [default: 10MB]."),
    output: Optional[Format] = None,
):
    """Add documents (HTML or plain text, told apart by content), web pages, and the
    articles of feeds and sitemaps. Content already in the corpus is not added again.

    Prints a line per document as it is stored and a summary; with --json, --nl, --csv or
    --tsv, one record per document (source, status, article_id, title, message), streamed."""
    if not inputs and not manifest and not feed and not sitemap:
        fail("nothing to add: give paths, URLs, - for stdin, --feed, --sitemap or --manifest FILE", 2)
    from .fetch import Fetcher
    from .ingest import parse_size

    results: list[AddResult] = []
    records = RowWriter(output) if output not in (None, Format.table) else None
    with open_corpus(require_schema=False) as corpus:
        limit_bytes = {"max_bytes": parse_size(max_size)} if max_size else {}
        fetcher = Fetcher(timeout=timeout, per_host_delay=delay, ignore_robots=ignore_robots,
                          allow_private=allow_private, **limit_bytes)
        progress = _progress()
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
                    if records:
                        records.write(result.as_dict())
                    else:
                        _print_add_result(result)
            except KeyboardInterrupt:
                added = sum(r.status == "added" for r in results)
                fail(f"interrupted after {added} added; run the same command again to add the rest", 130)
            finally:
                if records:
                    records.close()
    if not records:
        _print_add_summary(results)
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)


def _progress():
    """A progress bar on stderr, shown only at a terminal: done/total, rate, time left."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn

    class RateColumn(ProgressColumn):
        def render(self, task):
            return styled(f"{task.speed:.1f}/s" if task.speed else "")

    return Progress(TextColumn("adding"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeRemainingColumn(),
                    console=err.console, transient=True, disable=not err.is_terminal)


def _print_add_result(result: AddResult) -> None:
    result = _printable_result(result)
    if result.status == "added":
        repaired = [(f"  ({result.message})", "yellow")] if result.message else []
        out.print(styled(f"added   #{result.article_id}  {result.source}  ", (result.title or "", "dim"), *repaired))
    elif result.status == "present":
        out.print(styled(f"present #{result.article_id}  {result.source}  ", ("(already in the corpus)", "dim")))
    elif result.status in ("tagged", "updated"):  # already in the corpus: what was stated this time applied
        out.print(styled(f"{result.status:7} #{result.article_id}  {result.source}  ", (result.message, "dim")))
    elif result.status == "reprocessed":
        out.print(styled(f"reprocessed #{result.article_id}  {result.source}  ", (result.title or "", "dim")))
    elif result.status == "refused":  # stored, listed by `corpus list --refused`
        out.print(styled(("refused", "yellow"), f"  {result.source}  ", (result.message, "dim")))
    else:
        err.print(styled(("failed", "red"), f"  {result.source}: {result.message}"))


def _print_add_summary(results: list[AddResult]) -> None:
    counts = {status: sum(r.status == status for r in results)
              for status in ("added", "updated", "tagged", "present", "refused", "failed")}
    changed = "".join(f"{counts[status]} {status}, " for status in ("updated", "tagged") if counts[status])
    refused = f"{counts['refused']} refused (not articles: corpus list --refused), " if counts["refused"] else ""
    out.print(f"{counts['added']} added, {changed}{counts['present']} already present, {refused}"
              f"{counts['failed']} failed")
    for result in results:
        if result.status == "failed":
            result = _printable_result(result)
            err.print(f"  failed: {result.source}: {result.message}")


def _printable_result(result: AddResult) -> AddResult:
    """File names, titles and messages (which may quote tags) with control characters escaped."""
    from dataclasses import replace

    return replace(result, **{name: printable(value) for name in ("source", "title", "message")
                              if isinstance(value := getattr(result, name), str)})


# --- listing and showing --------------------------------------------------------------------

@app.command("list")
@filter_options
@output_options
def list_articles(filters: ArticleFilter, limit: Optional[int] = LimitOption, output: Optional[Format] = None,
                  refused: bool = typer.Option(False, "--refused", help="List the documents refused as not articles instead.")):
    """List articles, newest published first (or, with --refused, the documents cleaning
    found no article in, with the reason)."""
    from .api import ArticleFilter

    if refused:
        if filters != ArticleFilter():
            fail("--refused lists documents, which have no outlet, tags or dates: leave out the filters", 2)
        with open_corpus() as corpus:
            rows = corpus.refused(limit=limit)
            total = limited(rows, limit, lambda: corpus.counts()["refused"])
        print_rows(rows, output, ["id", "added_at", "source", "reason"], noun="refused document", total=total)
        return
    with open_corpus() as corpus:
        rows = corpus.articles(filters=filters, limit=limit)
        total = limited(rows, limit, lambda: corpus.count_articles(filters=filters))
    print_rows(rows, output, ["id", "published_at", "outlet", "title", "word_count", "tags"],
               noun="article", total=total, widths={"title": 70})


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
                  "language", "word_count", "source_credit", "tags", "extractor_version", "edited_fields"):
        if record.get(label) not in (None, [], ""):
            out.print(styled((f"{label + ':':19}", "bold"), table_value(record[label])))
    if record["quotes"]:
        out.print(styled(("quotes:", "bold"), f" {len(record['quotes'])}"))
        for quote in record["quotes"]:
            marks = "".join(mark for mark, shown in ((" (rejected)", quote["status"] == "rejected"),
                                                     (" (assigned)", quote["speaker_assigned"])) if shown)
            out.print(f"  #{quote['id']} [{quote['kind']}] {quote['speaker'] or '(unattributed)'}{marks}: "
                      f"“{quote['text']}”")
    out.print()
    out.print(record["body"])


# --- tags -------------------------------------------------------------------------------------

@app.command()
@filter_options
def tag(
    name: str = typer.Argument(..., metavar="TAG"),
    article_ids: list[int] = typer.Argument(None, metavar="[ID...]"),
    search: Optional[str] = SearchOption,
    filters: ArticleFilter = None,
    note: Optional[str] = NoteOption,
):
    """Tag articles by id, every article matching --search, or every article the filters
    select (ids, search and filters narrow each other). Tags match whatever the case and
    spacing: an existing tag keeps its spelling."""
    _require_choice(article_ids, search, filters)
    with open_corpus() as corpus:
        count = corpus.tag(name, article_ids or (), search=search, filters=filters, note=note)
        from .values import tag_key

        stored = next(row["tag"] for row in corpus.tags() if tag_key(row["tag"]) == tag_key(name))
    out.print(f"tagged {_articles(count)} {stored!r}")


@app.command()
@filter_options
def untag(
    name: str = typer.Argument(..., metavar="TAG"),
    article_ids: list[int] = typer.Argument(None, metavar="[ID...]"),
    search: Optional[str] = SearchOption,
    filters: ArticleFilter = None,
    note: Optional[str] = NoteOption,
):
    """Remove a tag from articles, chosen as for `tag`; a tag left on no article is deleted."""
    _require_choice(article_ids, search, filters)
    with open_corpus() as corpus:
        count = corpus.untag(name, article_ids or (), search=search, filters=filters, note=note)
    out.print(f"untagged {_articles(count)} {name!r}")


def _require_choice(article_ids, search, filters: ArticleFilter) -> None:
    from .api import ArticleFilter

    if not article_ids and not search and filters == ArticleFilter():
        fail("give article ids, --search QUERY or a filter (--tag, --outlet, --since, --until, --language)", 2)


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _articles(count: int) -> str:
    return _counted(count, "article")


@tags_app.callback()
@output_options
def tags_list(ctx: typer.Context, output: Optional[Format] = None):
    """List tags with how many articles carry each (or use a subcommand)."""
    if ctx.invoked_subcommand:
        return
    with open_corpus() as corpus:
        rows = corpus.tags()
    print_rows(rows, output, ["tag", "articles"], noun="tag")


@tags_app.command("rename")
def tags_rename(old: str = typer.Argument(..., metavar="OLD"), new: str = typer.Argument(..., metavar="NEW"),
                note: Optional[str] = NoteOption, as_json: bool = JsonOption):
    """Rename a tag; if NEW is already a tag, OLD is merged into it."""
    with open_corpus() as corpus:
        report_action(corpus.rename_tag(old, new, note=note), as_json)


@tags_app.command("delete")
def tags_delete(name: str = typer.Argument(..., metavar="NAME"), note: Optional[str] = NoteOption,
                as_json: bool = JsonOption):
    """Delete a tag from every article (`corpus undo` puts it back)."""
    with open_corpus() as corpus:
        report_action(corpus.delete_tag(name, note=note), as_json)


# --- curating articles -----------------------------------------------------------------------------

def report_action(record: dict, as_json: bool) -> None:
    """What a curation action did, with its history id (for `corpus undo`)."""
    if as_json:
        print_json(record)
    elif record["id"] is None:
        out.print("nothing changed")
    else:
        out.print(f"{record['action']}: {record['summary']} (history #{record['id']})")


@app.command()
def edit(
    article_ids: list[int] = typer.Argument(..., metavar="ID..."),
    title: Optional[str] = typer.Option(None, "--title", metavar="TEXT", help="Title."),
    subtitle: Optional[str] = typer.Option(None, "--subtitle", metavar="TEXT", help="Subtitle (standfirst)."),
    byline: Optional[str] = typer.Option(None, "--byline", metavar="TEXT", help="Byline."),
    outlet: Optional[str] = typer.Option(None, "--outlet", metavar="NAME",
                                         help="Outlet, by name (or domain); a new name makes a new outlet."),
    published: Optional[str] = typer.Option(None, "--published", metavar="DATE",
                                            help="Publication date (YYYY-MM-DD or ISO date-time)."),
    url: Optional[str] = typer.Option(None, "--url", metavar="URL", help="URL the article was published at."),
    language: Optional[str] = typer.Option(None, "--language", metavar="CODE", help="Language code (en, de, ...)."),
    note: Optional[str] = NoteOption,
    as_json: bool = JsonOption,
):
    """Set articles' metadata; an empty value ("") clears a field. What you set is kept
    by every later reprocess and add, and recorded in the history."""
    fields = dict(title=title, subtitle=subtitle, byline=byline, outlet=outlet, published=published, url=url,
                  language=language)
    if all(value is None for value in fields.values()):
        fail("give at least one field: --title, --subtitle, --byline, --outlet, --published, --url, --language", 2)
    with open_corpus() as corpus:
        report_action(corpus.edit(article_ids, **fields, note=note), as_json)


def at_terminal() -> bool:
    """Whether a person is there to answer a question (stdin and stderr are a terminal)."""
    return sys.stdin.isatty() and is_terminal(sys.stderr)


@app.command()
@filter_options
def delete(
    article_ids: list[int] = typer.Argument(None, metavar="[ID...]"),
    search: Optional[str] = SearchOption,
    filters: ArticleFilter = None,
    yes: bool = typer.Option(False, "--yes", "-y", help="Delete without asking (for scripts)."),
    note: Optional[str] = NoteOption,
    as_json: bool = JsonOption,
):
    """Delete articles (by id, --search and/or filters, narrowing each other) with their
    quotes, tags, near-duplicate links and stored documents. Asks first at a terminal;
    --yes for scripts. Cannot be undone: adding the same file again adds it again."""
    _require_choice(article_ids, search, filters)
    with open_corpus() as corpus:
        chosen = corpus.select_articles(article_ids or (), search=search, filters=filters)
        if not yes:
            if not at_terminal():
                fail(f"would delete {_articles(len(chosen))}: add --yes to delete without asking", 2)
            for article in chosen[:10]:
                err.print(f"  #{article['id']}  {article['title'] or article['source']}")
            if len(chosen) > 10:
                err.print(f"  ... and {len(chosen) - 10} more")
            if not typer.confirm(f"Delete {_articles(len(chosen))}? This cannot be undone", default=False, err=True):
                fail("nothing deleted")
        removed = corpus.delete([article["id"] for article in chosen], note=note)
    if as_json:
        print_json(removed)
        return
    for article in removed["articles"]:
        out.print(styled(f"deleted #{article['id']}  {article['source']}  ", (article["title"] or "", "dim")))
    out.print(f"{_articles(len(removed['articles']))} deleted, with {_counted(removed['quotes'], 'quote')}, "
              f"{_counted(removed['tags'], 'tag')}, {_counted(removed['near_duplicates'], 'near-duplicate link')} "
              f"and {_counted(removed['documents'], 'stored document')} (history #{removed['history_id']})")


@app.command()
@output_options
def history(
    article: Optional[int] = typer.Option(None, "--article", metavar="ID", help="Only actions on this article."),
    speaker: Optional[int] = typer.Option(None, "--speaker", metavar="ID", help="Only actions on this speaker."),
    limit: Optional[int] = LimitOption,
    output: Optional[Format] = None,
):
    """List curation actions, newest first: when, what, the values before and after, the
    note, and the undo that reversed it (if any)."""
    with open_corpus() as corpus:
        rows = corpus.history(article_id=article, speaker_id=speaker, limit=limit)
    print_rows(rows, output, ["id", "at", "action", "summary", "note", "undone_by"], noun="action",
               widths={"summary": 80, "note": 30})


@app.command()
def undo(history_id: int = typer.Argument(..., metavar="HISTORY_ID"), note: Optional[str] = NoteOption,
         as_json: bool = JsonOption):
    """Reverse one action from `corpus history`, if what it changed has not changed since.
    Deletes, speaker merges and undos cannot be undone."""
    with open_corpus() as corpus:
        report_action(corpus.undo(history_id, note=note), as_json)


# --- search, SQL, export -------------------------------------------------------------------------

@app.command()
@filter_options
@output_options
def search(
    query: str = typer.Argument(..., metavar="QUERY", help='Words (all must match), "phrases", -excluded or NOT word, OR.'),
    filters: ArticleFilter = None,
    limit: int = typer.Option(20, "--limit", min=1, metavar="N", help="At most this many results."),
    timeout: float = TimeLimitOption,
    output: Optional[Format] = None,
):
    """Full-text search over titles and bodies, best matches first."""
    with open_corpus() as corpus:
        rows = corpus.search(query, limit=limit, filters=filters, timeout=timeout)
        total = limited(rows, limit, lambda: corpus.count_matches(query, filters=filters, timeout=timeout))
    print_rows(rows, output, ["id", "outlet", "title", "snippet"], noun="match", plural="matches",
               total=total, widths={"title": 40})


@app.command()
@output_options
def sql(
    statement: str = typer.Argument(..., metavar="SQL", help="One read-only statement (SELECT ...)."),
    timeout: float = TimeLimitOption,
    output: Optional[Format] = None,
):
    """Run your own read-only SQL against the corpus schema."""
    with open_corpus() as corpus:
        result = corpus.sql(statement, timeout=timeout)
    columns = _distinct_names(result.columns)
    print_rows([dict(zip(columns, row)) for row in result.rows], output, columns, noun="row")


def _distinct_names(columns: list[str]) -> list[str]:
    """Column names made distinct (`id`, `id_2`), so no column of a join is lost."""
    seen: dict[str, int] = {}
    names = []
    for column in columns:
        seen[column] = seen.get(column, 0) + 1
        names.append(column if seen[column] == 1 else f"{column}_{seen[column]}")
    return names


@app.command()
@filter_options
def export(
    format: str = typer.Option("jsonl", "--format", metavar="FORMAT", help="jsonl (one article a line, with quotes) or csv."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="File to write [default: stdout]."),
    filters: ArticleFilter = None,
):
    """Export articles with their tags and quotes."""
    with open_corpus() as corpus:
        if output is None:
            corpus.export(sys.stdout, format=format, filters=filters)
            return
        count = corpus.export_file(output, format=format, filters=filters)
    err.print(f"exported {count} article{'s' if count != 1 else ''} to {output}")


@app.command()
@output_options
def reprocess(
    article_ids: list[int] = typer.Argument(None, metavar="[ID...]"),
    all_articles: bool = typer.Option(False, "--all", help="Re-clean every article and refused document."),
    refused: bool = typer.Option(False, "--refused", help="Re-clean the refused documents only."),
    output: Optional[Format] = None,
):
    """Clean articles again from their stored raw documents, keeping ids, tags and every
    decision people made (edits, rejected and assigned quotes, speaker names); a refused
    document becomes an article when cleaning now finds one. Prints a line per document as
    it is done and a summary; with --json, --nl, --csv or --tsv, one record per document,
    streamed."""
    if not article_ids and not all_articles and not refused:
        fail("give article ids, --all or --refused", 2)
    records = RowWriter(output) if output not in (None, Format.table) else None
    results = []
    with open_corpus() as corpus:
        for result in corpus.reprocess(None if all_articles or refused else article_ids, refused_only=not all_articles):
            results.append(result)
            if records:
                records.write(result.as_dict())
            else:
                _print_add_result(result)
    from collections import Counter

    counts = Counter(r.status for r in results)
    if records:
        records.close()
    else:
        revisited = (f", {counts['added']} refused documents now articles, {counts['refused']} still refused"
                     if counts["added"] or counts["refused"] else "")
        out.print(f"{counts['reprocessed']} reprocessed, {counts['failed']} failed{revisited}")
    if counts["failed"]:
        raise typer.Exit(1)


@app.command()
@output_options
def duplicates(limit: Optional[int] = typer.Option(None, "--limit", min=1, metavar="N", help="At most this many clusters."),
               threshold: Optional[float] = typer.Option(
                   None, "--threshold", metavar="SIMILARITY",
                   help="Only near-copies at least this similar (0.45, the default, to 1)."),
               output: Optional[Format] = None):
    """List clusters of near-duplicate articles (the same story with small edits): one row
    per article, the cluster's first article first (similarity empty), largest clusters first."""
    with open_corpus() as corpus:
        found = corpus.duplicates(threshold=threshold)
    rows = [{"cluster": cluster["cluster"], "size": cluster["size"], **article}
            for cluster in found[:limit] for article in cluster["articles"]]
    output_rows(rows, output or default_format(), columns=["cluster", "similarity", "id", "outlet", "title"])
    report_count(len(found[:limit]), len(found), "cluster")


@app.command("settings")
@output_options
def settings_command(name: Optional[str] = typer.Argument(None, metavar="NAME", help="A setting to show or set."),
                     value: Optional[str] = typer.Argument(None, metavar="VALUE", help="Its new value."),
                     output: Optional[Format] = None):
    """Show this database's settings, or set one (e.g. `corpus settings duplicate_threshold
    0.5`: every article is then linked again at that similarity)."""
    with open_corpus() as corpus:
        rows = [corpus.set_setting(name, value)] if value is not None else corpus.settings(name)
    output_rows(rows, output or default_format(), columns=list(rows[0]))


# --- speakers and quotes --------------------------------------------------------------------------

@speakers_app.callback()
@output_options
def speakers_list(ctx: typer.Context, limit: Optional[int] = LimitOption, output: Optional[Format] = None):
    """List speakers with how many quotes and articles each has (or use a subcommand)."""
    if ctx.invoked_subcommand:
        return
    with open_corpus() as corpus:
        rows = corpus.speakers(limit=limit)
        total = limited(rows, limit, lambda: corpus.counts()["speakers"])
    print_rows(rows, output, ["id", "name", "kind", "quotes", "articles", "aliases"], noun="speaker", total=total)


@speakers_app.command("show")
def speakers_show(speaker: str = typer.Argument(..., metavar="ID|NAME", help="An id, or any name the speaker is known by."),
                  as_json: bool = JsonOption):
    """Show a speaker: names seen, role, quotes."""
    with open_corpus() as corpus:
        record = corpus.speaker(corpus.speaker_id(speaker))
    if as_json:
        print_json(record)
        return
    out.print(styled((f"#{record['id']} {record['name']}", "bold"), f" ({record['kind'] or 'unknown kind'})"))
    if record["role"]:
        out.print(f"role: {record['role']}")
    if record["organisation"]:
        out.print(f"organisation: {record['organisation']}")
    out.print(f"also written: {', '.join(record['aliases'])}")
    out.print(f"{len(record['quotes'])} quotes in {record['articles']} articles")
    for quote in record["quotes"]:
        out.print(f"  article #{quote['article_id']} [{quote['kind']}]: “{quote['text']}”")


@speakers_app.command("merge")
def speakers_merge(keep: int = typer.Argument(..., metavar="KEEP"),
                   others: list[int] = typer.Argument(..., metavar="OTHER..."),
                   note: Optional[str] = NoteOption):
    """Merge speakers into KEEP: their quotes and names move to it, and KEEP's name stays
    through every later add and reprocess. Cannot be undone."""
    with open_corpus() as corpus:
        record = corpus.merge_speakers(keep, others, note=note)
    out.print(f"merged into #{record['id']} {record['name']}: {record['quote_count']} quotes, "
              f"names {', '.join(record['aliases'])} (history #{record['history_id']})")


@speakers_app.command("rename")
def speakers_rename(speaker_id: int = typer.Argument(..., metavar="ID"), name: str = typer.Argument(...),
                    note: Optional[str] = NoteOption):
    """Rename a speaker: no later add or reprocess changes the name, and the old name stays
    an alias that still finds the speaker."""
    with open_corpus() as corpus:
        record = corpus.rename_speaker(speaker_id, name, note=note)
    out.print(f"#{record['id']} is now {record['name']} (history #{record['history_id']})")


@quotes_app.callback()
@filter_options
@output_options
def quotes_list(
    ctx: typer.Context,
    speaker: Optional[str] = typer.Option(None, "--speaker", metavar="NAME", help="Only this speaker (any name it is known by)."),
    article: Optional[int] = typer.Option(None, "--article", metavar="ID", help="Only quotes in this article."),
    kind: Optional[str] = typer.Option(None, "--kind", metavar="KIND", help="direct or partial."),
    search: Optional[str] = typer.Option(None, "--search", metavar="TEXT", help="Only quotes containing this text."),
    named_only: bool = typer.Option(False, "--named-only",
                                    help="Only quotes of named speakers (no unnamed sources, no unattributed quotes)."),
    rejected: bool = typer.Option(False, "--rejected", help="Only the quotes people rejected (hidden otherwise)."),
    filters: ArticleFilter = None,
    limit: Optional[int] = LimitOption,
    output: Optional[Format] = None,
):
    """List quotes with speaker and article: one row per quote (--csv for pandas), or use
    a subcommand to reject, restore or assign quotes."""
    if ctx.invoked_subcommand:
        return
    wanted = dict(speaker=speaker, article_id=article, kind=kind, search=search, named_only=named_only,
                  filters=filters, rejected=rejected)
    with open_corpus() as corpus:
        rows = corpus.quotes(**wanted, limit=limit)
        total = limited(rows, limit, lambda: corpus.count_quotes(**wanted))
    print_rows(rows, output, ["id", "article_id", "speaker", "kind", "text"], noun="quote", total=total,
               widths={"text": 80})


QuoteIds = typer.Argument(..., metavar="QID...", help="Quote ids (the id column of `corpus quotes`).")


@quotes_app.command("reject")
def quotes_reject(quote_ids: list[int] = QuoteIds, note: Optional[str] = NoteOption, as_json: bool = JsonOption):
    """Reject quotes (not a quotation, or not worth keeping): hidden from listings, exports
    and speaker counts from now on, through every reprocess; `restore` brings them back."""
    with open_corpus() as corpus:
        report_action(corpus.reject_quotes(quote_ids, note=note), as_json)


@quotes_app.command("restore")
def quotes_restore(quote_ids: list[int] = QuoteIds, note: Optional[str] = NoteOption, as_json: bool = JsonOption):
    """Restore rejected quotes."""
    with open_corpus() as corpus:
        report_action(corpus.restore_quotes(quote_ids, note=note), as_json)


@quotes_app.command("assign")
def quotes_assign(
    quote_ids: list[int] = QuoteIds,
    speaker: str = typer.Option(..., "--speaker", metavar="NAME_OR_ID",
                                help="The right speaker: an id, or a name (a name no speaker has makes a new one)."),
    note: Optional[str] = NoteOption,
    as_json: bool = JsonOption,
):
    """Attribute quotes to the right speaker; every later reprocess keeps it."""
    with open_corpus() as corpus:
        report_action(corpus.assign_quotes(quote_ids, speaker, note=note), as_json)


# --- the database as a whole --------------------------------------------------------------------

@app.command()
@output_options
def outlets(limit: Optional[int] = LimitOption, output: Optional[Format] = None):
    """List outlets with how many articles each has and their first and last dates."""
    with open_corpus() as corpus:
        rows = corpus.outlets(limit=limit)
        total = limited(rows, limit, lambda: corpus.counts()["outlets"])
    print_rows(rows, output, ["id", "name", "domain", "articles", "first_published", "last_published"],
               noun="outlet", total=total)


@app.command()
def stats(as_json: bool = JsonOption):
    """Counts of every kind of row, the database's size and its schema revision."""
    with open_corpus() as corpus:
        record = corpus.stats()
    if as_json:
        print_json(record)
        return
    for name, value in record.items():
        shown = _megabytes(value) if name == "size_bytes" else value
        out.print(styled((f"{name.replace('_bytes', '') + ':':17}", "bold"), str(shown)))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB ({size:,} bytes)"


@app.command()
def schema(as_json: bool = JsonOption):
    """The tables and columns you can query with `corpus sql`: types, keys and meanings."""
    with open_corpus() as corpus:
        tables = corpus.schema()
    if as_json:
        print_json(tables)
        return
    for table in tables:
        title = f"{table['table']}{'  (internal)' if table['internal'] else ''}"
        out.print(styled((title, "bold"), f"  {table['description']}" if table["description"] else ""))
        references = {column: f"{fk['table']}.{other}" for fk in table["foreign_keys"]
                      for column, other in zip(fk["columns"], fk["referred_columns"])}
        for column in table["columns"]:
            notes = ["primary key"] if column["primary_key"] else []
            notes += [f"→ {references[column['name']]}"] if column["name"] in references else []
            notes += [] if column["nullable"] or column["primary_key"] else ["not null"]
            notes += [column["description"]] if column["description"] else []
            out.print(f"  {column['name']:20} {column['type']:14} {'; '.join(notes)}".rstrip())
        out.print()


@app.command("datasette-metadata")
def datasette_metadata():
    """Print datasette metadata for this SQLite file: internal tables hidden, tables and
    columns described, article titles as labels. Use it as
    `corpus datasette-metadata > metadata.json && datasette corpus.db -m metadata.json`."""
    with open_corpus() as corpus:
        print_json(corpus.datasette_metadata())


# --- the web page ----------------------------------------------------------------------------------

@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", metavar="ADDRESS", help="Address to listen on; other than 127.0.0.1/::1 needs --token."),
    port: int = typer.Option(8000, "--port", metavar="PORT", min=0, max=65535, help="Port to listen on (0: any free port)."),
    read_only: bool = typer.Option(False, "--read-only", help="Serve the pages only, without any action that changes the corpus."),
    token: Optional[str] = typer.Option(None, "--token", metavar="SECRET", envvar="CORPUS_SERVE_TOKEN", show_envvar=True,
                                        help="Every request must carry this secret (the printed address includes it)."),
):
    """Serve a web page for reading and curating the corpus (Ctrl-C stops it)."""
    from .web import serve as serve_page

    with open_corpus() as corpus:
        def announce(address: str) -> None:
            mode = " (read-only)" if read_only else ""
            out.print(f"Serving {corpus.display_url}{mode} at {address}")
            out.print("Press Ctrl-C to stop.")

        serve_page(corpus, host=host, port=port, read_only=read_only, token=token, announce=announce)


def main() -> None:
    app()
