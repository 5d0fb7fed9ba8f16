"""Polite, bounded web fetching for `corpus add`: single pages, and the article URLs that
an RSS/Atom feed or a sitemap lists.

Every request goes through one `Fetcher`, so the limits hold for pages, feeds, sitemaps
and robots.txt alike: one deadline per fetch (robots.txt, redirects, headers and body all
count), a size cap, a redirect limit, a delay between requests to the same host, a
User-Agent naming the tool, robots.txt (RFC 9309), and no connection to a loopback,
private, link-local or other non-public address unless asked for (`allow_private`): the
address checked is the one each connection actually reached, after DNS and after every
redirect. A failure is a `FetchError` with a one-line message for the person running the
batch; the caller reports it and goes on with the next URL.

Feeds and sitemaps are parsed here with lxml rather than with trafilatura's helpers:
those drop entry dates, which `since` needs, filter links by rules of their own (other
domains, languages), and their sitemap walker fetches by itself, outside these limits.
robots.txt is parsed with Protego (longest-match rules and wildcards, as RFC 9309 and
the big crawlers read them; the standard library's parser does neither).
"""
from __future__ import annotations

import ipaddress
import logging
import re
import socket
import threading
import time
import weakref
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from typing import Iterator
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import urllib3
from lxml import etree
from protego import Protego

from .errors import CorpusError

log = logging.getLogger(__name__)


def _package_version() -> str:
    try:
        return version("corpus")
    except PackageNotFoundError:
        return "0"


USER_AGENT = f"corpus/{_package_version()} (+https://github.com/corpus-news/corpus)"

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# Only this much of a robots.txt is read (RFC 9309 asks crawlers to parse at least 500 KiB).
ROBOTS_MAX_BYTES = 500 * 1024
# A Crawl-delay above this is treated as this, so one site cannot stall a batch for hours.
MAX_CRAWL_DELAY = 30.0

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_READ_CHUNK = 64 * 1024

# Query parameters that only say where a click came from: dropped by normalize_url.
_TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "mkt_tok", "ref", "ref_src", "ref_url", "referrer",
    "cmpid", "ocid", "smid", "ito", "_ga", "_gl", "guccounter", "s_cid", "ns_mchannel",
    "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
})
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "_hs", "hsa_", "oly_", "vero_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PERCENT_ESCAPE = re.compile("%[0-9a-fA-F]{2}")


@dataclass(frozen=True)
class FetchedPage:
    """One successful response. `url` is the URL asked for, normalised (normalize_url);
    `final_url` is where redirects ended, as the server gave it."""

    url: str
    final_url: str
    status: int
    content_type: str  # media type, lowercase, no parameters; "" if not sent (and not sniffed as HTML)
    encoding: str | None  # charset parameter of Content-Type, if any
    data: bytes  # body with any Content-Encoding (gzip, deflate) undone
    fetched_at: datetime  # aware, UTC


class FetchError(CorpusError):
    """A URL that could not be fetched or used; `message` is one line for a person,
    e.g. "HTTP 404 Not Found" or "blocked by robots.txt"."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.message = message


def normalize_url(url: str) -> str:
    """The form of `url` used to recognise the same page under different spellings:
    lowercase scheme and host, no default port, no fragment, no tracking parameters
    (utm_*, fbclid, gclid, ref, ...), no trailing slash, remaining query parameters
    sorted. Percent-encoding is kept as given, except that escapes are uppercased."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{parts.port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    path = _uppercase_escapes(parts.path).rstrip("/") or "/"
    query_pairs = [
        pair for pair in parts.query.split("&")
        if pair and not _is_tracking_param(unquote(pair.split("=", 1)[0]))
    ]
    query = "&".join(sorted(_uppercase_escapes(pair) for pair in query_pairs))
    return urlunsplit((scheme, netloc, path, query, ""))


def _is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def _uppercase_escapes(text: str) -> str:
    """"%2f" and "%2F" are the same octet (RFC 3986 6.2.2.1)."""
    return _PERCENT_ESCAPE.sub(lambda match: match.group().upper(), text)


def _format_bytes(size: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


def _http_status_message(response: urllib3.BaseHTTPResponse) -> str:
    reason = response.reason
    if not reason:
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
    return f"HTTP {response.status} {reason}".rstrip()


class _PrivateAddress(urllib3.exceptions.HTTPError):
    """A connection reached an address that is not on the public internet."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} is at {address}")
        self.host, self.address = host, address


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public internet: not loopback, private, link-local
    (where cloud metadata services answer), shared (100.64/10), reserved or unspecified;
    an IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _refuse_private_peer(sock: socket.socket, host: str) -> None:
    """Refuse a connection that reached an address not on the public internet."""
    address = sock.getpeername()[0]
    if not is_public_address(address):
        sock.close()
        raise _PrivateAddress(host, address)


def _connection_classes(fetcher: Fetcher) -> dict[str, type]:
    """urllib3 connection pools whose connections report each new socket to `fetcher`
    (for its deadline) and, unless it allows private addresses, check where they reached."""

    def opened(connection, sock: socket.socket) -> socket.socket:
        fetcher._sockets.add(sock)
        if not fetcher.allow_private:
            _refuse_private_peer(sock, connection.host)
        return sock

    class Connection(urllib3.connection.HTTPConnection):
        def _new_conn(self):
            return opened(self, super()._new_conn())

    class SecureConnection(urllib3.connection.HTTPSConnection):
        def _new_conn(self):
            return opened(self, super()._new_conn())

        def connect(self):
            super().connect()
            fetcher._sockets.add(self.sock)  # the TLS socket replaces the plain one

    class Pool(urllib3.HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(urllib3.HTTPSConnectionPool):
        ConnectionCls = SecureConnection

    return {"http": Pool, "https": SecurePool}


class Fetcher:
    """Fetches URLs one at a time within the limits above. Keeps per-host state (last
    request time, parsed robots.txt) for its lifetime: use one Fetcher per batch, from
    one thread.

    `timeout` is the network time one fetch() may take in all: robots.txt, every
    redirect, connecting, the status line and headers, and the body. When it is spent
    the connection is shut, so a server that trickles bytes cannot hold a fetch longer.
    `per_host_delay` is the minimum time between the starts of two requests to the same
    host (raised to the site's robots.txt Crawl-delay, up to MAX_CRAWL_DELAY); waiting
    for it does not count against the timeout. `allow_private` lets it connect to
    loopback and private addresses (a server on this machine or this network)."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        max_bytes: int = 10_000_000,
        max_redirects: int = 5,
        per_host_delay: float = 1.0,
        ignore_robots: bool = False,
        allow_private: bool = False,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.per_host_delay = per_host_delay
        self.ignore_robots = ignore_robots
        self.allow_private = allow_private
        self.user_agent = user_agent
        self._pool = urllib3.PoolManager(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            retries=False,
        )
        self._pool.pool_classes_by_scheme = _connection_classes(self)
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._time_left = timeout
        self._last_request_at: dict[str, float] = {}  # host:port -> time.monotonic()
        self._crawl_delays: dict[str, float] = {}  # host:port -> seconds
        self._robots: dict[str, Protego | str] = {}  # origin -> rules, or why all is blocked

    def fetch(self, url: str, *, html_only: bool = True) -> FetchedPage:
        """GET `url`, following redirects. With `html_only`, any other media type is
        refused before its body is read, and a response with no Content-Type is accepted
        if its body looks like HTML. Raises FetchError."""
        self._time_left = self.timeout
        return self._fetch(url, html_only=html_only, max_bytes=self.max_bytes, for_robots=False)

    def _fetch(self, url: str, *, html_only: bool, max_bytes: int, for_robots: bool) -> FetchedPage:
        """fetch(); for robots.txt itself (`for_robots`), robots rules are not checked
        and a body over `max_bytes` is cut there instead of refused."""
        requested = url
        visited: set[str] = set()
        for _ in range(self.max_redirects + 1):
            url = _without_fragment(url)
            if urlsplit(url).scheme not in _DEFAULT_PORTS:
                raise FetchError(requested, f"not an http(s) URL ({url})")
            if not for_robots and not self.ignore_robots:
                self._check_robots(url, requested)
            visited.add(url)
            self._wait_for_turn(urlsplit(url).netloc.lower())
            with self._network_time(requested):
                page = self._respond(url, requested, html_only=html_only, max_bytes=max_bytes, for_robots=for_robots)
            if isinstance(page, FetchedPage):
                return page
            url = page
            if _without_fragment(url) in visited:
                raise FetchError(requested, f"redirect loop (back to {url})")
        raise FetchError(requested, f"too many redirects (over {self.max_redirects})")

    def _respond(self, url: str, requested: str, *, html_only: bool, max_bytes: int,
                 for_robots: bool) -> FetchedPage | str:
        """One request: the page, or the URL a redirect points to."""
        response = self._request(url, requested)
        try:
            if response.status in _REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(requested, f"{_http_status_message(response)} without a Location")
                return urljoin(url, location.strip())
            if not 200 <= response.status < 300:
                raise FetchError(requested, _http_status_message(response))
            content_type, encoding = _parse_content_type(response.headers.get("Content-Type", ""))
            if html_only and content_type and content_type not in HTML_TYPES:
                raise FetchError(requested, f"not HTML ({content_type})")
            data = self._read_body(response, requested, max_bytes, truncate=for_robots)
            if html_only and not content_type:
                if not _looks_like_html(data):
                    raise FetchError(requested, "not HTML (no Content-Type, and the body is not HTML)")
                content_type = "text/html"
            return FetchedPage(
                url=normalize_url(requested),
                final_url=url,
                status=response.status,
                content_type=content_type,
                encoding=encoding,
                data=data,
                fetched_at=datetime.now(timezone.utc),
            )
        finally:
            # Unread bodies (errors, redirects, refusals) are not drained: close instead.
            response.close()
            response.release_conn()

    def _request(self, url: str, requested: str) -> urllib3.BaseHTTPResponse:
        limit = min(self.timeout, max(self._time_left, 0.001))
        try:
            return self._pool.request("GET", url, redirect=False, preload_content=False,
                                      timeout=urllib3.Timeout(connect=limit, read=limit))
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(requested, self._connection_error_message(error, url)) from error

    @contextmanager
    def _network_time(self, requested: str) -> Iterator[None]:
        """Run one request within what is left of the fetch's time: when it is spent, a
        timer shuts this fetcher's sockets, which ends any read still waiting."""
        timed_out = FetchError(requested, f"timed out after {self.timeout:g} s")
        if self._time_left <= 0:
            raise timed_out
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            for sock in list(self._sockets):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed

        started = time.monotonic()
        timer = threading.Timer(self._time_left, expire)
        timer.daemon = True
        timer.start()
        try:
            yield
        except FetchError as error:
            if expired.is_set() and isinstance(error.__cause__, urllib3.exceptions.HTTPError):
                raise timed_out from error  # the connection was shut by the timer
            raise
        finally:
            timer.cancel()
            self._time_left -= time.monotonic() - started
        if expired.is_set():  # the body may have ended early because its socket was shut
            raise timed_out

    def _wait_for_turn(self, host: str) -> None:
        delay = max(self.per_host_delay, self._crawl_delays.get(host, 0.0))
        last = self._last_request_at.get(host)
        if last is not None:
            wait = last + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last_request_at[host] = time.monotonic()

    def _read_body(
        self, response: urllib3.BaseHTTPResponse, requested: str, max_bytes: int, *, truncate: bool
    ) -> bytes:
        too_large = FetchError(requested, f"too large (over {_format_bytes(max_bytes)})")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes and not truncate:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        try:
            while chunk := response.read1(_READ_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    if not truncate:
                        raise too_large
                    chunks.append(chunk[: len(chunk) - (size - max_bytes)])
                    break
                chunks.append(chunk)
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(requested, self._connection_error_message(error, response.url or "")) from error
        return b"".join(chunks)

    def _connection_error_message(self, error: urllib3.exceptions.HTTPError, url: str) -> str:
        host = urlsplit(url).hostname or url
        if isinstance(error, _PrivateAddress):
            return (f"refused: {error.host} is a private or local address ({error.address}); "
                    "--allow-private fetches it")
        # NewConnectionError subclasses ConnectTimeoutError, so it is tested first.
        if isinstance(error, urllib3.exceptions.NameResolutionError):
            return f"host not found ({host})"
        if isinstance(error, urllib3.exceptions.NewConnectionError):
            return f"could not connect to {host}"
        if isinstance(error, urllib3.exceptions.TimeoutError):
            return f"timed out after {self.timeout:g} s"
        if isinstance(error, urllib3.exceptions.SSLError):
            return f"TLS error with {host}"
        if isinstance(error, urllib3.exceptions.DecodeError):
            return "could not decode the compressed body"
        if isinstance(error, (urllib3.exceptions.ProtocolError, urllib3.exceptions.ResponseError)):
            return f"connection to {host} broken"
        if isinstance(error, urllib3.exceptions.LocationValueError):
            return "invalid URL"
        return f"request failed ({type(error).__name__})"

    def _check_robots(self, url: str, requested: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, str):
            raise FetchError(requested, rules)
        if not rules.can_fetch(url, self.user_agent):
            raise FetchError(requested, "blocked by robots.txt")

    def _load_robots(self, origin: str) -> Protego | str:
        """The site's rules, following RFC 9309: a 4xx means no rules; a 5xx or no
        answer means everything is blocked (returned as the reason, a string)."""
        robots_url = f"{origin}/robots.txt"
        try:
            page = self._fetch(robots_url, html_only=False, max_bytes=ROBOTS_MAX_BYTES, for_robots=True)
        except FetchError as error:
            if error.message.startswith("HTTP 4"):
                return Protego.parse("")
            if error.message.startswith("refused:"):  # a private address: the site itself is refused
                return error.message
            return f"could not read robots.txt ({error.message})"
        rules = Protego.parse(page.data.decode("utf-8", errors="replace"))
        crawl_delay = rules.crawl_delay(self.user_agent)
        if crawl_delay:
            self._crawl_delays[urlsplit(origin).netloc] = min(float(crawl_delay), MAX_CRAWL_DELAY)
        return rules


def _parse_content_type(header: str) -> tuple[str, str | None]:
    media_type, _, params = header.partition(";")
    encoding = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            encoding = value.strip().strip("\"'").lower()
    return media_type.strip().lower(), encoding


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lower()
    return b"<html" in head or b"<!doctype html" in head


def _without_fragment(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(fragment=""))


# Feeds and sitemaps -----------------------------------------------------------------

@dataclass(frozen=True)
class _ListedUrl:
    url: str
    date: datetime | None  # aware


def feed_article_urls(
    fetcher: Fetcher, feed_url: str, *, since: datetime | None = None, limit: int | None = None
) -> list[str]:
    """The article URLs an RSS (0.9x, 1.0, 2.0) or Atom feed lists, newest first, without
    duplicates (by normalize_url). `since` keeps entries dated at or after it (naive
    means UTC; undated entries are kept); `limit` keeps the newest N. Raises FetchError
    if the feed cannot be fetched or is not a feed."""
    page = fetcher.fetch(feed_url, html_only=False)
    root = _parse_xml(page.data)
    if root is None or _local_name(root) not in ("rss", "feed", "RDF"):
        raise FetchError(feed_url, "not an RSS or Atom feed")
    listed = []
    for entry in root.iter("{*}item", "{*}entry"):
        url = _entry_link(entry)
        if url:
            listed.append(_ListedUrl(urljoin(page.final_url, url), _entry_date(entry)))
    return _select(listed, since, limit)


def sitemap_article_urls(
    fetcher: Fetcher,
    sitemap_url: str,
    *,
    since: datetime | None = None,
    limit: int | None = None,
    max_sitemaps: int = 50,
) -> list[str]:
    """The page URLs a sitemap lists (XML, gzipped XML or plain text), newest first,
    without duplicates. A sitemap index is followed, its newest sitemaps first, up to
    `max_sitemaps` fetches in all; sitemaps it dates before `since` are skipped, and no
    more are fetched once `limit` URLs are found. `since` and `limit` otherwise work as
    in feed_article_urls, with <lastmod> (or a news sitemap's publication date) as the
    date. A child sitemap that fails is logged and skipped; raises FetchError if the
    sitemap asked for cannot be fetched or is not a sitemap."""
    queue = [sitemap_url]
    visited: set[str] = set()
    listed: list[_ListedUrl] = []
    while queue and len(visited) < max_sitemaps:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        try:
            kind, entries = _read_sitemap(fetcher, url)
        except FetchError as error:
            if url == sitemap_url:
                raise
            log.warning("skipping sitemap %s", error)
            continue
        if kind == "index":
            children = [entry for entry in entries if _is_recent(entry, since)]
            queue.extend(entry.url for entry in _newest_first(children))
        else:
            listed.extend(entries)
            if limit is not None and len(_select(listed, since, limit)) >= limit:
                break
    if queue and len(visited) >= max_sitemaps:
        log.warning("sitemap %s: stopped after %d sitemaps, %d not read",
                    sitemap_url, len(visited), len(queue))
    return _select(listed, since, limit)


def _read_sitemap(fetcher: Fetcher, url: str) -> tuple[str, list[_ListedUrl]]:
    """("index", child sitemaps) or ("urlset", pages)."""
    page = fetcher.fetch(url, html_only=False)
    data = page.data
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, fetcher.max_bytes, url)
    root = _parse_xml(data)
    if root is None:
        lines = data.decode("utf-8", errors="replace").split()
        urls = [line for line in lines if line.startswith(("http://", "https://"))]
        if not urls or len(urls) != len(lines):
            raise FetchError(url, "not a sitemap")
        return "urlset", [_ListedUrl(line, None) for line in urls]
    kind = _local_name(root)
    if kind not in ("sitemapindex", "urlset"):
        raise FetchError(url, "not a sitemap")
    entries = []
    for element in root.iterchildren("{*}sitemap", "{*}url"):
        location = element.findtext("{*}loc", "").strip()
        if location:
            date = _descendant_text(element, "publication_date") or element.findtext("{*}lastmod")
            entries.append(_ListedUrl(urljoin(page.final_url, location), _parse_date(date)))
    return ("index" if kind == "sitemapindex" else "urlset"), entries


def _gunzip(data: bytes, max_bytes: int, url: str) -> bytes:
    decompressor = zlib.decompressobj(wbits=31)
    try:
        result = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise FetchError(url, "could not decompress the gzipped sitemap") from error
    if len(result) > max_bytes:
        raise FetchError(url, f"too large once decompressed (over {_format_bytes(max_bytes)})")
    return result


def _parse_xml(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        return etree.fromstring(data.lstrip(), parser)
    except etree.XMLSyntaxError:
        return None


def _local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _descendant_text(element: etree._Element, name: str) -> str | None:
    """Text of the first descendant called `name`, in any namespace."""
    for child in element.iter(f"{{*}}{name}"):
        if child.text and child.text.strip():
            return child.text.strip()
    return None


def _entry_link(entry: etree._Element) -> str | None:
    """An RSS <link>text</link>, an Atom <link rel="alternate" href=...>, or a permalink
    RSS <guid>."""
    for link in entry.iterchildren("{*}link"):
        href = link.get("href")
        if href is None:
            if link.text and link.text.strip():
                return link.text.strip()
        elif link.get("rel", "alternate") == "alternate" and href.strip():
            return href.strip()
    for guid in entry.iterchildren("{*}guid"):
        text = (guid.text or "").strip()
        if guid.get("isPermaLink", "true") == "true" and text.startswith(("http://", "https://")):
            return text
    return None


def _entry_date(entry: etree._Element) -> datetime | None:
    for name in ("published", "pubDate", "date", "issued", "updated", "modified"):
        for child in entry.iterchildren(f"{{*}}{name}"):
            date = _parse_date(child.text)
            if date is not None:
                return date
    return None


def _parse_date(text: str | None) -> datetime | None:
    """RFC 822 (RSS) or W3C/ISO 8601 (Atom, sitemaps); naive means UTC."""
    if not text:
        return None
    text = text.strip()
    try:
        date = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            date = datetime.fromisoformat(text)
        except ValueError:
            return None
    return date if date.tzinfo else date.replace(tzinfo=timezone.utc)


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _is_recent(entry: _ListedUrl, since: datetime | None) -> bool:
    return since is None or entry.date is None or entry.date >= _as_utc(since)


def _newest_first(entries: list[_ListedUrl]) -> list[_ListedUrl]:
    """Dated entries newest first, then undated ones in listed order."""
    return sorted(entries, key=lambda entry: (entry.date is None, -entry.date.timestamp() if entry.date else 0))


def _select(listed: list[_ListedUrl], since: datetime | None, limit: int | None) -> list[str]:
    seen: set[str] = set()
    urls = []
    for entry in _newest_first([entry for entry in listed if _is_recent(entry, since)]):
        if not entry.url.startswith(("http://", "https://")):
            continue
        key = normalize_url(entry.url)
        if key not in seen:
            seen.add(key)
            urls.append(entry.url)
    return urls if limit is None else urls[:limit]
