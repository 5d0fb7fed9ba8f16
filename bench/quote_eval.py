"""Score quote extraction on gold article bodies.

Runs corpus.quotes.extract_quotes on each gold body, writes an export JSONL like
`corpus export --format jsonl` (speaker ids from corpus.speakers.resolve_speaker, as the
database would give them), runs the shared scorer on it and reports the time per
article.

With --part tune|held, only four articles in five (tune) or every fifth (held) are read,
so rules tuned on one part can be checked on the other. With --folds, the whole set is
scored and then each fifth on its own (fold k: the k-th of every five articles by file
name; fold 4 is the held part), one line each, so a change can be confirmed on fifths it
was not tuned on. --rounds 0 skips the timing.

Usage: python bench/quote_eval.py [GOLD.json] [--part all|tune|held] [--folds] [--rounds N]
                                  [--out EXPORT.jsonl] [--scorer score.py]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from corpus.models import Base
from corpus.quotes import extract_quotes
from corpus.speakers import resolve_speaker

SHARED_EVAL = Path("/work/shared/eval")
REPO_GOLD = Path(__file__).resolve().parent.parent / "tests/fixtures/quotes/seeds_gold.json"
TIMING_ROUNDS = 30


def export_records(gold: list[dict]) -> list[dict]:
    """One export record per gold document; speaker ids come from
    corpus.speakers.resolve_speaker on a throwaway in-memory database, so they follow
    the corpus's own matching rules across documents."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    records = []
    with Session(engine) as session:
        for doc in gold:
            quotes = []
            speakers_seen = {}
            for quote in extract_quotes(doc["body"]):
                speaker_id = None
                if quote.speaker:
                    speaker = speakers_seen.get(quote.speaker)  # once per article, as adding does
                    if speaker is None:
                        speaker = speakers_seen[quote.speaker] = resolve_speaker(
                            session, quote.speaker, kind=quote.speaker_kind, role=quote.speaker_role,
                            organisation=quote.speaker_organisation)
                    session.flush()
                    speaker_id = speaker.id
                quotes.append({"text": quote.text, "speaker": quote.speaker,
                               "speaker_id": speaker_id, "kind": quote.kind, "cue": quote.cue,
                               "start": quote.start, "end": quote.end})
            records.append({"source": doc["file"], "title": doc.get("title"),
                            "body": doc["body"], "quotes": quotes})
    engine.dispose()
    return records


def scorable_gold(gold: list[dict]) -> list[dict]:
    """The gold with each `speaker_also` flattened to a list of names: the seed file has
    `[null]` and nested lists there, which score.py cannot read."""
    def names(value) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [name for item in value for name in names(item)]
        return []

    return [dict(doc, quotes=[dict(q, speaker_also=names(q.get("speaker_also")))
                              for q in doc["quotes"]])
            for doc in gold]


FOLDS = 5
FOLD_FIGURES = ("quote_recall", "quote_f1", "speaker_accuracy", "speaker_name_exact",
                "cross_article_speakers", "cross_article_consistent")


def fold_of(gold: list[dict], fold: int) -> list[dict]:
    """The documents of one fold: the fold-th of every FOLDS documents by file name."""
    chosen = {doc["file"] for doc in sorted(gold, key=lambda d: d["file"])[fold::FOLDS]}
    return [doc for doc in gold if doc["file"] in chosen]


def part_of(gold: list[dict], part: str) -> list[dict]:
    """The documents of one part: every fifth (by file name, the last fold) is held out of
    tuning."""
    if part == "all":
        return gold
    held = {doc["file"] for doc in fold_of(gold, FOLDS - 1)}
    return [doc for doc in gold if (doc["file"] in held) == (part == "held")]


def score(scorer: Path, gold: list[dict], records: list[dict], as_json: bool) -> tuple[int, str]:
    """(exit status, output) of the shared scorer on these documents and their export."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as gold_copy, \
            tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as export:
        json.dump(scorable_gold(gold), gold_copy, ensure_ascii=False)
        export.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        gold_copy.flush()
        export.flush()
        done = subprocess.run([sys.executable, str(scorer), gold_copy.name, export.name]
                              + (["--json"] if as_json else []), capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def fold_table(scorer: Path, gold: list[dict], records: list[dict]) -> str:
    """One line of figures for the whole set and for each fold."""
    by_file = {record["source"]: record for record in records}
    lines = ["part      docs  " + "  ".join(FOLD_FIGURES)]
    for label, docs in [("all", gold)] + [(f"fold {k}", fold_of(gold, k)) for k in range(FOLDS)]:
        status, output = score(scorer, docs, [by_file[doc["file"]] for doc in docs], as_json=True)
        if status:
            return output
        figures = json.loads(output)
        lines.append(f"{label:8} {len(docs):5}  " + "  ".join(
            f"{figures[name]!s:>{len(name)}}" for name in FOLD_FIGURES))
    return "\n".join(lines)


def milliseconds_per_article(gold: list[dict], rounds_wanted: int) -> tuple[float, float]:
    """(fastest, median) CPU milliseconds per article over the rounds: CPU time and the
    fastest round, because other work on a shared machine inflates wall time."""
    rounds = []
    for _ in range(rounds_wanted):
        started = time.process_time()
        for doc in gold:
            extract_quotes(doc["body"])
        rounds.append((time.process_time() - started) * 1000 / len(gold))
    return min(rounds), statistics.median(rounds)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_gold = SHARED_EVAL / "seeds_gold.json"
    parser.add_argument("gold", nargs="?", type=Path,
                        default=default_gold if default_gold.exists() else REPO_GOLD)
    parser.add_argument("--out", type=Path,
                        default=Path(tempfile.gettempdir()) / "quote_eval_export.jsonl")
    parser.add_argument("--scorer", type=Path, default=SHARED_EVAL / "score.py")
    parser.add_argument("--part", choices=("all", "tune", "held"), default="all")
    parser.add_argument("--folds", action="store_true", help="score the whole set and each fifth")
    parser.add_argument("--rounds", type=int, default=TIMING_ROUNDS, help="timing rounds (0: none)")
    args = parser.parse_args(argv)

    gold = part_of(json.loads(args.gold.read_text(encoding="utf-8")), args.part)
    records = export_records(gold)
    with args.out.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    print(f"wrote {args.out} ({len(gold)} documents)")
    if args.rounds > 0:
        fastest, median = milliseconds_per_article(gold, args.rounds)
        print(f"extract_quotes: {fastest:.2f} ms CPU per article (median {median:.2f})")
    if not args.scorer.exists():
        print(f"scorer not found at {args.scorer}; export written only", file=sys.stderr)
        return 0
    if args.folds:
        print(fold_table(args.scorer, gold, records))
        return 0
    status, output = score(args.scorer, gold, records, as_json=False)
    print(output, end="")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
