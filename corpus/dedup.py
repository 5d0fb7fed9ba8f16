"""Near-duplicate detection: the same story carried by several outlets with small edits
(wire copy, a new headline, a paragraph added or cut, different page furniture).

MinHash (datasketch) over shingles of SHINGLE_WORDS normalised words estimates the
Jaccard similarity of two articles' shingle sets; LSH banding turns that into an exact
lookup. Everything here is pure, so the database can keep the index across processes:
per article it stores signature_to_bytes(sig) and one row per band_keys(sig) entry (an
indexed int64 column); the articles sharing any band key with a new one are its
candidates, and a candidate whose similarity() is at least THRESHOLD is a near-duplicate.

THRESHOLD, BANDS and ROWS were chosen with bench/dedup_eval.py.
"""
from __future__ import annotations

import math
import re
import unicodedata
import zlib
from hashlib import blake2b
from typing import Iterable, Mapping

import numpy as np
from datasketch import LeanMinHash, MinHash

SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 1

# Near-duplicates have an estimated Jaccard similarity of shingles at or above this.
# Measured with bench/dedup_eval.py (10,000 articles): distinct articles that share up to
# two fifths of their paragraphs verbatim reach 0.40-0.45, and copies with one kind of
# edit go no lower than 0.48 (light word edits), so at 0.45 precision was 0.9999-1.0 and
# 98-99% of copies were found, every miss a copy with all kinds of edit at once. (At 0.5:
# precision 1.0, 96%.)
THRESHOLD = 0.45

# The outlet check: a shingle found in at least STANDARD_TEXT_SHARE of an outlet's
# STANDARD_TEXT_REFERENCES newest other articles (and in two at least) is the outlet's
# standard text. A share, not a count, so that a story the outlet updates a few times
# keeps its text, and an early false link cannot hide the references (as leaving out the
# pair's clusters would).
STANDARD_TEXT_REFERENCES = 30
STANDARD_TEXT_SHARE = 0.2
# Two articles of different outlets each carry their own standard text, which lowers their
# similarity: a candidate pair at DILUTED_FLOOR or more is compared without it too.
DILUTED_FLOOR = 0.25

# LSH: a pair becomes a candidate with probability 1 - (1 - s**ROWS)**BANDS: 0.98 at
# s = THRESHOLD, 0.996 at 0.5 (32 x 4 would give 0.73 and 0.87). Uses the first
# BANDS * ROWS of the NUM_PERM values; similarity() uses all of them.
BANDS = 42
ROWS = 3

# Signatures and band keys are only comparable when made under the same scheme: store
# this with them, and recompute both from article bodies if it ever changes. ("words1"
# is the version of the tokenisation in _shingles: bump it if that changes.)
SCHEME = f"minhash-affine32-crc32-words1-w{SHINGLE_WORDS}-p{NUM_PERM}-s{SEED}-b{BANDS}x{ROWS}"

MinhashSignature = LeanMinHash

_DATASKETCH_SCHEME = "affine32"  # uint32 hash values: 4 bytes per permutation stored
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=_DATASKETCH_SCHEME).permutations
# Chinese and Japanese are written without spaces: each ideograph or kana is a word.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_UNSPACED}]|[^\\W{_UNSPACED}]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Shingles hashed per update_batch call: keeps its (batch x NUM_PERM) temporary array
# small, which measured 25-30% faster on articles of 1,000+ words than one call.
_BATCH = 512
_STORED_DTYPE = np.dtype("<u4")
_NONE: frozenset[int] = frozenset()


def _shingles(text: str) -> list[bytes]:
    """Runs of SHINGLE_WORDS words, never across a paragraph break (a blank line), so
    reordered paragraphs keep all their shingles and added boilerplate paragraphs only
    add their own; single line breaks are spaces, so re-wrapping changes nothing. Words
    are Unicode-normalised and case-folded, and punctuation is ignored (curly vs straight
    quotes, re-punctuated sentences). A paragraph shorter than a shingle is one."""
    shingles = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        tokens = _WORD.findall(unicodedata.normalize("NFKC", paragraph).casefold())
        if tokens:
            shingles.extend(
                " ".join(tokens[start:start + SHINGLE_WORDS]).encode()
                for start in range(max(1, len(tokens) - SHINGLE_WORDS + 1))
            )
    return shingles


def signature(text: str) -> MinhashSignature:
    """The MinHash of `text`'s shingles. Text with no words gives the empty signature,
    which matches nothing."""
    minhash = MinHash(
        seed=SEED,
        hashfunc=zlib.crc32,  # cheap; datasketch mixes it (MurmurHash3 finaliser) before permuting
        permutations=_PERMUTATIONS,
        scheme=_DATASKETCH_SCHEME,
    )
    shingles = _shingles(text)
    for start in range(0, len(shingles), _BATCH):
        minhash.update_batch(shingles[start:start + _BATCH])
    return LeanMinHash(minhash)


def band_keys(sig: MinhashSignature) -> list[int]:
    """One signed 64-bit key per LSH band (BANDS of them; none for the empty signature).
    Two articles share the key of band i only if their signatures agree on all ROWS values
    of band i, which happens with probability similarity**ROWS."""
    if sig.is_empty():
        return []
    bands = np.asarray(sig.hashvalues[:BANDS * ROWS], dtype=_STORED_DTYPE).reshape(BANDS, ROWS)
    return [
        int.from_bytes(
            blake2b(band.tobytes(), digest_size=8, salt=index.to_bytes(16, "little")).digest(),
            "little",
            signed=True,
        )
        for index, band in enumerate(bands)
    ]


def similarity(sig_a: MinhashSignature, sig_b: MinhashSignature) -> float:
    """Estimated Jaccard similarity of the two articles' shingle sets, 0.0 to 1.0 (0.0
    if either is empty)."""
    if sig_a.is_empty() or sig_b.is_empty():
        return 0.0
    return sig_a.jaccard(sig_b)


def signature_to_bytes(sig: MinhashSignature) -> bytes:
    """NUM_PERM little-endian uint32 values: 512 bytes."""
    return np.asarray(sig.hashvalues, dtype=_STORED_DTYPE).tobytes()


def signature_from_bytes(data: bytes) -> MinhashSignature:
    """The signature signature_to_bytes stored. Raises ValueError on bytes of the wrong size."""
    if len(data) != NUM_PERM * _STORED_DTYPE.itemsize:
        raise ValueError(f"a stored signature is {NUM_PERM * _STORED_DTYPE.itemsize} bytes, not {len(data)}")
    return LeanMinHash(seed=SEED, hashvalues=np.frombuffer(data, dtype=_STORED_DTYPE), scheme=_DATASKETCH_SCHEME)


def outlet_shingles(references: Mapping[int, str]) -> dict[bytes, set[int]]:
    """Which of an outlet's articles (`references`: id -> text) each shingle is found in."""
    found: dict[bytes, set[int]] = {}
    for article_id, text in references.items():
        for shingle in set(_shingles(text)):
            found.setdefault(shingle, set()).add(article_id)
    return found


def similarity_beyond(text_a: str, text_b: str, outlets: Iterable[Mapping[bytes, set[int]]], pair: set[int],
                      estimate: float) -> float:
    """The Jaccard similarity of two articles without their outlets' standard text: the
    shingles each of `outlets` (outlet_shingles of an outlet's newest articles) finds in
    at least STANDARD_TEXT_SHARE of its articles other than the `pair`'s ids. Exact, not
    estimated; `estimate` if the pair has none of that text."""
    shingles_a, shingles_b = set(_shingles(text_a)), set(_shingles(text_b))
    standard = set()
    for outlet in outlets:
        references = len(set().union(*outlet.values()) - pair) if outlet else 0
        least = max(2, math.ceil(STANDARD_TEXT_SHARE * references))
        standard.update(shingle for shingle in shingles_a | shingles_b
                        if len(outlet.get(shingle, _NONE) - pair) >= least)
    if not standard:
        return estimate
    shingles_a -= standard
    shingles_b -= standard
    if not shingles_a or not shingles_b:
        return 0.0
    return len(shingles_a & shingles_b) / len(shingles_a | shingles_b)
