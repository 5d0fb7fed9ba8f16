"""Synthetic news pages for the benchmarks and robustness tests.

`page(i)` makes article number i (deterministic for a seed): a news-like HTML page with
a cookie banner, header and navigation, an article (headline, standfirst, byline, date,
photo with caption, paragraphs with attributed quotations, subheads, an inline "read
more" link), related links, share buttons, a comments section and a footer; `text_dump`
gives the same page as visible text with its chrome lines, like seeds/*.txt. Vocabulary,
names, roles, places and quotation forms are drawn from a seeded RNG so every article is
distinct.

    python bench/pages.py OUTDIR --count 1000 [--kind html|text|both] [--seed 7]
"""
from __future__ import annotations

import argparse
import html
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

FIRST = """Sergei Adel Vladimir Bashar Hassan Benjamin John David Ed Angela Emmanuel Recep Mohammed
Salman Ali Fatima Leila Nadia Omar Yusuf Khalid Ahmad Javad Hossein Mevlut Ibrahim Anders Jens
Federica Catherine Philip Theresa Boris Jeremy Dominic Liz Rishi Keir Olaf Annalena Ursula Charles
Josep Antonio Ban Kofi Staffan Geir Martin Walid Nabih Saad Najib Michel Rania Abdullah Ayman Amr
Sameh Hamad Tamim Faisal Marwan Rami Tareq Zaid Ilham Dmitry Maria Valentina Yevgeny Alexei Nikolai
Pavel Oksana Andriy Petro Volodymyr Mikhail Grigory Ivan Yulia Svetlana Natalia Ahmet Kemal Selim""".split()
LAST = """Lavrov Jubeir Putin Assad Rouhani Netanyahu Kerry Miliband Merkel Macron Erdogan Cavusoglu
Zarif Abdollahian Haddad Khoury Mansour Nasser Saleh Rahman Karimi Hosseini Rasmussen Stoltenberg
Mogherini Ashton Hammond Johnson Hunt Raab Truss Sunak Starmer Scholz Baerbock Leyen Michel Borrell
Guterres Annan Mistura Pedersen Jumblatt Berri Hariri Mikati Aoun Safadi Shoukry Thani Muallem
Shoigu Zakharova Matviyenko Prigozhin Navalny Patrushev Peskov Medvedev Ryabkov Bogdanov Nebenzia
Kuleba Poroshenko Zelensky Klitschko Tymoshenko Yermak Demir Yilmaz Ozturk Aydin Kaya Celik Sahin
Bakr Hamdan Qasim Darwish Barakat Khalil Farouk Suleiman Tawfiq Osman Idris Yassin Haidari""".split()
# Names that occur in only a few articles (the "rare name" search).
RARE = ["Oyelaran Vasquez-Thornbury", "Ingeborg Kvalheim", "Tadeusz Wierzbicki", "Chidozie Okonkwo",
        "Radomir Zelenkovic", "Aurelio Bustamante"]
COUNTRIES = """Syria Russia Iran Iraq Turkey Lebanon Jordan Israel Egypt Qatar Ukraine Germany France
Britain Saudi_Arabia Yemen Libya Tunisia Algeria Morocco Kuwait Bahrain Oman Cyprus Greece
Armenia Azerbaijan Georgia Kazakhstan China India Pakistan Afghanistan""".replace("_", " ").split()
NATIONALITY = {"Syria": "Syrian", "Russia": "Russian", "Iran": "Iranian", "Iraq": "Iraqi", "Turkey": "Turkish",
               "Lebanon": "Lebanese", "Jordan": "Jordanian", "Israel": "Israeli", "Egypt": "Egyptian",
               "Qatar": "Qatari", "Ukraine": "Ukrainian", "Germany": "German", "France": "French",
               "Britain": "British", "Yemen": "Yemeni", "Libya": "Libyan", "China": "Chinese"}
CITIES = """Damascus Moscow Tehran Baghdad Ankara Beirut Amman Cairo Doha Kyiv Berlin Paris London Riyadh
Geneva Vienna Brussels Aleppo Homs Idlib Raqqa Mosul Erbil Istanbul Sochi Astana Munich Antalya Latakia
Deir_ez-Zor Tartus Hama Daraa Palmyra Kobani Manbij Afrin Basra Kirkuk Tripoli Benghazi Sanaa Aden""".replace("_", " ").split()
ROLES = ["Foreign Minister", "Defence Minister", "President", "Prime Minister", "Interior Minister",
         "Finance Minister", "Secretary of State", "UN envoy", "spokesman for the foreign ministry",
         "Deputy Foreign Minister", "ambassador to the United Nations", "Energy Minister",
         "opposition leader", "army spokesman", "Kremlin spokesman", "NATO Secretary General"]
ORGS = ["the United Nations", "NATO", "the European Union", "the Arab League", "the Kremlin",
        "the Pentagon", "the Red Cross", "Amnesty International", "Human Rights Watch",
        "the World Food Programme", "the IAEA", "the African Union", "Médecins Sans Frontières"]
SUBJECTS = """ceasefire talks sanctions airstrikes refugees reconstruction elections constitution
pipeline oil prices grain exports humanitarian corridor prisoner exchange border crossing peace
process negotiations security council resolution chemical weapons inspections aid convoys
military advisers drone strikes naval exercises trade agreement debt relief water shortages
power cuts currency crisis inflation drought wildfires earthquake relief vaccination campaign
""".split("\n")
SUBJECTS = [s.strip() for line in SUBJECTS for s in line.split("  ") if s.strip()]
TOPICS = ["ceasefire", "sanctions", "airstrikes", "refugees", "reconstruction", "elections",
          "oil prices", "grain exports", "humanitarian aid", "prisoner exchange", "peace talks",
          "chemical weapons", "border security", "energy supplies", "the economy", "water shortages",
          "drone strikes", "naval exercises", "a trade agreement", "debt relief", "the currency crisis",
          "the constitution", "local elections", "the earthquake relief effort", "a vaccination campaign"]
VERBS = ["discussed", "rejected", "welcomed", "criticised", "postponed", "approved", "questioned",
         "condemned", "endorsed", "delayed", "negotiated", "debated", "announced", "reviewed", "blocked"]
ADJECTIVES = ["fragile", "tentative", "long-awaited", "controversial", "unprecedented", "limited",
              "comprehensive", "renewed", "stalled", "ambitious", "modest", "urgent", "disputed",
              "bilateral", "regional", "temporary", "permanent", "landmark", "secret", "informal"]
NOUNS = ["agreement", "deal", "truce", "plan", "proposal", "initiative", "framework", "roadmap",
         "arrangement", "package", "mission", "summit", "meeting", "offensive", "withdrawal",
         "deployment", "investigation", "inquiry", "review", "strategy", "budget", "reform"]
TIMES = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday",
         "on Sunday", "last week", "earlier this month", "late on Tuesday", "overnight", "this morning"]
FILLER = """officials residents analysts diplomats observers witnesses monitors activists lawmakers
negotiators commanders farmers traders workers teachers doctors engineers students families""".split()
OUTLETS = [("Middle East Monitor", "middleeastmonitor.example"), ("The Daily Courier", "dailycourier.example"),
           ("World News Wire", "worldnewswire.example"), ("Levant Times", "levanttimes.example"),
           ("Eurasia Today", "eurasiatoday.example"), ("The Evening Standardbearer", "standardbearer.example"),
           ("Gulf Observer", "gulfobserver.example"), ("Northern Herald", "northernherald.example")]
AGENCIES = ["Reuters", "AFP", "AP", "Getty Images", "EPA", "Anadolu Agency"]
SECTIONS = ["World", "Middle East", "Europe", "Politics", "Business", "Opinion", "Culture", "Sport",
            "Science", "Technology", "Video", "Podcasts", "Newsletters", "Investigations", "Live"]
COMMENTERS = ["truthseeker88", "J. Smith", "Alexandra K", "observer_2016", "Realist", "kmac",
              "Nour", "Pavel T.", "historybuff", "Mariam", "anon1234", "GlobalCitizen"]


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Person:
    name: str
    role: str
    country: str

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass
class Article:
    number: int
    outlet: str
    domain: str
    url: str
    title: str
    standfirst: str
    author: str
    published: datetime
    caption: str
    paragraphs: list[str]  # a paragraph starting with "## " is a subhead
    related: list[str]
    comments: list[tuple[str, str]]
    tags: list[str] = field(default_factory=list)
    quotes: int = 0  # quotations written into the body


class Generator:
    def __init__(self, seed: int = 7):
        self.seed = seed

    def person(self, rng: random.Random) -> Person:
        if rng.random() < 0.002:
            name = rng.choice(RARE)
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        return Person(name, rng.choice(ROLES), rng.choice(COUNTRIES))

    def clause(self, rng: random.Random) -> str:
        return (f"{rng.choice(FILLER)} in {rng.choice(CITIES)} {rng.choice(VERBS)} the "
                f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} on {rng.choice(TOPICS)}")

    def sentence(self, rng: random.Random, people: list[Person]) -> str:
        p = rng.choice(people)
        forms = [
            lambda: f"{cap(self.clause(rng))} {rng.choice(TIMES)}.",
            lambda: f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} was {rng.choice(VERBS)} by {rng.choice(ORGS)} "
                    f"{rng.choice(TIMES)}, weeks after {rng.choice(FILLER)} in {rng.choice(CITIES)} warned of "
                    f"{rng.choice(TOPICS)}.",
            lambda: f"{p.name}, who has served as {p.role.lower()} since {rng.randint(2005, 2015)}, "
                    f"{rng.choice(VERBS)} the {rng.choice(NOUNS)} during a visit to {rng.choice(CITIES)}.",
            lambda: f"More than {rng.randint(2, 900) * 100:,} {rng.choice(FILLER)} have been affected by "
                    f"{rng.choice(TOPICS)} since {rng.choice(['January', 'March', 'June', 'September'])}, "
                    f"according to figures from {rng.choice(ORGS)}.",
            lambda: f"Talks in {rng.choice(CITIES)} between {rng.choice(COUNTRIES)} and {rng.choice(COUNTRIES)} "
                    f"on {rng.choice(TOPICS)} are expected to resume {rng.choice(TIMES)}.",
            lambda: f"{cap(rng.choice(ORGS))} has called for a {rng.choice(ADJECTIVES)} "
                    f"{rng.choice(NOUNS)} to address {rng.choice(TOPICS)} in {rng.choice(COUNTRIES)}.",
        ]
        return rng.choice(forms)()

    def quote_words(self, rng: random.Random, people: list[Person]) -> str:
        forms = [
            lambda: f"We will not accept any {rng.choice(NOUNS)} that ignores {rng.choice(TOPICS)}",
            lambda: f"The {rng.choice(NOUNS)} on {rng.choice(TOPICS)} is {rng.choice(ADJECTIVES)} but it is a start",
            lambda: f"Our priority remains {rng.choice(TOPICS)} and the safety of {rng.choice(FILLER)} in "
                    f"{rng.choice(CITIES)}",
            lambda: f"There is an understanding that {rng.choice(TIMES).replace('on ', '')}'s meeting can advance "
                    f"our cooperation on {rng.choice(TOPICS)}",
            lambda: f"Nobody in {rng.choice(CITIES)} believes this {rng.choice(NOUNS)} will hold without "
                    f"{rng.choice(ADJECTIVES)} guarantees",
            lambda: f"We have told our partners in {rng.choice(COUNTRIES)} that {rng.choice(TOPICS)} cannot wait "
                    f"any longer",
        ]
        return rng.choice(forms)()

    def quote_paragraph(self, rng: random.Random, p: Person, first_mention: bool) -> tuple[str, int]:
        """A paragraph with one or two quotations attributed in one of the usual ways."""
        q1, q2 = self.quote_words(rng, [p]), self.quote_words(rng, [p])
        nat = NATIONALITY.get(p.country, p.country)
        full = f"{nat} {p.role} {p.name}" if first_mention else f"Mr {p.surname}"
        open_, close = ("\u201c", "\u201d") if rng.random() < 0.8 else ('"', '"')
        forms = [
            (lambda: f"{open_}{q1},{close} said {full}.", 1),
            (lambda: f"{open_}{q1},{close} {p.name} said. {open_}{q2}.{close}", 2),
            (lambda: f"{p.name} said: {open_}{q1}.{close}", 1),
            (lambda: f"{full} told reporters in {rng.choice(CITIES)}: {open_}{q1}.{close}", 1),
            (lambda: f"{open_}{q1},{close} {p.surname} told a news conference in {rng.choice(CITIES)}. "
                     f"{open_}{q2},{close} he added.", 2),
            (lambda: f"{p.name}, the {p.role.lower()}, said the {rng.choice(NOUNS)} was "
                     f"{open_}{rng.choice(ADJECTIVES)} and {rng.choice(ADJECTIVES)} at best{close} and warned "
                     f"of {rng.choice(TOPICS)}.", 1),
        ]
        make, count = rng.choice(forms)
        return make(), count

    def article(self, i: int) -> Article:
        rng = random.Random(f"{self.seed}-{i}")
        outlet, domain = OUTLETS[rng.randrange(len(OUTLETS))]
        people = [self.person(rng) for _ in range(rng.randint(2, 4))]
        lead = people[0]
        topic = rng.choice(TOPICS)
        title = (f"{lead.name} {rng.choice(VERBS)} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} on {topic} "
                 f"as {rng.choice(COUNTRIES)} {rng.choice(['talks', 'tensions', 'pressure', 'crisis'])} "
                 f"{rng.choice(['continue', 'grow', 'ease', 'mount'])}")
        standfirst = (f"{cap(rng.choice(ORGS))} says {rng.choice(FILLER)} in {rng.choice(CITIES)} face "
                      f"{rng.choice(TOPICS)} while {rng.choice(COUNTRIES)} weighs a {rng.choice(ADJECTIVES)} "
                      f"{rng.choice(NOUNS)}")
        published = datetime(2015, 1, 1) + timedelta(minutes=rng.randrange(60 * 24 * 365 * 3))
        paragraphs: list[str] = []
        quotes = 0
        mentioned: set[str] = set()
        for n in range(rng.randint(8, 16)):
            if n > 2 and rng.random() < 0.12:
                paragraphs.append("## " + cap(f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"))
            if n > 0 and rng.random() < 0.4:
                p = rng.choice(people)
                text, count = self.quote_paragraph(rng, p, p.name not in mentioned)
                mentioned.add(p.name)
                quotes += count
                if rng.random() < 0.5:
                    text += " " + self.sentence(rng, people)
                paragraphs.append(text)
            else:
                paragraphs.append(" ".join(self.sentence(rng, people) for _ in range(rng.randint(2, 4))))
        if rng.random() < 0.5:
            paragraphs[-1] += f" – ({rng.choice(AGENCIES[:3])})"
        author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        caption = (f"{lead.name} at a meeting in {rng.choice(CITIES)} {rng.choice(TIMES)}. "
                   f"Photograph: {rng.choice(AGENCIES)}")
        related = [f"{rng.choice(COUNTRIES)} and {rng.choice(COUNTRIES)} {rng.choice(VERBS)} "
                   f"{rng.choice(NOUNS)} on {rng.choice(TOPICS)}" for _ in range(rng.randint(3, 6))]
        comments = [(rng.choice(COMMENTERS),
                     f"{rng.choice(['Interesting', 'Typical', 'Sad', 'Predictable', 'About time'])}. "
                     f"{cap(self.clause(rng))} and nobody asked the {rng.choice(FILLER)}.")
                    for _ in range(rng.randint(0, 6))]
        slug = "-".join(title.lower().split()[:8]).replace(",", "")
        url = f"https://www.{domain}/news/{published:%Y/%m/%d}/{slug}-{i}"
        return Article(i, outlet, domain, url, title, standfirst, author, published, caption,
                       paragraphs, related, comments, tags=[topic], quotes=quotes)


# --- rendering -----------------------------------------------------------------------------

_CSS = "".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i * 2654435761 % 0xFFFFFF:06x}}}"
               for i in range(120))
MEGA_MENU = "".join(
    f'<div class="menu-col"><h4>{s}</h4><ul>'
    + "".join(f'<li><a href="/{s.lower().replace(" ", "-")}/{c.lower().replace(" ", "-")}">{c}</a></li>'
              for c in COUNTRIES[:12])
    + "</ul></div>" for s in SECTIONS)
FOOTER_LINKS = "".join(f'<a href="/{s.lower().replace(" ", "-")}/archive/{y}">{s} {y}</a> '
                       for s in SECTIONS for y in range(2010, 2017))
_SCRIPT = ("window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
           "gtag('js',new Date());gtag('config','G-XXXX');" * 6)


def render_html(a: Article, canonical: bool = True) -> str:
    e = html.escape
    link = f'<link rel="canonical" href="{a.url}">' if canonical else ""
    nav = "".join(f'<li><a href="/{s.lower().replace(" ", "-")}">{s}</a></li>' for s in SECTIONS)
    body_parts = []
    for k, p in enumerate(a.paragraphs):
        if p.startswith("## "):
            body_parts.append(f"<h2>{e(p[3:])}</h2>")
        else:
            body_parts.append(f"<p>{e(p)}</p>")
        if k == 3:
            body_parts.append(f'<p class="read-more"><strong>Read more:</strong> '
                              f'<a href="/news/related-{a.number}">{e(a.related[0])}</a></p>')
    related = "".join(f'<li><a href="/news/{a.number}-{k}">{e(r)}</a></li>' for k, r in enumerate(a.related))
    comments = "".join(f'<div class="comment"><span class="user">{e(u)}</span><p>{e(t)}</p>'
                       f'<a href="#reply">Reply</a></div>' for u, t in a.comments)
    most_read = "".join(f'<li><a href="/news/popular-{(a.number * 7 + k) % 997}">{e(r)}</a></li>'
                        for k, r in enumerate(reversed(a.related)))
    jsonld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
                         "datePublished": a.published.isoformat() + "Z", "author": {"@type": "Person", "name": a.author},
                         "publisher": {"@type": "Organization", "name": a.outlet}})
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(a.title)} | {e(a.outlet)}</title>
<meta name="description" content="{e(a.standfirst)}">
<meta property="og:title" content="{e(a.title)}">
<meta property="og:site_name" content="{e(a.outlet)}">
<meta property="og:type" content="article">
<meta property="article:published_time" content="{a.published.isoformat()}Z">
<meta name="author" content="{e(a.author)}">
{link}
<script type="application/ld+json">{jsonld}</script>
<style>{_CSS}</style>
<script>{_SCRIPT}</script>
</head>
<body class="article-page">
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to personalise content and ads and to analyse our traffic. By continuing you agree to our <a href="/privacy">privacy policy</a>.</p><button>Accept all cookies</button><button>Manage preferences</button></div>
<a class="skip" href="#main">Skip to main content</a>
<header class="site-header"><a class="logo" href="/">{e(a.outlet)}</a>
<nav class="primary"><ul>{nav}</ul></nav>
<nav class="mega-menu" aria-hidden="true">{MEGA_MENU}</nav>
<form class="search" action="/search"><input type="text" name="q" placeholder="Search"><button>Search</button></form>
<a href="/subscribe" class="subscribe">Subscribe</a> <a href="/login">Sign in</a></header>
<main id="main">
<article class="story">
<header><h1 class="headline">{e(a.title)}</h1>
<p class="standfirst">{e(a.standfirst)}</p>
<div class="byline">By <a rel="author" href="/profile/{a.author.lower().replace(' ', '-')}">{e(a.author)}</a>
<time datetime="{a.published.isoformat()}Z">{a.published:%A %d %B %Y %H:%M} GMT</time></div></header>
<figure class="lead-image"><img src="/img/{a.number}.jpg" alt="{e(a.caption)}"><figcaption>{e(a.caption)}</figcaption></figure>
<div class="article-body">
{chr(10).join(body_parts)}
</div>
<div class="share"><span>Share this article</span> <a href="#fb">Facebook</a> <a href="#tw">Twitter</a> <a href="#mail">Email</a></div>
<div class="tags">Topics: <a href="/topic/1">{e(a.tags[0])}</a></div>
</article>
<aside class="related"><h3>Related stories</h3><ul>{related}</ul></aside>
<section id="comments" class="comments"><h3>Comments ({len(a.comments)})</h3>{comments}
<p class="comment-policy">Join the conversation. Please read our community guidelines before commenting.</p></section>
</main>
<aside class="most-read"><h3>Most read</h3><ol>{most_read}</ol></aside>
<footer class="site-footer"><div class="footer-links">{FOOTER_LINKS}</div><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>
<li><a href="/terms">Terms of use</a></li><li><a href="/privacy">Privacy policy</a></li><li><a href="/ads">Advertise</a></li></ul>
<p>© {a.published.year} {e(a.outlet)}. All rights reserved. Registered in England and Wales.</p></footer>
</body>
</html>
"""


def render_text(a: Article) -> str:
    """The page as a browser's select-all/copy gives it: chrome lines around the article."""
    lines = ["We use cookies to personalise content and ads and to analyse our traffic. By continuing you "
             "agree to our privacy policy.", "Accept all cookies", "Manage preferences", "",
             "Skip to main content", "", a.outlet, ""]
    lines += [*SECTIONS, "", "Search", "Subscribe", "Sign in", "", a.title, "", a.standfirst, "",
              f"By {a.author}", f"{a.published:%A %d %B %Y %H:%M} GMT", "", a.caption, ""]
    for k, p in enumerate(a.paragraphs):
        lines += [p[3:] if p.startswith("## ") else p, ""]
        if k == 3:
            lines += [f"Read more: {a.related[0]}", ""]
    lines += ["Share this article", "Facebook", "Twitter", "Email", "", f"Topics: {a.tags[0]}", "",
              "Related stories", *a.related, "", f"Comments ({len(a.comments)})"]
    for user, text in a.comments:
        lines += [user, text, "Reply"]
    lines += ["Join the conversation. Please read our community guidelines before commenting.", "",
              "About us", "Contact", "Terms of use", "Privacy policy", "Advertise",
              f"© {a.published.year} {a.outlet}. All rights reserved. Registered in England and Wales.", ""]
    return "\n".join(lines)


def write_pages(directory: Path, count: int, *, kind: str = "html", seed: int = 7, start: int = 0,
                canonical: bool = True) -> list[Path]:
    """Write `count` pages (numbered from `start`) into `directory`; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    generator = Generator(seed)
    paths = []
    for i in range(start, start + count):
        a = generator.article(i)
        if kind in ("html", "both"):
            path = directory / f"{i:06d}.html"
            path.write_text(render_html(a, canonical), encoding="utf-8")
            paths.append(path)
        if kind in ("text", "both"):
            path = directory / f"{i:06d}.txt"
            path.write_text(render_text(a), encoding="utf-8")
            paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--kind", choices=("html", "text", "both"), default="html")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_pages(args.outdir, args.count, kind=args.kind, seed=args.seed)
    print(f"wrote {len(paths)} pages to {args.outdir}")


if __name__ == "__main__":
    main()
