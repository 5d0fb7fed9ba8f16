"""Measure corpus.cleaning against trafilatura alone, in the same run, on every set.

Sets (each scored with ../shared/eval/score.py, every document in one export per system):
  l3s_html   ../shared/eval/l3s_dev/html (gold_html.json): clean_html versus
             trafilatura.extract(html, include_comments=False); title from
             trafilatura.bare_extraction(with_metadata=True).
  l3s_txt    ../shared/eval/l3s_dev/txt (gold_txt.json), whole-page text dumps:
             clean_text versus the whole dump kept.
  seeds      seeds/*.txt (../shared/eval/seeds_gold.json): clean_text versus the whole dump.
  polnear    ../shared/eval/polnear_train/text (gold.json): headline line, blank line, body;
             clean_text versus the whole text kept (title accuracy and the headline out of
             the body are what matter here).
  synthetic  N generated modern pages (bench/pages.py) as HTML and as text dumps, their
             known paragraphs and headline as gold (--synthetic N, default 100).

l3s_dev is split by position in its sorted file list: even positions are the part tuned
on, odd positions are held out; figures are given for all, tuned and held-out.

A document our pipeline refuses (`CleanedArticle.refusal`) is left out of our export, as
`corpus add` would leave it out of the corpus, so the scorer counts it as missing.

Usage: .venv/bin/python bench/clean_eval.py [--sets l3s_html,l3s_txt,seeds,polnear,synthetic]
           [--synthetic N] [--out DIR] [--timing]
Writes bench/out/clean_eval.json and the exports under --out (default bench/out/clean_eval); a run
of every set into the default place re-renders bench/RESULTS.md (its cleaning section).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import trafilatura

from corpus import documents
from corpus.cleaning import clean_html, clean_text

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
SCORER = EVAL / "score.py"
FIGURES = ("body_precision", "body_recall", "body_f1", "paragraph_precision", "title_accuracy")
ALL_SETS = ("l3s_html", "l3s_txt", "seeds", "polnear", "synthetic")
DEFAULT_OUT = ROOT / "bench/out/clean_eval"


def record(source: str, body: str, title: str | None, refused: str | None = None) -> dict:
    return {"source": source, "title": title, "body": body, "quotes": [], "refused": refused}


def ours(path: Path, data: bytes) -> dict:
    """What `corpus add` makes of the file: decoded and told HTML or text as ingest does."""
    decoded = documents.decode(data)
    if decoded.content_type == documents.HTML:
        article = clean_html(decoded.text)
    else:
        article = clean_text(decoded.text)
    return record(path.name, article.body, article.title, article.refusal)


def trafilatura_html(path: Path, data: bytes) -> dict:
    html = documents.decode(data).text
    body = trafilatura.extract(html, include_comments=False) or ""
    document = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    return record(path.name, body, document.title if document else None)


def whole_text(path: Path, data: bytes) -> dict:
    return record(path.name, documents.decode(data).text, None)


def files(directory: Path, suffix: str) -> list[Path]:
    return sorted(directory.glob(f"*{suffix}"))


def load_set(name: str, synthetic: int, scratch: Path) -> tuple[list[dict], list[Path], dict]:
    """(gold records, input files, systems) of one set."""
    if name == "l3s_html":
        return (json.loads((EVAL / "l3s_dev/gold_html.json").read_text()), files(EVAL / "l3s_dev/html", ".html"),
                {"ours": ours, "trafilatura": trafilatura_html})
    if name == "l3s_txt":
        return (json.loads((EVAL / "l3s_dev/gold_txt.json").read_text()), files(EVAL / "l3s_dev/txt", ".txt"),
                {"ours": ours, "whole dump": whole_text})
    if name == "seeds":
        return (json.loads((EVAL / "seeds_gold.json").read_text()), files(ROOT / "seeds", ".txt"),
                {"ours": ours, "whole dump": whole_text})
    if name == "polnear":
        return (json.loads((EVAL / "polnear_train/gold.json").read_text()), files(EVAL / "polnear_train/text", ".txt"),
                {"ours": ours, "whole text": whole_text})
    if name == "synthetic":
        return synthetic_set(synthetic, scratch)
    raise SystemExit(f"unknown set {name!r}; sets: {', '.join(ALL_SETS)}")


def synthetic_set(count: int, scratch: Path) -> tuple[list[dict], list[Path], dict]:
    """Generated pages as HTML and as text dumps; gold is each page's known paragraphs."""
    sys.path.insert(0, str(ROOT / "bench"))
    import pages

    directory = scratch / "synthetic"
    directory.mkdir(parents=True, exist_ok=True)
    generator = pages.Generator()
    gold, paths = [], []
    for i in range(count):
        article = generator.article(i)
        body = "\n\n".join(p[3:] if p.startswith("## ") else p for p in article.paragraphs)
        for suffix, text in ((".html", pages.render_html(article)), (".txt", pages.render_text(article))):
            path = directory / f"{i:05d}{suffix}"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
            gold.append({"file": path.name, "title": article.title, "body": body, "quotes": []})

    def theirs(path: Path, data: bytes) -> dict:
        return (trafilatura_html if path.suffix == ".html" else whole_text)(path, data)

    return gold, paths, {"ours": ours, "trafilatura / whole dump": theirs}


def score(gold: list[dict], records: list[dict], scratch: Path, label: str) -> dict:
    gold_path, export_path = scratch / f"{label}.gold.json", scratch / f"{label}.jsonl"
    gold_path.write_text(json.dumps(gold), encoding="utf-8")
    with export_path.open("w", encoding="utf-8") as export:
        for rec in records:
            if not rec["refused"]:
                export.write(json.dumps(rec, ensure_ascii=False) + "\n")
    run = subprocess.run([sys.executable, str(SCORER), str(gold_path), str(export_path), "--json"],
                         capture_output=True, text=True, check=True)
    scores = json.loads(run.stdout)
    return {**{k: scores[k] for k in FIGURES if k in scores}, "documents": len(gold),
            "refused": sum(bool(r["refused"]) for r in records)}


def parts(name: str, gold: list[dict]) -> dict[str, set[str]]:
    """Subsets to score: all, and for l3s_dev the tuned (even) and held-out (odd) halves."""
    names = sorted(g["file"] for g in gold)
    subsets = {"all": set(names)}
    if name.startswith("l3s"):
        stems = sorted(n.rsplit(".", 1)[0] for n in names)
        subsets["tuned"] = {n for n in names if stems.index(n.rsplit(".", 1)[0]) % 2 == 0}
        subsets["held-out"] = {n for n in names if stems.index(n.rsplit(".", 1)[0]) % 2 == 1}
    if name == "synthetic":
        subsets = {"html": {n for n in names if n.endswith(".html")}, "dump": {n for n in names if n.endswith(".txt")}}
    return subsets


def run_set(name: str, synthetic: int, scratch: Path, timing: bool) -> dict:
    gold, paths, systems = load_set(name, synthetic, scratch)
    texts = {path: path.read_bytes() for path in paths}
    results: dict = {}
    for system, function in systems.items():
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        records = [function(path, texts[path]) for path in paths]
        seconds = {"cpu": time.process_time() - started_cpu, "wall": time.perf_counter() - started_wall}
        for part, members in parts(name, gold).items():
            label = f"{name}.{system.replace(' ', '_').replace('/', '')}.{part}"
            results.setdefault(part, {})[system] = score(
                [g for g in gold if g["file"] in members], [r for r in records if r["source"] in members],
                scratch, label)
        if timing:
            results.setdefault("seconds", {})[system] = seconds
        reasons = sorted({r["refused"] for r in records if r["refused"]})
        if reasons:
            results.setdefault("refused", {})[system] = {
                r["source"]: r["refused"] for r in records if r["refused"]}
            print(f"  {name} {system}: refused {len(results['refused'][system])} ({'; '.join(reasons)})")
    return results


def print_table(name: str, results: dict) -> None:
    print(f"\n{name}")
    print(f"  {'part':10} {'system':26}" + "".join(f"{f.replace('_accuracy', '').replace('paragraph', 'par'):>15}"
                                             for f in FIGURES) + f"{'refused':>9}")
    for part, systems in results.items():
        if part in ("seconds", "refused"):
            continue
        for system, figures in systems.items():
            print(f"  {part:10} {system:26}" + "".join(
                f"{figures[f]:15.4f}" if f in figures else f"{'-':>15}" for f in FIGURES) + f"{figures['refused']:9d}")
    if "seconds" in results:
        print("  time: " + ", ".join(f"{s} cpu {t['cpu']:.1f}s wall {t['wall']:.1f}s"
                                     for s, t in results["seconds"].items()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(ALL_SETS))
    parser.add_argument("--synthetic", type=int, default=100, metavar="N")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--timing", action="store_true", help="report CPU and wall seconds per system")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name in args.sets.split(","):
        summary[name] = run_set(name, args.synthetic, args.out, args.timing)
        print_table(name, summary[name])
    (args.out.parent / "clean_eval.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    if set(args.sets.split(",")) == set(ALL_SETS) and args.out == DEFAULT_OUT:
        from common import render_results  # bench/RESULTS.md's cleaning section (bench/render.py)
        render_results()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
