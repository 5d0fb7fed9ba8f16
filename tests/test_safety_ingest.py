"""One odd document never stops a batch, and text is decoded by evidence (issue #9,
items 3 and 4). Each test runs on SQLite and PostgreSQL: the same inputs must store the
same way on both."""
from __future__ import annotations

import json
from pathlib import Path


from corpus import Corpus, documents
from corpus.models import Article, Outlet, Tag

from conftest import SEEDS

BODY = ("The foreign minister said on Monday that talks on the ceasefire would resume in Geneva after a "
        "short pause, in a statement carried by state media. \u201cWe will not accept any deal that "
        "ignores the aid convoys,\u201d the minister told reporters in Geneva on Monday afternoon. "
        "Talks between the two sides are expected to last five days, officials said. ")


def text_file(folder: Path, name: str, words: str, extra: bytes = b"") -> Path:
    path = folder / name
    path.write_bytes(f"Talks resume on {words}\n\n{BODY}{words} {words}.\n".encode() + extra)
    return path


def html_page(title: str, *, head: str = "", body: str = BODY, charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f"<!doctype html><html><head>{meta}<title>{title}</title>{head}</head><body><article>"
            f"<h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>")


def outcomes(corpus: Corpus, *inputs, **options) -> list[tuple[str, str | None]]:
    return [(Path(r.source).name, r.status, r.message) for r in corpus.add([str(i) for i in inputs], **options)]


# --- item 3: one odd document --------------------------------------------------------------

def test_a_url_already_taken_fails_that_document_only(corpus, tmp_path):
    a, b = text_file(tmp_path, "a.txt", "grain"), text_file(tmp_path, "b.txt", "sanctions")
    text_file(tmp_path, "c.txt", "water")  # named by the manifest below
    assert outcomes(corpus, a, b, url="https://example.com/story") == [
        ("a.txt", "added", None), ("b.txt", "failed", "url already used by #1")]
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,url\nb.txt,https://example.com/story\nc.txt,https://example.com/other\n")
    results = list(corpus.add(manifest=str(manifest)))
    assert [(r.status, r.message) for r in results] == [("failed", "url already used by #1"), ("added", None)]
    assert sorted(a["url"] for a in corpus.articles()) == ["https://example.com/other", "https://example.com/story"]


def test_the_cli_prints_an_outcome_per_document_and_goes_on(cli, tmp_path):
    a, b = text_file(tmp_path, "a.txt", "grain"), text_file(tmp_path, "b.txt", "sanctions")
    result = cli("add", str(a), str(b), str(SEEDS / "000_866a51af9ae93c57.txt"), "--url", "https://example.com/x")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout.startswith(f"added   #1  {a}")
    assert f"failed  {b}: url already used by #1" in result.stderr
    assert "1 added, 0 already present, 2 failed" in result.stdout


def test_values_too_long_for_their_columns_are_fitted_the_same_on_both_databases(corpus, tmp_path):
    site = "Outlet " * 60  # 420 characters; outlets.name holds 200
    canonical = "https://example.com/" + "a" * 3000  # articles.url holds 2048
    long_page = tmp_path / "long.html"
    long_page.write_text(html_page("A page with long metadata", head=(
        f'<meta property="og:site_name" content="{site}"><link rel="canonical" href="{canonical}">')))
    nul = text_file(tmp_path, "nul.txt", "convoys", extra=b"A line with a NUL\x00 byte in it.\n")
    after = text_file(tmp_path, "after.txt", "reconstruction")
    long_tag = "t" * 150  # tags.name holds 100
    results = list(corpus.add([str(long_page), str(nul), str(after)], tags=[long_tag]))
    assert [r.status for r in results] == ["added", "added", "added"]
    assert "1 NUL character removed" in results[1].message
    with corpus.sessions() as session:
        page = session.get(Article, results[0].article_id)
        assert page.url is None  # too long to be an address: not cut into a wrong one
        assert page.outlet.name == " ".join(site.split())[:200]
        assert "\x00" not in session.get(Article, results[1].article_id).body
        assert "A line with a NUL byte in it." in session.get(Article, results[1].article_id).body
        assert [t.name for t in session.query(Tag)] == ["t" * 100]
        assert session.query(Outlet).count() == 1


def test_a_long_tag_on_the_command_line_is_fitted_too(cli, tmp_path):
    a = text_file(tmp_path, "a.txt", "grain")
    assert cli("add", str(a), "--tag", "x" * 120).exit_code == 0
    assert [t["tag"] for t in json.loads(cli("tags", "--json").stdout)] == ["x" * 100]


# --- item 4: decoding by evidence ---------------------------------------------------------------

def test_utf8_with_one_bad_byte_is_read_as_utf8_and_said_to_be_repaired(corpus):
    page = html_page("Café society", body=BODY + "Caf\u00e9 owners said \u201cwe stay open\u201d, he added.")
    data = page.encode("utf-8").replace(b"society</title>", b"soci\xffety</title>")
    decoded = documents.decode(data)
    assert decoded.encoding == "utf-8"
    assert "Café soci\ufffdety" in decoded.text
    assert decoded.repairs == ("1 byte that is not UTF-8 replaced",)
    result = corpus.add_bytes(data, source="cafe.html")
    assert result.status == "added" and result.title == "Café society"  # not "CafÃ©"
    assert result.message == "repaired: 1 byte that is not UTF-8 replaced"


def test_a_declared_charset_that_does_not_fit_the_bytes_is_ignored():
    page = html_page("Déjà vu in Genève", charset="utf-16").encode("utf-8")
    decoded = documents.decode(page)
    assert decoded.encoding == "utf-8" and "Déjà vu in Genève" in decoded.text
    latin = html_page("Déjà vu", charset="iso-8859-1").encode("utf-8")  # says latin-1, is UTF-8
    assert "Déjà vu" in documents.decode(latin).text
    cyrillic = html_page("Привет мир", charset="windows-1251").encode("cp1251")
    assert "Привет мир" in documents.decode(cyrillic).text
    assert documents.decode(html_page("Caf\u00e9").encode("cp1252")).encoding == "cp1252"
    assert documents.decode(html_page("Caf\u00e9").encode("cp1252")).repairs == ()
    header = documents.decode(html_page("Genève").encode("utf-8"), "text/html; charset=utf-16")
    assert "Genève" in header.text


def test_utf16_with_a_bom_still_decodes():
    page = html_page("Genève talks")
    assert "Genève talks" in documents.decode(page.encode("utf-16")).text


def test_the_outcome_line_says_what_was_repaired(cli, tmp_path):
    odd = text_file(tmp_path, "odd.txt", "Caf\u00e9 owners", extra=b"One bad \xff byte and a NUL\x00.\n")
    result = cli("add", str(odd))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        f"added   #1  {odd}  Talks resume on Caf\u00e9 owners  "
        "(repaired: 1 byte that is not UTF-8 replaced; 1 NUL character removed)")
