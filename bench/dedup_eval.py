"""Measure corpus.dedup: how well near-copies of a story are told from distinct stories,
and what detection costs per added article.

The corpus is synthetic and deterministic (--seed): distinct news articles written from
a topic grammar (ten beats, each with its own vocabulary, names, places and numbers, so
two articles on one beat share stock phrases, as real ones do, but not their text),
plus real article texts (seeds/ when present, and any --real DIR). A share of them,
real ones first, get near-copies of each
kind an outlet makes of wire copy: paragraphs shuffled, headline changed, a paragraph
added, a paragraph removed, light word edits, another outlet's chrome (boilerplate lines
at top and bottom), and all of those at once but the shuffle ("combined"). The same
stories also get a "related" article that is not a near-copy: the same beat and people,
written afresh, sharing a fifth to two fifths of the original's paragraphs (a statement
or quotes both outlets carried); these count as distinct, and are the hard negatives.

1. Similarity: the estimated similarity of every pair (numpy over all signatures),
   giving precision and recall of "similarity >= t" for several t, and per kind of copy
   the lowest similarity to its original.
2. Detection as the database will run it: articles are added one by one to an in-memory
   stand-in for the band-key table (dict of band key -> article ids, signatures kept as
   stored bytes); each add computes signature + band keys, looks up candidates, and
   checks each candidate's similarity against THRESHOLD. Reports precision and recall of
   the pairs found, candidates per add, and the CPU time per add at the final corpus size.
3. Outlets with standard text: short distinct stories from a few outlets, each page
   carrying its outlet's standard paragraphs (subscription pitch, "about us", corrections
   and comments policies: a third to a half of the words), plus near-copies of some
   stories in another outlet and in the same one. Detection as in 2, without and with the
   outlet check (corpus.dedup.similarity_beyond against the outlets' other articles, as
   corpus.clusters runs it): precision and recall of the pairs found, same-outlet pairs
   apart.

Usage: .venv/bin/python bench/dedup_eval.py [--articles 10000] [--seed 7] [--copied 300]
           [--real DIR]...   (e.g. the tests/data/txt of newspaper4k's source distribution)
"""
from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np

from corpus.dedup import (
    BANDS,
    DILUTED_FLOOR,
    MinhashSignature,
    NUM_PERM,
    ROWS,
    STANDARD_TEXT_REFERENCES,
    THRESHOLD,
    band_keys,
    signature,
    signature_from_bytes,
    signature_to_bytes,
    outlet_shingles,
    similarity,
    similarity_beyond,
)

ROOT = Path(__file__).resolve().parent.parent

FIRST_NAMES = """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark
Sandra Paul Ashley Steven Kimberly Andrew Emily Joshua Donna Kenneth Michelle Kevin Carol Brian Amanda
George Melissa Timothy Deborah Ronald Stephanie Jason Rebecca Edward Laura Jeffrey Helen Ryan Sharon
Jacob Cynthia Gary Kathleen Nicholas Amy Eric Shirley Jonathan Angela Aisha Mohammed Priya Rahul Chen
Wei Yuki Hiroshi Olga Dmitri Ingrid Lars Fatima Omar Lucia Mateo Sofia Diego Amara Kwame Nadia Tomas""".split()
SURNAMES = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez
Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams
Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Okafor Mensah Kowalski Novak Schmidt Muller
Rossi Bianchi Dubois Moreau Yamamoto Tanaka Patel Sharma Khan Ali Ivanova Petrov Larsen Nilsen Silva
Santos Costa Oliveira Haddad Nasser Cohen Levi Byrne Murphy Kelly Walsh Doyle Quinn Fischer Weber""".split()
CITIES = """Springfield Riverton Lakeside Fairview Brookfield Oakridge Milltown Westport Eastham
Northgate Southbury Cedar Falls Pine Bluff Harbor City Stonebridge Maplewood Ashford Greenville Kingsport
Bellmont Clearwater Redhill Silverton Granite Bay Elmhurst Foxborough Hillcrest Windermere Marston
Dunmore Kestrel Point Rosedale Thornbury Whitby Alderney Calder Vale Bramley Corbridge Ellsworth""".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()

# Each beat: who acts, what they act on, what happens, and what people say about it.
BEATS = {
    "politics": dict(
        roles=["senator", "minister", "mayor", "governor", "councillor", "spokesperson", "chief of staff",
               "opposition leader"],
        orgs=["the city council", "the finance committee", "the governing party", "the opposition",
              "the electoral commission", "the cabinet", "parliament", "the state assembly"],
        things=["the budget", "the housing bill", "the election timetable", "a motion of no confidence",
                "the tax package", "the spending review", "the coalition agreement", "the voting reform"],
        verbs=["approved", "rejected", "delayed", "debated", "amended", "blocked", "unveiled", "defended"],
        nouns="vote ballot reform majority coalition amendment session mandate campaign poll deficit".split(),
        adjs="narrow bitter lengthy contentious bipartisan procedural late-night emergency".split(),
    ),
    "economy": dict(
        roles="chief economist, analyst, central bank governor, treasurer, chief executive, trader".split(", "),
        orgs=["the central bank", "the statistics office", "the stock exchange", "the treasury",
              "the chamber of commerce", "the retail federation", "the manufacturers' association"],
        things=["interest rates", "inflation", "the jobless rate", "consumer spending", "bond yields",
                "factory output", "the trade deficit", "mortgage lending", "wage growth"],
        verbs=["raised", "cut", "held", "forecast", "revised", "reported", "tracked", "warned about"],
        nouns="growth recession markets investors shares prices exports quarter demand outlook margins".split(),
        adjs="sluggish robust volatile unexpected modest steep cautious seasonal".split(),
    ),
    "sport": dict(
        roles="coach, captain, striker, goalkeeper, manager, midfielder, chairman, referee".split(", "),
        orgs=["the league", "the home side", "the visitors", "the football association", "the club",
              "the national team", "the organisers", "the selectors"],
        things=["the title race", "the cup final", "the transfer window", "the relegation fight",
                "the derby", "the semi-final", "the season opener", "the play-offs"],
        verbs=["won", "lost", "drew", "clinched", "conceded", "dominated", "salvaged", "forfeited"],
        nouns="goal penalty header fixture injury substitute crowd stadium trophy match season".split(),
        adjs="thrilling dour scrappy dramatic one-sided comfortable nervy bruising".split(),
    ),
    "science": dict(
        roles="researcher, professor, lead author, astronomer, biologist, physicist, geologist, postdoc".split(", "),
        orgs=["the university", "the space agency", "the research institute", "the observatory",
              "the academy of sciences", "the laboratory", "the museum of natural history"],
        things=["the fossil record", "a distant exoplanet", "the gene variant", "the ice core",
                "the particle collider", "the coral reef survey", "the telescope data", "the vaccine trial"],
        verbs=["discovered", "measured", "sequenced", "observed", "modelled", "replicated", "mapped", "dated"],
        nouns="study sample species orbit molecule experiment dataset hypothesis journal evidence".split(),
        adjs="peer-reviewed surprising preliminary ancient microscopic promising rare detailed".split(),
    ),
    "health": dict(
        roles="doctor, nurse, health minister, epidemiologist, surgeon, hospital director, pharmacist".split(", "),
        orgs=["the health service", "the regional hospital", "the medical association",
              "the disease control centre", "the drug regulator", "the nurses' union", "the clinic"],
        things=["waiting lists", "the flu season", "the screening programme", "emergency admissions",
                "the new drug", "staff shortages", "the measles outbreak", "mental health services"],
        verbs=["treated", "approved", "recorded", "expanded", "suspended", "investigated", "funded", "trialled"],
        nouns="patients wards beds vaccine symptoms cases treatment diagnosis appointments staff".split(),
        adjs="chronic acute overstretched routine preventable severe experimental free".split(),
    ),
    "crime": dict(
        roles="detective inspector, prosecutor, judge, defence lawyer, police chief, witness, magistrate".split(", "),
        orgs=["the police", "the crown court", "the prosecutor's office", "the fraud squad",
              "the coroner", "the appeals court", "the sheriff's department"],
        things=["the robbery", "the fraud case", "the arson attack", "the trial", "the inquest",
                "the smuggling ring", "the stabbing", "the cyber attack"],
        verbs=["arrested", "charged", "sentenced", "acquitted", "questioned", "raided", "convicted", "released"],
        nouns="suspect verdict jury evidence custody warrant bail charges sentence investigation".split(),
        adjs="violent organised fraudulent unprovoked lengthy masked alleged armed".split(),
    ),
    "weather": dict(
        roles=["forecaster", "meteorologist", "emergency manager", "fire chief", "farmer", "coastguard officer",
               "hydrologist"],
        orgs=["the met office", "the weather service", "the fire brigade", "the flood agency",
              "the rail operator", "the highways authority", "the coastguard"],
        things=["the storm", "the heatwave", "the flooding", "the drought", "the snowfall",
                "the wildfire", "gale-force winds", "the cold snap"],
        verbs=["battered", "flooded", "closed", "evacuated", "cancelled", "warned of", "cleared", "recorded"],
        nouns="rainfall temperatures roads rivers homes power outages crops trains gusts warnings".split(),
        adjs="record-breaking torrential freezing scorching unseasonal heavy dangerous widespread".split(),
    ),
    "technology": dict(
        roles="chief technology officer, founder, engineer, security researcher, product manager, analyst".split(", "),
        orgs=["the start-up", "the chipmaker", "the social network", "the regulator",
              "the software company", "the telecoms group", "the data protection authority"],
        things=["the data breach", "the new smartphone", "the chip shortage", "the privacy rules",
                "the outage", "the AI model", "the broadband rollout", "the app update"],
        verbs=["launched", "patched", "acquired", "fined", "leaked", "rolled out", "scrapped", "tested"],
        nouns="users servers devices software platform customers subscribers network code algorithm".split(),
        adjs="encrypted faulty cloud-based proprietary open-source wireless automated global".split(),
    ),
    "culture": dict(
        roles="director, curator, novelist, actor, critic, composer, festival organiser, gallery owner".split(", "),
        orgs=["the theatre", "the film festival", "the national gallery", "the orchestra",
              "the publishing house", "the arts council", "the opera company"],
        things=["the exhibition", "the premiere", "the book prize", "the restoration",
                "the world tour", "the retrospective", "the new season", "the funding cuts"],
        verbs=["staged", "premiered", "acquired", "cancelled", "toured", "restored", "reviewed", "celebrated"],
        nouns="audience painting novel performance album gallery tickets critics collection stage".split(),
        adjs="acclaimed sold-out experimental long-awaited controversial intimate lavish modest".split(),
    ),
    "environment": dict(
        roles="campaigner, ecologist, environment secretary, ranger, planning officer, water engineer".split(", "),
        orgs=["the environment agency", "the water company", "the wildlife trust", "the national park",
              "the energy firm", "the planning inspectorate", "the climate committee"],
        things=["the wind farm", "river pollution", "the emissions target", "the recycling scheme",
                "the nature reserve", "the solar project", "sewage discharges", "the tree-planting plan"],
        verbs=["polluted", "protected", "approved", "monitored", "restored", "opposed", "built", "fined"],
        nouns="emissions habitat species carbon rivers wetlands turbines wildlife permits targets".split(),
        adjs="endangered renewable toxic sustainable protected coastal ambitious illegal".split(),
    ),
}

SENTENCE_PATTERNS = [
    "{Org} {verb} {thing} on {weekday}, {aftermath}.",
    "{Person} said {thing} had been {verb} after {number} {noun} {event_clause}.",
    "The {adj} {noun} came as {org} {verb} {thing} in {city}.",
    "According to {org}, {number} {noun} were {verb} in {month}, up from {number2} a year earlier.",
    "\"{quote_open} {thing},\" said {person}, who {past_role_clause}.",
    "{Person}, {role} at {org}, told reporters the {noun} was \"{adj} but {adj2}\".",
    "In {city}, {people} {verb} {thing} {time_phrase}.",
    "It is the {ordinal} time this year that {org} has {verb} {thing}.",
    "Critics said the {noun} would {consequence} unless {org} {verb2} {thing}.",
    "{Number} {noun} and {number2} {noun2} were reported by {org} {time_phrase}.",
    "{Person} added that {people} in {city} \"{quote_mid}\".",
    "A {adj} report by {org} found that {thing} had {change} by {percent} per cent since {year}.",
    "Officials in {city} expect {thing} to {consequence} before {month}.",
    "The {noun} follows {adj} {noun2} over {thing} earlier this {period}.",
    "{Org} declined to comment on the {adj} {noun}, citing {reason}.",
    "Asked about {thing}, {person} said: \"{quote_open} the {noun2}.\"",
    "Figures seen by this newspaper show {percent} per cent of {people} {verb} {thing}.",
    "{Person} is expected to {plan} {thing} at a meeting in {city} on {weekday}.",
]
PEOPLE = ["residents", "local businesses", "families", "commuters", "pensioners", "students",
          "voters", "shopkeepers", "parents", "workers", "volunteers", "landlords"]
AFTERMATH = ["prompting an angry response from {people}", "a move welcomed by {org2}",
             "leaving {people} uncertain about the months ahead", "despite objections from {org2}",
             "ending weeks of speculation", "after a {adj} {noun} that lasted {hours} hours"]
EVENTS = ["were recorded in {city}", "raised concerns in {month}", "emerged over the {period}",
          "were flagged by {org2}", "came to light on {weekday}"]
CONSEQUENCES = ["cost {people} more", "take years to resolve", "hit {people} hardest", "go ahead as planned",
                "face a legal challenge", "be reviewed by {org2}", "double within a decade"]
QUOTE_OPENS = ["We cannot ignore", "Nobody expected", "This is a turning point for", "We are deeply concerned about",
               "There is still a lot of work to do on", "I am proud of what we achieved with",
               "It is too early to judge", "People deserve answers about"]
QUOTE_MIDS = ["deserve better than this", "have waited long enough", "are asking the right questions",
              "will remember this for a long time", "need certainty now", "have been let down again"]
REASONS = ["an ongoing review", "legal advice", "commercial confidentiality", "the upcoming election",
           "an internal investigation"]
PLANS = ["announce changes to", "set out plans for", "face questions over", "defend", "publish a review of"]
CHANGES = ["risen", "fallen", "doubled", "halved", "grown", "slipped"]
PERIODS = ["week", "month", "year", "spring", "summer", "autumn", "winter"]
ORDINALS = ["second", "third", "fourth", "fifth"]
TIME_PHRASES = ["on {weekday} morning", "late on {weekday}", "over the weekend", "earlier this {period}",
                "for the first time since {year}", "in the early hours of {weekday}"]
PAST_ROLE_CLAUSES = ["has led {org2} since {year}", "spoke at a press conference in {city}",
                     "stood down as {role} last {period}", "was appointed {role} in {month}"]

HEADLINE_PATTERNS = ["{Org} {verb} {thing} in {city}", "{City} {people} react as {org} {verb} {thing}",
                     "{Thing}: {person} says {noun} is {adj}", "{Number} {noun} after {org} {verb} {thing}"]

CHROME_TOP = [
    "Skip to main content", "Subscribe now: your first month free", "Advertisement", "Share this article",
    "Sign in | Register", "Most read", "Listen to this article", "Menu Search News Sport Business Opinion",
]
CHROME_BOTTOM = [
    "Sign up to our morning newsletter to get the day's top stories straight to your inbox.",
    "Copyright {year} {outlet}. All rights reserved. This material may not be published, broadcast, rewritten"
    " or redistributed.",
    "Additional reporting by {person}. Editing by {person2}.",
    "Follow us on Facebook, X and Instagram for the latest updates.",
    "Have a story? Contact our newsroom at news@{domain} or call us any time.",
    "Related: more stories from {city}",
    "This article was amended on {weekday} to correct a name.",
]
# An outlet's standard text: each outlet keeps a few of these, filled in once, on every page.
STANDARD_SENTENCES = [
    "{outlet} is an independent newsroom that has served {city} and the surrounding villages since {year}.",
    "Our journalism is funded by readers like you: subscribe to {outlet} today for unlimited access to every"
    " story, the daily newsletter and the print edition delivered to your door.",
    "We are committed to accuracy, and if you spot an error in this article please contact the corrections"
    " desk at corrections@{domain}; every complaint is answered within one working day.",
    "Comments on this article are moderated according to the {outlet} community guidelines, which ask readers"
    " to be respectful, to stay on topic and to avoid personal attacks on other readers.",
    "This story is part of our coverage of {city} and the region, supported by a grant from the {surname}"
    " Foundation, which has no say over what {outlet} chooses to report.",
    "Get the top stories from {outlet} delivered to your inbox every morning by signing up for our free"
    " newsletter; you can unsubscribe at any time with one click.",
    "All content is copyright {year} {outlet} and may not be republished, broadcast or redistributed without"
    " the written permission of the editor.",
    "Download the {outlet} app to read the latest news, listen to our podcasts and follow live coverage of"
    " breaking stories in {city} wherever you are.",
    "Have a tip or a story idea for {outlet}? Our reporters want to hear from you: send us a message in"
    " confidence through our secure form or email news@{domain}.",
    "Advertising helps pay for the journalism you read on {domain}; to find out how we use cookies and how"
    " to change your settings, read our privacy policy.",
    "Local journalism matters more than ever in {city}, and every contribution to {outlet}, however big or"
    " small, helps us keep reporting on the issues that affect your community.",
    "Photographs in this article were supplied by the {outlet} picture desk unless stated otherwise, and may"
    " be bought as prints from our online shop.",
]
SYNONYMS = {"said": "told reporters", "after": "following", "about": "around", "before": "ahead of",
            "but": "however", "expected": "likely", "also": "additionally", "has": "had", "more": "further",
            "earlier": "previously", "up": "higher", "new": "fresh", "city": "town", "plans": "proposals",
            "officials": "authorities", "people": "residents", "because": "as", "on": "upon"}

KINDS = ["shuffled", "headline", "added", "removed", "edited", "chrome", "combined"]


class Writer:
    """Writes distinct articles (and the extra text copies need) from the grammar above."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options):
        return self.rng.choice(options)

    def person(self) -> str:
        return f"{self.pick(FIRST_NAMES)} {self.pick(SURNAMES)}"

    def fill(self, pattern: str, beat: dict, cast: list[str]) -> str:
        """`pattern` with its slots filled; people are drawn mostly from the story's cast."""
        rng = self.rng
        values = {
            "org": self.pick(beat["orgs"]), "org2": self.pick(beat["orgs"]),
            "thing": self.pick(beat["things"]), "verb": self.pick(beat["verbs"]),
            "verb2": self.pick(beat["verbs"]), "noun": self.pick(beat["nouns"]),
            "noun2": self.pick(beat["nouns"]), "adj": self.pick(beat["adjs"]), "adj2": self.pick(beat["adjs"]),
            "role": self.pick(beat["roles"]),
            "person": f"{self.pick(beat['roles'])} {self.pick(cast)}" if rng.random() < 0.5 else self.pick(cast),
            "person2": self.person(), "people": self.pick(PEOPLE), "city": self.pick(CITIES),
            "weekday": self.pick(WEEKDAYS), "month": self.pick(MONTHS), "period": self.pick(PERIODS),
            "number": str(rng.randint(2, 950)), "number2": str(rng.randint(2, 950)),
            "percent": str(rng.randint(3, 89)), "year": str(rng.randint(1995, 2023)),
            "hours": str(rng.randint(2, 40)), "ordinal": self.pick(ORDINALS),
            "aftermath": self.pick(AFTERMATH), "event_clause": self.pick(EVENTS),
            "consequence": self.pick(CONSEQUENCES), "quote_open": self.pick(QUOTE_OPENS),
            "quote_mid": self.pick(QUOTE_MIDS), "reason": self.pick(REASONS), "plan": self.pick(PLANS),
            "change": self.pick(CHANGES), "time_phrase": self.pick(TIME_PHRASES),
            "past_role_clause": self.pick(PAST_ROLE_CLAUSES), "outlet": self.outlet_name(),
            "domain": f"{self.pick(SURNAMES).lower()}news.example",
        }
        values.update({key.capitalize(): value[:1].upper() + value[1:] for key, value in list(values.items())})
        text = pattern
        for _ in range(3):  # slot values may hold slots themselves
            text = text.format_map(values)
        return text

    def outlet_name(self) -> str:
        return f"The {self.pick(CITIES)} {self.pick(['Herald', 'Courier', 'Gazette', 'Post', 'Chronicle', 'Echo'])}"

    def paragraph(self, beat: dict, cast: list[str]) -> str:
        return " ".join(self.fill(self.pick(SENTENCE_PATTERNS), beat, cast)
                        for _ in range(self.rng.randint(1, 3)))

    def article(self) -> tuple[str, list[str], str, list[str]]:
        """(headline, paragraphs, beat name, cast)."""
        beat_name = self.pick(sorted(BEATS))
        beat = BEATS[beat_name]
        cast = [self.person() for _ in range(self.rng.randint(2, 4))]
        headline = self.fill(self.pick(HEADLINE_PATTERNS), beat, cast)
        paragraphs = [self.paragraph(beat, cast) for _ in range(self.rng.randint(6, 16))]
        return headline, paragraphs, beat_name, cast


def as_text(headline: str, paragraphs: list[str]) -> str:
    return "\n\n".join([headline, *paragraphs])


def near_copy(kind: str, headline: str, paragraphs: list[str], beat: str, cast: list[str],
              writer: Writer) -> str:
    """One outlet's version of the story, by `kind` of edit."""
    rng = writer.rng
    paragraphs = list(paragraphs)
    if kind == "shuffled":
        shuffled = list(paragraphs)
        while len(paragraphs) > 1 and shuffled == paragraphs:
            rng.shuffle(shuffled)
        return as_text(headline, shuffled)
    if kind in ("headline", "combined"):
        headline = writer.fill(writer.pick(HEADLINE_PATTERNS), BEATS[beat], cast)
    if kind in ("added", "combined"):
        paragraphs.insert(rng.randint(1, len(paragraphs)), writer.paragraph(BEATS[beat], cast))
    if kind in ("removed", "combined") and len(paragraphs) > 2:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    if kind in ("edited", "combined"):
        paragraphs = [light_edits(paragraph, rng) for paragraph in paragraphs]
    text = as_text(headline, paragraphs)
    if kind in ("chrome", "combined"):
        top = rng.sample(CHROME_TOP, rng.randint(2, 4))
        bottom = [writer.fill(line, BEATS[beat], cast) for line in rng.sample(CHROME_BOTTOM, rng.randint(2, 4))]
        text = "\n".join(top) + "\n\n" + text + "\n\n" + "\n".join(bottom)
    return text


def light_edits(paragraph: str, rng: random.Random) -> str:
    """A copy editor's pass: a few words swapped for synonyms, a few dropped (about 3 in 100)."""
    out = []
    for word in paragraph.split(" "):
        roll = rng.random()
        if word in SYNONYMS and roll < 0.3:
            out.append(SYNONYMS[word])
        elif roll < 0.015:
            continue
        else:
            out.append(word)
    return " ".join(out)


def real_articles(directories: list[Path], *, report: bool = False) -> list[tuple[str, list[str]]]:
    """(headline, paragraphs) of the article texts (*.txt) of at least 100 words in
    `directories`: the first paragraph stands for the headline. A text that is a
    near-duplicate of one before it is left out (it would count as a false positive),
    and named when `report` is set."""
    articles = []
    kept: dict[str, MinhashSignature] = {}  # file name -> signature
    for path in sorted(path for directory in directories for path in directory.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        blocks = [block.strip() for block in text.split("\n\n") if block.strip()]
        if len(blocks) < 4:
            blocks = [line.strip() for line in text.splitlines() if line.strip()]
        if len(blocks) < 4 or len(text.split()) < 100:
            continue
        sig = signature(text)
        twin = next((name for name, other in kept.items() if similarity(sig, other) >= THRESHOLD), None)
        if twin:
            if report:
                print(f"real texts: left out {path.name}, a near-duplicate of {twin}"
                      f" (similarity {similarity(sig, kept[twin]):.3f})")
            continue
        kept[path.name] = sig
        articles.append((blocks[0], blocks[1:]))
    return articles


def related_article(paragraphs: list[str], beat: str, cast: list[str], writer: Writer) -> str:
    """A different article on the same events that carries some of the same paragraphs."""
    rng = writer.rng
    shared = rng.sample(paragraphs, max(1, round(len(paragraphs) * rng.uniform(0.2, 0.4))))
    own = [writer.paragraph(BEATS[beat], cast) for _ in range(rng.randint(6, 14))]
    for paragraph in shared:
        own.insert(rng.randint(1, len(own)), paragraph)
    return as_text(writer.fill(writer.pick(HEADLINE_PATTERNS), BEATS[beat], cast), own)


def build_corpus(total: int, copied: int, seed: int, real: list[Path]
                 ) -> tuple[list[str], list[str], list[int], list[int]]:
    """(texts, kinds, story ids, source story ids), shuffled. Kind is "original", a copy
    kind, or "related"; the first `copied` stories (real articles first) get one copy of
    every kind and one related article, which has a story id of its own and its
    original's as source."""
    rng = random.Random(seed)
    writer = Writer(rng)
    stories = []
    for headline, paragraphs in real_articles(real):
        stories.append((headline, paragraphs, "politics", [writer.person()]))
    while len(stories) + min(len(stories), copied) * (len(KINDS) + 1) < total:
        stories.append(writer.article())
    items = []
    for story_id, (headline, paragraphs, beat, cast) in enumerate(stories):
        items.append((as_text(headline, paragraphs), "original", story_id, story_id))
        if story_id < copied:
            items.extend((near_copy(kind, headline, paragraphs, beat, cast, writer), kind, story_id, story_id)
                         for kind in KINDS)
            items.append((related_article(paragraphs, beat, cast, writer), "related", -1 - story_id, story_id))
    items = items[:total]
    rng.shuffle(items)
    texts, kinds, story_ids, source_ids = (list(column) for column in zip(*items))
    return texts, kinds, story_ids, source_ids


def similarity_table(signatures: np.ndarray, kinds: list[str], story_ids: list[int],
                     source_ids: list[int]) -> None:
    """Every pair's estimated similarity: precision and recall of `>= t` for several t."""
    story = np.array(story_ids)
    source = np.array(source_ids)
    related: list[float] = []  # similarity of a related article to its story's articles
    unrelated_max = 0  # matching values of the closest pair of unrelated articles
    distinct_counts = np.zeros(NUM_PERM + 1, dtype=np.int64)  # distinct pairs by matching values
    same_story: list[tuple[float, str]] = []  # (similarity, kind pair)
    same_story_pairs: set[int] = set()  # i * count + j for i < j, at or above THRESHOLD
    for i in range(len(signatures) - 1):
        matches = (signatures[i + 1:] == signatures[i]).sum(axis=1)
        same = story[i + 1:] == story[i]
        distinct_counts += np.bincount(matches[~same], minlength=NUM_PERM + 1)
        same_source = source[i + 1:] == source[i]
        related.extend(matches[same_source & ~same] / NUM_PERM)
        unrelated_max = max(unrelated_max, int(matches[~same_source].max(initial=0)))
        for j in np.flatnonzero(same):
            pair = sorted((kinds[i], kinds[i + 1 + j]), key=lambda kind: kind != "original")
            same_story.append((matches[j] / NUM_PERM, "+".join(pair)))
            if matches[j] / NUM_PERM >= THRESHOLD:
                same_story_pairs.add(i * len(signatures) + i + 1 + j)
    distinct_total = int(distinct_counts.sum())
    print(f"pairs: {distinct_total:,} distinct, {len(same_story):,} of the same story")
    print(f"highest similarity of two unrelated articles: {unrelated_max / NUM_PERM:.3f};"
          f" pairs of distinct articles at 0.1 or more: {int(distinct_counts[math.ceil(0.1 * NUM_PERM):].sum())}")
    print("lowest similarity to the original, by kind of copy:")
    for kind in KINDS:
        values = [value for value, pair in same_story if pair == f"original+{kind}"]
        print(f"  {kind:9s} min {min(values):.3f}  median {statistics.median(values):.3f}")
    copy_pairs = [value for value, pair in same_story if not pair.startswith("original+")]
    print(f"  copy vs copy min {min(copy_pairs):.3f}  median {statistics.median(copy_pairs):.3f}")
    print(f"related articles (distinct) vs the story's articles: median {statistics.median(related):.3f},"
          f" max {max(related):.3f}")
    print("threshold  precision  recall(original-copy)  recall(all same-story pairs)")
    original_pairs = [value for value, pair in same_story if pair.startswith("original+")]
    for threshold in (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8):
        false_positives = int(distinct_counts[math.ceil(threshold * NUM_PERM):].sum())
        true_positives = sum(value >= threshold for value, _ in same_story)
        precision = true_positives / max(1, true_positives + false_positives)
        recall_original = sum(value >= threshold for value in original_pairs) / len(original_pairs)
        print(f"  {threshold:.2f}     {precision:.4f}     {recall_original:.4f}"
              f"                {true_positives / len(same_story):.4f}")
    lsh_options(signatures, story, same_story_pairs, THRESHOLD)


def lsh_options(signatures: np.ndarray, story: np.ndarray, similar_pairs: set[int], threshold: float) -> None:
    """For a few bands x rows splits of the signature: which share of the same-story pairs
    at or above `threshold` become candidates, and how many distinct articles an add
    checks at this corpus size (counted, not estimated)."""
    count = len(signatures)
    print(f"LSH options: share of same-story pairs at or above {threshold} that become candidates;"
          f" distinct candidates per add at {count:,} articles")
    for bands, rows in ((16, 8), (32, 4), (42, 3), (64, 2)):
        pair_codes = []
        for band in range(bands):
            _, group = np.unique(signatures[:, band * rows:(band + 1) * rows], axis=0, return_inverse=True)
            order = np.argsort(group, kind="stable")
            boundaries = np.flatnonzero(np.diff(group[order])) + 1
            for members in np.split(order, boundaries):
                if len(members) > 1:
                    first, second = np.triu_indices(len(members), k=1)
                    low, high = np.minimum(members[first], members[second]), np.maximum(members[first], members[second])
                    pair_codes.append(low.astype(np.int64) * count + high)
        candidates = np.unique(np.concatenate(pair_codes)) if pair_codes else np.array([], dtype=np.int64)
        distinct = int((story[candidates // count] != story[candidates % count]).sum())
        found = len(similar_pairs.intersection(candidates.tolist()))
        print(f"  {bands:2d} bands x {rows} rows: {found / max(1, len(similar_pairs)):.4f},"
              f" {2 * distinct / count:.2f}")


def detection_run(texts: list[str], story_ids: list[int]) -> None:
    """Add articles one by one against an in-memory band-key table, as the database will."""
    band_table: dict[int, list[int]] = defaultdict(list)
    stored: list[bytes] = []
    found: set[tuple[int, int]] = set()
    candidate_counts, add_times, signature_times = [], [], []
    for article_id, text in enumerate(texts):
        started = time.process_time()  # CPU time: the cost, whatever else the machine runs
        sig = signature(text)
        signed = time.process_time()
        keys = band_keys(sig)
        candidates = {other for key in keys for other in band_table.get(key, ())}
        duplicates = [other for other in candidates
                      if similarity(sig, signature_from_bytes(stored[other])) >= THRESHOLD]
        finished = time.process_time()
        for key in keys:
            band_table[key].append(article_id)
        stored.append(signature_to_bytes(sig))
        found.update((other, article_id) for other in duplicates)
        candidate_counts.append(len(candidates))
        add_times.append(finished - started)
        signature_times.append(signed - started)

    members = defaultdict(list)
    for article_id, story_id in enumerate(story_ids):
        members[story_id].append(article_id)
    true_pairs = {pair for ids in members.values() for pair in combinations(sorted(ids), 2)}
    true_found = len(found & true_pairs)
    last = slice(-1000, None)
    print(f"LSH: {BANDS} bands x {ROWS} rows; chance that a pair becomes a candidate:",
          ", ".join(f"{s:.2f}: {1 - (1 - s ** ROWS) ** BANDS:.3f}" for s in (0.2, 0.3, 0.4, THRESHOLD, 0.5, 0.6)))
    print(f"pairs found at THRESHOLD {THRESHOLD}: {len(found):,}; precision {true_found / max(1, len(found)):.4f},"
          f" recall {true_found / len(true_pairs):.4f} of {len(true_pairs):,} same-story pairs")
    print(f"candidates per add (last 1,000): mean {statistics.mean(candidate_counts[last]):.2f},"
          f" max {max(candidate_counts[last])}")
    words = statistics.mean(len(text.split()) for text in texts)
    ms = [seconds * 1000 for seconds in add_times[last]]
    print(f"CPU time per add at {len(texts):,} articles (last 1,000; mean {words:.0f} words an article):"
          f" mean {statistics.mean(ms):.3f} ms, median {statistics.median(ms):.3f} ms,"
          f" p95 {sorted(ms)[int(len(ms) * 0.95)]:.3f} ms;"
          f" of which signature {statistics.mean(signature_times[last]) * 1000:.3f} ms")


def cost_by_length(texts: list[str]) -> None:
    """CPU time of signature + band keys for longer articles (made by joining articles)."""
    costs = []
    for words in (300, 1000, 3000):
        parts, count = [], 0
        for text in texts:
            if count >= words:
                break
            parts.append(text)
            count += len(text.split())
        article = "\n\n".join(parts)
        started = time.process_time()
        for _ in range(50):
            band_keys(signature(article))
        costs.append(f"{count:,} words {(time.process_time() - started) / 50 * 1000:.2f} ms")
    print("CPU time of signature + band keys by article length:", ", ".join(costs))


def outlet_pages(seed: int, outlets: int, per_outlet: int, copied: int
                 ) -> list[tuple[str, int, int]]:
    """(text, outlet, story id) of short distinct stories, `per_outlet` in each outlet, each
    page with its outlet's standard paragraphs; `copied` stories get a near-copy in another
    outlet and `copied` // 2 others more versions in their own (the same story): one each,
    four for a fifth of them (a developing story). Shuffled."""
    rng = random.Random(seed)
    writer = Writer(rng)
    standard = []
    for outlet in range(outlets):
        values = {"outlet": writer.outlet_name(), "city": writer.pick(CITIES), "year": rng.randint(1850, 2010),
                  "domain": f"{writer.pick(SURNAMES).lower()}{outlet}.example", "surname": writer.pick(SURNAMES)}
        sentences = [pattern.format(**values) for pattern in rng.sample(STANDARD_SENTENCES, rng.randint(4, 6))]
        cut = rng.randint(1, len(sentences) - 1)
        standard.append([" ".join(sentences[:cut]), " ".join(sentences[cut:])])

    def page(headline: str, paragraphs: list[str], outlet: int) -> str:
        kept = [paragraph for paragraph in standard[outlet] if rng.random() < 0.9]
        return as_text(headline, paragraphs + kept)

    items = []
    stories = []
    for outlet in range(outlets):
        for _ in range(per_outlet):
            headline, paragraphs, beat, cast = writer.article()
            paragraphs = paragraphs[:rng.randint(3, 10)]
            stories.append((headline, paragraphs, beat, cast, outlet))
    for story_id, (headline, paragraphs, _, _, outlet) in enumerate(stories):
        items.append((page(headline, paragraphs, outlet), outlet, story_id))
    chosen = rng.sample(range(len(stories)), copied + copied // 2)
    versions = [1] * copied + [1] * (copied // 2 - copied // 10) + [4] * (copied // 10)
    for number, (story_id, count) in enumerate(zip(chosen, versions)):
        headline, paragraphs, beat, cast, outlet = stories[story_id]
        for _ in range(count):
            kind = rng.choice(["headline", "added", "removed", "edited"])
            copy = near_copy(kind, headline, paragraphs, beat, cast, writer)
            new_headline, *new_paragraphs = copy.split("\n\n")
            other = outlet if number >= copied else rng.choice([o for o in range(outlets) if o != outlet])
            items.append((page(new_headline, new_paragraphs, other), other, story_id))
    rng.shuffle(items)
    return items


def outlet_detection(items: list[tuple[str, int, int]], check: bool) -> set[tuple[int, int]]:
    """Pairs (earlier, later) found when the articles are added one by one; with `check`,
    as corpus.clusters.record decides: a pair of one outlet counts only if its
    similarity_beyond the outlet's standard text (learnt from its newest articles) still
    reaches THRESHOLD, and a pair of two outlets from DILUTED_FLOOR up counts if its
    similarity without both outlets' standard text does."""
    band_table: dict[int, list[int]] = defaultdict(list)
    signatures: list[MinhashSignature] = []
    by_outlet: dict[int, list[int]] = defaultdict(list)
    found = set()

    for article_id, (text, outlet, _) in enumerate(items):
        sig = signature(text)
        keys = band_keys(sig)
        scored = sorted(((similarity(sig, signatures[other]), other)
                         for other in {other for key in keys for other in band_table.get(key, ())}), reverse=True)
        standard: dict[int, dict] = {}

        def outlet_text(outlet_id: int) -> dict:  # once per add and outlet, as corpus.clusters does
            if outlet_id not in standard:
                standard[outlet_id] = outlet_shingles(
                    {i: items[i][0] for i in by_outlet[outlet_id][-STANDARD_TEXT_REFERENCES:]})
            return standard[outlet_id]

        for score, other in scored:
            if score < (DILUTED_FLOOR if check else THRESHOLD):
                break
            same = items[other][1] == outlet
            if check and (same or score < THRESHOLD):
                outlets = [outlet_text(outlet)] if same else [outlet_text(outlet), outlet_text(items[other][1])]
                score = similarity_beyond(text, items[other][0], outlets, {other, article_id}, score)
            if score >= THRESHOLD:
                found.add((other, article_id))
        for key in keys:
            band_table[key].append(article_id)
        signatures.append(sig)
        by_outlet[outlet].append(article_id)
    return found


def outlet_standard_text(seed: int, outlets: int, per_outlet: int, copied: int) -> None:
    items = outlet_pages(seed, outlets, per_outlet, copied)
    members = defaultdict(list)
    for article_id, (_, _, story_id) in enumerate(items):
        members[story_id].append(article_id)
    true_pairs = {pair for ids in members.values() for pair in combinations(sorted(ids), 2)}
    same_outlet = {pair for pair in true_pairs if items[pair[0]][1] == items[pair[1]][1]}
    share = statistics.median(
        sum(len(p.split()) for p in text.split("\n\n")[-2:]) / len(text.split()) for text, _, _ in items)
    print(f"outlets with standard text: {len(items):,} pages from {outlets} outlets, {len(true_pairs)}"
          f" same-story pairs ({len(same_outlet)} in one outlet); median share of words in the last two"
          f" paragraphs (mostly standard text) {share:.2f}")
    for check in (False, True):
        started = time.process_time()
        found = outlet_detection(items, check)
        seconds = time.process_time() - started
        true_found = found & true_pairs
        false_same_outlet = sum(items[a][1] == items[b][1] for a, b in found - true_pairs)
        print(f"  outlet check {'on ' if check else 'off'}: {len(found):,} pairs found, precision"
              f" {len(true_found) / max(1, len(found)):.4f} ({len(found - true_pairs)} false, {false_same_outlet}"
              f" of them in one outlet), recall {len(true_found) / len(true_pairs):.4f}"
              f" (same outlet {len(true_found & same_outlet)}/{len(same_outlet)});"
              f" CPU {seconds / len(items) * 1000:.2f} ms per add")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size, copies included")
    parser.add_argument("--copied", type=int, default=300, help="stories that get one copy of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--outlets", type=int, default=10, help="outlets with standard text (part 3)")
    parser.add_argument("--per-outlet", type=int, default=100, help="distinct stories per outlet (part 3)")
    parser.add_argument("--only-outlets", action="store_true", help="run part 3 only")
    parser.add_argument("--real", type=Path, action="append", default=[ROOT / "seeds"], metavar="DIR",
                        help="a directory of real article texts (*.txt) to include; seeds/ is always read")
    args = parser.parse_args()
    if args.only_outlets:
        outlet_standard_text(args.seed, args.outlets, args.per_outlet, args.copied)
        return

    texts, kinds, story_ids, source_ids = build_corpus(args.articles, args.copied, args.seed, args.real)
    print(f"corpus: {len(texts):,} articles, {len(set(story_ids)):,} stories,"
          f" {sum(kind in KINDS for kind in kinds):,} near-copies ({', '.join(KINDS)}),"
          f" {kinds.count('related'):,} related articles; {len(real_articles(args.real, report=True))} real texts;"
          f" seed {args.seed}")
    started = time.process_time()
    signatures = np.stack([np.asarray(signature(text).hashvalues) for text in texts])
    print(f"signatures: {(time.process_time() - started) / len(texts) * 1000:.3f} ms CPU each")
    similarity_table(signatures, kinds, story_ids, source_ids)
    detection_run(texts, story_ids)
    cost_by_length(texts)
    outlet_standard_text(args.seed, args.outlets, args.per_outlet, args.copied)


if __name__ == "__main__":
    main()
