"""Text cleaning: turn a fetched HTML page or a plain-text page dump into an article.

`clean_html` runs trafilatura (with fallbacks when it finds little);
`clean_text` locates the article inside a text dump line by line. Neither
raises on any string input; a page holding no article comes back with the
reason in `refusal` (corpus.cleaning.refusal).
"""
from .article import EXTRACTOR_VERSION, CleanedArticle
from .dump import clean_text
from .webpage import clean_html

__all__ = ["EXTRACTOR_VERSION", "CleanedArticle", "clean_html", "clean_text"]
