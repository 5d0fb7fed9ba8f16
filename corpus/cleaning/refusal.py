"""Whether a cleaned page holds an article at all (stub: the rule ingest used so far)."""
from __future__ import annotations

from .article import CleanedArticle


def refusal(article: CleanedArticle, html: str | None = None) -> str | None:
    return None if article.body.strip() else "no article text found"
