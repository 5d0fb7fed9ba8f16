"""`corpus serve`: a web page for reading and curating the corpus, over the Python API.

    from corpus import Corpus
    from corpus.web import create_app
    app = create_app(Corpus("sqlite:///corpus.db"), read_only=True)   # any ASGI server runs it

Server-rendered HTML that works without JavaScript (the page runs none); templates and the
stylesheet ship inside the package.
"""
from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
