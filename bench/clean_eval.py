"""Measure corpus.cleaning.

1. Seeds: run clean_text on seeds/*.txt, write an export (one JSON object a line)
   and score it with the gold scorer.
2. Other pages (optional, --pages DIR with html/NAME.html and txt/NAME.txt, the
   layout of newspaper4k's test data): render each HTML page to a text dump as a
   browser's copy-all would, then compare body F1 against the expected text for
   trafilatura on the HTML, clean_html on the HTML, clean_text on the dump, and
   the whole dump kept as is.

Usage: .venv/bin/python bench/clean_eval.py [--gold GOLD.json] [--scorer score.py]
           [--export OUT.jsonl] [--pages DIR]
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import trafilatura

from corpus.cleaning import clean_html, clean_text
from corpus.cleaning.webpage import visible_text

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+", re.UNICODE)


def export_seeds(seed_dir: Path, out: Path) -> None:
    with out.open("w", encoding="utf-8") as f:
        for path in sorted(seed_dir.glob("*.txt")):
            article = clean_text(path.read_text(encoding="utf-8"))
            f.write(json.dumps({
                "source": str(path),
                "title": article.title,
                "subtitle": article.subtitle,
                "byline": article.byline,
                "published_at": article.published_at.isoformat() if article.published_at else None,
                "outlet": article.outlet,
                "source_credit": article.source_credit,
                "body": article.body,
                "quotes": [],
            }, ensure_ascii=False) + "\n")


def tokens(text: str) -> Counter:
    text = unicodedata.normalize("NFKC", text or "").lower().replace("\u2019", "'")
    return Counter(WORD.findall(text))


def overlap(predicted: str, expected: str) -> tuple[int, int, int]:
    p, g = tokens(predicted), tokens(expected)
    return sum((p & g).values()), sum(p.values()), sum(g.values())


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def same_title(a: str | None, b: str | None) -> bool:
    return bool(a and b) and prf(*overlap(a, b))[2] >= 0.8


def best_seconds(function, argument, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        function(argument)
        best = min(best, time.perf_counter() - started)
    return best


def compare_pages(pages: Path) -> None:
    """Body F1 against the expected text; metadata of the dump against the HTML's."""
    systems = {
        "trafilatura(html)": lambda html, dump: trafilatura.extract(html, include_comments=False) or "",
        "clean_html(html)": lambda html, dump: clean_html(html).body,
        "clean_text(dump)": lambda html, dump: clean_text(dump).body,
        "whole dump": lambda html, dump: dump,
    }
    totals = {name: [0, 0, 0] for name in systems}
    agree = Counter()
    seconds = Counter()
    print(f"\n{'page':24}" + "".join(f"{name:>20}" for name in systems) + "   (body F1)")
    for expected_path in sorted((pages / "txt").glob("*.txt")):
        html_path = pages / "html" / (expected_path.stem + ".html")
        if not html_path.exists():
            continue
        html = html_path.read_text(encoding="utf-8", errors="replace")
        expected = expected_path.read_text(encoding="utf-8")
        dump = visible_text(trafilatura.load_html(html))
        row = []
        for name, system in systems.items():
            counts = overlap(system(html, dump), expected)
            totals[name] = [a + b for a, b in zip(totals[name], counts)]
            row.append(prf(*counts)[2])
        print(f"{expected_path.stem[:24]:24}" + "".join(f"{f1:20.3f}" for f1 in row))
        from_html, from_dump = clean_html(html), clean_text(dump)
        agree["pages"] += 1
        agree["title"] += same_title(from_dump.title, from_html.title)
        agree["published day"] += bool(from_dump.published_at and from_html.published_at) and (
            from_dump.published_at.date() == from_html.published_at.date())
        seconds["trafilatura bare_extraction+metadata"] += best_seconds(
            lambda page: trafilatura.bare_extraction(page, include_comments=False, with_metadata=True), html)
        seconds["clean_html"] += best_seconds(clean_html, html)
    print(f"{'micro P/R/F1':24}" + "".join(
        "{:>20}".format("%.3f/%.3f/%.3f" % prf(*totals[name])) for name in systems))
    print(f"\nclean_text(dump) metadata agreeing with clean_html(html) on {agree['pages']} pages: "
          f"title {agree['title']}, published day {agree['published day']}")
    traf, ours = seconds["trafilatura bare_extraction+metadata"], seconds["clean_html"]
    print(f"time (best of 3 per page): trafilatura {traf:.2f}s, clean_html {ours:.2f}s, ratio {ours / traf:.2f}")


def write_synthetic_pages(count: int) -> Path:
    """bench/out/clean-synthetic: html/ from bench/pages.py and txt/ holding each page's
    known body (its paragraphs, subheads included), the layout --pages reads."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pages

    directory = ROOT / "bench" / "out" / "clean-synthetic"
    (directory / "html").mkdir(parents=True, exist_ok=True)
    (directory / "txt").mkdir(exist_ok=True)
    generator = pages.Generator()
    for i in range(count):
        article = generator.article(i)
        (directory / "html" / f"{i:06d}.html").write_text(pages.render_html(article), encoding="utf-8")
        body = "\n\n".join(p[3:] if p.startswith("## ") else p for p in article.paragraphs)
        (directory / "txt" / f"{i:06d}.txt").write_text(body, encoding="utf-8")
    return directory


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--gold", type=Path, default=ROOT / "tests/fixtures/cleaning/seeds_gold.json")
    parser.add_argument("--scorer", type=Path, default=ROOT.parent / "shared/eval/score.py")
    parser.add_argument("--export", type=Path, default=Path("/tmp/clean_eval_export.jsonl"))
    parser.add_argument("--pages", type=Path, help="directory with html/ and txt/ of other sites")
    parser.add_argument("--synthetic", type=int, metavar="N",
                        help="compare on N generated pages (bench/pages.py) instead of --pages")
    args = parser.parse_args(argv)
    if args.synthetic:
        args.pages = write_synthetic_pages(args.synthetic)
    export_seeds(args.seeds, args.export)
    print(f"export: {args.export}")
    if args.scorer.exists():
        subprocess.run([sys.executable, str(args.scorer), str(args.gold), str(args.export)], check=False)
    else:
        print(f"scorer not found at {args.scorer}; export written only")
    if args.pages:
        compare_pages(args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
