"""corpus: a SQL-backed curation database for news articles.

`from corpus import Corpus` loads the API (SQLAlchemy and the models) on first use, so that
the command line starts without it."""
from .errors import CorpusError

__all__ = ["AddResult", "ArticleFilter", "Corpus", "CorpusError"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in ("ArticleFilter", "Corpus"):
        from . import api

        return getattr(api, name)
    if name == "AddResult":
        from .ingest import AddResult

        return AddResult
    raise AttributeError(f"module 'corpus' has no attribute {name!r}")
