"""The changes a page can make: each a POST carrying the CSRF token, done through the Corpus
API, then a redirect to the page to look at with a message saying what was done. None of
these routes exists on a --read-only server."""
from __future__ import annotations

from typing import Callable
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..api import Corpus
from . import security
from .params import BadRequest, article_filter, filter_params, form_ids, row_id
from .responses import redirect, render

EDITABLE = ("title", "subtitle", "byline", "outlet", "published", "url", "language")

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


def delete_confirmation(request: Request) -> Response:
    """The page asking whether to delete (a GET shows it; only its form's POST deletes)."""
    article = request.app.state.corpus.article(_article_id(request))
    return render(request, "delete.html", article=article)


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


def tag_results(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    """Tag every match of a search with its filters (the search page's "tag all N")."""
    query, name = form.required("q", "a search"), form.required("new_tag", "a tag")
    filters = article_filter(form.data)
    added = corpus.tag(name, search=query, filters=filters)
    back = "/search?" + urlencode({"q": query, **filter_params(filters)})
    return back, f"tagged {added:,} more article{'s' if added != 1 else ''} {name!r}"


def edit_article(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    """Set the metadata fields the form changed (an emptied field is cleared)."""
    article_id = _article_id(request)
    shown = editable_values(corpus.article(article_id))
    changes = {field: form.get(field) for field in EDITABLE if _words(form.get(field)) != _words(shown[field])}
    if not changes:
        return f"/articles/{article_id}", "nothing changed"
    record = corpus.edit([article_id], **changes)
    return f"/articles/{article_id}", f"edited: {record['summary']}"


def editable_values(article: dict) -> dict[str, str]:
    """An article's editable fields as the edit form shows them."""
    published = article["published_at"]
    values = {field: article.get(field) or "" for field in EDITABLE}
    values["published"] = published.isoformat(timespec="minutes") if published else ""
    return values


def _words(text: str) -> str:
    return " ".join(text.split())


def delete_article(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    article_id = _article_id(request)
    corpus.delete([article_id], note=form.get("note") or None)
    return "/", f"deleted article #{article_id}"


# --- quotes -----------------------------------------------------------------------------------

def reject_quote(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    record = corpus.reject_quotes([_quote_id(request)])
    return _quote_page(form), record["summary"]


def restore_quote(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    record = corpus.restore_quotes([_quote_id(request)])
    return _quote_page(form), record["summary"]


def assign_quote(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    """Give a quote to a speaker, named or by id ("#12"); a new name makes a new speaker."""
    speaker = form.required("speaker", "a speaker's name or id")
    number = speaker.lstrip("#")
    record = corpus.assign_quotes([_quote_id(request)], int(number) if number.isdigit() else speaker)
    return _quote_page(form), record["summary"]


def _quote_id(request: Request) -> int:
    return row_id(request.path_params["quote_id"])


def _quote_page(form: Form) -> str:
    """The article page a quote form was sent from (its hidden `article` field)."""
    [article_id] = form.ids("article") or [None]
    return f"/articles/{article_id}#quotes" if article_id else "/"


# --- history ----------------------------------------------------------------------------------

def undo(corpus: Corpus, request: Request, form: Form) -> tuple[str, str]:
    record = corpus.undo(row_id(request.path_params["history_id"]))
    return form.get("back") if _local(form.get("back")) else "/history", record["summary"]


def _local(path: str) -> bool:
    """Whether a `back` address stays on this server (no scheme, no other host)."""
    return path.startswith("/") and not path.startswith(("//", "/\\"))


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
        Route("/search/tag", action(tag_results), methods=["POST"]),
        Route("/articles/{article_id:int}/tag", action(tag_article), methods=["POST"]),
        Route("/articles/{article_id:int}/untag", action(untag_article), methods=["POST"]),
        Route("/articles/{article_id:int}/edit", action(edit_article), methods=["POST"]),
        Route("/articles/{article_id:int}/delete", delete_confirmation, methods=["GET"]),
        Route("/articles/{article_id:int}/delete", action(delete_article), methods=["POST"]),
        Route("/quotes/{quote_id:int}/reject", action(reject_quote), methods=["POST"]),
        Route("/quotes/{quote_id:int}/restore", action(restore_quote), methods=["POST"]),
        Route("/quotes/{quote_id:int}/assign", action(assign_quote), methods=["POST"]),
        Route("/history/{history_id:int}/undo", action(undo), methods=["POST"]),
        Route("/speakers/{speaker_id:int}/rename", action(rename_speaker), methods=["POST"]),
        Route("/speakers/{speaker_id:int}/merge", action(merge_speakers), methods=["POST"]),
    ]
