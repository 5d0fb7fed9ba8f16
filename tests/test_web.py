"""`corpus serve` over HTTP: the pages, their downloads, errors, and the safety rules (CSRF,
read-only, token, Host, Content-Security-Policy), against a real server on both databases.
What a browser runs and shows is in test_web_browser.py."""
from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time

import httpx
import pytest

from conftest import SEEDS
from corpus import ArticleFilter, Corpus
from corpus.database import SQLITE_BUSY_TIMEOUT_S
from corpus.web import charts, highlight
from corpus.web.security import CONTENT_SECURITY_POLICY


# A busy machine (the suite runs beside other work) can be slow to answer: the bound is
# generous, and a request that answers sooner is not kept waiting.
TIMEOUT = 60


def client_of(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=TIMEOUT)


@pytest.fixture
def seeded(listed_seeds):
    return listed_seeds


@pytest.fixture
def page(seeded, serve_page):
    """An HTTP client on the page over the five seed articles."""
    with client_of(serve_page(seeded)) as client:
        yield client


def csrf_of(client: httpx.Client, path: str = "/articles/1") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', response.text).group(1)


def text_of(html: str) -> str:
    """The visible text of a page, roughly: tags dropped, entities of quotes decoded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#34;", '"').replace("&#39;", "'")


# --- reading ------------------------------------------------------------------------------------

def test_articles_page_lists_newest_first_with_counts_and_tags(page, seeded):
    response = page.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    titles = re.findall(r'<a href="/articles/(\d+)">', response.text)
    assert [int(t) for t in titles] == [row["id"] for row in seeded.articles()]
    assert "Articles <span class=\"count\">5</span>" in response.text
    first = seeded.articles()[0]
    assert f'{first["word_count"]:,}' in response.text
    assert '<a class="tag" href="/?tag=syria">syria</a>' in response.text


def test_articles_page_filters_and_pages(page, seeded):
    tagged = page.get("/", params={"tag": "saudi-arabia"}).text
    expected = seeded.articles(filters=ArticleFilter(tag="saudi-arabia"))
    assert len(re.findall(r'<a href="/articles/\d+">', tagged)) == len(expected) < 5
    by_outlet = page.get("/", params={"outlet": "The Independent", "since": "2016-01-01"}).text
    assert re.findall(r'<a href="/articles/(\d+)">', by_outlet) == ["4"]
    assert "No articles match these filters" in page.get("/", params={"language": "fr"}).text


def test_paging_splits_the_list(seeded, serve_page, monkeypatch):
    monkeypatch.setattr("corpus.web.pages.ARTICLES_PER_PAGE", 2)
    with client_of(serve_page(seeded)) as client:
        pages = [re.findall(r'<a href="/articles/(\d+)">', client.get("/", params={"page": n}).text)
                 for n in (1, 2, 3)]
        last = client.get("/", params={"page": 3}).text
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(int(i) for p in pages for i in p) == [1, 2, 3, 4, 5]
    assert "articles 5–5 of 5" in last and "page 3 of 3" in last
    assert 'rel="prev" href="/?page=2"' in last


def test_search_shows_total_highlights_and_keeps_filters(page):
    response = page.get("/search", params={"q": "Lavrov"})
    assert response.status_code == 200
    assert "2 matches for “Lavrov”" in response.text
    assert "<mark>Lavrov</mark>" in response.text
    filtered = page.get("/search", params={"q": "Lavrov", "outlet": "Middle East Eye"}).text
    assert "0 matches" in filtered
    assert 'name="outlet" value="Middle East Eye"' in filtered


def test_search_past_the_ranked_window_says_about_how_many_and_downloads_every_match(page, seeded, monkeypatch):
    monkeypatch.setattr("corpus.search.RANK_WINDOW", 1)
    monkeypatch.setattr("corpus.web.pages.RESULTS_PER_PAGE", 1)  # a deeper page ranks (and counts) more
    every = seeded.count_matches("Putin")
    about = seeded.estimate_matches("Putin")
    assert not about["exact"] and every > 1
    html = page.get("/search", params={"q": "Putin"}).text
    assert f"about {about['matches']:,} matches for “Putin”" in text_of(html)
    assert f"Tag all about {about['matches']:,} results" in text_of(html)
    rows = list(csv.DictReader(io.StringIO(page.get("/search", params={"q": "Putin", "format": "csv"}).text)))
    assert len(rows) == every


def test_search_snippet_brackets_in_text_are_not_taken_for_marks():
    pieces = highlight.snippet("a [b] \ue000Lavrov\ue001 said")
    assert pieces == [("a [b] ", False), ("Lavrov", True), (" said", False)]


def test_article_page_marks_every_quote_with_a_link_to_its_speaker(page, seeded):
    record = seeded.article(1)
    html = page.get("/articles/1").text
    marked = re.findall(r'<mark class="quote (?:direct|partial)" data-quote="(\d+)">', html)
    assert sorted(set(int(q) for q in marked)) == sorted(q["id"] for q in record["quotes"])
    lavrov = next(q for q in record["quotes"] if q["speaker"] == "Sergei Lavrov")
    assert f'<a class="speaker" href="/speakers/{lavrov["speaker_id"]}">Sergei Lavrov</a>' in html
    assert 'href="/articles/1/raw"' in html


def test_body_paragraphs_keep_quotes_across_paragraph_breaks():
    body = "First para “opens\n\nand closes” here.\n\nLast."
    quote = {"id": 7, "start": body.index("opens"), "end": body.index("”"), "kind": "direct"}
    paragraphs = highlight.paragraphs(body, [quote])
    assert [[(p.text, p.quote is not None, p.speaker_of is not None) for p in para] for para in paragraphs] == [
        [("First para “", False, False), ("opens", True, False)],
        [("and closes", True, False), ("”", False, True), (" here.", False, False)],
        [("Last.", False, False)],
    ]
    assert "".join(p.text for para in paragraphs for p in para) == body.replace("\n\n", "")


def test_overlapping_and_unclosed_quotes_are_each_marked_once():
    body = "He said “one two three” and “four"
    first = {"id": 1, "start": 9, "end": 22, "kind": "direct"}
    overlapping = {"id": 2, "start": 13, "end": 17, "kind": "partial"}
    last = {"id": 3, "start": body.index("four"), "end": len(body), "kind": "direct"}
    [pieces] = highlight.paragraphs(body, [first, overlapping, last])
    assert [(p.text, p.quote and p.quote["id"], p.speaker_of and p.speaker_of["id"]) for p in pieces] == [
        ("He said “", None, None), ("one two three", 1, None), ("”", None, 1), (" and “", None, None),
        ("four", 3, 3)]


def test_raw_document_is_shown_as_text(page, seeded):
    html = page.get("/articles/2/raw").text
    assert "<pre class=\"raw\">" in html
    assert seeded.raw(2).text.splitlines()[0].strip()[:40].replace("'", "&#39;") in html


def test_speakers_list_filter_and_speaker_page(page, seeded):
    listing = page.get("/speakers").text
    assert "Sergei Lavrov" in listing and "Vladimir Putin" in listing
    found = page.get("/speakers", params={"name": "Lavrov"}).text
    assert "Sergei Lavrov" in found and "Vladimir Putin" not in found
    lavrov = seeded.speakers(name="Lavrov")[0]
    html = page.get(f"/speakers/{lavrov['id']}").text
    assert "3 quotes in 2 articles" in html
    assert "Mr Lavrov" in html
    assert len(re.findall(r'<td class="quote-text">', html)) == 3


def test_charts_are_svg_drawn_on_the_server(page):
    html = page.get("/charts").text
    assert html.count("<svg") == 2
    assert "<rect" in html and "Articles per outlet per week" in html
    assert re.search(r'<a href="/speakers/\d+"><text', html)


def chart_bars(html: str, title: str) -> list[str]:
    """The hover titles of one chart's bars (what each bar says it counts)."""
    figure = html[html.index(f"<figcaption>{title}"):]
    figure = figure[:figure.index("</figure>")]
    return re.findall(r"<rect [^>]*><title>([^<]*)</title>", figure.replace("&#39;", "'"))


def test_charts_follow_the_filters(page, seeded):
    """Top speakers for a filter, and articles per outlet per week, count only what the
    filter selects (the page and its downloads alike)."""
    outlet = "The Independent"
    html = page.get("/charts", params={"outlet": outlet}).text
    quoted: dict[str, int] = {}
    for quote in seeded.quotes():
        if quote["outlet"] == outlet:
            quoted[quote["speaker"]] = quoted.get(quote["speaker"], 0) + 1
    assert sorted(chart_bars(html, "Most quoted speakers")) == sorted(
        f"{name}: {count} quotes" for name, count in quoted.items())
    weeks = chart_bars(html, "Articles per outlet per week")
    assert weeks and all(f"· {outlet}: " in bar for bar in weeks)
    assert sum(int(bar.rsplit(": ", 1)[1].split()[0]) for bar in weeks) == len(
        seeded.articles(filters=ArticleFilter(outlet=outlet)))
    top = page.get("/charts", params={"outlet": outlet, "chart": "speakers", "format": "json"}).json()
    assert {row["name"]: row["quotes"] for row in top} == quoted
    everyone = page.get("/charts", params={"chart": "speakers", "format": "csv"}).text
    assert len(everyone.splitlines()) - 1 > len(quoted)


def test_a_speakers_page_charts_quotes_per_month(page, seeded):
    lavrov = seeded.speakers(name="Lavrov")[0]
    quoted_in = sorted({q["article_id"] for q in seeded.quotes(speaker_id=lavrov["id"])})
    assert quoted_in == [1, 3]
    seeded.edit([1], published="2016-01-05")
    seeded.edit([3], published="2016-03-10")
    html = page.get(f"/speakers/{lavrov['id']}").text
    assert html.count("<svg") == 1
    assert sorted(chart_bars(html, "Quotes per month")) == ["2016-01 · quotes: 1 quotes", "2016-03 · quotes: 2 quotes"]
    assert ">2016-02</text>" in html  # a month without quotes is a column of its own


def test_chart_axis_is_round():
    assert charts.nice_ceiling(7) == (8, 2)
    assert charts.nice_ceiling(130) == (150, 50)
    assert charts.nice_ceiling(0) == (1.0, 1.0)
    assert charts.months_between("2015-11", "2016-02") == ["2015-11", "2015-12", "2016-01", "2016-02"]


def test_duplicates_page_and_side_by_side(seeded, serve_page, tmp_path):
    original = (SEEDS / "000_866a51af9ae93c57.txt").read_text(encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text(original.replace("Sunday", "Monday"), encoding="utf-8")
    [result] = seeded.add([str(copy)])
    with client_of(serve_page(seeded)) as client:
        listing = client.get("/duplicates").text
        side = client.get(f"/duplicates/{result.article_id}").text
        articles = client.get("/").text
        article = client.get(f"/articles/{result.article_id}").text
    assert "1 story" in listing and f'href="/articles/{result.article_id}"' in listing
    assert side.count('<section class="column">') == 2
    assert '<span class="changed">Monday,</span>' in side
    assert "≈ near-copy" in articles
    assert 'Near-copies <span class="count">1</span>' in article and "first of the story" in article


def test_every_list_downloads_as_csv_and_json_with_the_same_filters(page, seeded):
    rows = list(csv.DictReader(io.StringIO(page.get("/", params={"tag": "saudi-arabia", "format": "csv"}).text)))
    assert [int(r["id"]) for r in rows] == [a["id"] for a in seeded.articles(filters=ArticleFilter(tag="saudi-arabia"))]
    as_json = page.get("/", params={"tag": "saudi-arabia", "format": "json"})
    assert as_json.headers["content-type"] == "application/json"
    assert [r["id"] for r in as_json.json()] == [int(r["id"]) for r in rows]
    assert "attachment" in as_json.headers["content-disposition"]
    assert [r["id"] for r in page.get("/search", params={"q": "Lavrov", "format": "json"}).json()] == \
        [r["id"] for r in seeded.search("Lavrov")]
    assert {r["name"] for r in page.get("/speakers", params={"name": "Lavrov", "format": "json"}).json()} == {"Sergei Lavrov"}
    lavrov = seeded.speakers(name="Lavrov")[0]["id"]
    quotes = list(csv.DictReader(io.StringIO(page.get(f"/speakers/{lavrov}", params={"format": "csv"}).text)))
    assert len(quotes) == 3 and {q["speaker"] for q in quotes} == {"Sergei Lavrov"}
    assert page.get("/duplicates", params={"format": "json"}).json() == []
    weekly = page.get("/charts", params={"format": "json"}).json()
    dated = [a for a in seeded.articles() if a["published_at"]]
    assert sorted((r["outlet"], r["articles"]) for r in weekly) == sorted((a["outlet"], 1) for a in dated)
    empty = page.get("/", params={"tag": "nothing-has-this", "format": "json"})
    assert empty.json() == []


# --- errors -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, status, says", [
    ("/articles/999", 404, "no article with id 999"),
    ("/articles/99999999999999999999", 404, "no such id"),
    ("/articles/abc", 404, "no such page"),
    ("/speakers/4242", 404, "no speaker with id 4242"),
    ("/nowhere", 404, "no such page"),
    ("/?since=last+tuesday", 400, "not a date"),
    ("/?until=2016-13-45", 400, "until"),
    ("/?page=0", 400, "page must be a number"),
    ("/?page=%C2%B2", 400, "page must be a number"),
    ("/?format=xml", 400, "format must be one of"),
    ("/search?q=-", 400, "empty search"),
    ("/search?q=%22%22", 400, "empty search"),
    ("/search?format=csv", 400, "give a search"),
    ("/duplicates/1", 400, "no near-copies"),
    ("/?tag=syria%00", 400, "tag cannot contain control characters"),
    ("/charts?outlet=%00", 400, "outlet cannot contain control characters"),
    ("/search?q=Lavrov&language=%1B", 400, "language cannot contain control characters"),
])
def test_bad_requests_get_a_proper_page_not_a_traceback(page, path, status, says):
    response = page.get(path)
    assert response.status_code == status
    assert says in response.text.replace("&#39;", "'")
    assert "Traceback" not in response.text and "<h1>" in response.text


def test_errors_as_json_for_scripts(page):
    response = page.get("/articles/999", headers={"accept": "application/json"})
    assert response.status_code == 404
    assert response.json() == {"error": "no article with id 999"}


# --- safety -------------------------------------------------------------------------------------

def test_every_response_forbids_scripts_and_outside_resources(page):
    for path in ("/", "/articles/1", "/nowhere", "/static/style.css", "/?format=csv"):
        response = page.get(path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert re.fullmatch(r"app;dur=\d+\.\d", response.headers["server-timing"])
    assert "script-src" not in CONTENT_SECURITY_POLICY and "default-src 'none'" in CONTENT_SECURITY_POLICY
    html = page.get("/articles/1").text
    assert "<script" not in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html.replace('href="http', 'SOURCE'))


def test_hostile_text_is_escaped(corpus, serve_page):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    corpus.add_bytes(f"{hostile}\n\nThe body says {hostile} and more words follow here for the body.".encode(),
                     source="hostile.txt", title=hostile, outlet=hostile, tags=["x<b>y"])
    with client_of(serve_page(corpus)) as client:
        for path in ("/", "/articles/1", "/search?q=body", "/charts"):
            html = client.get(path).text
            assert "<script>alert" not in html and "<img src=x" not in html, path
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or path == "/charts"


def test_a_change_needs_post_and_the_csrf_token(page, seeded):
    assert page.get("/articles/1/tag", params={"tag": "nope"}).status_code == 405
    refused = page.post("/articles/1/tag", data={"tag": "nope"})
    assert refused.status_code == 403 and "security token" in refused.text
    wrong = page.post("/articles/1/tag", data={"tag": "nope", "csrf": "x" * 43})
    assert wrong.status_code == 403
    token = csrf_of(page)
    cross_site = page.post("/articles/1/tag", data={"tag": "nope", "csrf": token},
                           headers={"origin": "http://evil.example"})
    assert cross_site.status_code == 403
    assert "nope" not in seeded.article(1)["tags"]
    done = page.post("/articles/1/tag", data={"tag": "checked", "csrf": token})
    assert done.status_code == 303 and done.headers["location"] == "/articles/1"
    assert "checked" in seeded.article(1)["tags"]
    shown = page.get("/articles/1").text
    assert "tagged &#39;checked&#39;" in shown  # the one-time message
    assert "tagged &#39;checked&#39;" not in page.get("/articles/1").text


def test_a_form_value_with_a_nul_is_a_bad_request_that_changes_nothing(page, seeded):
    token = csrf_of(page)
    before = (seeded.article(1), seeded.speakers())
    for path, form, says in [
        ("/articles/1/tag", {"tag": "a\x00b"}, "a tag name cannot contain"),
        ("/articles/1/edit", {"title": "a\x00b", "language": "en"}, "title cannot contain"),
        ("/speakers/1/rename", {"name": "a\x00b"}, "a speaker&#39;s name cannot contain"),
        ("/quotes/1/assign", {"speaker": "Bob\x00Smith", "article": "1"}, "a speaker&#39;s name cannot contain"),
        ("/search/tag", {"q": "Putin", "new_tag": "x\x00y"}, "a tag name cannot contain"),
    ]:
        response = page.post(path, data={"csrf": token, **form})
        assert response.status_code == 400 and says in response.text, (path, response.status_code)
    assert (seeded.article(1), seeded.speakers()) == before and seeded.history() == []


def test_untag_rename_and_merge_through_forms(page, seeded):
    token = csrf_of(page)
    assert page.post("/articles/1/untag", data={"tag": "syria", "csrf": token}).status_code == 303
    assert "syria" not in seeded.article(1)["tags"]
    putin = seeded.speakers(name="Putin")[0]["id"]
    assert page.post(f"/speakers/{putin}/rename", data={"name": "V. V. Putin", "csrf": token}).status_code == 303
    assert seeded.speaker(putin)["name"] == "V. V. Putin"
    lavrov = seeded.speakers(name="Lavrov")[0]
    merged = page.post(f"/speakers/{putin}/merge", data={"other": str(lavrov["id"]), "csrf": token})
    assert merged.status_code == 303
    assert seeded.speaker(putin)["quote_count"] == 3 + lavrov["quotes"]
    assert page.get(f"/speakers/{lavrov['id']}").status_code == 404
    bad = page.post(f"/speakers/{putin}/merge", data={"other": "twelve", "csrf": token})
    assert bad.status_code == 400 and "not an id" in bad.text
    assert page.post(f"/speakers/{putin}/rename", data={"name": " ", "csrf": token}).status_code == 400


def test_edit_metadata_changes_only_what_the_form_changed(page, seeded):
    token = csrf_of(page)
    form = {"csrf": token, "title": "A corrected title", "subtitle": "", "byline": "", "outlet": "Reuters",
            "published": "2016-01-31", "url": "", "language": "en"}
    response = page.post("/articles/1/edit", data=form)
    assert response.status_code == 303
    record = seeded.article(1)
    assert (record["title"], record["outlet"], record["byline"]) == ("A corrected title", "Reuters", None)
    assert record["published_at"].date().isoformat() == "2016-01-31"
    [entry] = seeded.history(article_id=1)
    assert entry["action"] == "edit" and "language" not in entry["summary"]
    again = page.post("/articles/1/edit", data=dict(form, published="2016-01-31T00:00"))
    assert again.status_code == 303 and len(seeded.history(article_id=1)) == 1
    bad = page.post("/articles/1/edit", data=dict(form, published="someday"))
    assert bad.status_code == 400 and "not a date" in bad.text.replace("&#39;", "'")


def test_delete_asks_first_and_then_removes_the_article(page, seeded):
    confirm = page.get("/articles/2/delete")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    assert seeded.count_articles() == 5
    response = page.post("/articles/2/delete", data={"csrf": csrf_of(page), "note": "duplicate scrape"})
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert seeded.count_articles() == 4
    assert "deleted article #2" in page.get("/").text
    assert page.get("/articles/2").status_code == 404


def test_reject_assign_and_undo_quotes(page, seeded):
    token = csrf_of(page)
    quotes = seeded.article(1)["quotes"]
    rejected, reassigned = quotes[0], quotes[1]
    assert page.post(f"/quotes/{rejected['id']}/reject", data={"csrf": token, "article": "1"}).headers["location"] \
        == "/articles/1#quotes"
    assert next(q for q in seeded.article(1)["quotes"] if q["id"] == rejected["id"])["status"] == "rejected"
    assert next(a for a in seeded.articles() if a["id"] == 1)["quote_count"] == len(quotes) - 1
    html = page.get("/articles/1").text
    assert f'data-quote="{rejected["id"]}"' not in html and f'<tr id="quote-{rejected["id"]}" class="rejected">' in html
    assert f'action="/quotes/{rejected["id"]}/restore"' in html
    assert page.post(f"/quotes/{reassigned['id']}/assign",
                     data={"csrf": token, "article": "1", "speaker": "Kofi Annan"}).status_code == 303
    assigned = next(q for q in seeded.article(1)["quotes"] if q["id"] == reassigned["id"])
    assert assigned["speaker"] == "Kofi Annan"
    lavrov = seeded.speakers(name="Lavrov")[0]["id"]
    assert page.post(f"/quotes/{reassigned['id']}/assign",
                     data={"csrf": token, "article": "1", "speaker": f"#{lavrov}"}).status_code == 303
    assert next(q for q in seeded.article(1)["quotes"] if q["id"] == reassigned["id"])["speaker_id"] == lavrov

    history = page.get("/history").text
    reject_entry = next(e for e in seeded.history() if e["action"] == "quote-reject")
    assert f'action="/history/{reject_entry["id"]}/undo"' in history
    undone = page.post(f"/history/{reject_entry['id']}/undo", data={"csrf": token, "back": "/articles/1"})
    assert undone.status_code == 303 and undone.headers["location"] == "/articles/1"
    assert next(q for q in seeded.article(1)["quotes"] if q["id"] == rejected["id"])["status"] == "found"
    assert f'action="/history/{reject_entry["id"]}/undo"' not in page.get("/history").text  # done once
    again = page.post(f"/history/{reject_entry['id']}/undo", data={"csrf": token})
    assert again.status_code == 400 and "already undone" in again.text
    outside = page.post(f"/history/{reject_entry['id'] + 1}/undo", data={"csrf": token, "back": "//evil.example/"})
    assert outside.headers.get("location", "/history") == "/history"
    assert page.get("/history", params={"format": "json"}).json()[0]["action"] == "undo"
    page.post(f"/quotes/{rejected['id']}/reject", data={"csrf": token, "article": "1"})
    assert page.post(f"/quotes/{rejected['id']}/restore", data={"csrf": token, "article": "1"}).status_code == 303
    assert next(q for q in seeded.article(1)["quotes"] if q["id"] == rejected["id"])["status"] == "found"


def test_tag_all_search_results_with_the_filters(page, seeded):
    none = page.post("/search/tag", data={"csrf": csrf_of(page), "q": "Lavrov", "new_tag": "lavrov-said",
                                          "outlet": "Middle East Eye"})
    assert none.status_code == 400 and "no articles match" in none.text
    response = page.post("/search/tag", data={"csrf": csrf_of(page), "q": "Putin", "new_tag": "putin",
                                              "since": "2016-01-01"})
    assert response.status_code == 303
    assert response.headers["location"] == "/search?q=Putin&since=2016-01-01"
    expected = {hit["id"] for hit in seeded.search("Putin", filters=ArticleFilter(since="2016-01-01"), limit=100)}
    assert {a["id"] for a in seeded.articles(filters=ArticleFilter(tag="putin"))} == expected
    assert 0 < len(expected) < seeded.count_matches("Putin")


def test_merges_are_not_offered_for_undo(page, seeded):
    putin, lavrov = seeded.speakers(name="Putin")[0]["id"], seeded.speakers(name="Lavrov")[0]["id"]
    page.post(f"/speakers/{putin}/merge", data={"other": str(lavrov), "csrf": csrf_of(page)})
    [merge] = seeded.history()
    assert merge["action"] == "speaker-merge"
    assert f"/history/{merge['id']}/undo" not in page.get("/history").text


def test_read_only_serves_no_action(seeded, serve_page):
    with client_of(serve_page(seeded, read_only=True)) as client:
        html = client.get("/articles/1").text
        assert 'method="post"' not in html and "read-only" in html
        assert 'method="post"' not in client.get(f"/speakers/{seeded.speakers()[0]['id']}").text
        assert 'method="post"' not in client.get("/search", params={"q": "Lavrov"}).text
        assert 'method="post"' not in client.get("/history").text
        assert client.get("/articles/1/delete").status_code == 404
        token = client.cookies["corpus_csrf"]
        refused = [client.post(path, data={"tag": "x", "csrf": token}).status_code
                   for path in ("/articles/1/tag", "/articles/1/edit", "/articles/1/delete", "/quotes/1/reject",
                                "/search/tag", "/history/1/undo", "/speakers/1/merge")]
    assert refused == [404] * 7
    assert seeded.article(1)["tags"] == ["russia", "saudi-arabia", "syria"]


def test_token_is_required_from_every_request(seeded, serve_page):
    secret = "s3cret-token-of-enough-length"
    url = serve_page(seeded, token=secret, loopback_only=False)
    with client_of(url) as client:
        assert client.get("/").status_code == 401
        assert client.get("/static/style.css").status_code == 401
        assert client.get("/", params={"token": "wrong-token-of-enough-length"}).status_code == 401
        assert client.get("/", headers={"authorization": f"Bearer {secret}"}).status_code == 200
        opened = client.get("/", params={"token": secret, "tag": "syria"})
        assert opened.status_code == 303 and opened.headers["location"] == "/?tag=syria"
        assert client.get("/?tag=syria").status_code == 200  # the cookie now carries it
    with client_of(url) as stranger:
        assert stranger.get("/", params={"token": "ünïcode-but-long-enough"}).status_code == 401
        assert stranger.get("/", headers={"authorization": "Bearer nope"}).status_code == 401


def test_loopback_server_answers_only_loopback_host_names(page):
    assert page.get("/", headers={"host": "evil.example:8000"}).status_code == 400
    assert page.get("/", headers={"host": "localhost:8000"}).status_code == 200
    assert page.get("/", headers={"host": "[::1]:8000"}).status_code == 200


def test_get_changes_nothing(page, seeded):
    before = (seeded.counts(), [a["tags"] for a in seeded.articles()])
    for path in ("/", "/search?q=Lavrov", "/articles/1", "/articles/1/raw", "/speakers", "/speakers/1",
                 "/duplicates", "/charts", "/?format=csv", "/articles/1/tag?tag=x"):
        page.get(path)
    assert (seeded.counts(), [a["tags"] for a in seeded.articles()]) == before


def test_server_answers_while_a_writer_holds_the_database(seeded, serve_page, db_url):
    """`corpus add` writes in transactions that hold SQLite's write lock; pages only read."""
    url = serve_page(seeded)
    writer = Corpus(db_url)
    from corpus.models import Tag

    with writer.sessions() as session, session.begin():
        session.add(Tag(name="being-written"))
        session.flush()  # the write lock (SQLite) / an open write transaction (PostgreSQL) is held
        with client_of(url) as client:
            started = time.monotonic()
            for path in ("/", "/search?q=Lavrov", "/articles/1", "/speakers", "/duplicates", "/charts"):
                assert client.get(path).status_code == 200, path
            # A read waiting for the lock would wait out the busy timeout; a slow machine does not.
            assert time.monotonic() - started < SQLITE_BUSY_TIMEOUT_S / 2
    writer.close()


def test_server_answers_during_a_real_add(seeded, serve_page, db_url, tmp_path):
    url = serve_page(seeded)
    for n in range(30):
        text = (SEEDS / "001_8bbc5c1762615b22.txt").read_text(encoding="utf-8")
        (tmp_path / f"doc{n}.txt").write_text(f"Copy {n} headline\n\n{text}\nEdition {n} of {n * 7}.", encoding="utf-8")
    adding = subprocess.Popen([sys.executable, "-m", "corpus", "--db", db_url, "add", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    statuses = []
    with client_of(url) as client:
        while adding.poll() is None:
            statuses.append(client.get("/").status_code)
            statuses.append(client.get("/search", params={"q": "Damascus"}).status_code)
    assert adding.wait() in (0, 1)
    assert statuses and set(statuses) == {200}


# --- the command ------------------------------------------------------------------------------------

def test_corpus_serve_prints_the_address_and_serves(seeded, db_url):
    process = subprocess.Popen([sys.executable, "-m", "corpus", "--db", db_url, "serve", "--port", "0", "--read-only"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        address = re.search(r"at (http://127\.0\.0\.1:\d+/)", line).group(1)
        assert "(read-only)" in line
        assert httpx.get(address + "articles/1", timeout=TIMEOUT).status_code == 200
    finally:
        process.terminate()
        process.wait(10)


def test_corpus_serve_beyond_loopback_takes_the_token_from_the_environment(seeded, db_url):
    """Bound to every interface with CORPUS_SERVE_TOKEN set: the printed address carries the
    token, and a request without it is refused."""
    secret = "from-the-environment-0123456789"
    process = subprocess.Popen([sys.executable, "-m", "corpus", "--db", db_url, "serve", "--host", "0.0.0.0",
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, CORPUS_SERVE_TOKEN=secret))
    try:
        line = process.stdout.readline()
        port, token = re.search(r"at http://0\.0\.0\.0:(\d+)/\?token=(\S+)", line).groups()
        assert token == secret
        with client_of(f"http://127.0.0.1:{port}") as client:
            assert client.get("/articles/1").status_code == 401
            assert client.get("/articles/1", headers={"authorization": f"Bearer {secret}"}).status_code == 200
    finally:
        process.terminate()
        process.wait(10)


def test_corpus_serve_refuses_other_interfaces_without_a_token(cli):
    cli("init")
    result = cli("serve", "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert "give --token" in result.stderr
    short = cli("serve", "--host", "0.0.0.0", "--token", "abc")
    assert short.exit_code == 1 and "at least 16 characters" in short.stderr


def test_corpus_serve_reports_a_port_in_use(cli):
    import socket

    cli("init")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        result = cli("serve", "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 1
    assert "cannot listen on 127.0.0.1" in result.stderr
