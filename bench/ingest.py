"""Ingest benchmarks: throughput of `add` for HTML pages and text dumps against
trafilatura alone, quote-extraction overhead, memory while adding, and --jobs 2 vs 1.

    python bench/ingest.py throughput --kind html --count 1000
    python bench/ingest.py throughput --kind text --count 10000 --no-clean
    python bench/ingest.py jobs --count 1000
    python bench/ingest.py cli --count 1000 --backend sqlite|postgresql --repeat 3
    python bench/ingest.py profile --kind html --count 300

Every measurement runs in a fresh child process on a fresh SQLite database (under
bench/out/), on pages from bench/pages.py (seeded, so the same pages every run). Within a
child, `add` runs first (so its RSS checkpoints start from a clean process), then
trafilatura alone, our clean_html/clean_text alone and extract_quotes alone on the same
pages. Times are wall clock and this process's CPU time; the machine is shared, so the
ratios are computed from CPU time (which other processes cannot inflate) and the wall
ratios are reported beside them.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, PYTHON, ROOT, Clock, RssSampler, load_average, rss_kib, run_child, save  # noqa: E402
import pages  # noqa: E402

CHECKPOINTS = [1000, 2000, 4000, 8000, 16000, 32000, 64000]


def page_dir(kind: str, count: int, canonical: bool = True) -> Path:
    """bench/out/pages/<kind>-<count>[-nocanonical], generated once."""
    directory = OUT / "pages" / (f"{kind}-{count}" + ("" if canonical or kind != "html" else "-nocanonical"))
    marker = directory / ".complete"
    if not marker.exists():
        shutil.rmtree(directory, ignore_errors=True)
        pages.write_pages(directory, count, kind=kind, canonical=canonical)
        marker.write_text(str(count))
    return directory


def warm_up(kind: str) -> None:
    """Import and first-call costs (lxml, trafilatura, regex compilation) out of the timings."""
    from corpus.cleaning import clean_html, clean_text
    from corpus.quotes import extract_quotes
    import trafilatura

    generator = pages.Generator(seed=999)
    for i in range(5):
        article = generator.article(i)
        page = pages.render_html(article)
        trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
        extract_quotes(clean_html(page).body)
        clean_text(pages.render_text(article))


# --- child: one add run plus the same pages through each stage alone -----------------------

def child_add(args) -> dict:
    warnings.simplefilter("ignore")
    from corpus import Corpus
    from corpus.cleaning import clean_html, clean_text
    from corpus.quotes import extract_quotes
    import trafilatura

    warm_up(args.kind)
    directory = Path(args.dir)
    files = sorted(p for p in directory.iterdir() if not p.name.startswith("."))
    result: dict = {"kind": args.kind, "count": len(files), "jobs": args.jobs, "load_before": load_average(),
                    "rss_start_kib": rss_kib()}

    corpus = Corpus(args.db)
    corpus.init()
    sampler = RssSampler()
    sampler.start()
    checkpoints, statuses = [], {}
    with Clock() as add_clock:
        for n, outcome in enumerate(corpus.add([str(directory)], jobs=args.jobs), 1):
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
            if n in CHECKPOINTS or n == len(files):
                checkpoints.append({"documents": n, "rss_kib": rss_kib(), "peak_kib": sampler.peak,
                                    "seconds": round(time.perf_counter() - add_clock._wall, 2)})
    sampler.stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    counts = corpus.counts()
    corpus.close()
    result.update(statuses=statuses, counts=counts, checkpoints=checkpoints, add_wall=add_clock.wall,
                  add_cpu=add_clock.cpu, worker_cpu=children.ru_utime + children.ru_stime,
                  rss_peak_kib=sampler.peak, load_after_add=load_average())
    if args.add_only:
        return result

    texts = [p.read_text(encoding="utf-8") for p in files]
    if args.kind == "html":
        with Clock() as traf:
            for text in texts:
                trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
        result.update(trafilatura_wall=traf.wall, trafilatura_cpu=traf.cpu)
    bodies = None
    if not args.no_clean:
        clean = clean_html if args.kind == "html" else clean_text
        with Clock() as cleaning:
            bodies = [clean(text).body for text in texts]
        result.update(clean_wall=cleaning.wall, clean_cpu=cleaning.cpu)
    if bodies is None:
        from sqlalchemy import select
        from corpus.models import Article
        with Corpus(args.db) as reopened, reopened.sessions() as session:
            bodies = list(session.scalars(select(Article.body).order_by(Article.id)))
    with Clock() as quoting:
        found = sum(len(extract_quotes(body)) for body in bodies)
    result.update(quotes_wall=quoting.wall, quotes_cpu=quoting.cpu, quotes_found=found,
                  load_after=load_average())
    return result


# --- parent commands ----------------------------------------------------------------------------

def fresh_db(name: str) -> str:
    path = OUT / "db" / f"{name}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def throughput(args) -> None:
    directory = page_dir(args.kind, args.count, not args.no_canonical)
    db = fresh_db(f"ingest-{args.kind}-{args.count}")
    child = ["bench/ingest.py", "_add", "--dir", str(directory), "--kind", args.kind, "--db", db,
             "--jobs", "1"] + (["--no-clean"] if args.no_clean else [])
    result = run_child(child)
    result["canonical_links"] = args.kind == "html" and not args.no_canonical
    n = result["count"]
    result["articles_per_second_wall"] = n / result["add_wall"]
    result["articles_per_second_cpu"] = n / result["add_cpu"]
    result["add_ms_per_article_cpu"] = 1000 * result["add_cpu"] / n
    result["quotes_ms_per_article_cpu"] = 1000 * result["quotes_cpu"] / n
    # extract_quotes against the rest of adding one article
    rest = result["add_cpu"] - result["quotes_cpu"]
    result["quotes_over_rest"] = result["quotes_cpu"] / rest
    if args.kind == "html":
        result["ratio_add_to_trafilatura_cpu"] = result["add_cpu"] / result["trafilatura_cpu"]
        result["ratio_add_to_trafilatura_wall"] = result["add_wall"] / result["trafilatura_wall"]
        result["trafilatura_ms_per_article_cpu"] = 1000 * result["trafilatura_cpu"] / n
    if "clean_cpu" in result:
        result["clean_ms_per_article_cpu"] = 1000 * result["clean_cpu"] / n
        result["ratio_add_to_clean_cpu"] = result["add_cpu"] / result["clean_cpu"]
    save(f"ingest-{args.kind}-{args.count}", result)
    print(json.dumps(result, indent=2))
    Path(db.removeprefix("sqlite:///")).unlink(missing_ok=True)


def jobs(args) -> None:
    """`corpus add DIR --jobs N` as a user runs it (a fresh process, its whole wall time)."""
    directory = page_dir(args.kind, args.count, not args.no_canonical)
    runs = []
    for attempt in range(args.repeat):
        for n in (1, 2):
            db = fresh_db(f"jobs-{n}")
            load = load_average()
            start = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run([PYTHON, "-m", "corpus", "--db", db, "add", str(directory), "--jobs", str(n),
                                   "--json"], cwd=ROOT, capture_output=True, text=True,
                                  env={"PYTHONWARNINGS": "ignore", "PATH": "/usr/bin:/bin"})
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            statuses = [r["status"] for r in json.loads(done.stdout)]
            assert done.returncode == 0 and statuses.count("added") == args.count, done.stderr[-2000:]
            runs.append({"jobs": n, "attempt": attempt, "wall": wall, "load_before": load,
                         "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)})
            Path(db.removeprefix("sqlite:///")).unlink(missing_ok=True)
    best = {n: min(r["wall"] for r in runs if r["jobs"] == n) for n in (1, 2)}
    pairs = [(runs[i]["wall"] / runs[i + 1]["wall"]) for i in range(0, len(runs), 2)]
    result = {"kind": args.kind, "count": args.count, "canonical_links": not args.no_canonical, "runs": runs, "best_wall_jobs1": best[1],
              "best_wall_jobs2": best[2], "speedup_best": best[1] / best[2], "speedup_per_pair": pairs}
    save(f"jobs-{args.kind}-{args.count}", result)
    print(json.dumps(result, indent=2))


TRAFILATURA_ALONE = """
import sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
import trafilatura
for path in sorted(Path(sys.argv[1]).iterdir()):
    if not path.name.startswith("."):
        trafilatura.bare_extraction(path.read_text(encoding="utf-8"), with_metadata=True, include_comments=False)
"""


def cli(args) -> None:
    """`corpus add DIR` (jobs 1) against a script running trafilatura.bare_extraction alone
    on the same pages, both as fresh processes timed whole (start-up included), alternating."""
    from common import postgres_database

    directory = page_dir("html", args.count, True)
    env = {"PYTHONWARNINGS": "ignore", "PATH": "/usr/bin:/bin"}
    runs = []

    def timed(name: str, command: list[str], attempt: int) -> None:
        load = load_average()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        assert done.returncode == 0, done.stderr[-2000:]
        if name == "add":
            statuses = [r["status"] for r in json.loads(done.stdout)]
            assert statuses.count("added") == args.count, done.stderr[-2000:]
        runs.append({"run": name, "attempt": attempt, "wall": wall, "load_before": load,
                     "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)})
        print(f"{name} #{attempt}: wall {wall:.1f} s, load {load}", file=sys.stderr, flush=True)

    for attempt in range(args.repeat):
        timed("trafilatura", [PYTHON, "-c", TRAFILATURA_ALONE, str(directory)], attempt)
        if args.backend == "sqlite":
            db = fresh_db("cli-add")
            timed("add", [PYTHON, "-m", "corpus", "--db", db, "add", str(directory), "--json"], attempt)
            Path(db.removeprefix("sqlite:///")).unlink(missing_ok=True)
        else:
            with postgres_database() as db:
                timed("add", [PYTHON, "-m", "corpus", "--db", db, "add", str(directory), "--json"], attempt)
    pairs = [{"wall": add["wall"] / traf["wall"], "cpu": add["cpu"] / traf["cpu"]}
             for traf, add in zip(runs[0::2], runs[1::2])]
    result = {"backend": args.backend, "count": args.count, "runs": runs, "pairs": pairs,
              "median_wall_ratio": sorted(p["wall"] for p in pairs)[len(pairs) // 2],
              "median_cpu_ratio": sorted(p["cpu"] for p in pairs)[len(pairs) // 2]}
    save(f"cli-{args.backend}-{args.count}", result)
    print(json.dumps(result, indent=2))


def profile(args) -> None:
    """cProfile of one add run (jobs=1): where the time of adding goes."""
    import cProfile
    import io
    import pstats

    warnings.simplefilter("ignore")
    from corpus import Corpus

    directory = page_dir(args.kind, args.count, not args.no_canonical)
    db = fresh_db(f"profile-{args.kind}")
    warm_up(args.kind)
    corpus = Corpus(db)
    corpus.init()
    profiler = cProfile.Profile()
    profiler.enable()
    list(corpus.add([str(directory)]))
    profiler.disable()
    corpus.close()
    target = OUT / f"profile-{args.kind}-{args.count}.pstats"
    profiler.dump_stats(str(target))
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(45)
    (OUT / f"profile-{args.kind}-{args.count}.txt").write_text(stream.getvalue())
    print(stream.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("throughput")
    p.add_argument("--no-canonical", action="store_true",
                   help="HTML pages without <link rel=canonical> (works around add failing on pages with one)")
    p.add_argument("--kind", choices=("html", "text"), default="html")
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--no-clean", action="store_true", help="skip timing clean_html/clean_text alone")
    p = sub.add_parser("jobs")
    p.add_argument("--no-canonical", action="store_true",
                   help="HTML pages without <link rel=canonical> (works around add failing on pages with one)")
    p.add_argument("--kind", choices=("html", "text"), default="html")
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=2)
    p = sub.add_parser("cli")
    p.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=3)
    p = sub.add_parser("profile")
    p.add_argument("--no-canonical", action="store_true",
                   help="HTML pages without <link rel=canonical> (works around add failing on pages with one)")
    p.add_argument("--kind", choices=("html", "text"), default="html")
    p.add_argument("--count", type=int, default=300)
    p = sub.add_parser("_add")
    p.add_argument("--dir")
    p.add_argument("--kind")
    p.add_argument("--db")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--no-clean", action="store_true")
    p.add_argument("--add-only", action="store_true")
    args = parser.parse_args()
    if args.command == "_add":
        print(json.dumps(child_add(args)))
    else:
        {"throughput": throughput, "jobs": jobs, "cli": cli, "profile": profile}[args.command](args)


if __name__ == "__main__":
    main()
