"""Raw documents: telling HTML from plain text, decoding bytes to text, and packing the
bytes for storage. Nothing here knows about the database."""
from __future__ import annotations

import codecs
import hashlib
import re
import threading
import zlib
from dataclasses import dataclass

from .errors import CorpusError

HTML = "text/html"
TEXT = "text/plain"

# Bytes that never occur in text: C0 controls other than tab, newlines, form feed, escape.
_BINARY_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32)])
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


# Documents larger than this are refused unless the user raises the limit (`--max-size`),
# local files as web pages: a 200 MB text dump is not an article, and cleaning it would
# take minutes and gigabytes.
MAX_DOCUMENT_BYTES = 10_000_000


def too_large(max_bytes: int, size: int | None = None) -> str:
    found = f"{size:,} bytes" if size is not None else f"over {max_bytes:,} bytes"
    return f"too large ({found}; the limit is {max_bytes:,}: --max-size to raise it)"


class DocumentError(CorpusError):
    """Bytes that cannot be an article (empty, binary, undecodable): a one-line reason."""


@dataclass(frozen=True)
class DecodedDocument:
    text: str
    content_type: str  # HTML or TEXT
    encoding: str
    repairs: tuple[str, ...] = ()  # what had to change to make it text, for the user to know


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 6)


def decompress(data: bytes) -> bytes:
    return zlib.decompress(data)


def decode(data: bytes, content_type: str | None = None) -> DecodedDocument:
    """Decode raw bytes and decide whether they are HTML or plain text (by content, unless
    the caller knows the type). The encoding is chosen by evidence (see _decode_text);
    NUL characters, which no text needs and PostgreSQL refuses, are removed. What had to
    be repaired is listed in `repairs`."""
    if not data.strip():
        raise DocumentError("empty document")
    text, encoding, repairs = _decode_text(data, _header_charset(content_type))
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        repairs.append(f"{nuls} NUL character{'s' if nuls != 1 else ''} removed")
    if not text.strip():
        raise DocumentError("empty document")
    sniffed = HTML if looks_like_html(text) else TEXT
    if content_type and content_type.split(";")[0].strip().lower() in (HTML, "application/xhtml+xml"):
        sniffed = HTML
    return DecodedDocument(text=text.replace("\r\n", "\n").replace("\r", "\n"),
                           content_type=sniffed, encoding=encoding, repairs=tuple(repairs))


def looks_like_html(text: str) -> bool:
    """HTML by content: it opens like a page, or it has a page's structure (<html>,
    <head>, <body>) among many tags. A text dump quoting a few tags stays text."""
    if _HTML_START.match(text[:4096].encode("utf-8", "replace")):
        return True
    head = text[:HTML_SNIFF_CHARS]
    if not _HTML_STRUCTURE.search(head):
        return False
    return sum(1 for _ in zip(range(MIN_HTML_TAGS), _HTML_TAG.finditer(head))) >= MIN_HTML_TAGS


def _decode_text(data: bytes, header_charset: str | None) -> tuple[str, str, list[str]]:
    """Text, the encoding it was read with, and what was repaired. The evidence, strongest
    first: a byte-order mark; bytes that are valid UTF-8; a declared charset (HTTP header,
    then <meta>) that decodes them cleanly; bytes that are UTF-8 but for a few bad ones
    (more valid multi-byte characters than bad bytes: read as UTF-8, the bad bytes
    replaced); else cp1252, then latin-1, which decode anything. A declaration that does
    not fit the bytes is ignored: a page whose <meta charset> can be read as ASCII is not
    UTF-16, whatever it says."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text, bad = _decode_replacing(data, encoding)
            return text, encoding.replace("-sig", ""), _replaced(bad, encoding)
    sample = data[:8192]
    if len(sample) - len(sample.translate(None, _BINARY_BYTES)) > max(2, len(sample) // 100):
        raise DocumentError("binary file, not a text or HTML document")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    for declared in filter(None, (header_charset, _declared_charset(data))):
        try:
            return data.decode(declared), declared, []
        except UnicodeDecodeError:
            continue
    text, bad = _decode_replacing(data, "utf-8")
    if _multibyte_characters(text) >= bad:
        return text, "utf-8", _replaced(bad, "utf-8")
    try:
        return data.decode("cp1252"), "cp1252", []
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", []


def _decode_replacing(data: bytes, encoding: str) -> tuple[str, int]:
    """The text with undecodable bytes replaced by U+FFFD, and how many bytes there were."""
    _bad_bytes.count = 0
    text = data.decode(encoding, errors=_REPLACE_COUNTING)
    return text, _bad_bytes.count


def _replace_counting(error: UnicodeDecodeError) -> tuple[str, int]:
    _bad_bytes.count += error.end - error.start
    return "\ufffd", error.end


_REPLACE_COUNTING = "corpus-replace-counting"
_bad_bytes = threading.local()
codecs.register_error(_REPLACE_COUNTING, _replace_counting)


def _replaced(bad: int, encoding: str) -> list[str]:
    if not bad:
        return []
    name = "UTF-8" if encoding == "utf-8" else encoding.upper().replace("-SIG", "")
    return [f"{bad} byte{'s' if bad != 1 else ''} that {'is' if bad == 1 else 'are'} not {name} replaced"]


def _multibyte_characters(text: str) -> int:
    return sum(1 for char in text if ord(char) > 0x7F and char != "\ufffd")


def _header_charset(content_type: str | None) -> str | None:
    match = re.search(r"charset=[\"']?\s*([a-zA-Z0-9_\-:]+)", content_type or "", re.IGNORECASE)
    return _ascii_compatible(match.group(1)) if match else None


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET_META.search(data[:4096])
    return _ascii_compatible(match.group(1).decode("ascii", "ignore")) if match else None


def _ascii_compatible(name: str) -> str | None:
    """The codec a charset names, when it reads ASCII as ASCII (a declaration found in
    ASCII bytes cannot be right about UTF-16 or UTF-32); None for others and unknown names."""
    try:
        codec = codecs.lookup(name.lower())
    except LookupError:
        return None
    try:
        ascii_compatible = "<meta charset=a>".encode(codec.name) == b"<meta charset=a>"
    except (UnicodeError, LookupError):
        return None
    return codec.name if ascii_compatible else None
