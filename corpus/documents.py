"""Raw documents: telling HTML from plain text, decoding bytes to text, and packing the
bytes for storage. Nothing here knows about the database."""
from __future__ import annotations

import codecs
import hashlib
import re
import zlib
from dataclasses import dataclass

from .errors import CorpusError

HTML = "text/html"
TEXT = "text/plain"

# Bytes that never occur in text: C0 controls other than tab, newlines, form feed, escape.
_BINARY_BYTES = set(range(0, 9)) | {11} | set(range(14, 27)) | set(range(28, 32))
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<body|<meta|<title|<article|<div|<p[\s>])",
    re.IGNORECASE | re.DOTALL,
)
# A page saved with junk before its <html> (a script, an XML declaration, a stray
# character) is still HTML when its document structure and many tags are there.
_HTML_STRUCTURE = re.compile(r"<(?:html|head|body)\b[^<>]*>|</(?:html|head|body)\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:[a-z][a-z0-9]*)\b[^<>]{0,2000}>", re.IGNORECASE)
MIN_HTML_TAGS = 20
HTML_SNIFF_CHARS = 262144
_CHARSET_META = re.compile(rb"<meta[^>]+charset=[\"']?\s*([a-zA-Z0-9_\-:]+)", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class DocumentError(CorpusError):
    """Bytes that cannot be an article (empty, binary, undecodable): a one-line reason."""


@dataclass(frozen=True)
class DecodedDocument:
    text: str
    content_type: str  # HTML or TEXT
    encoding: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 6)


def decompress(data: bytes) -> bytes:
    return zlib.decompress(data)


def decode(data: bytes, content_type: str | None = None) -> DecodedDocument:
    """Decode raw bytes and decide whether they are HTML or plain text (by content, unless
    the caller knows the type). Handles UTF-8, UTF-16/32 with a BOM, a charset declared
    in HTML, and falls back to cp1252 (then latin-1, which decodes anything)."""
    if not data.strip():
        raise DocumentError("empty document")
    text, encoding = _decode_text(data)
    if not text.strip():
        raise DocumentError("empty document")
    sniffed = HTML if looks_like_html(text) else TEXT
    if content_type and content_type.split(";")[0].strip().lower() in (HTML, "application/xhtml+xml"):
        sniffed = HTML
    return DecodedDocument(text=text.replace("\r\n", "\n").replace("\r", "\n"),
                           content_type=sniffed, encoding=encoding)


def looks_like_html(text: str) -> bool:
    """HTML by content: it opens like a page, or it has a page's structure (<html>,
    <head>, <body>) among many tags. A text dump quoting a few tags stays text."""
    if _HTML_START.match(text[:4096].encode("utf-8", "replace")):
        return True
    head = text[:HTML_SNIFF_CHARS]
    if not _HTML_STRUCTURE.search(head):
        return False
    return sum(1 for _ in zip(range(MIN_HTML_TAGS), _HTML_TAG.finditer(head))) >= MIN_HTML_TAGS


def _decode_text(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise DocumentError(f"undecodable {encoding} text: {exc.reason}") from exc
    sample = data[:8192]
    if sum(b in _BINARY_BYTES for b in sample) > max(2, len(sample) // 100):
        raise DocumentError("binary file, not a text or HTML document")
    declared = _declared_charset(data)
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET_META.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
