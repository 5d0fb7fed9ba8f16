"""Fit the weights of the headline features of text dumps (corpus.cleaning.dump.HEADLINE_WEIGHTS).

For every l3s_dev text dump whose gold names a title, the candidate lines above the article
(dump.find_header's zone) and their features (dump.headline_features) are collected; a line
is the headline when its words match the gold title as score.py counts it (word F1 >= 0.8).
A listwise logistic model (softmax over a page's candidates) is fitted by gradient descent on
the even-numbered dumps; the accuracy of its choice is printed for both halves (the odd half
held out; a page without its headline among the candidates counts as a miss), with the
weights to paste into dump.py, and the accuracy of the weights dump.py holds now.

Usage: .venv/bin/python bench/title_weights.py [--l2 0.001] [--iterations 3000]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

from corpus.cleaning import dump

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
WORD_F1_MATCH = 0.8


def word_f1(a: str, b: str) -> float:
    x, y = Counter(dump.WORD.findall(a.lower())), Counter(dump.WORD.findall(b.lower()))
    common = sum((x & y).values())
    return 2 * common / (sum(x.values()) + sum(y.values())) if common else 0.0


def pages() -> list[tuple[int, list[dict[str, float]], list[bool]]]:
    """(position in the sorted file list, candidates' features, which are the headline) per page."""
    gold = {g["file"]: g for g in json.loads((EVAL / "l3s_dev/gold_txt.json").read_text(encoding="utf-8"))}
    out = []
    for position, name in enumerate(sorted(gold)):
        if not gold[name].get("title"):
            continue
        lines = dump.split_lines((EVAL / "l3s_dev/txt" / name).read_text(encoding="utf-8"))
        kept, headline = dump.article_paragraphs(lines)
        if headline is not None or not kept:
            out.append((position, [], []))
            continue
        choices = dump.headline_choices(lines, kept[0].index, kept)
        out.append((position, list(choices.values()),
                    [word_f1(lines[i].text, gold[name]["title"]) >= WORD_F1_MATCH for i in choices]))
    return out


def accuracy(weights: dict[str, float], part: list) -> float:
    right = 0
    for _, features, labels in part:
        if features:
            scores = [sum(weights[k] * v for k, v in f.items()) for f in features]
            right += labels[scores.index(max(scores))]
    return right / len(part)


def fit(part: list, names: list[str], l2: float, iterations: int, rate: float = 0.5) -> dict[str, float]:
    weights = dict.fromkeys(names, 0.0)
    usable = [(features, labels) for _, features, labels in part if any(labels)]
    for _ in range(iterations):
        gradient = dict.fromkeys(names, 0.0)
        for features, labels in usable:
            scores = [sum(weights[k] * v for k, v in f.items()) for f in features]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total, wanted = sum(exps), sum(labels)
            for f, e, label in zip(features, exps, labels):
                for k, v in f.items():
                    gradient[k] += v * (e / total - label / wanted)
        for k in names:
            weights[k] -= rate * (gradient[k] / len(usable) + l2 * weights[k])
    return weights


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=0.001)
    parser.add_argument("--iterations", type=int, default=3000)
    args = parser.parse_args(argv)
    data = pages()
    tuned, held_out = [p for p in data if p[0] % 2 == 0], [p for p in data if p[0] % 2 == 1]
    names = sorted({k for _, features, _ in data for f in features for k in f})
    weights = fit(tuned, names, args.l2, args.iterations)
    print(f"fitted:  tuned {accuracy(weights, tuned):.3f}  held-out {accuracy(weights, held_out):.3f}"
          f"  (pages with a gold title: {len(tuned)} + {len(held_out)})")
    if dump.HEADLINE_WEIGHTS:
        print(f"current: tuned {accuracy(dump.HEADLINE_WEIGHTS, tuned):.3f}"
              f"  held-out {accuracy(dump.HEADLINE_WEIGHTS, held_out):.3f}")
    print("HEADLINE_WEIGHTS = {" + ", ".join(f'"{k}": {v:.2f}' for k, v in weights.items()) + "}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
