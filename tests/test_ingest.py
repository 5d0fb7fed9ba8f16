"""Adding documents: duplicates, bad input, encodings, atomicity and concurrent writers."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from corpus import Corpus
from corpus import ingest
from corpus.models import Article, Document, Quote

from conftest import ROOT, SEEDS

ARTICLE = (
    "Ministers meet over the harbour dispute\n\n"
    "The harbour authority said on Monday that talks between the two ministers would resume next week.\n\n"
    "“We are confident that an agreement can be reached before the winter,” said port director Anna Berg.\n\n"
    "The dispute has delayed shipping for three months and cost local firms millions of euros in lost trade.\n"
)


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def statuses(results) -> list[str]:
    return [r.status for r in results]


def test_adding_the_same_content_again_adds_nothing(corpus):
    first = list(corpus.add([str(SEEDS)]))
    second = list(corpus.add([str(SEEDS)]))
    assert statuses(first) == ["added"] * 5
    assert statuses(second) == ["present"] * 5
    assert [r.article_id for r in second] == [r.article_id for r in first]
    assert corpus.counts()["articles"] == 5


def test_same_text_with_other_whitespace_is_present(corpus, tmp_path):
    corpus.add_bytes(ARTICLE.encode(), source="a.txt")
    again = corpus.add_bytes(ARTICLE.replace("\n\n", "\n\n\n").encode() + b"\n\n", source="b.txt")
    assert again.status == "present"


def test_every_document_is_kept_raw_and_compressed(corpus):
    list(corpus.add([str(SEEDS / "001_8bbc5c1762615b22.txt")]))
    original = (SEEDS / "001_8bbc5c1762615b22.txt").read_bytes()
    with corpus.sessions() as session:
        document = session.scalars(select(Document)).one()
        assert document.size == len(original) and len(document.data) < len(original)
        assert document.content_type == "text/plain"
    assert corpus.raw(1).text == original.decode("utf-8")


def test_bad_inputs_fail_one_by_one_and_the_rest_is_added(corpus, tmp_path):
    good = write(tmp_path / "good.txt", ARTICLE)
    empty = write(tmp_path / "empty.txt", b"")
    binary = write(tmp_path / "image.txt", bytes(range(256)) * 4)
    (tmp_path / "nothing_here").mkdir()
    results = {Path(r.source).name: r for r in corpus.add(
        [str(empty), str(tmp_path / "missing.txt"), str(binary), str(tmp_path / "nothing_here"),
         str(tmp_path / "*.nomatch"), str(good)])}
    assert results["good.txt"].status == "added"
    assert results["empty.txt"].message == "empty document"
    assert results["missing.txt"].message == "no such file or directory"
    assert "binary" in results["image.txt"].message
    assert results["nothing_here"].message == "no documents in this directory"
    assert results["*.nomatch"].message == "no files match this pattern"
    assert statuses(results.values()).count("failed") == 5
    assert corpus.counts()["articles"] == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_text_is_decoded_in_common_encodings(corpus, tmp_path, encoding):
    text = ARTICLE.replace("Anna Berg", "Zoë Müller-Françoise")
    if encoding == "latin-1":
        text = text.replace("“", '"').replace("”", '"')  # latin-1 has no curly quotes
    path = write(tmp_path / "article.txt", text.encode(encoding))
    [result] = corpus.add([str(path)])
    assert result.status == "added", result.message
    assert "Zoë Müller-Françoise" in corpus.article(result.article_id)["body"]


def test_html_is_told_from_text_by_content(corpus, tmp_path):
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:])
    html = f"<!DOCTYPE html><html><head><title>Ministers meet</title></head><body><article><h1>Ministers meet over the harbour dispute</h1>{paragraphs}</article></body></html>"
    [result] = corpus.add([str(write(tmp_path / "page.dat", html))])
    article = corpus.article(result.article_id)
    assert "<p>" not in article["body"] and "harbour authority" in article["body"]
    with corpus.sessions() as session:
        assert session.scalars(select(Document.content_type)).one() == "text/html"


def test_a_page_with_junk_before_its_html_is_html_and_a_dump_quoting_tags_is_text():
    from corpus.documents import HTML, TEXT, decode

    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:])
    page = (f'<script>var bucket=4;</script><input type="hidden" name="ref">\n<html><head><title>Ministers</title>'
            f'</head><body><div><div><span>Home</span></div>{paragraphs * 3}</div></body></html>')
    assert decode(("? " + page).encode()).content_type == HTML
    assert decode(('<?xml version="1.0"?>\n' + page).encode()).content_type == HTML
    dump = ARTICLE + '\n<a href="http://ads.example/go"><img src="http://ads.example/banner.gif"></a>\n' * 3
    assert decode(dump.encode()).content_type == TEXT
    assert decode(b"How to write <html> and <body> tags: a beginner's guide.\n\n" + ARTICLE.encode()).content_type == TEXT


def test_directories_are_read_recursively_and_globs_expand(corpus, tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    for i, directory in enumerate([tmp_path / "a", nested]):
        write(directory / f"story{i}.txt", ARTICLE.replace("Monday", f"day {i}"))
    write(tmp_path / "a" / "notes.csv", "not,a,document\n")
    assert statuses(corpus.add([str(tmp_path / "a")])) == ["added", "added"]
    write(tmp_path / "story9.txt", ARTICLE.replace("Monday", "day 9"))
    assert statuses(corpus.add([str(tmp_path / "story*.txt")])) == ["added"]


def test_metadata_given_when_adding_wins_and_tags_are_attached(corpus, tmp_path):
    path = write(tmp_path / "a.txt", ARTICLE)
    [result] = corpus.add([str(path)], outlet="Harbour Times", url="https://harbourtimes.example/a",
                          tags=["ports", "ports", " shipping "], published="2024-03-05", title="Harbour talks")
    article = corpus.article(result.article_id)
    assert article["outlet"] == "Harbour Times" and article["title"] == "Harbour talks"
    assert article["url"] == "https://harbourtimes.example/a"
    assert article["published_at"].isoformat() == "2024-03-05T00:00:00"
    assert article["tags"] == ["ports", "shipping"]


def test_one_outlet_row_per_domain(corpus, tmp_path):
    for i in range(2):
        corpus.add_bytes(ARTICLE.replace("Monday", f"day {i}").encode(), source=f"{i}.txt",
                         url=f"https://www.harbour.example/story-{i}")
    assert {a["outlet"] for a in corpus.articles()} == {"harbour.example"}
    assert corpus.counts()["outlets"] == 1


def test_manifest_adds_with_its_metadata(corpus, tmp_path):
    write(tmp_path / "one.txt", ARTICLE)
    write(tmp_path / "two.txt", ARTICLE.replace("Monday", "Tuesday"))
    manifest = write(tmp_path / "manifest.csv",
                     "path,outlet,published,tags,title\n"
                     "one.txt,Harbour Times,2024-01-02,ports;politics,\n"
                     "two.txt,,2024-01-03T10:30:00+02:00,ports,Second story\n")
    results = list(corpus.add(manifest=str(manifest)))
    assert statuses(results) == ["added", "added"]
    one, two = (corpus.article(r.article_id) for r in results)
    assert one["outlet"] == "Harbour Times" and one["tags"] == ["politics", "ports"]
    assert two["title"] == "Second story" and two["published_at"].isoformat() == "2024-01-03T08:30:00"


def test_a_bad_manifest_is_one_clear_error(corpus, tmp_path):
    manifest = write(tmp_path / "m.csv", "file,when\nx.txt,2020\n")
    with pytest.raises(ingest.InputError, match="unknown columns"):
        list(corpus.add(manifest=str(manifest)))


def test_a_failure_while_storing_leaves_no_partial_rows(corpus, tmp_path, monkeypatch):
    """Each document is stored whole or not at all; running again completes the batch."""
    paths = [str(write(tmp_path / f"{i}.txt", ARTICLE.replace("Monday", f"day {i}"))) for i in range(3)]
    real_fill_quote = ingest._fill_quote
    calls = {"n": 0}

    def failing_fill_quote(session, row, quote, speakers_seen):
        calls["n"] += 1
        if calls["n"] == 2:  # inside the second document's transaction, after rows were added
            raise RuntimeError("simulated crash")
        return real_fill_quote(session, row, quote, speakers_seen)

    monkeypatch.setattr(ingest, "_fill_quote", failing_fill_quote)
    with pytest.raises(RuntimeError):
        list(corpus.add(paths))
    with corpus.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
        assert session.scalar(select(func.count()).select_from(Document)) == 1
        assert session.scalar(select(func.count()).select_from(Quote)) == 1
    monkeypatch.setattr(ingest, "_fill_quote", real_fill_quote)
    assert statuses(corpus.add(paths)) == ["present", "added", "added"]


def test_two_processes_adding_to_one_sqlite_file_both_finish(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    with Corpus(url) as corpus:
        corpus.init()
    batches = []
    for name in ("left", "right"):
        directory = tmp_path / name
        directory.mkdir()
        for i in range(15):
            write(directory / f"{i}.txt", ARTICLE.replace("Monday", f"{name} day {i}"))
        batches.append(directory)
    env = dict(os.environ, CORPUS_DATABASE_URL=url)
    processes = [subprocess.Popen([sys.executable, "-m", "corpus", "add", str(d)], env=env, cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for d in batches]
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr.decode()
    with Corpus(url) as corpus:
        assert corpus.counts()["articles"] == 30


def test_adding_with_worker_processes_stores_the_same_as_one_process(db_url, tmp_path):
    for i in range(12):
        write(tmp_path / f"{i:02}.txt", ARTICLE.replace("Monday", f"day {i}"))
    write(tmp_path / "12.txt", ARTICLE.replace("Monday", "day 3"))  # same text as 03.txt
    write(tmp_path / "13.txt", b"")
    with Corpus(db_url) as corpus:
        results = list(corpus.add([str(tmp_path)], jobs=2))
    assert [Path(r.source).name for r in results] == [f"{i:02}.txt" for i in range(12)] + ["12.txt", "13.txt"]
    assert statuses(results) == ["added"] * 12 + ["present", "failed"]
    with Corpus(db_url) as corpus:
        assert corpus.counts()["articles"] == 12
        assert all(len(a["quotes"]) == 1 for a in (corpus.article(r.article_id) for r in results[:12]))


def test_a_canonical_url_in_the_page_is_recorded_once(corpus, tmp_path):
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:])
    page = ("<!DOCTYPE html><html><head><title>Ministers meet</title>"
            "<link rel='canonical' href='https://www.harbour.example/news/talks'></head><body><article>"
            f"<h1>Ministers meet over the harbour dispute</h1>{paragraphs}</article></body></html>")
    [first] = corpus.add([str(write(tmp_path / "a.html", page))])
    [second] = corpus.add([str(write(tmp_path / "b.html", page.replace("Monday", "Tuesday")))])
    assert corpus.article(first.article_id)["url"] == "https://www.harbour.example/news/talks"
    assert corpus.article(first.article_id)["outlet"] == "harbour.example"
    assert second.status == "added" and corpus.article(second.article_id)["url"] is None
