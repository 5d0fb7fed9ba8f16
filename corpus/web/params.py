"""Reading what a request asks for (filters, page, output format) and refusing what does not
make sense with a 400 page, before any query runs."""
from __future__ import annotations

from starlette.datastructures import QueryParams

from ..api import ArticleFilter, CorpusError, NotFoundError
from ..errors import without_control_characters
from ..ingest import parse_datetime

FILTER_FIELDS = ("tag", "outlet", "since", "until", "language")
FORMATS = ("html", "csv", "json")
MAX_PAGE = 100_000
MAX_ID = 2**31 - 1  # the largest id either database stores; a larger one names nothing
TRUE = ("1", "on", "true", "yes")


class BadRequest(CorpusError):
    """A request whose parameters make no sense (400, with the message shown)."""


def article_filter(params: QueryParams) -> ArticleFilter:
    """The article filters a page was asked for: tag, outlet, since, until, language and
    no_duplicates, as on the command line."""
    values = {name: without_control_characters((params.get(name) or "").strip(), name) or None
              for name in FILTER_FIELDS}
    for bound in ("since", "until"):
        if values[bound]:
            try:
                parse_datetime(values[bound])
            except ValueError as exc:
                raise BadRequest(f"{bound}: {exc}") from None
    return ArticleFilter(**values, no_duplicates=flag(params, "no_duplicates"))


def filter_params(filters: ArticleFilter) -> dict:
    """The query parameters that ask for these filters (for links and forms)."""
    values = {name: getattr(filters, name) for name in FILTER_FIELDS if getattr(filters, name)}
    if filters.no_duplicates:
        values["no_duplicates"] = "1"
    return values


def flag(params: QueryParams, name: str) -> bool:
    return (params.get(name) or "").lower() in TRUE


def page_number(params: QueryParams) -> int:
    raw = params.get("page") or "1"
    if not _is_number(raw) or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest(f"page must be a number from 1 to {MAX_PAGE:,}, not {raw!r}")
    return int(raw)


def output_format(params: QueryParams) -> str:
    wanted = params.get("format") or "html"
    if wanted not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}, not {wanted!r}")
    return wanted


def row_id(value: int) -> int:
    """An id from the path; one no row can have is refused like a missing one."""
    if value > MAX_ID:
        raise NotFoundError(f"no such id: {value}")
    return value


def form_ids(value: str) -> list[int]:
    """Ids typed into a form: numbers separated by commas or spaces, '#' allowed."""
    ids = []
    for part in value.replace(",", " ").split():
        part = part.lstrip("#")
        if not _is_number(part) or int(part) > MAX_ID:
            raise BadRequest(f"not an id: {part!r}")
        ids.append(int(part))
    return ids


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 12
