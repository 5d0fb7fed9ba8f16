"""A corpus of 1,000,000 articles in PostgreSQL: how fast it loads, how many bytes an
article takes on disk, and the query latencies of bench/query.py at that size.

    python bench/scale.py [--articles 1000000] [--base 2000]     # build, then measure
    python bench/scale.py --measure                              # measure what was built

How it is built: the base of bench/query.py (`--base` distinct text dumps through the real
pipeline, `Corpus.add`) is copied into a PostgreSQL database kept between runs
(`corpus_bench_scale`), then copied with INSERT ... SELECT (bench/query.py's `multiply`,
with MinHash signatures and band rows copied too) until there are `--articles` articles,
one transaction per copy of the base. Every copy maintains every index, the generated
tsvector column and its GIN index, as rows added one by one would. The load rate is
that of this bulk path, not of `corpus add` (which bench/ingest.py measures); progress
is written to bench/out/scale-progress.json after each copy, so a build stopped early
still says how far it got and how fast.

The measurement (after VACUUM ANALYZE): rows per table, bytes per article on disk
(tables, TOAST and indexes, from pg_total_relation_size, and the whole database), and
bench/query.py's queries (p50/p95 after warm-ups).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, PG_ADMIN_URL, _pg, kept_postgres_database, load_average, save  # noqa: E402
from query import (FINGERPRINT_TABLES, base_database, copy_base_to_postgres, copy_fingerprints, measure,  # noqa: E402
                   multiply, pick_names)

DATABASE = "corpus_bench_scale"
PROGRESS = OUT / "scale-progress.json"


def build(url: str, base: Path, articles: int) -> None:
    started = time.perf_counter()
    copy_base_to_postgres(base, url)
    base_seconds = time.perf_counter() - started
    progress = {"started": time.time(), "base_copy_seconds": round(base_seconds, 1), "copies": []}

    def report(k: int, count: int, seconds: float) -> None:
        progress["copies"].append({"copy": k, "articles": count, "seconds": round(seconds, 1),
                                   "load": load_average()})
        progress["articles"], progress["seconds"] = count, round(seconds, 1)
        PROGRESS.with_suffix(".partial").write_text(json.dumps(progress, indent=1))
        PROGRESS.with_suffix(".partial").replace(PROGRESS)
        if k % 10 == 0:
            print(f"copy {k}: {count:,} articles in {seconds:.0f} s", file=sys.stderr, flush=True)

    multiply(url, articles, fingerprints=True, progress=report)


def sizes(url: str) -> dict:
    """Bytes on disk per table (with its TOAST and indexes) and of the whole database."""
    import psycopg

    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid), pg_total_relation_size(c.oid), "
            "c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY pg_total_relation_size(c.oid) DESC").fetchall()
        database = connection.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {"database": database,
            "tables": [{"table": name, "table_bytes": table, "index_bytes": index, "total_bytes": total,
                        "rows": rows} for name, table, index, total, rows in tables]}


def measure_scale(url: str, args) -> None:
    from corpus import Corpus

    raw = _pg(url)
    try:
        raw.execute("VACUUM ANALYZE")
    finally:
        raw.close()
    with Corpus(url) as corpus:
        counts = corpus.counts()
    on_disk = sizes(url)
    total = sum(t["total_bytes"] for t in on_disk["tables"])
    progress = json.loads(PROGRESS.read_text()) if PROGRESS.exists() else {}
    load = load_average()
    queries = measure(url, pick_names(url), args.warmup, args.repeats)
    save("scale-postgresql", {
        "backend": "postgresql", "articles": counts["articles"], "counts": counts, "base": args.base,
        "target_articles": args.articles, "progress": progress, "sizes": on_disk,
        "bytes_per_article": total / counts["articles"], "database_bytes_per_article":
            on_disk["database"] / counts["articles"],
        "warmup": args.warmup, "repeats": args.repeats, "load_before": load, "load_after": load_average(),
        "queries": queries})


def fingerprint_sample(base: Path, articles: int) -> None:
    """MinHash signatures and band rows for bench/query.py's kept PostgreSQL corpus
    (corpus_bench_query_N, built without them): their load rate and bytes per article,
    for a 1M build that left them out."""
    from sqlalchemy import create_engine, text
    from corpus import Corpus
    from corpus.models import Base

    url, existed = kept_postgres_database(f"corpus_bench_query_{articles}")
    assert existed, "build it first: python bench/query.py --keep --backends postgresql"
    with Corpus(url) as corpus:
        with corpus.engine.begin() as connection:
            present = connection.execute(text("SELECT count(*) FROM article_minhashes")).scalar_one()
        assert present == 0, "fingerprints already there"
        source = create_engine(f"sqlite:///{base}")
        with source.connect() as reader, corpus.engine.begin() as writer:
            for name in FINGERPRINT_TABLES:
                table = Base.metadata.tables[name]
                writer.execute(table.insert(), [dict(row._mapping) for row in reader.execute(table.select())])
            base_articles = writer.execute(text("SELECT max(article_id) FROM article_minhashes")).scalar_one()
        source.dispose()
        started, load = time.perf_counter(), load_average()
        for k in range(1, -(-articles // base_articles)):
            with corpus.engine.begin() as connection:
                copy_fingerprints(connection, k, base_articles)
        seconds = time.perf_counter() - started
        counts = {name: corpus.sql(f"SELECT count(*) FROM {name}").rows[0][0] for name in FINGERPRINT_TABLES}
    raw = _pg(url)
    try:
        raw.execute("VACUUM ANALYZE article_minhashes")
        raw.execute("VACUUM ANALYZE minhash_bands")
    finally:
        raw.close()
    tables = [t for t in sizes(url)["tables"] if t["table"] in FINGERPRINT_TABLES]
    save("scale-fingerprints", {"articles": articles, "counts": counts, "seconds": seconds,
                                "articles_per_second": (counts["article_minhashes"] - base_articles) / seconds,
                                "load_before": load, "load_after": load_average(), "tables": tables,
                                "bytes_per_article": sum(t["total_bytes"] for t in tables) / articles})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--base", type=int, default=2000)
    parser.add_argument("--measure", action="store_true", help="only measure the database built before")
    parser.add_argument("--fingerprint-sample", type=int, metavar="N",
                        help="add MinHash rows to bench/query.py's kept N-article PostgreSQL corpus and measure them")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.fingerprint_sample:
        fingerprint_sample(base_database(args.base), args.fingerprint_sample)
        return
    if not args.measure:
        with _pg(PG_ADMIN_URL) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    url, _existed = kept_postgres_database(DATABASE)
    if not args.measure:
        build(url, base_database(args.base), args.articles)
    measure_scale(url, args)


if __name__ == "__main__":
    main()
