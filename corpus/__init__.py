"""corpus: a SQL-backed curation database for news articles."""
from .api import ArticleFilter, Corpus, CorpusError
from .ingest import AddResult

__all__ = ["AddResult", "ArticleFilter", "Corpus", "CorpusError"]
__version__ = "0.1.0"
