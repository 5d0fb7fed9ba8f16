"""How pages are made: templates, links that keep a page's filters, the redirect after a
change with its one-time message, and error pages."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from . import security

HERE = Path(__file__).resolve().parent
FLASH_COOKIE = "corpus_flash"


def environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters["day"] = lambda value: value.strftime("%Y-%m-%d") if value else ""
    environment.filters["number"] = lambda value: f"{value:,}"
    environment.tests["web_address"] = is_web_address
    return environment


def is_web_address(value) -> bool:
    """Whether a stored URL may be a link: http(s) only, never javascript: or data:."""
    return isinstance(value, str) and urlsplit(value.strip()).scheme.lower() in ("http", "https")


def render(request: Request, template: str, *, status: int = 200, **context) -> HTMLResponse:
    """A page from its template, with what every page shows (navigation, the message of the
    last action, the CSRF token its forms send)."""
    flash = request.cookies.get(FLASH_COOKIE)
    html = request.app.state.templates.get_template(template).render(
        request=request, read_only=request.app.state.read_only, csrf=security.csrf_token(request),
        flash=unquote(flash) if flash else None, link=lambda path=None, **changes: link(request, path, **changes),
        **context)
    response = HTMLResponse(html, status)
    if flash:
        response.delete_cookie(FLASH_COOKIE, httponly=True, samesite="strict")
    return response


def link(request: Request, path: str | None = None, **changes) -> str:
    """This page's address (or `path`) with some query parameters changed; None or ""
    removes one. Changing anything but the page goes back to the first page."""
    params = dict(request.query_params)
    if "page" not in changes:
        params.pop("page", None)
    params.update(changes)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return (path or request.url.path) + (f"?{query}" if query else "")


def redirect(target: str, message: str) -> RedirectResponse:
    """After a change: send the browser on (303, so a reload does not repeat it) with a
    message the next page shows once."""
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(FLASH_COOKIE, quote(message[:500]), max_age=60, httponly=True, samesite="strict")
    return response


def error_page(request: Request, status: int, message: str) -> Response:
    if "application/json" in request.headers.get("accept", "") and "text/html" not in request.headers.get("accept", ""):
        return Response(json.dumps({"error": message}, ensure_ascii=False) + "\n", status, media_type="application/json")
    return render(request, "error.html", status=status, status_code=status, message=message)


