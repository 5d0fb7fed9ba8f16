"""What keeps the page safe to leave running: who may ask, which changes are genuine, and
what a browser may load.

- Bound to the loopback interface, the server answers only requests addressed to a loopback
  name (a web page elsewhere cannot reach it by re-pointing its own domain at 127.0.0.1).
- With a token (required on any other interface), every request carries it: an
  `Authorization: Bearer` header, or the cookie set when the address `corpus serve` prints
  (`/?token=...`) is opened.
- Every change is a POST whose form carries the CSRF token of the browser's own cookie
  (SameSite=Strict, so another site's form never has it), and is refused when the browser
  says it comes from another site.
- Every response forbids scripts, frames and anything not from this server
  (Content-Security-Policy), and says how long the server took (Server-Timing).
"""
from __future__ import annotations

import ipaddress
import secrets
import time
from typing import Callable
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders, URL
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import CorpusError

CSRF_COOKIE = "corpus_csrf"
CSRF_FIELD = "csrf"
TOKEN_COOKIE = "corpus_token"
TOKEN_PARAMETER = "token"
TOKEN_ENVIRONMENT = "CORPUS_SERVE_TOKEN"
MIN_TOKEN_LENGTH = 16
MAX_BODY_BYTES = 1 << 20  # forms here are a few fields; nothing needs more

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})

# No script at all, nothing from elsewhere: the page works by links and forms alone.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-cache",
}


class SecurityError(CorpusError):
    """A request (or a server setting) refused for safety, with the HTTP status and a
    message for the user."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the server reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_token(token: str | None, host: str) -> str | None:
    """The token the server will require: refuse to serve other machines without one, and
    refuse a token short enough to guess."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise SecurityError(400, f"the token must be at least {MIN_TOKEN_LENGTH} characters "
                                 "(make one with: python3 -c 'import secrets; print(secrets.token_urlsafe())')")
    if token is None and not is_loopback(host):
        raise SecurityError(400, f"serving on {host} lets other machines reach the page: give --token "
                                 f"(or set {TOKEN_ENVIRONMENT}) so that only people who have it get in")
    return token


def csrf_token(connection: HTTPConnection) -> str:
    """The CSRF token forms on this page must send back."""
    return connection.state.csrf


def check_csrf(request: Request, form) -> None:
    """Refuse a change whose form lacks this browser's CSRF token or that another site sent."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise SecurityError(403, "refused: the form was sent from another site")
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise SecurityError(403, "refused: the form was sent from another site")
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = form.get(CSRF_FIELD)
    if not cookie or not isinstance(sent, str) or not _same(cookie, sent):
        raise SecurityError(403, "refused: the form's security token is missing or stale; "
                                 "reload the page and try again")


class Guard:
    """ASGI middleware applying the rules above to every request and response."""

    def __init__(self, app: ASGIApp, *, token: str | None, loopback_only: bool,
                 refuse: Callable[[Request, SecurityError], Response]):
        self.app = app
        self.token = token
        self.loopback_only = loopback_only
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request = Request(scope)
        new_csrf = None
        if not _plausible_token(request.cookies.get(CSRF_COOKIE)):
            new_csrf = secrets.token_urlsafe(32)
        request.state.csrf = new_csrf or request.cookies[CSRF_COOKIE]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if new_csrf:
                    headers.append("set-cookie", _cookie(CSRF_COOKIE, new_csrf))
                headers["server-timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            await send(message)

        try:
            early = self._early_response(request)
        except SecurityError as refusal:
            early = self.refuse(request, refusal)
        if early is not None:
            await early(scope, receive, send_with_headers)
        else:
            await self.app(scope, receive, send_with_headers)

    def _early_response(self, request: Request) -> Response | None:
        """A response that stops the request here (refusal, or the token-to-cookie
        redirect), or None to go on."""
        if self.loopback_only and _host_name(request.headers.get("host", "")) not in LOOPBACK_NAMES:
            raise SecurityError(400, "this server answers only requests to localhost or 127.0.0.1")
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            raise SecurityError(413, "request too large")
        if self.token is None:
            return None
        offered = request.query_params.get(TOKEN_PARAMETER)
        if offered is not None and _same(offered, self.token) and request.method == "GET":
            # Keep the token out of the address bar, history and any link's referrer.
            url = request.url.remove_query_params(TOKEN_PARAMETER)
            response = RedirectResponse(str(URL(path=url.path, query=url.query)), status_code=303)
            response.headers.append("set-cookie", _cookie(TOKEN_COOKIE, self.token))
            return response
        if not self._carries_token(request, offered):
            raise SecurityError(401, "this server needs its token: open the address `corpus serve` printed "
                                     "(…/?token=…), or send the header 'Authorization: Bearer TOKEN'")
        return None

    def _carries_token(self, request: Request, offered: str | None) -> bool:
        authorization = request.headers.get("authorization", "")
        candidates = [request.cookies.get(TOKEN_COOKIE), offered]
        if authorization.lower().startswith("bearer "):
            candidates.append(authorization[7:].strip())
        return any(c is not None and _same(c, self.token) for c in candidates)


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison of any text a request sent (not only ASCII)."""
    return secrets.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8", "replace"))


def _plausible_token(value: str | None) -> bool:
    return value is not None and 32 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum()


def _cookie(name: str, value: str) -> str:
    return f"{name}={value}; Path=/; HttpOnly; SameSite=Strict"


def _host_name(host: str) -> str:
    """The name part of a Host header ("[::1]:8000" -> "[::1]", "localhost:8000" -> "localhost")."""
    if host.startswith("["):
        return host[:host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
