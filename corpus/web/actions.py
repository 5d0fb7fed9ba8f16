"""The changes a page can make: each a POST carrying the CSRF token, done through the Corpus
API, then a redirect to the page to look at with a message saying what was done. None of
these routes exists on a --read-only server."""
from __future__ import annotations

from typing import Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..api import Corpus
from . import security
from .params import BadRequest, form_ids, row_id
from .responses import redirect

MAX_FORM_FIELDS = 200


class Form:
    """A submitted form's text fields."""

    def __init__(self, data: FormData):
        self.data = data

    def get(self, name: str) -> str:
        value = self.data.get(name)
        return value.strip() if isinstance(value, str) else ""

    def required(self, name: str, label: str | None = None) -> str:
        value = self.get(name)
        if not value:
            raise BadRequest(f"give {label or 'a ' + name}")
        return value

    def ids(self, name: str) -> list[int]:
        """Every id given in the field(s) of this name (checkboxes, or typed as '12, 15')."""
        return sorted({i for value in self.data.getlist(name) if isinstance(value, str) for i in form_ids(value)})


def action(change: Callable[[Corpus, Request, Form], tuple[str, str]]):
    """A POST endpoint around `change(corpus, request, form) -> (where to go, message)`:
    checks the CSRF token, and runs the change in the thread pool like every query."""
    async def endpoint(request: Request) -> Response:
        data = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
        security.check_csrf(request, data)
        target, message = await run_in_threadpool(change, request.app.state.corpus, request, Form(data))
        return redirect(target, message)
    endpoint.__name__ = change.__name__
    return endpoint


def _article_id(request: Request) -> int:
    return row_id(request.path_params["article_id"])


def _speaker_id(request: Request) -> int:
    return row_id(request.path_params["speaker_id"])


# --- articles ------------------------------------------------------------------------------------

def tag_article(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    article_id = _article_id(request)
    name = form.required("tag")
    added = corpus.tag(name, [article_id])
    return f"/articles/{article_id}", f"tagged {name!r}" if added else f"already tagged {name!r}"


def untag_article(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    article_id = _article_id(request)
    name = form.required("tag")
    corpus.untag(name, [article_id])
    return f"/articles/{article_id}", f"removed the tag {name!r}"


# --- speakers ---------------------------------------------------------------------------------

def rename_speaker(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    speaker_id = _speaker_id(request)
    record = corpus.rename_speaker(speaker_id, form.required("name", "the new name"))
    return f"/speakers/{speaker_id}", f"renamed to {record['name']}"


def merge_speakers(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    speaker_id = _speaker_id(request)
    others = form.ids("other")
    if not others:
        raise BadRequest("choose the speakers to merge into this one")
    record = corpus.merge_speakers(speaker_id, others)
    merged = ", ".join(f"#{i}" for i in others)
    return f"/speakers/{speaker_id}", f"merged {merged} into {record['name']}"


def routes() -> list[Route]:
    return [
        Route("/articles/{article_id:int}/tag", action(tag_article), methods=["POST"]),
        Route("/articles/{article_id:int}/untag", action(untag_article), methods=["POST"]),
        Route("/speakers/{speaker_id:int}/rename", action(rename_speaker), methods=["POST"]),
        Route("/speakers/{speaker_id:int}/merge", action(merge_speakers), methods=["POST"]),
    ]
