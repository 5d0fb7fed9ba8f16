"""The web application: routes, templates, and the pages shown for errors.

Handlers are plain functions over the `Corpus` API, run in Starlette's thread pool, so a
slow query never stops the server answering other requests; reads take no write lock, so
the page keeps answering while `corpus add` writes to the same database.
"""
from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..api import Corpus
from ..database import DatabaseError
from ..errors import CorpusError, NotFoundError
from . import actions, pages, security
from .responses import HERE, environment, error_page

log = logging.getLogger("corpus.web")


def create_app(corpus: Corpus, *, read_only: bool = False, token: str | None = None,
               loopback_only: bool = True) -> Starlette:
    """The page over `corpus`. `read_only` leaves out every action; `token`, when given, must
    come with every request; `loopback_only` answers only requests addressed to this machine
    by a loopback name (for a server bound to 127.0.0.1 or ::1)."""
    routes = pages.routes() + ([] if read_only else actions.routes())
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))
    app = Starlette(
        routes=routes,
        middleware=[Middleware(security.Guard, token=token, loopback_only=loopback_only, refuse=_refusal)],
        exception_handlers={
            HTTPException: _http_error,
            NotFoundError: _not_found,
            security.SecurityError: _refusal,
            DBAPIError: _database_error,
            DatabaseError: _database_error,
            CorpusError: _user_error,
            Exception: _server_error,
        },
    )
    app.state.corpus = corpus
    app.state.read_only = read_only
    app.state.templates = environment()
    return app


def _http_error(request: Request, exc: HTTPException) -> Response:
    messages = {404: "no such page", 405: "this address does not take that kind of request"}
    return error_page(request, exc.status_code, messages.get(exc.status_code, exc.detail))


def _not_found(request: Request, exc: Exception) -> Response:
    return error_page(request, 404, str(exc))


def _user_error(request: Request, exc: Exception) -> Response:
    return error_page(request, 400, str(exc))


def _refusal(request: Request, exc: security.SecurityError) -> Response:
    response = error_page(request, exc.status, exc.message)
    if exc.status == 401:
        response.headers["www-authenticate"] = "Bearer"
    return response


def _database_error(request: Request, exc: Exception) -> Response:
    detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    log.warning("database error on %s: %s", request.url.path, detail)
    return error_page(request, 503, f"the database could not answer: {detail}")


def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_page(request, 500, "something went wrong on the server; the details are in its log")
