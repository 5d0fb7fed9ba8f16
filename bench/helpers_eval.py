"""Measure corpus's hand-written helpers against the libraries that could replace them,
on data available offline:

1. URL normalisation (corpus.fetch.normalize_url vs courlan.normalize_url): the absolute
   links of the l3s_dev pages (/work/shared/eval, read in place), each respelt as a
   person or a share button would (tracking parameters, upper-case host, default port,
   fragment, trailing slash, reordered query): a respelling should normalise to its
   original's form ("same page found"); two originals that differ after dropping the
   fragment should not ("pages kept apart": collisions are counted and shown).
2. Language identification (counting jusText's stopwords, as corpus did until py3langid
   replaced it, vs py3langid's model shipped in its package, now
   corpus.cleaning.language.guess_language): the translated messages of the programs
   installed on this machine (gettext catalogs in /usr/share/locale: help texts and
   messages, written by people) joined into samples of about 20 and 80 words; English is
   their original text. Accuracy per language, no answer counted as wrong.
3. Feed and sitemap parsing (corpus.fetch's lxml parsers vs trafilatura.feeds and
   trafilatura.sitemaps, our polite fetcher kept either way): feeds (RSS 2.0, RSS 1.0,
   Atom, relative links, guid permalinks) and sitemaps (urlset, news sitemap, index, plain
   text) written here with l3s_dev URLs and dates: the share of listed URLs found, and
   whether each entry's date comes back (`--since` and newest-first need it).

Usage: .venv/bin/python bench/helpers_eval.py [--eval /work/shared/eval] [--urls 2000]
"""
from __future__ import annotations

import argparse
import gettext
import random
import re
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

EVAL = Path("/work/shared/eval")
LOCALES = Path("/usr/share/locale")

# --- 1. URLs ---------------------------------------------------------------------------

HREF = re.compile(rb"""href\s*=\s*["'](https?://[^"'\s<>]+)["']""", re.IGNORECASE)
TRACKING = [("utm_source", "twitter"), ("utm_medium", "social"), ("utm_campaign", "spring24"), ("fbclid", "IwAR3x"),
            ("gclid", "Cj0KCQ"), ("mc_cid", "9f8e7d"), ("ref", "rss"), ("ocid", "msnews"), ("smid", "tw-share"),
            ("_ga", "2.1234")]


def l3s_urls(eval_dir: Path, count: int, rng: random.Random) -> list[str]:
    """Distinct absolute http(s) links of the l3s_dev pages, fragments dropped."""
    found = set()
    for path in sorted((eval_dir / "l3s_dev" / "html").glob("*.html")):
        for match in HREF.findall(path.read_bytes()):
            url = match.decode("latin-1").replace("&amp;", "&")
            parts = urlsplit(url)
            if parts.hostname and "." in parts.hostname:
                found.add(urlunsplit(parts._replace(fragment="")))
    urls = sorted(found)
    rng.shuffle(urls)
    return urls[:count]


def respellings(url: str, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, spelling) of `url` that name the same page."""
    parts = urlsplit(url)
    query = parts.query
    extra = "&".join(f"{name}={value}" for name, value in rng.sample(TRACKING, 2))
    spellings = [
        ("tracking", urlunsplit(parts._replace(query=f"{query}&{extra}" if query else extra))),
        ("host case", urlunsplit(parts._replace(netloc=parts.netloc.upper()))),
        ("fragment", urlunsplit(parts._replace(fragment="comments"))),
        ("default port", urlunsplit(parts._replace(
            netloc=f"{parts.hostname}:{443 if parts.scheme == 'https' else 80}"))) if parts.port is None else None,
    ]
    if parts.path not in ("", "/") and not parts.query:
        spellings.append(("trailing slash", urlunsplit(parts._replace(
            path=parts.path.rstrip("/") if parts.path.endswith("/") else parts.path + "/"))))
    pairs = query.split("&") if query else []
    if len(set(pairs)) > 1:
        spellings.append(("query order", urlunsplit(parts._replace(query="&".join(reversed(pairs))))))
    return [spelling for spelling in spellings if spelling]


def url_normalisers():
    from courlan import normalize_url as courlan_normalize

    from corpus.fetch import normalize_url

    def courlan_form(url: str) -> str:
        try:
            return courlan_normalize(url)
        except ValueError:
            return url

    return {"corpus.fetch.normalize_url": normalize_url, "courlan.normalize_url": courlan_form}


def urls_part(eval_dir: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    urls = l3s_urls(eval_dir, count, rng)
    cases = [(url, kind, spelling) for url in urls for kind, spelling in respellings(url, rng)]
    print(f"URLs: {len(urls):,} distinct links of l3s_dev pages, {len(cases):,} respellings")
    for name, normalise in url_normalisers().items():
        started = time.process_time()
        forms = {url: normalise(url) for url in urls}
        same = Counter()
        total = Counter()
        for url, kind, spelling in cases:
            total[kind] += 1
            same[kind] += normalise(spelling) == forms[url]
        seconds = time.process_time() - started
        by_form = defaultdict(list)
        for url, form in forms.items():
            by_form[form].append(url)
        collided = [group for group in by_form.values() if len(group) > 1]
        print(f"  {name}: same page found {sum(same.values()) / len(cases):.4f}"
              f" ({', '.join(f'{kind} {same[kind]}/{total[kind]}' for kind in total)});"
              f" pages kept apart: {len(urls) - sum(len(g) - 1 for g in collided)}/{len(urls)}"
              f" ({len(collided)} collisions); {seconds / (len(urls) + len(cases)) * 1e6:.1f} µs CPU a URL")
        for group in collided[:3]:
            print(f"    collision: {' = '.join(group[:3])}")


# --- 2. Languages ----------------------------------------------------------------------

# Languages of the stoplists corpus.cleaning.language read, and a few it had none for.
LANGUAGES = ["en", "es", "fr", "de", "it", "pt", "nl", "ru", "ar", "tr", "id", "pl", "sv", "uk", "lv"]
OTHERS = ["cs", "da", "fi", "hu", "ro", "el", "ja"]
CATALOGS = ["coreutils", "tar", "bash", "grep", "sed", "wget", "findutils", "diffutils", "dpkg", "apt",
            "libapt-pkg6.0", "gawk", "make", "libc", "glib20", "gtk30", "gettext-tools", "shadow", "man-db",
            "Linux-PAM", "PackageKit", "systemd", "xkeyboard-config", "shared-mime-info", "gnupg2", "psmisc"]
PLACEHOLDER = re.compile(r"%[-#0 +'I]*\d*(?:\.\d+)?[hlLqjzt]*[diouxXeEfgGcsSpn%]|\$\{?\w+\}?|--?[\w-]+|\S*[_/\\<>{}=]\S*")


def catalog_texts(language: str) -> list[str]:
    """Messages of the installed programs in `language` (the originals for English),
    placeholders and option names left out."""
    texts = []
    directory = LOCALES / ("de" if language == "en" else language) / "LC_MESSAGES"
    for name in CATALOGS:
        path = directory / f"{name}.mo"
        if not path.exists():
            continue
        with path.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog
        for original, translated in catalog.items():
            if not isinstance(original, str) or not original:
                continue
            text = original if language == "en" else translated
            text = " ".join(PLACEHOLDER.sub(" ", text).split())
            if len(text.split()) >= 4:
                texts.append(text)
    return texts


def samples(texts: list[str], words: int, count: int, rng: random.Random) -> list[str]:
    """`count` samples of about `words` words, each made of consecutive messages."""
    made = []
    for _ in range(count * 3):
        if len(made) == count or not texts:
            break
        start = rng.randrange(len(texts))
        sample = []
        for text in texts[start:]:
            sample.append(text)
            if sum(len(part.split()) for part in sample) >= words:
                break
        if sum(len(part.split()) for part in sample) >= words * 0.75:
            made.append(" ".join(sample))
    return made


# The stopword method corpus used before py3langid, kept here as the baseline.
STOPLISTS = {
    "English": "en", "Spanish": "es", "French": "fr", "German": "de", "Italian": "it",
    "Portuguese": "pt", "Dutch": "nl", "Russian": "ru", "Arabic": "ar", "Turkish": "tr",
    "Indonesian": "id", "Polish": "pl", "Swedish": "sv", "Ukrainian": "uk", "Latvian": "lv",
}
MIN_DENSITY = 0.15  # below this share of stopwords no language was claimed
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def stopword_language(text: str, index: dict[str, tuple[str, ...]]) -> str | None:
    """The language whose jusText stopwords cover most of the first 400 words, if 15% or more."""
    words = [word.lower() for word in WORD.findall(text[:5000])][:400]
    if len(words) < 10:
        return None
    hits = Counter(code for word in words for code in index.get(word, ()))
    if not hits:
        return None
    code, count = hits.most_common(1)[0]
    return code if count / len(words) >= MIN_DENSITY else None


def language_part(seed: int, count: int) -> None:
    import justext

    from corpus.cleaning.language import guess_language

    index: dict[str, tuple[str, ...]] = {}
    for name, code in STOPLISTS.items():
        for word in justext.get_stoplist(name):
            index[word] = (*index.get(word, ()), code)
    rng = random.Random(seed)
    identifiers = {"jusText stopwords (before)": lambda text: stopword_language(text, index),
                   "py3langid (corpus.cleaning.language now)": guess_language}
    print(f"Languages: translated messages of installed programs ({LOCALES}), {count} samples a language"
          " and length; accuracy (no answer counts as wrong)")
    for words in (20, 80):
        data = {language: samples(catalog_texts(language), words, count, rng) for language in LANGUAGES + OTHERS}
        data = {language: texts for language, texts in data.items() if texts}
        print(f"  samples of about {words} words: {', '.join(f'{k} {len(v)}' for k, v in data.items())}")
        for name, identify in identifiers.items():
            started = time.process_time()
            right = {language: sum(identify(text) == language for text in texts) for language, texts in data.items()}
            seconds = time.process_time() - started
            ours = [language for language in data if language in LANGUAGES]
            others = [language for language in data if language in OTHERS]

            def accuracy(languages: list[str]) -> float:
                return sum(right[l] for l in languages) / max(1, sum(len(data[l]) for l in languages))

            print(f"    {name}: {accuracy(ours):.4f} on the {len(ours)} stoplist languages,"
                  f" {accuracy(others):.4f} on {len(others)} others; worst:"
                  f" {', '.join(f'{l} {right[l]}/{len(data[l])}' for l in sorted(data, key=lambda l: right[l] / len(data[l]))[:4])};"
                  f" {seconds / sum(map(len, data.values())) * 1000:.2f} ms CPU a sample")


# --- 3. Feeds and sitemaps -------------------------------------------------------------

ARTICLE_PATH = re.compile(r"^/[^?#]+/[^?#]*?(?:\.s?html?|\.php|\.aspx?|/|[^./]+)$")


def listing_documents(urls: list[str], rng: random.Random) -> list[tuple[str, str, str, list[tuple[str, datetime]]]]:
    """(kind, listing URL, document, [(page URL, date)]) of feeds and sitemaps listing
    article-like paths of `urls` on one host of their own."""
    start = datetime(2024, 5, 1, tzinfo=timezone.utc)
    urls = [url for url in urls if ARTICLE_PATH.match(urlsplit(url).path)]  # pages, not images or files
    documents = []
    for kind in ("rss2", "rss2 relative", "rss2 guid", "rss1", "atom", "urlset", "news sitemap", "text sitemap"):
        host = f"https://www.{kind.split()[0]}news{len(documents)}.com"
        chosen = [host + urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
                  for url in rng.sample(urls, 20)]
        dated = [(url, start - timedelta(hours=rng.randint(1, 500))) for url in chosen]
        documents.append((kind, host + "/listing.xml", render_listing(kind, host, dated), dated))
    return documents


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def render_listing(kind: str, host: str, dated: list[tuple[str, datetime]]) -> str:
    if kind.startswith("rss2"):
        items = []
        for url, date in dated:
            link = url[len(host):] if kind == "rss2 relative" else url
            inner = (f"<guid isPermaLink=\"true\">{_xml(url)}</guid>" if kind == "rss2 guid"
                     else f"<link>{_xml(link)}</link>")
            items.append(f"<item><title>Story</title>{inner}<pubDate>{date.strftime('%a, %d %b %Y %H:%M:%S +0000')}"
                         "</pubDate></item>")
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{host}/</link>{"".join(items)}</channel></rss>'
    if kind == "rss1":
        items = "".join(f'<item rdf:about="{_xml(url)}"><title>Story</title><link>{_xml(url)}</link>'
                        f"<dc:date>{date.isoformat()}</dc:date></item>" for url, date in dated)
        return ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
                ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f'<channel rdf:about="{host}/"><title>T</title><link>{host}/</link></channel>{items}</rdf:RDF>')
    if kind == "atom":
        entries = "".join(f'<entry><title>Story</title><link rel="alternate" href="{_xml(url)}"/>'
                          f"<id>{_xml(url)}</id><updated>{date.isoformat()}</updated></entry>" for url, date in dated)
        return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
                f'<link rel="self" href="{host}/listing.xml"/>{entries}</feed>')
    if kind == "urlset":
        entries = "".join(f"<url><loc>{_xml(url)}</loc><lastmod>{date.isoformat()}</lastmod></url>" for url, date in dated)
        return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    if kind == "news sitemap":
        entries = "".join(f"<url><loc>{_xml(url)}</loc><news:news><news:publication_date>{date.isoformat()}"
                          "</news:publication_date><news:title>Story</news:title></news:news></url>" for url, date in dated)
        return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
                f' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{entries}</urlset>')
    return "\n".join(url for url, _ in dated)


class _Page:
    def __init__(self, url: str, data: bytes) -> None:
        self.url = self.final_url = url
        self.data = data


class _Served:
    """Stands in for corpus.fetch.Fetcher: serves the documents written above."""

    max_bytes = 10 * 1024 * 1024

    def __init__(self, documents: dict[str, str]) -> None:
        self.documents = documents

    def fetch(self, url: str, html_only: bool = True) -> _Page:
        return _Page(url, self.documents[url].encode())


def ours(kind: str, listing_url: str, document: str) -> list[tuple[str, datetime | None]]:
    from corpus import fetch

    served = _Served({listing_url: document})
    if "sitemap" in kind or kind == "urlset":
        _, entries = fetch._read_sitemap(served, listing_url)
    else:
        root = fetch._parse_xml(document.encode())
        entries = [fetch._ListedUrl(fetch.urljoin(listing_url, fetch._entry_link(entry)), fetch._entry_date(entry))
                   for entry in root.iter("{*}item", "{*}entry") if fetch._entry_link(entry)]
    return [(entry.url, entry.date) for entry in entries]


def trafilatura_parsers(kind: str, listing_url: str, document: str) -> list[tuple[str, datetime | None]]:
    from trafilatura.feeds import FeedParameters, extract_links
    from trafilatura.sitemaps import SitemapObject

    from courlan import get_hostinfo

    domain, base = get_hostinfo(listing_url)  # as trafilatura's own callers give them
    if "sitemap" in kind or kind == "urlset":
        sitemap = SitemapObject(base, domain, [])
        sitemap.current_url = listing_url
        sitemap.content = document
        sitemap.process()
        return [(url, None) for url in sitemap.urls]
    return [(url, None) for url in extract_links(document, FeedParameters(base, domain, listing_url))]


def feeds_part(eval_dir: Path, seed: int) -> None:
    from corpus.fetch import normalize_url

    rng = random.Random(seed)
    documents = listing_documents(l3s_urls(eval_dir, 2000, rng), rng)
    print("Feeds and sitemaps: 20 entries each; URLs found (by normalize_url) and dates returned")
    for name, parse in (("corpus.fetch (lxml)", ours), ("trafilatura.feeds/sitemaps", trafilatura_parsers)):
        cells = []
        for kind, listing_url, document, dated in documents:
            try:
                found = parse(kind, listing_url, document)
            except Exception as error:  # a parser that fails counts as finding nothing
                found = []
                print(f"    {name} on {kind}: {type(error).__name__}: {error}")
            expected = {normalize_url(url): date for url, date in dated}
            urls = {normalize_url(url) for url, _ in found}
            dates = sum(date is not None and expected.get(normalize_url(url)) == date for url, date in found)
            cells.append(f"{kind} {len(urls & set(expected))}/{len(expected)}"
                         f"{'' if not dates else f' dated {dates}'}")
        print(f"  {name}: {'; '.join(cells)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL, help="the shared eval directory (l3s_dev is read)")
    parser.add_argument("--urls", type=int, default=2000, help="l3s_dev links to respell")
    parser.add_argument("--samples", type=int, default=40, help="language samples a language and length")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--part", choices=["urls", "languages", "feeds"], action="append",
                        help="run only these parts (repeatable)")
    args = parser.parse_args()
    parts = args.part or ["urls", "languages", "feeds"]
    if "urls" in parts:
        urls_part(args.eval, args.urls, args.seed)
    if "languages" in parts:
        language_part(args.seed, args.samples)
    if "feeds" in parts:
        feeds_part(args.eval, args.seed)


if __name__ == "__main__":
    main()
