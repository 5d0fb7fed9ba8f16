"""corpus.fetch against a local HTTP server that each test module starts and stops."""
from __future__ import annotations

import gzip
import socket
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given, strategies as st

from corpus.fetch import (
    USER_AGENT,
    Fetcher,
    FetchError,
    feed_article_urls,
    normalize_url,
    sitemap_article_urls,
)

ARTICLE_HTML = b"<!doctype html><html><head><title>Budget</title></head><body><p>Text.</p></body></html>"

RSS_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Local news</title><link>/</link>
<item><title>Old</title><link>/news/old</link><pubDate>Mon, 01 Jan 2024 08:00:00 GMT</pubDate></item>
<item><title>Newest</title><link>/news/newest?utm_source=rss</link>
  <pubDate>Wed, 03 Jan 2024 08:00:00 +0000</pubDate></item>
<item><title>Middle</title><guid isPermaLink="true">/news/not-absolute</guid>
  <link>/news/middle</link><dc:date>2024-01-02T08:00:00Z</dc:date></item>
<item><title>Repeat of newest</title><link>/news/newest</link><pubDate>Wed, 03 Jan 2024 08:00:00 GMT</pubDate></item>
</channel></rss>"""

ATOM_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<link rel="self" href="/feed.atom"/>
<entry><title>A</title><link rel="alternate" type="text/html" href="/wire/a"/>
  <link rel="enclosure" href="/wire/a.mp3"/><published>2024-02-01T10:00:00+01:00</published></entry>
<entry><title>B</title><link href="https://other.example/wire/b"/><updated>2024-02-05T00:00:00Z</updated></entry>
</feed>"""

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>/2024/03/one</loc><lastmod>2024-03-01</lastmod></url>
<url><loc>/2024/03/two</loc><news:news><news:publication_date>2024-03-05T12:00:00Z</news:publication_date></news:news></url>
<url><loc>/about</loc></url>
</urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/sitemap-2023.xml</loc><lastmod>2023-12-31</lastmod></sitemap>
<sitemap><loc>/sitemap.xml.gz</loc><lastmod>2024-03-05</lastmod></sitemap>
<sitemap><loc>/missing-sitemap.xml</loc></sitemap>
</sitemapindex>"""

SITEMAP_2023 = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/2023/12/last-year</loc><lastmod>2023-12-20</lastmod></url></urlset>"""

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


class Handler(BaseHTTPRequestHandler):
    """Serves the fixtures above; records (path, headers, arrival time) per request."""

    protocol_version = "HTTP/1.1"
    requests: list[tuple[str, dict[str, str], float]] = []

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        type(self).requests.append((self.path, dict(self.headers), time.monotonic()))
        path = self.path.split("?")[0]
        static = {
            "/robots.txt": ("text/plain", ROBOTS),
            "/article": ("text/html; charset=utf-8", ARTICLE_HTML),
            "/private/page": ("text/html", ARTICLE_HTML),
            "/page/1": ("text/html", ARTICLE_HTML),
            "/page/2": ("text/html", ARTICLE_HTML),
            "/page/3": ("text/html", ARTICLE_HTML),
            "/no-type": ("", ARTICLE_HTML),
            "/feed.rss": ("application/rss+xml", RSS_FEED),
            "/feed.atom": ("application/atom+xml", ATOM_FEED),
            "/sitemap.xml": ("application/xml", SITEMAP),
            "/sitemap.xml.gz": ("application/gzip", gzip.compress(SITEMAP)),
            "/sitemap-index.xml": ("application/xml", SITEMAP_INDEX),
            "/sitemap-2023.xml": ("text/xml", SITEMAP_2023),
            "/report.pdf": ("application/pdf", b"%PDF-1.4 not really"),
        }
        if path == "/robots.txt" and self.headers.get("Host", "").startswith("localhost"):
            self._send(503, b"down for maintenance", "text/plain")  # a second site, in trouble
        elif path in static:
            content_type, body = static[path]
            self._send(200, body, content_type)
        elif path == "/slow":
            time.sleep(6)
            self._send(200, ARTICLE_HTML, "text/html")
        elif path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "60")
            self.end_headers()
            try:
                for _ in range(60):  # 6 s in all: each byte well within the socket timeout
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif path == "/gzip-bomb":
            body = gzip.compress(b"<html>" + b" " * 5_000_000)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")  # no Content-Length: read until close
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 16_000 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif path == "/moved":
            self._redirect("/article#top")
        elif path == "/loop-a":
            self._redirect("/loop-b")
        elif path == "/loop-b":
            self._redirect("/loop-a")
        elif path.startswith("/hop/"):
            remaining = int(path.rsplit("/", 1)[1])
            self._redirect(f"/hop/{remaining - 1}" if remaining else "/article")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def fetcher() -> Fetcher:
    return Fetcher(timeout=2, max_bytes=100_000, per_host_delay=0, allow_private=True)


def requests_for(path: str) -> list[tuple[str, dict[str, str], float]]:
    return [request for request in Handler.requests if request[0] == path]


def test_fetches_a_page(server, fetcher):
    page = fetcher.fetch(f"{server}/article?utm_source=x#top")
    assert page.data == ARTICLE_HTML
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.encoding == "utf-8"
    assert page.url == f"{server}/article"
    assert page.final_url == f"{server}/article?utm_source=x"
    assert page.fetched_at.tzinfo is timezone.utc


def test_sends_a_user_agent_naming_the_tool(server, fetcher):
    fetcher.fetch(f"{server}/article")
    user_agent = requests_for("/article")[-1][1]["User-Agent"]
    assert user_agent == USER_AGENT
    assert user_agent.startswith("corpus/") and "github.com/corpus-news/corpus" in user_agent


def test_follows_redirects(server, fetcher):
    page = fetcher.fetch(f"{server}/moved")
    assert page.final_url == f"{server}/article"
    assert page.url == f"{server}/moved"


def test_redirect_loop_is_an_error(server, fetcher):
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.fetch(f"{server}/loop-a")


def test_redirects_are_limited(server):
    fetcher = Fetcher(max_redirects=3, per_host_delay=0, allow_private=True)
    assert fetcher.fetch(f"{server}/hop/2").final_url == f"{server}/article"
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{server}/hop/5")
    assert caught.value.message == "too many redirects (over 3)"


def test_http_error_is_reported(server, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{server}/missing")
    assert caught.value.message == "HTTP 404 Not Found"
    assert caught.value.url == f"{server}/missing"


def test_non_html_is_refused(server, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{server}/report.pdf")
    assert caught.value.message == "not HTML (application/pdf)"


def test_missing_content_type_is_sniffed(server, fetcher):
    assert fetcher.fetch(f"{server}/no-type").content_type == "text/html"
    assert fetcher.fetch(f"{server}/no-type", html_only=False).content_type == ""


def test_slow_page_times_out(server, fetcher):
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{server}/slow")
    assert caught.value.message == "timed out after 2 s"
    assert time.monotonic() - started < 5


def test_trickling_page_times_out(server, fetcher):
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{server}/trickle")
    assert caught.value.message == "timed out after 2 s"
    assert time.monotonic() - started < 5


def test_size_cap_applies_to_decompressed_body(server, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{server}/gzip-bomb")
    assert caught.value.message == "too large (over 100 kB)"


def test_huge_page_is_cut_off(server, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{server}/huge")
    assert caught.value.message == "too large (over 100 kB)"


def test_unreachable_host_is_reported(fetcher):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"http://127.0.0.1:{port}/article")
    assert caught.value.message == "could not read robots.txt (could not connect to 127.0.0.1)"
    with pytest.raises(FetchError) as caught:
        Fetcher(ignore_robots=True, allow_private=True).fetch(f"http://127.0.0.1:{port}/article")
    assert caught.value.message == "could not connect to 127.0.0.1"


def test_robots_txt_is_respected_and_cached(server, fetcher):
    robots_before, private_before = len(requests_for("/robots.txt")), len(requests_for("/private/page"))
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{server}/private/page")
    assert caught.value.message == "blocked by robots.txt"
    fetcher.fetch(f"{server}/article")
    assert len(requests_for("/robots.txt")) == robots_before + 1
    assert len(requests_for("/private/page")) == private_before


def test_robots_txt_server_error_blocks_the_site(server, fetcher):
    other_site = server.replace("127.0.0.1", "localhost")
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(f"{other_site}/article")
    assert caught.value.message == "could not read robots.txt (HTTP 503 Service Unavailable)"
    assert fetcher.fetch(f"{server}/article").status == 200


def test_ignore_robots_overrides_it(server):
    fetcher = Fetcher(ignore_robots=True, per_host_delay=0, allow_private=True)
    before = len(requests_for("/robots.txt"))
    assert fetcher.fetch(f"{server}/private/page").data == ARTICLE_HTML
    assert len(requests_for("/robots.txt")) == before


def test_requests_to_one_host_are_spaced(server):
    delay = 0.3
    fetcher = Fetcher(per_host_delay=delay, allow_private=True)
    start = len(Handler.requests)
    for number in (1, 2, 3):
        fetcher.fetch(f"{server}/page/{number}")
    arrivals = [arrived for path, _, arrived in Handler.requests[start:]]
    assert [path for path, _, _ in Handler.requests[start:]] == ["/robots.txt", "/page/1", "/page/2", "/page/3"]
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= delay * 0.8


def test_rss_feed_urls(server, fetcher):
    urls = feed_article_urls(fetcher, f"{server}/feed.rss")
    assert urls == [f"{server}/news/newest?utm_source=rss", f"{server}/news/middle", f"{server}/news/old"]


def test_feed_since_and_limit(server, fetcher):
    since = datetime(2024, 1, 2)  # naive: UTC
    assert feed_article_urls(fetcher, f"{server}/feed.rss", since=since) == [
        f"{server}/news/newest?utm_source=rss", f"{server}/news/middle"]
    assert feed_article_urls(fetcher, f"{server}/feed.rss", limit=1) == [f"{server}/news/newest?utm_source=rss"]


def test_atom_feed_urls(server, fetcher):
    urls = feed_article_urls(fetcher, f"{server}/feed.atom")
    assert urls == ["https://other.example/wire/b", f"{server}/wire/a"]
    since = datetime(2024, 2, 1, 9, 30, tzinfo=timezone.utc)  # A was published 09:00 UTC
    assert feed_article_urls(fetcher, f"{server}/feed.atom", since=since) == ["https://other.example/wire/b"]


def test_a_page_is_not_a_feed(server, fetcher):
    with pytest.raises(FetchError, match="not an RSS or Atom feed"):
        feed_article_urls(fetcher, f"{server}/article")


def test_sitemap_urls(server, fetcher):
    urls = sitemap_article_urls(fetcher, f"{server}/sitemap.xml")
    assert urls == [f"{server}/2024/03/two", f"{server}/2024/03/one", f"{server}/about"]
    since = datetime(2024, 3, 2, tzinfo=timezone.utc)
    # Undated URLs cannot be judged by date, so they are kept.
    assert sitemap_article_urls(fetcher, f"{server}/sitemap.xml", since=since) == [
        f"{server}/2024/03/two", f"{server}/about"]


def test_sitemap_index_is_followed(server, fetcher):
    urls = sitemap_article_urls(fetcher, f"{server}/sitemap-index.xml")
    assert urls == [f"{server}/2024/03/two", f"{server}/2024/03/one",
                    f"{server}/2023/12/last-year", f"{server}/about"]


def test_sitemap_index_skips_old_sitemaps_and_stops_at_limit(server, fetcher):
    old_before, missing_before = len(requests_for("/sitemap-2023.xml")), len(requests_for("/missing-sitemap.xml"))
    since = datetime(2024, 1, 1, tzinfo=timezone.utc)
    urls = sitemap_article_urls(fetcher, f"{server}/sitemap-index.xml", since=since, limit=2)
    assert urls == [f"{server}/2024/03/two", f"{server}/2024/03/one"]
    assert len(requests_for("/sitemap-2023.xml")) == old_before
    assert len(requests_for("/missing-sitemap.xml")) == missing_before


def test_sitemap_fetches_are_bounded(server, fetcher):
    urls = sitemap_article_urls(fetcher, f"{server}/sitemap-index.xml", max_sitemaps=2)
    assert urls == [f"{server}/2024/03/two", f"{server}/2024/03/one", f"{server}/about"]


def test_a_page_is_not_a_sitemap(server, fetcher):
    with pytest.raises(FetchError, match="not a sitemap"):
        sitemap_article_urls(fetcher, f"{server}/article")


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTP://Example.COM:80/News/Story/", "http://example.com/News/Story"),
    ("https://example.com:443", "https://example.com/"),
    ("https://example.com/?", "https://example.com/"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("https://example.com/a#comments", "https://example.com/a"),
    ("https://example.com/a?utm_source=tw&utm_medium=social&fbclid=x&gclid=y&mc_cid=z&ref=home",
     "https://example.com/a"),
    ("https://example.com/a?page=2&id=7&UTM_Campaign=x", "https://example.com/a?id=7&page=2"),
    ("https://example.com/a%2fb?q=%7e", "https://example.com/a%2Fb?q=%7E"),
    ("  https://example.com/a  ", "https://example.com/a"),
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected
    assert normalize_url(expected) == expected


url_parts = st.tuples(
    st.sampled_from(["http", "HTTPS", "Http"]),
    st.from_regex(r"[A-Za-z0-9-]{1,12}(\.[A-Za-z]{2,5}){1,2}", fullmatch=True),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(st.from_regex(r"[A-Za-z0-9._~-]{0,8}|%[0-9a-fA-F]{2}", fullmatch=True), max_size=4),
    st.lists(st.tuples(st.sampled_from(["id", "page", "q", "utm_source", "fbclid", "ref", "Sort"]),
                       st.from_regex(r"[A-Za-z0-9]{0,5}", fullmatch=True)), max_size=4),
    st.from_regex(r"[A-Za-z0-9]{0,6}", fullmatch=True),
)


@given(url_parts)
def test_normalize_url_is_idempotent_and_canonical(parts):
    scheme, host, port, segments, params, fragment = parts
    query = "&".join(f"{name}={value}" for name, value in params)
    normal = normalize_url(f"{scheme}://{host}{port}/{'/'.join(segments)}?{query}#{fragment}")
    assert normalize_url(normal) == normal
    split = urlsplit(normal)
    assert split.scheme == scheme.lower() and split.hostname == host.lower()
    default_port = {"http": ":80", "https": ":443"}[scheme.lower()]
    assert split.port == (int(port[1:]) if port and port != default_port else None)
    assert not split.fragment
    assert not any(name in ("utm_source", "fbclid", "ref") for name, _ in parse_qsl(split.query))
    assert split.path == "/" or not split.path.endswith("/")
