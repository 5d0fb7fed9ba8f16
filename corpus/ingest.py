"""Turning what users add (files, directories, globs, stdin, manifests) into stored
articles.

Adding is split in two so it can be spread over processes: `prepare` is pure work on one
document (decode, clean, find quotes) that any process can do, and `store` writes one
prepared document in a single transaction, so an interrupted run leaves whole articles
only and running it again completes the batch.
"""
from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import os
import re
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sized

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from . import clusters, columns, documents, quote_matching, speakers, workers
from .documents import DocumentError
from .errors import CorpusError
from .lazy import lazy_import
from .models import (Article, ArticleMinhash, ArticleTag, Document, MinhashBand, NearDuplicate, Outlet, Quote, Speaker,
                     Tag, utcnow)
from .values import domain_of, parse_datetime, tag_key, to_utc

# Only adding and re-cleaning need these (trafilatura, the quote extractor, urllib3 and lxml).
cleaning = lazy_import("corpus.cleaning")
quotes = lazy_import("corpus.quotes")
fetch = lazy_import("corpus.fetch")

DOCUMENT_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".txt", ".text", ""}
STDIN_SOURCE = "<stdin>"
_GLOB_CHARS = re.compile(r"[*?\[]")


class InputError(CorpusError):
    """Input that cannot be read as a batch (a malformed manifest, a bad date)."""


@dataclass(frozen=True)
class Metadata:
    """What the user states about a document; it wins over what cleaning finds."""

    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    title: str | None = None
    tags: tuple[str, ...] = ()

    def as_json(self) -> dict | None:
        stated = {
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "title": self.title,
            "tags": list(self.tags),  # applied when a refused document later becomes an article
        }
        stated = {k: v for k, v in stated.items() if v}
        return stated or None

    @classmethod
    def from_json(cls, stated: dict | None) -> Metadata:
        stated = stated or {}
        published = stated.get("published")
        return cls(
            outlet=stated.get("outlet"),
            url=stated.get("url"),
            published=datetime.fromisoformat(published) if published else None,
            title=stated.get("title"),
            tags=tuple(stated.get("tags") or ()),
        )


@dataclass(frozen=True)
class AddRequest:
    """One document to add: where it came from, its bytes (or a path to read them from)."""

    source: str
    path: str | None = None
    data: bytes | None = None
    metadata: Metadata = field(default_factory=Metadata)
    content_type: str | None = None
    fetch_url: str | None = None  # a web page to fetch for the bytes
    fetched_from: str | None = None  # where the fetch ended, after redirects
    fetched_at: datetime | None = None
    error: str | None = None  # set when the input could not even be found

    def read(self, max_bytes: int = documents.MAX_DOCUMENT_BYTES) -> bytes:
        """The document's bytes; one over `max_bytes` is refused (a file is not even read)."""
        data = self.data
        if data is None:
            try:
                with open(self.path, "rb") as handle:
                    size = os.fstat(handle.fileno()).st_size
                    if size > max_bytes:
                        raise DocumentError(documents.too_large(max_bytes, size))
                    data = handle.read(max_bytes + 1)  # a file may grow while it is read
            except IsADirectoryError:
                raise DocumentError("is a directory") from None
            except OSError as exc:
                raise DocumentError(exc.strerror or str(exc)) from None
        if len(data) > max_bytes:
            raise DocumentError(documents.too_large(max_bytes))
        return data


@dataclass(frozen=True)
class AddResult:
    source: str
    # "added" | "present" | "tagged" | "updated" (present, and changed) | "refused" (stored, not an
    # article: message says why) | "failed" | "reprocessed"
    status: str
    article_id: int | None = None
    title: str | None = None
    message: str | None = None

    def as_dict(self) -> dict:
        return {"source": self.source, "status": self.status, "article_id": self.article_id,
                "title": self.title, "message": self.message}


@dataclass(frozen=True)
class PreparedArticle:
    """A document decoded, cleaned and searched for quotes, ready to store; when cleaning
    refused it (`article.refusal`), ready to store as a refused document."""

    request: AddRequest
    size: int  # of the raw document
    compressed: bytes  # the raw document as stored (compressed here: in a worker, not the writer)
    raw_sha256: str
    content_type: str
    encoding: str
    article: cleaning.CleanedArticle
    content_hash: str
    quotes: list[quotes.ExtractedQuote]
    fingerprint: bytes  # for near-duplicate detection (corpus.clusters)
    repairs: tuple[str, ...] = ()  # what decoding had to change (see documents.decode)


# --- finding the documents ---------------------------------------------------------------

def expand_inputs(inputs: Iterable[str], metadata: Metadata, stdin: io.BufferedIOBase | None = None) -> Iterator[AddRequest]:
    """Files, directories (recursively, document files only), globs and "-" for stdin,
    each becoming a request; an input that names nothing becomes a failed request."""
    for item in inputs:
        if is_url(item):
            yield url_request(item, metadata)
            continue
        if item == "-":
            data = stdin.read() if stdin is not None else b""
            yield AddRequest(source=STDIN_SOURCE, data=data, metadata=metadata)
            continue
        path = Path(item).expanduser()
        if path.is_dir():
            found = sorted(_document_files(path))
            if not found:
                yield AddRequest(source=item, metadata=metadata, error="no documents in this directory")
            for file in found:
                yield AddRequest(source=str(file), path=str(file), metadata=metadata)
        elif path.exists():
            yield AddRequest(source=str(path), path=str(path), metadata=metadata)
        elif _GLOB_CHARS.search(item):
            matches = sorted(p for p in glob.glob(str(path), recursive=True) if Path(p).is_file())
            if not matches:
                yield AddRequest(source=item, metadata=metadata, error="no files match this pattern")
            for match in matches:
                yield AddRequest(source=match, path=match, metadata=metadata)
        else:
            yield AddRequest(source=item, metadata=metadata, error="no such file or directory")


def _document_files(directory: Path) -> Iterator[Path]:
    for path in directory.rglob("*"):
        relative = path.relative_to(directory).parts
        if any(part.startswith(".") for part in relative):
            continue
        if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES:
            yield path


MANIFEST_FIELDS = ("path", "url", "outlet", "published", "tags", "title")


def read_manifest(manifest: str, defaults: Metadata) -> Iterator[AddRequest]:
    """Rows of a CSV or JSONL manifest (path or url, outlet, published, tags, title) as
    requests; relative paths are relative to the manifest, and a row with a url but no
    path is fetched. Tags may be separated by ; or |. A row that cannot be read (not
    JSON, a bad date, neither path nor url, a value of the wrong kind) becomes a failed
    request named by its line, and the other rows are added; a file that cannot be read
    as a manifest at all is an InputError."""
    manifest_path = Path(manifest)
    try:
        text = manifest_path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read manifest {manifest}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{manifest}: not UTF-8 text (byte {exc.start + 1}); save it as UTF-8") from None
    if manifest_path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        rows = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    else:
        reader = csv.DictReader(io.StringIO(text))
        unknown = set(reader.fieldnames or ()) - set(MANIFEST_FIELDS)
        if unknown or not reader.fieldnames:
            raise InputError(
                f"{manifest}: unknown columns {sorted(unknown)}; expected some of {', '.join(MANIFEST_FIELDS)}"
                if unknown else f"{manifest}: empty manifest"
            )
        rows = [(reader.line_num, row) for row in reader]  # the line it ends on: blank lines are skipped
    for number, row in rows:
        where = f"{manifest}:{number}"
        try:
            request = _manifest_request(manifest_path, _json_row(row) if isinstance(row, str) else row, defaults,
                                        where)
        except InputError as exc:
            request = AddRequest(source=where, metadata=defaults, error=str(exc))
        yield request


def _json_row(line: str) -> dict:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON ({exc.msg})") from None
    if not isinstance(row, dict):
        raise InputError("each line must be a JSON object")
    return row


def _manifest_request(manifest_path: Path, row: dict, defaults: Metadata, where: str) -> AddRequest:
    """The request one manifest row makes (InputError for a row that cannot be read)."""
    if None in row:  # csv.DictReader's key for fields beyond the header's
        raise InputError("more fields than the header names")
    for name, value in row.items():
        if name == "tags" and isinstance(value, list) and all(isinstance(tag, str) for tag in value):
            continue
        if value is not None and not isinstance(value, str):
            raise InputError(f"{name} must be text, not {_json_kind(value)}")
    tags = row.get("tags") or ()
    if isinstance(tags, str):
        tags = [t for t in re.split(r"[;|]", tags)]
    try:
        published = parse_datetime(row["published"]) if row.get("published") else defaults.published
    except ValueError as exc:
        raise InputError(str(exc)) from None
    url = (row.get("url") or "").strip()
    metadata = Metadata(
        outlet=(row.get("outlet") or "").strip() or defaults.outlet,
        url=fetch.normalize_url(url) if url else defaults.url,
        published=published,
        title=(row.get("title") or "").strip() or defaults.title,
        tags=normalise_tags([*defaults.tags, *tags]),
    )
    location = (row.get("path") or "").strip()
    if location:
        path = manifest_path.parent / location
        if path.is_file():
            return AddRequest(source=str(path), path=str(path), metadata=metadata)
        return AddRequest(source=str(path), metadata=metadata, error=f"no such file ({where})")
    if metadata.url:
        return url_request(metadata.url, metadata)
    raise InputError("a row needs a path or a url")


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    return {dict: "an object", list: "a list of non-text values"}.get(type(value), type(value).__name__)


def is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


def url_request(url: str, metadata: Metadata) -> AddRequest:
    """A web page to fetch; it is recorded under its normalised URL, so the same page
    spelled differently (tracking parameters, fragment, trailing slash) is not fetched twice."""
    normalised = fetch.normalize_url(url)
    return AddRequest(source=url, fetch_url=url, metadata=replace(metadata, url=normalised))


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as stored: trimmed, cut to the column's length, empty ones dropped, one per
    tag_key (first spelling kept), in order."""
    seen: dict[str, str] = {}
    for tag in tags:
        tag = columns.fit(" ".join(str(tag).split()), Tag.name).strip()
        if tag:
            seen.setdefault(tag_key(tag), tag)
    return tuple(seen.values())


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)b?\s*$", re.IGNORECASE)


def parse_size(value: str) -> int:
    """A size the user gives, in bytes: 5000000, 500kB, 10MB, 1.5G (powers of 1000)."""
    match = _SIZE.match(value)
    if not match:
        raise InputError(f"not a size: {value!r} (use bytes, or a number with kB, MB or GB)")
    number, unit = match.groups()
    return int(float(number) * 1000 ** " kmg".index(unit.lower() or " "))


# --- preparing ---------------------------------------------------------------------------

def prepare(request: AddRequest, data: bytes, raw_sha256: str) -> PreparedArticle | AddResult:
    """Decode, clean and find quotes. Pure, so it can run in a worker process; a document
    that cannot be read as text gives a failed AddResult instead."""
    try:
        decoded = documents.decode(data, request.content_type)
    except DocumentError as exc:
        return AddResult(request.source, "failed", message=str(exc))
    if decoded.content_type == documents.HTML:
        article = cleaning.clean_html(decoded.text, url=request.metadata.url)
    else:
        article = cleaning.clean_text(decoded.text)
    refused = article.refusal is not None
    return PreparedArticle(
        request=request,
        size=len(data),
        compressed=documents.compress(data),
        raw_sha256=raw_sha256,
        content_type=decoded.content_type,
        encoding=decoded.encoding,
        article=article,
        content_hash="" if refused else body_hash(article.body),
        quotes=[] if refused else quotes.extract_quotes(article.body),
        fingerprint=b"" if refused else clusters.fingerprint_bytes(article.body),
        repairs=decoded.repairs,
    )


def body_hash(body: str) -> str:
    """Same text, same hash, whatever the whitespace."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


# --- storing -----------------------------------------------------------------------------

def present_result(session: Session, request: AddRequest, raw_sha256: str | None = None) -> AddResult | None:
    """The article already made from these exact bytes, or (for a page not yet fetched)
    from this URL, if any: checked before cleaning or fetching."""
    if raw_sha256 is None:
        condition = Article.url == request.metadata.url
    else:
        condition = Document.sha256 == raw_sha256
    row = session.execute(select(Article.id, Article.title).join(Document).where(condition)).first()
    if row:
        return AddResult(request.source, "present", row.id, row.title, "already in the corpus")
    return None


def store(session: Session, prepared: PreparedArticle) -> AddResult:
    """Write one prepared document and everything made from it, in one transaction. A
    document whose bytes or text are already stored adds nothing; one cleaning refused is
    stored as a refused document; one stated to be at a URL another article has fails, as
    does one the database refuses, alone: the batch goes on. Values too long for their
    columns are cut, and the result says so."""
    request = prepared.request
    columns.watch(session)
    for attempt in range(3):
        columns.take_repairs(session)
        try:
            with session.begin():
                existing = _existing_article(session, prepared)
                if existing is not None:
                    return AddResult(request.source, "present", existing.id, existing.title,
                                     "already in the corpus")
                if prepared.article.refusal:
                    _document(session, prepared)
                    return AddResult(request.source, "refused", message=prepared.article.refusal)
                owner = _url_owner(session, request.metadata.url)
                if owner is not None:
                    return AddResult(request.source, "failed", message=f"url already used by #{owner}")
                article = _insert(session, prepared)
            repairs = [*prepared.repairs, *columns.take_repairs(session)]
            return AddResult(request.source, "added", article.id, article.title,
                             f"repaired: {'; '.join(repairs)}" if repairs else None)
        except IntegrityError as exc:
            # Another process stored the same outlet, tag or document first: look again.
            if attempt == 2:
                return AddResult(request.source, "failed", message=f"not stored: {_reason(exc)}")
        except DataError as exc:
            return AddResult(request.source, "failed", message=f"not stored: {_reason(exc)}")
    raise AssertionError("unreachable")


def _reason(exc: IntegrityError | DataError) -> str:
    return str(exc.orig).strip().splitlines()[0]


def _url_owner(session: Session, url: str | None) -> int | None:
    if not url or not columns.fits(url, Article.url):
        return None
    return session.scalar(select(Article.id).where(Article.url == url))


def _existing_article(session: Session, prepared: PreparedArticle) -> Article | None:
    """The article already stored from the same bytes or with the same text (two indexed
    lookups: an OR across the join would scan every article; a refused document has no text)."""
    conditions = [Document.sha256 == prepared.raw_sha256]
    if not prepared.article.refusal:
        conditions.insert(0, Article.content_hash == prepared.content_hash)
    for condition in conditions:
        found = session.scalars(select(Article).join(Document).where(condition).limit(1)).first()
        if found is not None:
            return found
    return None


def _document(session: Session, prepared: PreparedArticle) -> Document:
    """The stored document of prepared's bytes, written now. The bytes may be stored
    already: refused before, or left by an article deleted with SQL."""
    request = prepared.request
    document = session.scalar(select(Document).where(Document.sha256 == prepared.raw_sha256))
    if document is None:
        document = Document(sha256=prepared.raw_sha256)
        session.add(document)
    document.content_type = prepared.content_type
    document.encoding = prepared.encoding
    document.size = prepared.size
    document.data = prepared.compressed
    document.url = request.fetched_from or request.metadata.url
    document.fetched_at = request.fetched_at
    stated = request.metadata
    if document.refusal:  # refused before: what was stated then still holds, unless stated again now
        earlier = Metadata.from_json(document.supplied_metadata)
        stated = Metadata(outlet=stated.outlet or earlier.outlet, url=stated.url or earlier.url,
                          published=stated.published or earlier.published, title=stated.title or earlier.title,
                          tags=normalise_tags([*earlier.tags, *stated.tags]))
    document.supplied_metadata = stated.as_json()
    document.refusal = prepared.article.refusal
    document.source = request.source if document.refusal else None  # an article has its own
    return document


def _insert(session: Session, prepared: PreparedArticle) -> Article:
    request = prepared.request
    document = _document(session, prepared)
    _clear_rows_of_deleted_ids(session)
    stated = Metadata.from_json(document.supplied_metadata)  # with what was stated if it was refused before
    prepared = replace(prepared, request=replace(request, metadata=stated))
    article = Article(document=document, source=request.source, added_at=utcnow())
    session.add(article)
    apply_cleaned(session, article, prepared)
    for tag in tag_rows(session, stated.tags):
        article.tags.append(tag)
    session.flush()
    clusters.record(session, article.id, prepared.fingerprint)
    return article


def _clear_rows_of_deleted_ids(session: Session) -> None:
    """SQLite gives a new article the id after the highest one, which may be the id of an
    article deleted with SQL while foreign keys were off (the sqlite3 shell's default): the
    rows that article left behind are removed, so the new one neither fails on them nor
    inherits its quotes and tags. Indexed range deletes: nothing to do costs next to nothing."""
    if session.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's sequences never give an id twice
    highest = session.scalar(select(func.max(Article.id))) or 0
    left = [(model, model.article_id) for model in (Quote, ArticleTag, ArticleMinhash, MinhashBand, NearDuplicate)]
    left.append((NearDuplicate, NearDuplicate.duplicate_of))
    # One look for any such row first: almost always there is none, and six ORM deletes
    # per article took a fifth of storing it (cProfile of adding 1,000 pages: 78 of 407 s).
    if session.scalar(select(or_(*(exists().where(column > highest) for _, column in left)))):
        for model, column in left:
            session.execute(delete(model).where(column > highest))


def apply_cleaned(session: Session, article: Article, prepared: PreparedArticle) -> None:
    """Set an article's cleaned fields and quotes from a prepared document (on add and on
    reprocess). What the user stated wins over what cleaning found, and the fields a
    person edited (`edited_fields`) and their decisions about quotes are kept."""
    with session.no_autoflush:  # the article may be half-filled until the end
        _apply_cleaned(session, article, prepared)


def _apply_cleaned(session: Session, article: Article, prepared: PreparedArticle) -> None:
    cleaned = prepared.article
    stated = prepared.request.metadata
    found = {
        "url": _recordable_url(stated.url) or _free_url(session, cleaned.url, article.id),
        "title": stated.title or cleaned.title,
        "subtitle": cleaned.subtitle,
        "byline": cleaned.byline,
        "published_at": stated.published or (to_utc(cleaned.published_at) if cleaned.published_at else None),
        "language": cleaned.language,
    }
    edited = set(article.edited_fields or ())
    for name, value in found.items():
        if name not in edited:
            setattr(article, name, value)
    article.body = cleaned.body
    article.word_count = len(cleaned.body.split())
    article.source_credit = cleaned.source_credit
    article.content_hash = prepared.content_hash
    article.extractor_version = cleaning.EXTRACTOR_VERSION
    if "outlet" not in edited:
        article.outlet = outlet_row(session, stated.outlet or cleaned.outlet, article.url)
    _carry_quotes(session, article, prepared.quotes)


def _carry_quotes(session: Session, article: Article, extracted: list[quotes.ExtractedQuote]) -> None:
    """Give the article the quotes just extracted. A stored quote found again keeps its
    row (its id, status and assigned speaker); one a person rejected or assigned that was
    not found again stays while its text is still in the body."""
    stored = list(article.quotes)
    found_again = quote_matching.match([quote_matching.Span(q.start_offset, q.end_offset, q.text) for q in stored],
                                       [quote_matching.Span(q.start, q.end, q.text) for q in extracted])
    speakers.lock_for_resolution(session, [quote.speaker for quote in extracted if quote.speaker])
    speakers_seen: dict[str, Speaker] = {}
    rows = []
    for index, quote in enumerate(extracted):  # one at a time: resolving a speaker may flush the ones before
        row = stored[found_again[index]] if index in found_again else Quote()
        _fill_quote(session, row, quote, speakers_seen)
        rows.append(row)
    occupied = [(quote.start, quote.end) for quote in extracted]
    matched = set(found_again.values())
    for index, row in enumerate(stored):
        if index in matched or (row.status == "found" and not row.speaker_assigned):
            continue
        again = quote_matching.find_again(article.body, quote_matching.Span(row.start_offset, row.end_offset, row.text),
                                          occupied)
        if again is not None:
            row.start_offset, row.end_offset = again.start, again.end
            occupied.append((again.start, again.end))
            rows.append(row)
    article.quotes = sorted(rows, key=lambda row: row.start_offset)


def _free_url(session: Session, url: str | None, article_id: int | None) -> str | None:
    """A URL found in the page is recorded unless another article already has it (pages
    that declare a wrong canonical URL must not block each other)."""
    if not _recordable_url(url):
        return None
    owner = session.scalar(select(Article.id).where(Article.url == url))
    return url if owner is None or owner == article_id else None


def _recordable_url(url: str | None) -> str | None:
    """A URL too long for its column is not recorded on the article (cut, it would be
    another address); the document keeps the one stated or fetched in full."""
    return url if url and columns.fits(url, Article.url) else None


def _fill_quote(session: Session, row: Quote, quote: quotes.ExtractedQuote, speakers_seen: dict) -> None:
    """Set a quote row from an extracted quote, its speaker resolved once per article (with
    every spelling the article uses recorded as an alias), unless a person assigned it."""
    row.text, row.kind, row.cue = quote.text, quote.kind, quote.cue
    row.start_offset, row.end_offset = quote.start, quote.end
    row.speaker_name, row.speaker_role = quote.speaker, quote.speaker_role
    if row.speaker_assigned:
        return
    speaker = None
    if quote.speaker:
        speaker = speakers_seen.get(quote.speaker)
        if speaker is None:
            speaker = speakers.resolve_speaker(session, quote.speaker, kind=quote.speaker_kind,
                                               role=quote.speaker_role,
                                               organisation=quote.speaker_organisation)
            for form in quote.speaker_aliases:
                speakers.add_alias(speaker, form)
            speakers_seen[quote.speaker] = speaker
    row.speaker = speaker


def outlet_row(session: Session, name: str | None, url: str | None) -> Outlet | None:
    """The outlet for a name and/or URL: one row per domain, reused across articles;
    named after the domain when the page names no publisher."""
    domain = domain_of(url)
    domain = domain if columns.fits(domain, Outlet.domain) else None
    name = columns.fit(" ".join((name or "").split()), Outlet.name).strip() or domain
    if name is None:
        return None
    outlet = None
    if domain:
        outlet = session.scalar(select(Outlet).where(Outlet.domain == domain))
    if outlet is None:
        outlet = session.scalar(select(Outlet).where(Outlet.name == name))
        if outlet is not None and outlet.domain is None and domain:
            outlet.domain = domain
    if outlet is None:
        outlet = Outlet(name=name, domain=domain)
        session.add(outlet)
    return outlet


def tag_rows(session: Session, names: Iterable[str]) -> list[Tag]:
    """The tag row for each name (matched by tag_key), created with this spelling when new."""
    rows = []
    for name in normalise_tags(names):
        key = tag_key(name)
        tag = session.scalar(select(Tag).where(Tag.name_key == key))
        if tag is None:
            tag = Tag(name=name, name_key=key)
            session.add(tag)
        rows.append(tag)
    return rows


# --- the add pipeline ----------------------------------------------------------------------

def stated_metadata(outlet=None, url=None, published=None, title=None, tags=()) -> Metadata:
    """What a user states about the documents of one `add`, checked and normalised."""
    return Metadata(outlet=outlet, url=fetch.normalize_url(url) if url else None, published=as_datetime(published),
                    title=title, tags=normalise_tags(tags))


def as_datetime(value: str | datetime | None) -> datetime | None:
    """A date the user gave (ISO text or a datetime) as stored: naive UTC."""
    if isinstance(value, str):
        try:
            return parse_datetime(value)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    return to_utc(value) if value else None


def gather_requests(inputs: Iterable[str], defaults: Metadata, *, stdin: io.BufferedIOBase | None,
                    manifest: str | None, feeds: Iterable[str], sitemaps: Iterable[str],
                    since: datetime | None, limit: int | None, fetcher: fetch.Fetcher) -> list[AddRequest]:
    """Every document one `add` names: inputs, a manifest's rows, and the pages feeds and
    sitemaps list (`since`, `limit` select among those); a listing that cannot be fetched
    becomes a failed request."""
    requests = list(expand_inputs(inputs, defaults, stdin))
    if manifest:
        requests.extend(read_manifest(manifest, defaults))
    for listing, list_urls in ((feeds, fetch.feed_article_urls), (sitemaps, fetch.sitemap_article_urls)):
        for listing_url in listing:
            try:
                found = list_urls(fetcher, listing_url, since=since, limit=limit)
            except fetch.FetchError as exc:
                requests.append(AddRequest(source=listing_url, metadata=defaults, error=exc.message))
                continue
            requests.extend(url_request(page_url, defaults) for page_url in found)
    return requests


# What to do with a document already in the corpus, added again (corpus.curation.apply_stated
# applies the tags and metadata stated this time); by default, nothing.
OnPresent = Callable[[Session, AddRequest, AddResult], AddResult]


def _leave_present(_session: Session, _request: AddRequest, present: AddResult) -> AddResult:
    return present


def add_requests(sessions: sessionmaker[Session], requests: Iterable[AddRequest], jobs: int,
                 fetcher: fetch.Fetcher | None = None, on_present: OnPresent = _leave_present,
                 max_bytes: int = documents.MAX_DOCUMENT_BYTES) -> Iterator[AddResult]:
    """Store each request's article, yielding results in input order as they are stored;
    bytes already stored are not cleaned again, but given to `on_present`. A document
    over `max_bytes` fails (web pages: the fetcher's own limit)."""
    count = len(requests) if isinstance(requests, Sized) else None
    with sessions() as session, _preparer(jobs, count) as preparer:
        clusters.fingerprint_missing(session)
        pending: deque = deque()  # prepared articles (or their futures), in input order
        for request in requests:
            pending.append(_start(session, request, preparer, fetcher, on_present, max_bytes))
            while pending and (len(pending) > preparer.window or _is_ready(pending[0])):
                yield _finish(session, pending.popleft(), on_present)
        while pending:
            yield _finish(session, pending.popleft(), on_present)


def _start(session: Session, request: AddRequest, preparer: _Preparer, fetcher: fetch.Fetcher | None,
           on_present: OnPresent, max_bytes: int):
    if request.error:
        return AddResult(request.source, "failed", message=request.error)
    if request.fetch_url:
        with session.begin():
            present = present_result(session, request)
        if present:
            return on_present(session, request, present)
        try:
            page = (fetcher or fetch.Fetcher()).fetch(request.fetch_url)
        except fetch.FetchError as exc:
            return AddResult(request.source, "failed", message=exc.message)
        request = replace(request, data=page.data, content_type=page.content_type,
                          fetched_from=page.final_url, fetched_at=to_utc(page.fetched_at))
    try:
        data = request.read(max_bytes)
    except DocumentError as exc:
        return AddResult(request.source, "failed", message=str(exc))
    raw_sha256 = documents.sha256(data)
    with session.begin():
        present = present_result(session, request, raw_sha256)
    if present:
        return on_present(session, request, present)
    return preparer.submit(replace(request, data=None), data, raw_sha256)


def _finish(session: Session, outcome, on_present: OnPresent) -> AddResult:
    if isinstance(outcome, Future):
        outcome = outcome.result()
    if isinstance(outcome, AddResult):
        return outcome
    result = store(session, outcome)
    return on_present(session, outcome.request, result) if result.status == "present" else result


class _Preparer:
    """Runs `prepare` here (jobs=1) or in a pool of worker processes, keeping at most
    `window` documents in flight so memory stays flat however many are added. Workers
    end when this process does, however it ends (see workers.py); a SIGTERM here ends the
    batch as Ctrl-C does."""

    def __init__(self, jobs: int):
        self.pool = workers.pool(jobs) if jobs > 1 else None
        self.window = jobs * 32 if self.pool else 0
        self._stop_on_sigterm = workers.StopOnSigterm() if self.pool else None

    def submit(self, request: AddRequest, data: bytes, raw_sha256: str):
        if self.pool is None:
            return prepare(request, data, raw_sha256)
        return self.pool.submit(prepare, request, data, raw_sha256)

    def __enter__(self) -> _Preparer:
        if self._stop_on_sigterm:
            self._stop_on_sigterm.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self._stop_on_sigterm.__exit__(*exc)


def _preparer(jobs: int, documents: int | None) -> _Preparer:
    """Worker processes for `jobs`, but no more than there are documents, nor than twice
    the cores (more only compete for them, each holding its own memory)."""
    if jobs < 1:
        raise InputError("--jobs must be at least 1")
    return _Preparer(max(1, min(jobs, documents if documents is not None else jobs, (os.cpu_count() or 1) * 2)))


def _is_ready(outcome) -> bool:
    return not isinstance(outcome, Future) or outcome.done()


def reprocess_article(session: Session, article_id: int) -> AddResult:
    """Clean one stored article again from its raw document, keeping its id, tags and
    people's decisions (see apply_cleaned). One transaction, the article locked."""
    columns.watch(session)
    with session.begin():
        article = session.get(Article, article_id, with_for_update=True)
        if article is None:
            return AddResult(str(article_id), "failed", article_id, message="deleted while reprocessing")
        document = article.document
        data = documents.decompress(document.data)
        request = AddRequest(source=article.source, data=data, content_type=document.content_type,
                             metadata=Metadata.from_json(document.supplied_metadata))
        prepared = prepare(request, data, document.sha256)
        if isinstance(prepared, AddResult):
            return replace(prepared, article_id=article_id, title=article.title)
        if prepared.article.refusal:  # people's work on the article outweighs the new cleaner's verdict
            return AddResult(article.source, "failed", article_id, article.title,
                             f"{prepared.article.refusal}; left as it was")
        clash = session.scalar(select(Article.id).where(
            Article.content_hash == prepared.content_hash, Article.id != article_id))
        if clash is not None:
            return AddResult(article.source, "failed", article_id, article.title,
                             f"cleans to the same text as article {clash}; left as it was")
        apply_cleaned(session, article, prepared)
        clusters.forget(session, article_id)
        clusters.record(session, article_id, prepared.fingerprint)
        return AddResult(article.source, "reprocessed", article_id, article.title)


def revisit_refused(session: Session, document_id: int) -> AddResult:
    """Clean a refused document again: it becomes an article (with the tags stated when
    it was added) when cleaning now finds one, else stays refused with today's reason.
    One transaction, the document locked."""
    with session.begin():
        document = session.get(Document, document_id, with_for_update=True)
        if document is None or document.refusal is None:
            return AddResult(str(document_id), "failed", message="no longer a refused document")
        data = documents.decompress(document.data)
        request = AddRequest(source=document.source or f"document {document_id}", data=data,
                             content_type=document.content_type, fetched_from=document.url,
                             fetched_at=document.fetched_at,
                             metadata=Metadata.from_json(document.supplied_metadata))
        prepared = prepare(request, data, document.sha256)
        if isinstance(prepared, AddResult):
            return prepared
        existing = _existing_article(session, prepared)
        if existing is not None:
            return AddResult(request.source, "present", existing.id, existing.title, "already in the corpus")
        if prepared.article.refusal:
            document.refusal = prepared.article.refusal
            return AddResult(request.source, "refused", message=prepared.article.refusal)
        article = _insert(session, prepared)
        return AddResult(request.source, "added", article.id, article.title)
