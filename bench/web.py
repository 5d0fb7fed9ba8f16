"""The web page's latency at 100,000 articles, on SQLite and PostgreSQL.

    python bench/web.py [--articles 100000] [--base 2000] [--backends sqlite,postgresql] [--rounds 3]

The corpus is built as bench/query.py builds it (a base of distinct text dumps added
through the real pipeline, copied with INSERT ... SELECT to --articles articles). Then
`corpus serve --read-only --port 0` runs in its own process, and this process asks it for
each page over HTTP (keep-alive), timing:

- at the server: the `Server-Timing: app;dur=...` header the page sets on every response
  (from the request reaching the application to its response starting);
- at the client: wall time of the whole request, body read;
- the server's CPU time per request: the server process's threads, plus on PostgreSQL the
  database backends' (/proc/PID/schedstat, ns);
- the baseline, in the same run: the same `Corpus` calls the page makes, in this process,
  without HTTP or templates, so page / API is the cost of the web layer.

Each round times every case (warm-up runs first, then --repeats runs, page and API
alternating case by case); p50/p95 are over all rounds. Article pages cycle through
random article ids; the speaker pages are the most quoted speaker and a rarely quoted one.
Results go to bench/out/web-<backend>.json and the "Web page" section of bench/RESULTS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, PYTHON, RESULTS_MD, ROOT, load_average, machine, percentile  # noqa: E402
from query import ServerCpu, base_database, build_database, scratch_copy  # noqa: E402

TARGET_P95_MS = 100.0
SECTION_START, SECTION_END = "<!-- web: bench/web.py -->", "<!-- /web -->"


def cases(corpus, article_ids: list[int]) -> list[tuple[str, str, callable]]:
    """(label, path, the Corpus calls the page makes) for each page timed."""
    from corpus import ArticleFilter
    from corpus.web.highlight import MARKS

    speakers = corpus.speakers(limit=1)
    common = speakers[0]
    rare = corpus.sql("SELECT s.id, count(*) AS n FROM speakers s JOIN quotes q ON q.speaker_id = s.id "
                      "GROUP BY s.id HAVING count(*) BETWEEN 20 AND 200 ORDER BY n LIMIT 1").rows[0]
    tag = corpus.sql("SELECT t.name FROM tags t JOIN article_tags a ON a.tag_id = t.id "
                     "GROUP BY t.name ORDER BY count(*) DESC LIMIT 1").rows[0][0]
    ids = iter(article_ids * 1000)

    def articles_page(filters=ArticleFilter(), page=1):
        corpus.count_articles(filters=filters)
        corpus.articles(filters=filters, limit=50, offset=(page - 1) * 50)

    def search_page(query):
        corpus.search_page(query, limit=20, marks=MARKS)

    def speaker_page(speaker_id):
        record = corpus.speaker(speaker_id, limit=50)
        corpus.quotes_per_month(speaker_id=speaker_id)
        corpus.speakers(name=record["name"], limit=20)

    next_article = {"id": None}

    def article_path():
        next_article["id"] = next(ids)
        return f"/articles/{next_article['id']}"

    return [
        ("articles: first page", "/", lambda: articles_page()),
        ("articles: page 1,000", "/?page=1000", lambda: articles_page(page=1000)),
        (f"articles: tag `{tag}`", f"/?tag={tag}", lambda: articles_page(ArticleFilter(tag=tag))),
        ("search: common word `minister`", "/search?q=minister", lambda: search_page("minister")),
        ("search: two words `ceasefire Damascus`", "/search?q=ceasefire+Damascus",
         lambda: search_page("ceasefire Damascus")),
        ('search: phrase `"prisoner exchange"`', "/search?q=%22prisoner+exchange%22",
         lambda: search_page('"prisoner exchange"')),
        ("article page (random ids)", article_path, lambda: corpus.article(next_article["id"])),
        (f"speaker page: most quoted ({common['quotes']:,} quotes)", f"/speakers/{common['id']}",
         lambda: speaker_page(common["id"])),
        (f"speaker page: rarely quoted ({rare[1]:,} quotes)", f"/speakers/{rare[0]}", lambda: speaker_page(rare[0])),
    ]


def cpu_ms(pid: int, backends: ServerCpu) -> float:
    """CPU time so far of the server process, every thread (/proc/PID/task/*/schedstat, in
    ns), plus on PostgreSQL that of the database's backends (the server's connections)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError):
            continue
    return (total + backends.read()[0]) / 1e6


def start_server(url: str) -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen([PYTHON, "-m", "corpus", "--db", url, "serve", "--read-only", "--port", "0"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, PYTHONWARNINGS="ignore"))
    line = server.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
    if not match:
        server.kill()
        raise RuntimeError(f"corpus serve did not start: {line}{server.stderr.read()}")
    return server, match.group(1)


def measure(url: str, rounds: int, warmup: int, repeats: int) -> list[dict]:
    import httpx
    from corpus import Corpus

    corpus = Corpus(url)
    article_count = corpus.counts()["articles"]
    article_ids = random.Random(7).sample(range(1, article_count + 1), 200)
    chosen = cases(corpus, article_ids)
    server, base = start_server(url)
    results = {label: {"label": label, "server": [], "client": [], "api": [], "cpu": []} for label, _, _ in chosen}
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for round_number in range(rounds):
                for label, path, api in chosen:
                    record = results[label]

                    def page():
                        started = time.perf_counter()
                        response = client.get(path() if callable(path) else path)
                        elapsed = 1000 * (time.perf_counter() - started)
                        assert response.status_code == 200, (label, response.status_code, response.text[:300])
                        return elapsed, float(response.headers["server-timing"].split("dur=")[1])

                    for _ in range(warmup):
                        page()
                        api()
                    backends = ServerCpu(corpus)  # after the warm-up: the server's pooled connections are open
                    for _ in range(repeats):
                        before = cpu_ms(server.pid, backends)
                        client_ms, server_ms = page()
                        record["cpu"].append(cpu_ms(server.pid, backends) - before)
                        record["client"].append(client_ms)
                        record["server"].append(server_ms)
                        started = time.perf_counter()
                        api()
                        record["api"].append(1000 * (time.perf_counter() - started))
                print(f"round {round_number + 1} of {rounds} done", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(10)
        corpus.close()
    summary = []
    for record in results.values():
        row = {"label": record["label"], "runs": len(record["server"])}
        for key in ("server", "client", "api"):
            row[f"{key}_p50_ms"] = percentile(record[key], 50)
            row[f"{key}_p95_ms"] = percentile(record[key], 95)
        row["server_cpu_ms_mean"] = sum(record["cpu"]) / len(record["cpu"])
        row["server_cpu_p50_ms"] = percentile(record["cpu"], 50)
        row["server_cpu_p95_ms"] = percentile(record["cpu"], 95)
        row["page_over_api_p50"] = row["server_p50_ms"] / row["api_p50_ms"]
        summary.append(row)
        print(f"  {row['label']}: server p50 {row['server_p50_ms']:.1f} p95 {row['server_p95_ms']:.1f} ms; "
              f"client p95 {row['client_p95_ms']:.1f} ms; API p50 {row['api_p50_ms']:.1f} ms", file=sys.stderr)
    return summary


def render_section(results: dict[str, dict]) -> str:
    lines = [SECTION_START, "", "## Web page (`corpus serve`) latency", ""]
    for backend, r in sorted(results.items()):
        lines += [f"### {r['articles']:,} articles, {backend}", "", r["built"], "",
                  f"{r['rounds']} rounds × {r['repeats']} timed requests per page after {r['warmup']} warm-ups "
                  f"(load average {r['load_before']} before, {r['load_after']} after). *Server*: the "
                  "`Server-Timing` the page reports; *client*: the whole HTTP request; *server CPU*: the CPU time "
                  "per request of the server process (all threads) plus, on PostgreSQL, of the database's "
                  "backends; *API*: the same `Corpus` calls in the measuring process.", "",
                  "| page | server p50 ms | server p95 ms | client p95 ms | server CPU p50 ms | server CPU p95 ms "
                  "| API p50 ms | server ÷ API (p50) |", "|---|---|---|---|---|---|---|---|"]
        for q in r["pages"]:
            lines.append(f"| {q['label']} | {q['server_p50_ms']:.1f} | {q['server_p95_ms']:.1f} | "
                         f"{q['client_p95_ms']:.1f} | {q['server_cpu_p50_ms']:.1f} | {q['server_cpu_p95_ms']:.1f} | "
                         f"{q['api_p50_ms']:.1f} | {q['page_over_api_p50']:.2f} |")
        worst = max(r["pages"], key=lambda q: q["server_p95_ms"])
        verdict = "met" if worst["server_p95_ms"] < TARGET_P95_MS else "**NOT met**"
        lines += ["", f"Target p95 < {TARGET_P95_MS:.0f} ms at the server — {verdict} "
                      f"(worst: {worst['label']}, {worst['server_p95_ms']:.1f} ms).", ""]
    lines.append(SECTION_END)
    return "\n".join(lines)


def write_results(backend: str, data: dict) -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / f"web-{backend}.json").write_text(json.dumps(dict(data, machine=machine()), indent=2))
    results = {p.stem[4:]: json.loads(p.read_text()) for p in sorted(OUT.glob("web-*.json"))}
    section = render_section(results)
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else "# Benchmark results\n"
    if SECTION_START in text:
        text = text[:text.index(SECTION_START)] + section + text[text.index(SECTION_END) + len(SECTION_END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS_MD.write_text(text)


def run_backend(backend: str, url: str, base: Path, args, build: bool = True) -> None:
    counts, build_seconds = build_database(backend, url, base, args.articles, build=build)
    print(f"{backend}: {counts} ready in {build_seconds:.0f} s", file=sys.stderr)
    load = load_average()
    pages = measure(url, args.rounds, args.warmup, args.repeats)
    write_results(backend, {
        "backend": backend, "articles": counts["articles"], "counts": counts,
        "built": (f"Built as bench/query.py builds it: {args.base:,} distinct text dumps added through "
                  f"`Corpus.add`, copied to {counts['articles']:,} articles ({counts['quotes']:,} quotes, "
                  f"{counts['speakers']:,} speakers)."),
        "rounds": args.rounds, "warmup": args.warmup, "repeats": args.repeats,
        "load_before": load, "load_after": load_average(), "pages": pages})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--base", type=int, default=2000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases for the next run (the same ones bench/query.py --keep keeps: "
                             "bench/out/db/query-N.db, corpus_bench_query_N)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    base = base_database(args.base)
    for backend in args.backends.split(","):
        with scratch_copy(backend, base, f"query-{args.articles}", keep=args.keep) as (url, built):
            if url:
                run_backend(backend, url, base, args, build=not built)

if __name__ == "__main__":
    main()
