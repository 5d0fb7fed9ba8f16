"""`corpus add` from the web: pages, feeds and sitemaps served by a local HTTP server."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from corpus.fetch import Fetcher

from conftest import Cli


def article_page(title: str, topic: str) -> bytes:
    paragraphs = "".join(
        f"<p>{sentence}</p>" for sentence in (
            f"The council voted on Tuesday to approve the new {topic} plan after a long debate in the chamber.",
            f"Supporters said the {topic} plan would bring jobs and investment to the district within two years.",
            "“This is the most important decision this council has taken in a decade,” said council leader Maria Lind.",
            f"Opponents argued the {topic} scheme had been rushed and promised to challenge it at the next election.",
        ))
    return (f"<!DOCTYPE html><html><head><title>{title}</title><meta property='og:site_name' content='Town Gazette'>"
            f"</head><body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article><h1>{title}</h1>"
            f"{paragraphs}</article><footer>© Town Gazette</footer></body></html>").encode()


class Site(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}
    hits: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).hits.append(self.path)
        status, content_type, body = self.routes.get(self.path.split("?")[0], (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    Site.hits = []
    Site.routes = {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/news/harbour": (200, "text/html; charset=utf-8", article_page("Harbour plan approved", "harbour")),
        "/news/library": (200, "text/html", article_page("Library plan approved", "library")),
        "/news/bridge": (200, "text/html", article_page("Bridge plan approved", "bridge")),
        "/private/secret": (200, "text/html", article_page("Secret plan approved", "secret")),
        "/report.pdf": (200, "application/pdf", b"%PDF-1.4 not html"),
        "/feed.xml": (200, "application/rss+xml", (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>Gazette</title>"
            "<item><link>/news/harbour</link><pubDate>Mon, 01 Jan 2024 08:00:00 GMT</pubDate></item>"
            "<item><link>/news/library</link><pubDate>Wed, 03 Jan 2024 08:00:00 GMT</pubDate></item>"
            "<item><link>/news/gone</link><pubDate>Tue, 02 Jan 2024 08:00:00 GMT</pubDate></item>"
            "</channel></rss>").encode()),
        "/sitemap.xml": (200, "application/xml", (
            "<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            "<url><loc>/news/bridge</loc><lastmod>2024-03-01</lastmod></url>"
            "<url><loc>/news/harbour</loc><lastmod>2024-01-01</lastmod></url></urlset>").encode()),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def fast_fetcher(**options) -> Fetcher:
    return Fetcher(per_host_delay=0, timeout=5, allow_private=True, **options)


def test_pages_are_fetched_stored_with_their_url_and_not_fetched_twice(corpus, site):
    results = list(corpus.add([f"{site}/news/harbour?utm_source=x#top", f"{site}/news/missing",
                               f"{site}/report.pdf", f"{site}/private/secret"], fetcher=fast_fetcher()))
    assert [r.status for r in results] == ["added", "failed", "failed", "failed"]
    assert results[1].message.startswith("HTTP 404")
    assert "not HTML" in results[2].message and "robots.txt" in results[3].message
    article = corpus.article(results[0].article_id)
    assert article["url"] == f"{site}/news/harbour"
    assert article["outlet"] == "Town Gazette" and article["title"] == "Harbour plan approved"
    assert "“This is the most important decision" in article["body"]
    assert corpus.raw(results[0].article_id).text.startswith("<!DOCTYPE html>")
    page_hits = [h for h in Site.hits if h.startswith("/news/harbour")]
    again = list(corpus.add([f"{site}/news/harbour/"], fetcher=fast_fetcher()))
    assert again[0].status == "present"
    assert [h for h in Site.hits if h.startswith("/news/harbour")] == page_hits  # not fetched again


def test_ignore_robots_fetches_disallowed_pages(corpus, site):
    [result] = corpus.add([f"{site}/private/secret"], fetcher=fast_fetcher(ignore_robots=True))
    assert result.status == "added"


def test_feed_and_sitemap_add_their_articles_with_limit_and_since(corpus, site):
    from_feed = list(corpus.add(feeds=[f"{site}/feed.xml"], since="2024-01-02", fetcher=fast_fetcher()))
    assert [(r.source.rsplit("/", 1)[-1], r.status) for r in from_feed] == [("library", "added"), ("gone", "failed")]
    from_sitemap = list(corpus.add(sitemaps=[f"{site}/sitemap.xml"], limit=1, fetcher=fast_fetcher()))
    assert [(r.source.rsplit("/", 1)[-1], r.status) for r in from_sitemap] == [("bridge", "added")]
    bad_feed = list(corpus.add(feeds=[f"{site}/news/harbour"], fetcher=fast_fetcher()))
    assert bad_feed[0].status == "failed" and "feed" in bad_feed[0].message


def test_cli_adds_a_feed(db_url, site):
    cli = Cli(db_url)
    result = cli("add", "--feed", f"{site}/feed.xml", "--delay", "0", "--tag", "gazette", "--json", "--allow-private")
    assert result.exit_code == 1  # one listed page is a 404
    records = json.loads(result.stdout)
    assert [r["status"] for r in records] == ["added", "failed", "added"]
    assert json.loads(cli("tags", "--json").stdout) == [{"tag": "gazette", "articles": 2}]
