"""The result type shared by the HTML and the text-dump extractors."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Stored with each article; bump whenever extraction output changes.
EXTRACTOR_VERSION = "clean-2"
NO_TEXT = "not an article: no text"  # the refusal of a page with no text (or one cleaning failed on)


@dataclass(frozen=True)
class CleanedArticle:
    body: str  # paragraphs in order joined by "\n\n"; "" if none found
    title: str | None = None
    subtitle: str | None = None  # standfirst under the headline
    byline: str | None = None  # author name(s) only
    published_at: datetime | None = None  # aware when the page gives a zone
    outlet: str | None = None  # publisher name where the page names it
    url: str | None = None  # canonical URL an HTML page declares
    language: str | None = None  # ISO 639-1
    source_credit: str | None = None  # agency credit ending the last paragraph
    # Why the page is not an article ("not an article: error page"); None when it is one.
    refusal: str | None = None
