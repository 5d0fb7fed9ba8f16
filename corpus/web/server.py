"""Running the page: bind the address first (so a port in use is a one-line error, and port
0 picks a free one), say where it is, then serve with uvicorn until interrupted."""
from __future__ import annotations

import socket
from typing import Callable

from ..api import Corpus
from ..errors import CorpusError
from .app import create_app
from .security import TOKEN_PARAMETER, check_token, is_loopback


class ServeError(CorpusError):
    """The server cannot start as asked (one-line message)."""


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host.strip("[]"), port), family=family)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def address(host: str, sock: socket.socket, token: str | None) -> str:
    """The address to open in a browser (with the token, which the page then keeps in a cookie)."""
    port = sock.getsockname()[1]
    name = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{name}:{port}/" + (f"?{TOKEN_PARAMETER}={token}" if token else "")


def serve(corpus: Corpus, *, host: str = "127.0.0.1", port: int = 8000, read_only: bool = False,
          token: str | None = None, announce: Callable[[str], None] = print) -> None:
    """Serve the page over `corpus` until interrupted; `announce` gets the address."""
    import uvicorn

    token = check_token(token, host)
    corpus.require_schema()
    sock = bind(host, port)
    app = create_app(corpus, read_only=read_only, token=token, loopback_only=is_loopback(host) and token is None)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", server_header=False)
    announce(address(host, sock, token))
    uvicorn.Server(config).run(sockets=[sock])
