"""Fetching refuses local and private addresses unless asked (--allow-private), judged by
the address each connection reached, after DNS and after every redirect; and one
deadline bounds a whole fetch, robots.txt and a trickling status line included
(#9 items 6, 7)."""
from __future__ import annotations

import json
import socketserver
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from corpus import fetch
from corpus.fetch import Fetcher, FetchError, feed_article_urls, is_public_address
from conftest import Cli

PAGE = (b"<!DOCTYPE html><html><head><title>Harbour plan approved</title></head><body><article>"
        + b"<p>The council approved the harbour plan on Monday after a long debate in the town hall.</p>" * 8
        + b"</article></body></html>")


class Site(BaseHTTPRequestHandler):
    hits: list[str] = []
    other = ""  # base URL of the second server, for redirects and feed links
    slow = 0.0  # seconds robots.txt and /slow take

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        type(self).hits.append(f"{self.server.server_address[0]}{self.path}")
        if self.path == "/robots.txt" or self.path == "/slow":
            time.sleep(type(self).slow)
        if self.path == "/robots.txt":
            return self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        if self.path in ("/article", "/slow"):
            return self._send(200, PAGE, "text/html")
        if self.path == "/elsewhere":
            self.send_response(302)
            self.send_header("Location", f"{type(self).other}/article")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if self.path == "/feed.xml":
            return self._send(200, (f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
                                    f"<item><link>{type(self).other}/article</link></item></channel></rss>").encode(),
                              "application/rss+xml")
        self._send(404, b"no", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:
            pass  # the fetcher gave up, as it should


def _serve(address: str):
    server = ThreadingHTTPServer((address, 0), Site)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://{address}:{server.server_address[1]}"


@pytest.fixture
def two_sites():
    """Two servers: 127.0.0.1 and 127.0.0.2, each linking and redirecting to the other."""
    first, first_url = _serve("127.0.0.1")
    second, second_url = _serve("127.0.0.2")
    Site.hits, Site.slow = [], 0.0
    Site.other = second_url
    yield first_url, second_url
    for server in (first, second):
        server.shutdown()
        server.server_close()


@pytest.fixture
def first_site_public(monkeypatch):
    """Stands in for the internet: 127.0.0.1 counts as a public address, nothing else local does."""
    monkeypatch.setattr(fetch, "is_public_address", lambda address: address == "127.0.0.1")


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.100.100.200", False), ("0.0.0.0", False), ("::1", False),
    ("fe80::1", False), ("fd00:ec2::254", False), ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False),
    ("8.8.8.8", True), ("2001:4860:4860::8888", True), ("::ffff:8.8.8.8", True),
])
def test_which_addresses_are_public(address, public):
    assert is_public_address(address) is public


def test_cli_add_refuses_a_local_url_without_allow_private(db_url, two_sites):
    first, _ = two_sites
    cli = Cli(db_url)
    for host in ("127.0.0.1", "localhost"):
        result = cli("add", "--delay", "0", "--json", first.replace("127.0.0.1", host) + "/article")
        assert result.exit_code == 1
        [record] = json.loads(result.stdout)
        assert record["status"] == "failed"
        assert record["message"] == (f"refused: {host} is a private or local address (127.0.0.1); "
                                     "--allow-private fetches it"), record["message"]
    assert Site.hits == []  # not even robots.txt was asked for
    allowed = cli("add", "--delay", "0", "--allow-private", f"{first}/article")
    assert allowed.exit_code == 0 and "1 added" in allowed.stdout


def test_a_redirect_to_a_local_address_is_refused(two_sites, first_site_public):
    first, second = two_sites
    with pytest.raises(FetchError, match=r"private or local address \(127.0.0.2\)"):
        Fetcher(per_host_delay=0).fetch(f"{first}/elsewhere")
    assert not [hit for hit in Site.hits if hit.startswith("127.0.0.2")]
    assert Fetcher(per_host_delay=0, allow_private=True).fetch(f"{first}/elsewhere").final_url == f"{second}/article"


def test_a_feed_listing_local_pages_adds_none_of_them(corpus, two_sites, first_site_public):
    first, second = two_sites
    fetcher = Fetcher(per_host_delay=0)
    assert feed_article_urls(fetcher, f"{first}/feed.xml") == [f"{second}/article"]
    [result] = corpus.add(feeds=[f"{first}/feed.xml"], fetcher=fetcher)
    assert result.status == "failed" and "private or local address (127.0.0.2)" in result.message
    assert not [hit for hit in Site.hits if hit.startswith("127.0.0.2")]


# --- one deadline per fetch ----------------------------------------------------------------

class Trickle(socketserver.BaseRequestHandler):
    """Answers any request with a status line and headers sent one byte at a time."""

    def handle(self) -> None:
        self.request.recv(65536)
        response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 200 + b"\r\n\r\n"
        try:
            for byte in response:
                self.request.sendall(bytes([byte]))
                time.sleep(0.1)
        except OSError:
            pass


@pytest.fixture
def trickling_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("ignore_robots, message", [
    (True, "timed out after 1 s"),
    (False, "could not read robots.txt (timed out after 1 s)"),  # robots.txt trickles too
])
def test_a_trickled_status_line_cannot_hold_a_fetch(trickling_server, ignore_robots, message):
    fetcher = Fetcher(timeout=1, per_host_delay=0, ignore_robots=ignore_robots, allow_private=True)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{trickling_server}/article")
    assert caught.value.message == message
    assert time.monotonic() - started < 4  # the headers alone take 25 s to arrive


def test_robots_txt_counts_against_the_same_deadline(two_sites):
    """robots.txt and the page each take 0.7 s: within 1 s apiece, over it together."""
    first, _ = two_sites
    Site.slow = 0.7
    fetcher = Fetcher(timeout=1, per_host_delay=0, allow_private=True)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{first}/slow")
    assert caught.value.message == "timed out after 1 s"
    assert time.monotonic() - started < 3
    assert fetcher.fetch(f"{first}/article").status == 200  # robots.txt read once; the next fetch has its own second
