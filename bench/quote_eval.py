"""Score quote extraction on gold article bodies.

Runs corpus.quotes.extract_quotes on each gold body, writes an export JSONL like
`corpus export --format jsonl` (speaker ids from corpus.speakers.resolve_speaker, as the
database would give them), runs the shared scorer on it and reports the time per
article.

With --part tune|held, only four articles in five (tune) or every fifth (held) are read,
so rules tuned on one part can be checked on the other. --rounds 0 skips the timing.

Usage: python bench/quote_eval.py [GOLD.json] [--part all|tune|held] [--rounds N]
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


def part_of(gold: list[dict], part: str) -> list[dict]:
    """The documents of one part: every fifth (by file name) is held out of tuning."""
    if part == "all":
        return gold
    held = {doc["file"] for doc in sorted(gold, key=lambda d: d["file"])[4::5]}
    return [doc for doc in gold if (doc["file"] in held) == (part == "held")]


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
    parser.add_argument("--rounds", type=int, default=TIMING_ROUNDS, help="timing rounds (0: none)")
    args = parser.parse_args(argv)

    gold = part_of(json.loads(args.gold.read_text(encoding="utf-8")), args.part)
    with args.out.open("w", encoding="utf-8") as out:
        for record in export_records(gold):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {args.out} ({len(gold)} documents)")
    if args.rounds > 0:
        fastest, median = milliseconds_per_article(gold, args.rounds)
        print(f"extract_quotes: {fastest:.2f} ms CPU per article (median {median:.2f})")
    if not args.scorer.exists():
        print(f"scorer not found at {args.scorer}; export written only", file=sys.stderr)
        return 0
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as gold_copy:
        json.dump(scorable_gold(gold), gold_copy, ensure_ascii=False)
        gold_copy.flush()
        return subprocess.call([sys.executable, str(args.scorer), gold_copy.name, str(args.out)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
