"""The shapes of the records the API returns and exports, defined once: an article's
fields (`ARTICLE_FIELDS`), the summary every listing shows, the full record `show` and
`export` print, a quote, and the CSV columns derived from the export record."""
from __future__ import annotations

from .models import Article, Quote

# Article fields in the order every record and CSV lists them.
ARTICLE_FIELDS = ("id", "source", "url", "outlet", "title", "subtitle", "byline", "published_at",
                  "language", "word_count", "tags")
# The export record (and the columns of `export --format csv`): the fields, then what only
# a full record carries.
EXPORT_FIELDS = (*ARTICLE_FIELDS, "source_credit", "quotes", "body")


def outlet_name(article: Article) -> str | None:
    return article.outlet.name if article.outlet else None


_RELATED = {"outlet": outlet_name, "tags": lambda article: [tag.name for tag in article.tags]}


def article_summary(article: Article) -> dict:
    """An article's metadata and tags (every listing of articles)."""
    return {name: _RELATED[name](article) if name in _RELATED else getattr(article, name)
            for name in ARTICLE_FIELDS}


def export_record(article: Article) -> dict:
    """An article in full: its summary, quotes (but those a person rejected) and body (`export`)."""
    return dict(article_summary(article), source_credit=article.source_credit,
                quotes=[quote_record(quote) for quote in article.quotes if quote.status == "found"],
                body=article.body)


def quote_record(quote: Quote) -> dict:
    return {
        "id": quote.id,
        "text": quote.text,
        "speaker": quote.speaker.name if quote.speaker else quote.speaker_name,
        "speaker_id": quote.speaker_id,
        "speaker_role": quote.speaker_role,
        "kind": quote.kind,
        "cue": quote.cue,
        "start": quote.start_offset,
        "end": quote.end_offset,
        "status": quote.status,
        "speaker_assigned": quote.speaker_assigned,
    }


def export_csv_row(record: dict) -> dict:
    """An export record as one CSV line: tags joined by ";", quotes counted."""
    return dict(record, tags=";".join(record["tags"]), quotes=len(record["quotes"]))
