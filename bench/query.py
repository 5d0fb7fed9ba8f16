"""Search and query latency at 100,000 articles, on SQLite and PostgreSQL.

    python bench/query.py [--articles 100000] [--base 2000] [--backends sqlite,postgresql] [--keep]

How the corpus is built: `--base` distinct text dumps from bench/pages.py go through the
real pipeline (`Corpus.add` with a manifest giving each article its topic tag, and a rare
tag on one in 500), so articles, documents, quotes, speakers, aliases and tags are what
`add` makes. That base is then copied with INSERT ... SELECT until there are `--articles`
articles: each copy gets new ids, a new document hash and content hash, its title
suffixed with the copy number, its URL and source made unique and its publication date
moved back a day per copy; its quotes and tags are copied with it (speakers are shared,
so speakers' quote counts grow as in a real corpus). The SQLite FTS5 index is filled by
the triggers on every copied row, PostgreSQL's tsvector column is generated; both
databases are ANALYZEd. PostgreSQL gets the base rows copied from the SQLite base.

Latency is measured through the Python API (`Corpus.search`, `Corpus.quotes`,
`Corpus.articles`, `Corpus.article`) on an open Corpus, as `corpus` commands call them: warm-up runs
first, then p50/p95 over the timed runs.
"""
from __future__ import annotations

import argparse
import csv
import itertools
import shutil
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, kept_postgres_database, load_average, percentile, postgres_available, postgres_database, save  # noqa: E402
import pages  # noqa: E402
from ingest import page_dir  # noqa: E402

RARE_TAG = "investigation"
BASE_TABLES = ["outlets", "tags", "speakers", "speaker_aliases", "documents", "articles", "article_tags", "quotes"]
FINGERPRINT_TABLES = ["article_minhashes", "minhash_bands"]  # copied along only when asked (bench/scale.py)


def base_database(count: int) -> Path:
    """bench/out/db/query-base-<count>.db: `count` text dumps added through the pipeline."""
    path = OUT / "db" / f"query-base-{count}.db"
    if path.exists():
        return path
    from corpus import Corpus

    directory = page_dir("text", count)
    generator = pages.Generator()
    manifest = directory.parent / f"manifest-text-{count}.csv"
    with manifest.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "tags"])
        for i in range(count):
            tags = generator.article(i).tags + ([RARE_TAG] if i % 500 == 7 else [])
            writer.writerow([str(directory / f"{i:06d}.txt"), ";".join(tags)])
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    with Corpus(f"sqlite:///{partial}") as corpus:
        corpus.init()
        results = list(corpus.add(manifest=str(manifest), jobs=2))
        failed = [r for r in results if r.status != "added"]
        assert len(failed) <= count // 100, failed[:3]
        if failed:
            print(f"{len(failed)} of {count} base documents not added: {failed[:3]}", file=sys.stderr)
    print(f"base of {count} articles added in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    partial.rename(path)
    return path


def copy_base_to_postgres(base: Path, url: str) -> None:
    from sqlalchemy import create_engine, text
    from corpus import Corpus
    from corpus.models import Base

    with Corpus(url) as corpus:
        corpus.init()
        source = create_engine(f"sqlite:///{base}")
        with source.connect() as reader, corpus.engine.begin() as writer:
            for name in BASE_TABLES + FINGERPRINT_TABLES:
                table = Base.metadata.tables[name]
                rows = [dict(row._mapping) for row in reader.execute(table.select())]
                for start in range(0, len(rows), 5000):
                    writer.execute(table.insert(), rows[start:start + 5000])
            for name in BASE_TABLES:
                if name != "article_tags":
                    writer.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                        f"(SELECT max(id) FROM {name}))"))
        source.dispose()


def multiply(url: str, articles: int, *, fingerprints: bool = False, progress=None) -> dict:
    """Copy the base rows until there are `articles` articles; returns the row counts.
    With `fingerprints`, each copy's MinHash signature and LSH band rows are copied too
    (band keys moved per copy, so copies do not all share buckets); `progress(k, articles,
    seconds)` is called after each copy is committed."""
    from sqlalchemy import text
    from corpus import Corpus

    with Corpus(url) as corpus:
        sqlite = corpus.engine.dialect.name == "sqlite"
        k_text = "CAST(:k AS TEXT)"
        if sqlite:
            unique = lambda col: f"substr({col}, 1, 56) || printf('%08d', :k)"  # noqa: E731
            shifted = "CASE WHEN published_at IS NULL THEN NULL ELSE datetime(published_at, '-' || :k || ' days') END"
        else:
            unique = lambda col: f"left({col}, 56) || lpad({k_text}, 8, '0')"  # noqa: E731
            shifted = "published_at - make_interval(days => :k)"
        with corpus.engine.begin() as connection:
            base_articles = connection.execute(text("SELECT max(id) FROM articles")).scalar_one()
            base_documents = connection.execute(text("SELECT max(id) FROM documents")).scalar_one()
            base_count = connection.execute(text("SELECT count(*) FROM articles")).scalar_one()
        copies = -(-articles // base_count)
        copying = time.perf_counter()
        for k in range(1, copies):
            wanted = min(base_count, articles - k * base_count)
            params = {"k": k, "da": k * base_articles, "dd": k * base_documents, "limit": wanted}
            with corpus.engine.begin() as connection:
                connection.execute(text(f"""
                    INSERT INTO documents (id, sha256, content_type, encoding, size, data, url, fetched_at,
                                           supplied_metadata, created_at)
                    SELECT d.id + :dd, {unique('d.sha256')}, d.content_type, d.encoding, d.size, d.data, d.url,
                           d.fetched_at, d.supplied_metadata, d.created_at
                    FROM documents d JOIN articles a ON a.document_id = d.id
                    WHERE a.id <= :base ORDER BY a.id LIMIT :limit"""), dict(params, base=base_articles))
                connection.execute(text(f"""
                    INSERT INTO articles (id, outlet_id, document_id, url, source, title, subtitle, byline,
                                          published_at, language, body, word_count, source_credit, content_hash,
                                          extractor_version, added_at)
                    SELECT id + :da, outlet_id, document_id + :dd,
                           CASE WHEN url IS NULL THEN NULL ELSE url || '?copy=' || {k_text} END,
                           source || '#' || {k_text}, title || ' (' || {k_text} || ')', subtitle, byline,
                           {shifted}, language, body, word_count, source_credit, {unique('content_hash')},
                           extractor_version, added_at
                    FROM articles WHERE id <= :base ORDER BY id LIMIT :limit"""), dict(params, base=base_articles))
                connection.execute(text("""
                    INSERT INTO article_tags (article_id, tag_id, tagged_at)
                    SELECT article_id + :da, tag_id, tagged_at FROM article_tags
                    WHERE article_id <= :base AND article_id + :da IN (SELECT id FROM articles)"""),
                    dict(params, base=base_articles))
                connection.execute(text("""
                    INSERT INTO quotes (article_id, speaker_id, text, kind, cue, start_offset, end_offset,
                                        speaker_name, speaker_role)
                    SELECT article_id + :da, speaker_id, text, kind, cue, start_offset, end_offset,
                           speaker_name, speaker_role FROM quotes
                    WHERE article_id <= :base AND article_id + :da IN (SELECT id FROM articles)"""),
                    dict(params, base=base_articles))
                if fingerprints:
                    copy_fingerprints(connection, k, base_articles)
            if progress:
                progress(k, k * base_count + wanted, time.perf_counter() - copying)
        with corpus.engine.connect() as connection:
            if sqlite:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
            else:
                for name in BASE_TABLES:
                    if name != "article_tags":
                        connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                                f"(SELECT max(id) FROM {name}))"))
                connection.commit()
        if not sqlite:
            raw = corpus.engine.raw_connection()
            try:
                raw.driver_connection.autocommit = True
                raw.driver_connection.execute("VACUUM ANALYZE")
            finally:
                raw.close()
        return corpus.counts()


def copy_fingerprints(connection, k: int, base_articles: int) -> None:
    """Copy k of the base articles' MinHash signatures and LSH band rows (band keys XORed
    with a number per copy, so the copies do not all share buckets)."""
    from sqlalchemy import text

    params = {"da": k * base_articles, "base": base_articles, "m": k * 1000003}
    connection.execute(text("""
        INSERT INTO article_minhashes (article_id, scheme, signature)
        SELECT article_id + :da, scheme, signature FROM article_minhashes
        WHERE article_id <= :base AND article_id + :da IN (SELECT id FROM articles)"""), params)
    connection.execute(text("""
        INSERT INTO minhash_bands (band_key, article_id)
        SELECT (band_key | :m) - (band_key & :m), article_id + :da FROM minhash_bands
        WHERE article_id <= :base AND article_id + :da IN (SELECT id FROM articles)"""), params)


def pick_names(url: str) -> dict:
    """The most quoted speaker, a rarely quoted one, the most and a rarely used topic tag,
    the outlet with the fewest articles, and 50 article ids spread over the corpus."""
    from corpus import Corpus

    with Corpus(url) as corpus:
        speakers = corpus.sql("SELECT s.name, count(*) AS n FROM quotes q JOIN speakers s ON s.id = q.speaker_id "
                              "GROUP BY s.id, s.name ORDER BY n DESC, s.name").rows
        tags = corpus.sql("SELECT t.name, count(*) AS n FROM article_tags a JOIN tags t ON t.id = a.tag_id "
                          "GROUP BY t.id, t.name ORDER BY n DESC, t.name").rows
        outlets = corpus.sql("SELECT o.name, count(*) AS n FROM articles a JOIN outlets o ON o.id = a.outlet_id "
                             "GROUP BY o.id, o.name ORDER BY n, o.name").rows
        ids = [row[0] for row in corpus.sql("SELECT id FROM articles ORDER BY id").rows]
    rare_speaker = next((name for name, n in speakers if any(r in name for r in pages.RARE)), speakers[-1][0])
    return {"common_speaker": speakers[0], "rare_speaker": next(s for s in speakers if s[0] == rare_speaker),
            "common_tag": tags[0], "rare_tag": next(t for t in tags if t[0] == RARE_TAG),
            "outlet": outlets[0], "article_ids": ids[:: max(1, len(ids) // 50)][:50]}


class ServerCpu:
    """CPU time and run-queue wait (ns, from /proc/PID/schedstat) of the PostgreSQL backends
    serving this Corpus's pooled connections (PostgreSQL runs on this machine), so a
    query's CPU cost counts the server's share too; (0, 0) on SQLite, where all the work
    is in this process."""

    def __init__(self, corpus):
        self.pids: list[int] = []
        if corpus.engine.dialect.name == "postgresql":
            from sqlalchemy import text
            with corpus.engine.connect() as connection:
                self.pids = list(connection.execute(text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).scalars())

    def read(self) -> tuple[int, int]:
        on_cpu = waiting = 0
        for pid in self.pids:
            try:
                with open(f"/proc/{pid}/schedstat") as stat:
                    ran, waited, _slices = map(int, stat.read().split())
            except OSError:
                continue
            on_cpu, waiting = on_cpu + ran, waiting + waited
        return on_cpu, waiting


def measure(url: str, names: dict, warmup: int, repeats: int) -> list[dict]:
    from corpus import ArticleFilter, Corpus

    common_speaker, rare_speaker = names["common_speaker"][0], names["rare_speaker"][0]
    common_tag, rare_tag = names["common_tag"][0], names["rare_tag"][0]
    rare_word = rare_speaker.split()[-1]
    outlet, article_ids = names["outlet"], itertools.cycle(names["article_ids"])
    corpus = Corpus(url)
    cases = [
        ("search: common word `minister`", lambda: corpus.search("minister"), True),
        ("search: two words `ceasefire Damascus`", lambda: corpus.search("ceasefire Damascus"), True),
        (f"search: rare name `{rare_word}`", lambda: corpus.search(rare_word), True),
        ('search: phrase `"prisoner exchange"`', lambda: corpus.search('"prisoner exchange"'), True),
        ('search: phrase `"foreign minister"` + tag filter',
         lambda: corpus.search('"foreign minister"', filters=ArticleFilter(tag=rare_tag)), True),
        (f"quotes --speaker `{common_speaker}` --limit 20 ({names['common_speaker'][1]:,} quotes)",
         lambda: corpus.quotes(speaker=common_speaker, limit=20), True),
        (f"quotes --speaker `{rare_speaker}` (no limit, {names['rare_speaker'][1]:,} quotes)",
         lambda: corpus.quotes(speaker=rare_speaker), True),
        (f"quotes --speaker `{common_speaker}` (no limit, as the CLI defaults)",
         lambda: corpus.quotes(speaker=common_speaker), False),
        (f"list --tag `{common_tag}` --limit 20 ({names['common_tag'][1]:,} articles)",
         lambda: corpus.articles(filters=ArticleFilter(tag=common_tag), limit=20), True),
        (f"list --tag `{rare_tag}` --limit 20 ({names['rare_tag'][1]:,} articles)",
         lambda: corpus.articles(filters=ArticleFilter(tag=rare_tag), limit=20), True),
        (f"list --outlet `{outlet[0]}` --limit 20 ({outlet[1]:,} articles)",
         lambda: corpus.articles(filters=ArticleFilter(outlet=outlet[0]), limit=20), True),
        ("list --limit 20", lambda: corpus.articles(limit=20), True),
        ("show: one article with its quotes (50 ids across the corpus)",
         lambda: corpus.article(next(article_ids))["quotes"], True),
    ]
    results = []
    for label, run, target in cases:
        for _ in range(warmup):
            rows = run()
        servers = ServerCpu(corpus)
        times, cpu, waits = [], [], []
        for _ in range(repeats):
            start, start_cpu, start_server = time.perf_counter(), time.process_time(), servers.read()
            rows = run()
            times.append(1000 * (time.perf_counter() - start))
            server_cpu, server_wait = (b - a for a, b in zip(start_server, servers.read()))
            cpu.append(1000 * (time.process_time() - start_cpu) + server_cpu / 1e6)
            waits.append(server_wait / 1e6)
        results.append({"label": label, "rows": len(rows), "p50_ms": percentile(times, 50),
                        "p95_ms": percentile(times, 95), "max_ms": max(times), "target": target,
                        "cpu_p50_ms": percentile(cpu, 50), "cpu_p95_ms": percentile(cpu, 95),
                        "server_runqueue_wait_p50_ms": percentile(waits, 50)})
        print(f"  {label}: {len(rows)} rows, p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms "
              f"(CPU p95 {percentile(cpu, 95):.1f} ms), load {load_average()}", file=sys.stderr)
    corpus.close()
    return results


def build_database(backend: str, url: str, base: Path, articles: int, *, build: bool = True) -> tuple[dict, float]:
    """The scratch database at `url` made of `articles` copies of the base (unless `build` is
    False: a kept one), at the newest schema; returns its counts and the seconds it took."""
    from corpus import Corpus

    started = time.perf_counter()
    if build:
        if backend == "postgresql":
            copy_base_to_postgres(base, url)
        multiply(url, articles)
    with Corpus(url) as corpus:
        corpus.init()  # a database kept from a run of older code gets the newest schema
        counts = corpus.counts()
    return counts, time.perf_counter() - started


def run_backend(backend: str, url: str, base: Path, args, *, build: bool = True) -> None:
    counts, build_seconds = build_database(backend, url, base, args.articles, build=build)
    print(f"{backend}: built {counts} in {build_seconds:.0f} s", file=sys.stderr)
    names = pick_names(url)
    load = load_average()
    queries = measure(url, names, args.warmup, args.repeats)
    save(f"query-{backend}", {
        "backend": backend, "articles": counts["articles"], "counts": counts, "base": args.base,
        "built": (f"Built from {args.base:,} distinct text dumps added through `Corpus.add` (jobs=2, with a "
                  f"manifest of tags), copied with INSERT ... SELECT to {counts['articles']:,} articles "
                  f"(see bench/query.py); build took {build_seconds:.0f} s."),
        "warmup": args.warmup, "repeats": args.repeats, "load_before": load, "load_after": load_average(),
        "queries": queries, "names": names})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--base", type=int, default=2000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases (bench/out/db/query-N.db, corpus_bench_query_N) for the next run")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    base = base_database(args.base)
    for backend in args.backends.split(","):
        with scratch_copy(backend, base, f"query-{args.articles}", keep=args.keep) as (url, built):
            if url:
                run_backend(backend, url, base, args, build=not built)


@contextmanager
def scratch_copy(backend: str, base: Path, name: str, *, keep: bool = False):
    """(url, built) of a database to build the corpus in: on SQLite bench/out/db/NAME.db, a
    copy of the base, removed afterwards; on PostgreSQL a scratch database, dropped
    afterwards, that still needs the base copied in. With `keep`, the database stays for
    the next run, which uses it as it is (`built` is True). The url is None when
    PostgreSQL is not reachable."""
    if backend == "sqlite":
        path = OUT / "db" / f"{name}.db"
        files = [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]
        built = keep and path.exists()
        if not built:
            for file in files:
                file.unlink(missing_ok=True)
            shutil.copy(base, path)
        try:
            yield f"sqlite:///{path}", built
        finally:
            if not keep:
                for file in files:
                    file.unlink(missing_ok=True)
    elif not postgres_available():
        print("PostgreSQL not reachable: skipped", file=sys.stderr)
        yield None, False
    elif keep:
        yield kept_postgres_database(f"corpus_bench_{name.replace('-', '_')}")
    else:
        with postgres_database() as url:
            yield url, False


if __name__ == "__main__":
    main()
