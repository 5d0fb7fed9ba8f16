"""corpus.cleaning: what is kept and dropped from HTML pages and text dumps, the
metadata read from them, and that neither entry point raises on any input."""
from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.cleaning import EXTRACTOR_VERSION, CleanedArticle, clean_html, clean_text
from corpus.cleaning import dump, webpage
from corpus.cleaning.dates import parse_date

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cleaning"
SEEDS = ROOT / "seeds"
WORD = re.compile(r"\w+", re.UNICODE)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def paragraphs(body: str) -> list[str]:
    return body.split("\n\n") if body else []


# --- HTML ------------------------------------------------------------------------------


def test_html_cookie_banner_dropped_and_metadata_read():
    article = clean_html(fixture("cookie_banner.html"), url="https://courier.example/x")
    assert "cookies" not in article.body.lower()
    assert "Home" not in article.body
    assert "All rights reserved" not in article.body
    assert paragraphs(article.body)[0].startswith("The harbour bridge reopened")
    assert paragraphs(article.body)[-1].startswith("The city council has promised")
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.byline == "Maria Lindqvist"
    assert article.outlet == "The Coastal Courier"
    assert article.url == "https://courier.example/news/harbour-bridge-reopens"
    assert article.published_at == datetime(2021, 3, 4, 9, 15, tzinfo=timezone(timedelta(hours=1)))
    assert article.language == "en"


def test_html_comments_are_not_body():
    article = clean_html(fixture("comments.html"))
    assert len(paragraphs(article.body)) == 4
    assert "Finally!" not in article.body
    assert "roof of the east wing" not in article.body
    assert "happyreader42" not in article.body


def test_html_caption_inside_body_dropped():
    article = clean_html(fixture("caption_in_body.html"))
    assert "Residents wade through" not in article.body
    assert len(paragraphs(article.body)) == 4
    assert article.outlet == "Northern Daily"


def test_html_without_title():
    article = clean_html(fixture("no_title.html"))
    assert article.title is None
    assert article.url is None  # nothing declared: the caller keeps the URL it fetched
    assert len(paragraphs(article.body)) == 3


def test_html_paragraphs_separated_by_blank_line_and_headline_not_repeated():
    article = clean_html(fixture("cookie_banner.html"))
    assert "\n\n\n" not in article.body
    assert all(p.strip() == p and p for p in paragraphs(article.body))
    assert article.title not in article.body


def test_html_credit_at_end_of_last_paragraph():
    html = fixture("no_title.html").replace(
        "adopt a section of the route.</p>", "adopt a section of the route. – (Reuters)</p>"
    )
    article = clean_html(html)
    assert article.source_credit == "Reuters"
    assert article.body.endswith("(Reuters)")


LAYOUT_TABLE_PAGE = """<html><head><title>Harbour talks resume | Valley Herald</title></head><body>
<table width="800"><tr><td colspan="2"><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></td></tr>
<tr><td width="150"><a href="/a">Weather</a><br><a href="/b">Jobs</a><br><a href="/c">Cars</a></td>
<td><h1>Harbour talks resume</h1>
<p>Talks between the harbour authority and the dockworkers' union resumed on Monday after a pause of three weeks.</p>
<p>The union said its members would not accept any plan that cut jobs before the end of the decade.</p>
<table class="scores"><tr><th>Terminal</th><th>Cranes</th></tr><tr><td>North</td><td>12</td></tr><tr><td>South</td><td>9</td></tr></table>
<p>A spokesperson for the authority said an agreement could be reached before the winter season begins.</p>
</td></tr></table>
<form><select name="quotes"><option>3M India</option><option>ABB Ltd</option><option>Aarti Drugs</option></select></form>
</body></html>"""


def test_html_article_in_a_layout_table_is_read_as_paragraphs():
    article = clean_html(LAYOUT_TABLE_PAGE)
    body = paragraphs(article.body)
    assert body[0].startswith("Talks between the harbour authority") and body[0].endswith("three weeks.")
    assert body[-1].startswith("A spokesperson for the authority")
    assert "|" not in article.body and "Weather" not in article.body


def test_html_layout_tables_are_told_from_data_tables():
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(LAYOUT_TABLE_PAGE)
    outer, scores = tree.findall(".//table")
    assert webpage.is_layout_table(outer) and not webpage.is_layout_table(scores)
    webpage.unwrap_layout_tables(tree)
    assert [t.get("class") for t in tree.iter("table")] == ["scores"]
    assert len(tree.findall(".//table[@class='scores']//td")) == 4


def test_html_dropdown_options_are_not_page_text():
    from lxml import html as lxml_html

    text = webpage.visible_text(lxml_html.fromstring(LAYOUT_TABLE_PAGE))
    assert "Talks between the harbour authority" in text and "Aarti Drugs" not in text


def test_html_headline_is_the_visible_line_the_title_tag_names_not_the_site_name():
    page = LAYOUT_TABLE_PAGE.replace("<h1>Harbour talks resume</h1>", "<font size=4><b>Harbour talks resume</b></font><br>")
    page = page.replace("<td colspan=\"2\">", "<td colspan=\"2\"><h1>Valley Herald</h1>")
    article = clean_html(page)
    assert article.title == "Harbour talks resume"
    assert paragraphs(article.body)[0].startswith("Talks between the harbour authority")


def test_html_empty_and_non_html_inputs():
    assert clean_html("") == CleanedArticle(body="", refusal="not an article: no text")
    assert clean_html("   ").body == ""
    assert clean_html("just some words, no markup").title is None


# --- text dumps --------------------------------------------------------------------------

NEWS_DUMP = """Skip to main content
Home | World | Business | Sport

Dockworkers strike over automation plans at northern port
Unions say thousands of jobs are at risk as the operator brings in driverless cranes

By Anna Keller in Rotterdam
Tuesday 7 March 2023 08:45 CET
Share this article

Cranes stand idle at the container terminal
Cranes stand idle at the container terminal (Reuters/Piroschka van de Wouw)

Thousands of dockworkers walked off the job on Tuesday, halting traffic at one of Europe's busiest container terminals in protest at plans to replace crane operators with automated systems.

The union said the operator had refused to guarantee jobs beyond next year and that talks had broken down after three rounds of negotiations.
Advertisement
"We are not against technology, but we will not let it be used to throw people out of work," a union spokesperson told reporters outside the terminal gates.

What happens next

The operator said the automation would be introduced gradually over five years and that no worker would be dismissed without an offer of retraining.

Port strikes in 2019 cost the regional economy an estimated 40 million euros a day, according to the chamber of commerce. – (Reuters)

Sign up for our morning newsletter
We use cookies to personalise content and ads. By using this site you agree to our cookie policy.
Comments (12)
© 2023 Harbour Times Media. All rights reserved.
"""


def test_text_dump_body_keeps_prose_and_subheading_only():
    article = clean_text(NEWS_DUMP)
    kept = paragraphs(article.body)
    assert kept[0].startswith("Thousands of dockworkers walked off")
    assert "What happens next" in kept
    assert kept[-1].endswith("– (Reuters)")
    assert len(kept) == 6
    for chrome in ("Skip to main content", "Advertisement", "Share this article", "Cranes stand idle",
                   "newsletter", "cookies", "Comments", "All rights reserved", "Home | World"):
        assert chrome not in article.body


def test_text_dump_metadata():
    article = clean_text(NEWS_DUMP)
    assert article.title == "Dockworkers strike over automation plans at northern port"
    assert article.subtitle == "Unions say thousands of jobs are at risk as the operator brings in driverless cranes"
    assert article.byline == "Anna Keller"
    assert article.published_at == datetime(2023, 3, 7, 8, 45, tzinfo=timezone(timedelta(hours=1)))
    assert article.source_credit == "Reuters"
    assert article.outlet == "Harbour Times Media"
    assert article.language == "en"


def test_text_dump_headline_sharing_no_words_with_the_lead_is_still_the_title():
    """The standfirst often shares more words with the first paragraphs than the headline
    does; its place (under the headline, over the byline) still makes it the standfirst."""
    headline = "Dockworkers strike over automation plans at northern port"
    dump = NEWS_DUMP.replace(headline, "Harbour walkout leaves ships waiting at sea")
    dump = dump.replace("Unions say thousands of jobs are at risk as the operator brings in driverless cranes",
                        "Thousands of dockworkers walked off the job at the container terminals in protest "
                        "at plans to replace crane operators")
    article = clean_text(dump)
    assert article.title == "Harbour walkout leaves ships waiting at sea"
    assert article.subtitle.startswith("Thousands of dockworkers walked off the job at the container")


def test_text_dump_last_paragraph_after_an_advert_and_before_credits_is_kept():
    """A paragraph between an advert line and the editing credits is not a lone teaser."""
    dump = (
        "Skip to main content\nWorld\nBusiness\n\n"
        "Grain talks to resume in Istanbul next week\nBy Jane Doe\nJuly 20, 2022 3:15 PM GMT\n\n"
        "ISTANBUL, July 20 - Ukraine and Russia agreed on Wednesday to hold a new round of talks in Istanbul "
        "next week on resuming Black Sea grain exports, Turkish officials said, as the United Nations pressed "
        "for a deal to ease a global food crisis.\n\n"
        "Russian Foreign Minister Sergei Lavrov said Moscow was ready to facilitate exports but that Western "
        "sanctions on Russian agriculture must also be eased before any agreement could be signed.\n\n"
        "Advertisement · Scroll to continue\n\n"
        "A U.N. spokesperson said the organisation welcomed the progress and called the proposal the best "
        "chance so far to bring grain to the world's hungriest countries.\n\n"
        "Reporting by Jane Doe in Istanbul and John Roe in London; Editing by Alex Richardson\n"
        "Read Next\nEurope\n"
    )
    kept = paragraphs(clean_text(dump).body)
    assert len(kept) == 3
    assert kept[-1].startswith("A U.N. spokesperson said")


def test_text_dump_cookie_banner_at_top_is_not_title_or_body():
    dump = (
        "We use cookies to improve your experience. Accept all cookies\n"
        "Manage cookie settings\n"
        + NEWS_DUMP.split("\n", 2)[2]
    )
    article = clean_text(dump)
    assert "cookie" not in article.body.lower()
    assert article.title == "Dockworkers strike over automation plans at northern port"


def test_text_dump_comment_section_dropped():
    dump = NEWS_DUMP.split("Sign up for our")[0] + (
        "Comments\n"
        "Join the conversation\n"
        "docker_dan 2 hours ago\n"
        "Reply Report\n"
        "Post your comment\n"
    )
    article = clean_text(dump)
    assert "docker_dan" not in article.body
    assert "Reply" not in article.body
    assert paragraphs(article.body)[-1].endswith("– (Reuters)")


def test_text_dump_comments_holding_more_prose_than_the_article_are_not_the_article():
    comment = ("I have worked on these docks for thirty years and I can tell you that the machines have never "
               "once made the terminal safer or the work any easier for the people who still do it.\n\n")
    comments = "".join(f"reader{n}\n{3 + n} January 2023 10:{n:02d}\n" + comment * 3 + "Report this comment\n"
                       for n in range(12))
    dump = NEWS_DUMP.split("Sign up for our")[0] + "Comments (40)\n" + comments
    article = clean_text(dump)
    assert article.body == clean_text(NEWS_DUMP).body
    assert article.title == "Dockworkers strike over automation plans at northern port"


def test_text_dump_page_in_one_line_keeps_the_article_sentences():
    """A dump whose whole page came out as one line (menu, article, footer) is an
    article: its sentences are kept as one paragraph, the menu and footer are not."""
    body = " ".join(p for p in paragraphs(clean_text(NEWS_DUMP).body)[1:-1] if p != "What happens next")
    line = ("Home | World | Business Sign in Subscribe to our newsletter Cookie settings. " + body
            + " Share this article Comments (12) © 2023 Harbour Times Media. All rights reserved. Terms of use")
    article = clean_text(line + "\n")
    assert article.refusal is None
    assert article.body == body


def test_text_dump_caption_inside_body_dropped():
    dump = (
        "Rail fares to rise by five per cent in January\n\n"
        "Commuters face the steepest rise in rail fares for a decade from January, the transport ministry confirmed on Friday.\n\n"
        "A commuter train leaves the central station on Friday morning. Photograph: Tom Evans/Alamy\n\n"
        "The increase is linked to the July inflation figure, which came in higher than economists had expected.\n\n"
        "Passenger groups said the rise would push more people back into their cars and called for a freeze.\n"
    )
    article = clean_text(dump)
    assert "Photograph" not in article.body
    assert "A commuter train leaves" not in article.body
    assert len(paragraphs(article.body)) == 3
    assert article.title == "Rail fares to rise by five per cent in January"


def test_text_dump_without_title():
    dump = (
        "Commuters face the steepest rise in rail fares for a decade from January, the transport ministry confirmed on Friday.\n"
        "The increase is linked to the July inflation figure, which came in higher than economists had expected.\n"
    )
    article = clean_text(dump)
    assert article.title is None
    assert len(paragraphs(article.body)) == 2


def test_text_dump_related_story_link_between_paragraphs_dropped():
    dump = (
        "Rail fares to rise by five per cent in January\n\n"
        "Commuters face the steepest rise in rail fares for a decade from January, the transport ministry confirmed on Friday.\n\n"
        "Train operators warn of more cancellations over the winter months ahead\n\n"
        "The increase is linked to the July inflation figure, which came in higher than economists had expected.\n"
    )
    article = clean_text(dump)
    assert "Train operators warn" not in article.body
    assert len(paragraphs(article.body)) == 2


def test_text_dump_nbsp_lines_and_source_line():
    dump = (
        "Talks resume in Geneva\n\u00a0\n"
        "Local Editor\n\u00a0\n"
        "Delegations from both sides returned to Geneva on Monday for a new round of talks on the ceasefire.\n\u00a0\n"
        "Diplomats said they expected the discussions to last at least a week.\n"
        "Source: News Agencies, Edited by website team\n"
        "Comments\n"
    )
    article = clean_text(dump)
    assert article.byline == "Local Editor"
    assert article.source_credit == "News Agencies"
    assert "Source:" not in article.body
    assert len(paragraphs(article.body)) == 2
    assert article.published_at is None


def test_text_empty_input():
    assert clean_text("") == CleanedArticle(body="", refusal="not an article: no text")
    assert clean_text("\n\n\u00a0\n").body == ""


def test_text_dump_hard_wrapped_lines_are_joined_into_paragraphs():
    wrapped = "\n".join(
        "\n".join(textwrap.wrap(line, 68)) if line.strip() else "" for line in NEWS_DUMP.splitlines()
    )
    assert wrapped.count("\n") > NEWS_DUMP.count("\n")  # the fixture really is wrapped
    assert clean_text(wrapped).body == clean_text(NEWS_DUMP).body


def test_text_dump_hyphen_broken_by_wrapping_is_rejoined():
    paragraph = (
        "The long-awaited agreement between the two neighbouring governments was finally signed on "
        "Thursday after months of talks mediated by the United Nations in Geneva and New York. "
    ) * 3
    lines = textwrap.wrap(paragraph.replace("neighbouring", "neighbour-ing"), 70, break_on_hyphens=True)
    lines = [line for line in lines]
    article = clean_text("\n".join(lines))
    assert "\n\n" not in article.body
    assert "neighbour- ing" not in article.body


def test_text_dump_layout_variants_give_the_same_body():
    single = "\n".join(line for line in NEWS_DUMP.splitlines() if line.strip())
    spaced = "\n\u00a0\n".join(line for line in NEWS_DUMP.splitlines() if line.strip())
    crlf = NEWS_DUMP.replace("\n", "\r\n")
    expected = clean_text(NEWS_DUMP).body
    assert clean_text(single).body == expected
    assert clean_text(spaced).body == expected
    assert clean_text(crlf).body == expected


def test_text_dump_advert_between_every_paragraph_keeps_all_paragraphs():
    body = clean_text(NEWS_DUMP).body
    with_ads = NEWS_DUMP.replace("\n\n", "\n\nAdvertisement\n\n")
    assert clean_text(with_ads).body == body


def test_text_dump_teaser_list_after_article_dropped():
    teasers = "".join(
        f"Story {n}: Ferry operator cuts routes as fuel costs soar\n"
        f"14 March 2023\n"
        f"The company said it would review the timetable again in the spring once prices had settled down.\n"
        for n in range(6)
    )
    article = clean_text(NEWS_DUMP.split("Sign up for our")[0] + "More stories\n" + teasers)
    assert "Ferry operator" not in article.body
    assert "review the timetable" not in article.body


def test_text_dump_article_split_by_a_table_keeps_both_parts():
    lead = (
        "Party switches in Congress are rare, and most members who changed sides did so for electoral reasons, "
        "according to a review of seventy years of records published on Wednesday by the research group.\n"
    ) * 4
    table = "".join(f"Member {n}\nState\nHouse\nR to D\n{1950 + n}\n" for n in range(30))
    rest = (
        "Analysts said the pattern suggested that any senator considering a switch would weigh the mood of "
        "voters at home far more heavily than the wishes of party leaders in Washington.\n"
    ) * 8
    article = clean_text("Senators rarely switch parties, records show\n" + lead + table + rest)
    assert article.body.startswith("Party switches in Congress are rare")
    assert article.body.endswith("party leaders in Washington.")
    assert "R to D" not in article.body


def test_text_dump_table_columns_printed_side_by_side_are_read_column_after_column():
    """A page laid out in a table, dumped with its columns side by side: the article's
    paragraphs follow each other without the sidebar's words, and a spaced-out phrase
    inside one sentence is not taken for a column."""
    sidebar = ["Most read", "Ferry fares rise again", "Council approves new budget", "Weather: rain",
               "Letters to the editor", "Photo galleries"]
    body = paragraphs(clean_text(NEWS_DUMP).body)
    width = max(map(len, body)) + 2
    rows = [f"{paragraph.ljust(width)}{side}" for paragraph, side in zip(body, sidebar)]
    dump = NEWS_DUMP.split("Thousands of dockworkers")[0] + "\n\n".join(rows) + "\n"
    assert clean_text(dump).body == clean_text(NEWS_DUMP).body
    spaced = NEWS_DUMP.replace("walked off the job", "walked off the                 job")
    assert "walked off the job" in clean_text(spaced).body


def test_html_list_page_is_not_pruned():
    items = "".join(f"<li>Mirror {n}: ftp{n}.example.org, updated hourly</li>" for n in range(40))
    html = f"<html><head><title>Download mirrors</title></head><body><main><h1>Mirrors</h1><ul>{items}</ul></main></body></html>"
    article = clean_html(html)
    assert "Mirror 39" in article.body


def test_text_dump_headline_far_above_article_behind_unrelated_lines():
    lead = "".join(
        f"Harbour workers voted on Monday to accept the new pay offer after {n} weeks of talks with the port.\n"
        for n in ("two", "three", "four")
    )
    dump_text = (
        "Dockers ratify deal ending harbour dispute over wages and shift patterns\n"
        + "".join(f"Menu {n}\n" for n in range(22))
        + "Watch the best goals of the weekend again in full here\n"
        + lead
    )
    article = clean_text(dump_text)
    assert article.title == "Dockers ratify deal ending harbour dispute over wages and shift patterns"
    assert len(paragraphs(article.body)) == 3


def test_text_dump_headline_is_not_a_related_link_sharing_more_words_with_the_lead():
    dump_text = (
        "News | Opinion | Sport\n"
        "Cricket board chief resigns\n"
        "31 December 2007, 12:20\n"
        "Related Articles\n"
        "* Former captain Ranatunga to take over as Sri Lanka cricket board chief\n"
        "Colombo - Sri Lanka's cricket board chief Jayantha Dharmadasa stepped down on Monday, clearing the way "
        "for former captain Arjuna Ranatunga to take over the running of the game.\n"
        "Dharmadasa said he had resigned after the sports minister asked the board to make way for an interim "
        "committee.\n"
        "Ranatunga, who led Sri Lanka to the World Cup title in 1996, is expected to be named on Tuesday.\n"
    )
    assert clean_text(dump_text).title == "Cricket board chief resigns"


def test_text_dump_advert_script_between_paragraphs_is_dropped_and_the_article_kept_whole():
    script = ("<SCRIPT LANGUAGE='JavaScript1.1'>if (document.layers) {document.write('<SCR' + 'IPT "
              "SRC=/ad.asp?type=single&sz=300x250 />');} else {document.write('<IFRAME SRC=/ad.asp?type=frame "
              + "&sz=300x250 " * 60 + "></IFRAME>');}</SCRIPT>\n")
    dump_text = NEWS_DUMP.replace("\nAdvertisement\n", "\n" + script + script)
    article = clean_text(dump_text)
    assert article.body == clean_text(NEWS_DUMP).body
    assert article.title == "Dockworkers strike over automation plans at northern port"


def test_text_dump_byline_variants():
    lead = "The council approved the new budget on Monday after a long debate about school funding and roads.\n"
    cases = {
        "Budget approved after marathon session\nBy Sam Ortiz and Lee Chan\n": "Sam Ortiz and Lee Chan",
        "Budget approved after marathon session\nAnalysis by Joan Park, Senior Political Correspondent\n": "Joan Park",
        "Budget approved after marathon session\nSam Ortiz in Lisbon\n": "Sam Ortiz",
        "Budget approved after marathon session\nSam Ortiz | 3 May 2022\n": "Sam Ortiz",
    }
    for header, byline in cases.items():
        assert clean_text(header + lead * 3).byline == byline, header


def test_html_prunes_chrome_trafilatura_keeps():
    html = fixture("no_title.html").replace(
        "</div>",
        "<p>READ MORE: Ten things to know about the new woodland corridor</p>"
        "<p>Copyright 2024 Valley Herald. All rights reserved.</p></div>",
    )
    article = clean_html(html)
    assert "READ MORE" not in article.body
    assert "All rights reserved" not in article.body
    assert len(paragraphs(article.body)) == 3


# --- seeds against the gold file -------------------------------------------------------


def gold_paragraphs(text: str) -> list[str]:
    """The scorer's paragraph key: normalized words of each non-empty line."""
    text = unicodedata.normalize("NFKC", text or "").lower().replace("\u2019", "'").replace("\u2018", "'")
    return [" ".join(WORD.findall(line)) for line in text.splitlines() if WORD.findall(line)]


def test_seeds_reach_paragraph_and_metadata_targets():
    gold = json.loads((FIXTURES / "seeds_gold.json").read_text(encoding="utf-8"))
    matched = predicted = expected = 0
    for record in gold:
        article = clean_text((SEEDS / record["file"]).read_text(encoding="utf-8"))
        left = Counter(gold_paragraphs(record["body"]))
        for paragraph in gold_paragraphs(article.body):
            predicted += 1
            if left[paragraph] > 0:
                left[paragraph] -= 1
                matched += 1
        expected += len(gold_paragraphs(record["body"]))
        assert article.title == record["title"]
        assert article.subtitle == record["subtitle"]
        assert article.byline == record["byline"]
        assert article.source_credit == record["source_credit"]
        assert article.outlet == record["outlet"]
        published = article.published_at.isoformat() if article.published_at else None
        assert published == record["published"]
    assert matched / predicted >= 0.97
    assert matched / expected >= 0.97


# --- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wednesday 24 February 2016 17:23 GMT", datetime(2016, 2, 24, 17, 23, tzinfo=timezone.utc)),
        ("Feb. 24, 2016 5:23 p.m. EST", datetime(2016, 2, 24, 17, 23, tzinfo=timezone(timedelta(hours=-5)))),
        ("2016-02-24T17:23:00+02:00", datetime(2016, 2, 24, 17, 23, tzinfo=timezone(timedelta(hours=2)))),
        ("2016-02-24T17:23:00Z", datetime(2016, 2, 24, 17, 23, tzinfo=timezone.utc)),
        ("Updated 17:23, 24 Feb 2016", datetime(2016, 2, 24, 17, 23)),
        ("Published on March 3rd, 2021 at 9:05am", datetime(2021, 3, 3, 9, 5)),
        ("24/02/2016", datetime(2016, 2, 24)),
        ("12/25/2019", datetime(2019, 12, 25)),
        ("no date in here", None),
        ("31 February 2016", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_extractor_version_is_set():
    assert re.fullmatch(r"clean-\d+", EXTRACTOR_VERSION)


# --- never raises --------------------------------------------------------------------------

page_like = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list("<>/=\"' \n\tabcdpihtml&;#\x00\u00a0©")), max_size=400),
    st.lists(st.sampled_from([NEWS_DUMP[:300], "<p>", "</p>", "\n", "\u00a0", "(AFP)", "By ", "|", "2016"]),
             max_size=30).map("".join),
)


# The inner extractors are tested, not the public wrappers: those also catch and log
# exceptions as a last resort, which would hide a bug from these tests.


@settings(max_examples=150, deadline=None)
@given(page_like)
def test_clean_text_never_raises(text):
    article = dump.extract(text)
    assert isinstance(article, CleanedArticle)
    assert article.body == article.body.strip()
    assert "\n\n\n" not in article.body


@settings(max_examples=60, deadline=None)
@given(page_like)
def test_clean_html_never_raises(html):
    article = webpage.extract(html, "https://example.com/a")
    assert isinstance(article, CleanedArticle)
    assert article.body == article.body.strip()


# --- pages that are not articles -------------------------------------------------------------

NOTICE_PAGES = {
    "error page": "<html><head><title>Page not found | The Courier</title></head><body><nav><a href='/'>Home</a>"
                  "</nav><h1>Oops!</h1><p>We're sorry, the page you requested could not be found. It may have "
                  "been moved or deleted, or the address may have been typed incorrectly.</p></body></html>",
    "login wall": "<html><body><h1>Council approves budget</h1><p>Subscribe now to continue reading. Already a "
                  "subscriber? Log in to read the full story and get unlimited access to all our journalism."
                  "</p></body></html>",
    "cookie notice": "<html><body><div><p>We use cookies to give you the best experience on our website. By "
                     "continuing to browse you consent to our use of cookies as described in our cookie policy."
                     "</p><button>Accept all cookies</button></div></body></html>",
    "navigation only": "<html><body><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
                       "<li><a href='/sport'>Sport</a></li><li><a href='/c'>Cookies</a></li></ul></body></html>",
}


@pytest.mark.parametrize("kind", NOTICE_PAGES)
def test_page_without_an_article_is_refused_with_what_it_is(kind):
    html = NOTICE_PAGES[kind]
    assert clean_html(html).refusal == f"not an article: {kind}"
    assert clean_text(webpage.visible_text(webpage.trafilatura.load_html(html))).refusal == f"not an article: {kind}"


def test_one_paragraph_of_prose_is_an_article_even_behind_a_login_prompt():
    html = ("<html><body><h1>Council approves budget</h1><p>The city council approved next year's budget on "
            "Tuesday, raising spending on roads and schools by four per cent after a six-hour debate.</p>"
            "<p>Subscribe now to continue reading. Already a subscriber? Log in.</p></body></html>")
    article = clean_html(html)
    assert article.refusal is None and article.body.startswith("The city council approved")
    text = "Council approves budget\n\n" + article.body + "\n"
    assert clean_text(text).refusal is None


def test_prose_about_cookies_or_errors_is_still_an_article():
    paragraph = ("The bakery's cookies won a national prize on Friday, and the owner said the error that nearly "
                 "ruined the first batch, a page of the recipe that could not be found, became a family joke.")
    assert clean_text(f"Bakery wins prize\n\n{paragraph}\n").refusal is None


def test_no_text_at_all_is_refused_as_no_text():
    assert clean_html("<html><body></body></html>").refusal == "not an article: no text"
    assert clean_text(" \n\n ").refusal == "not an article: no text"


def test_article_wrapped_into_short_lines_is_not_refused():
    lines = ["FRANKFURT (Reuters) - The software group will not launch a phone of its own,",
             "its chairman said in an interview published on Wednesday, adding that it",
             "would concentrate on the software it sells to device makers."]
    html = "<html><body><h1>No phone of its own</h1><p>" + "<br>".join(lines) + "</p></body></html>"
    assert clean_html(html).refusal is None


# --- plain-text articles without a page around them ----------------------------------------------

EXPORTED = textwrap.dedent("""\
    Council approves budget after six-hour debate.

    The city council approved next year's budget on Tuesday, raising spending on roads and schools by four per cent.

    ABSTRACT.

    Councillors argued over the budget for six hours before the vote, which passed by nine votes to four.

    The mayor said the debate had been long but fair, and that the new roads would be built within two years.
    """)


def test_exported_article_headline_ending_in_a_full_stop_is_the_title_not_body():
    article = clean_text(EXPORTED)
    assert article.title == "Council approves budget after six-hour debate."
    assert paragraphs(article.body)[0].startswith("The city council approved")
    assert "Council approves budget" not in article.body



def test_html_headline_in_no_heading_element_under_a_site_name_title():
    """The <title> names only the site and no heading element holds the headline: the
    line above the article sharing its words is the title, not the site's name."""
    lead = ("The harbour bridge reopened to traffic on Monday after three months of repairs, the city "
            "council said, ending long detours for thousands of commuters.")
    html = (f"<html><head><title>Coastal Courier Online</title></head><body><div>Home | News | Sport</div>"
            f"<div><b>Other stories</b></div><div>Council election date set</div>"
            f"<div><b>Harbour bridge reopens after repairs</b></div><div>Monday, 4 March 2021</div>"
            f"<p>{lead}</p><p>{lead.replace('Monday', 'Tuesday')}</p><p>{lead.replace('three', 'four')}</p>"
            f"</body></html>")
    assert clean_html(html).title == "Harbour bridge reopens after repairs"


def test_html_title_part_the_page_shows_is_the_headline():
    """A <title> adds section and site to the headline ("Headline - Soccer - Sport -
    Breaking News"): the part the page shows as a line of its own is the headline; a
    <title> none of whose long parts the page shows gives none."""
    lines = dump.split_lines("Home\nSoccer\nChelsea hoping to sign Anelka before weekend\nBreaking News\n")
    title = "Chelsea hoping to sign Anelka before weekend - Soccer - Sport - Breaking News"
    assert webpage.shown_part(title, lines) == "Chelsea hoping to sign Anelka before weekend"
    assert webpage.shown_part("Rooney released to deliver killer blow | Football", lines) is None
    assert webpage.shown_part("Chelsea hoping to sign Anelka before weekend", lines) is None  # no parts


def test_html_title_run_into_the_first_paragraph_counts_as_shown():
    """trafilatura's title is a line of the page when a line opens with it (the headline
    run into the first paragraph), so it is kept rather than replaced by a nearby line;
    a short title (a site's name) opening a line is not."""
    lines = dump.split_lines("Chelsea hope for momentum\nCole: Winning Carling Cup Would Give Chelsea Momentum "
                             "Ahead of tonight's semi-final first leg, Joe Cole spoke to reporters.\n")
    assert webpage.shown("Cole: Winning Carling Cup Would Give Chelsea Momentum", lines)
    assert not webpage.shown("Cole: Winning", lines)
