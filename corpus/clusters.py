"""Near-duplicate links in the database: each article's MinHash fingerprint is stored with
its LSH band keys, and an article whose text is a near-copy of an earlier one is linked to
the first article of that story's cluster. Two articles of one outlet are compared again
without the outlet's standard text, learnt from its newest articles (dedup.similarity_beyond).
The similarity maths is corpus.dedup's."""
from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from . import settings
from .lazy import lazy_import
from .models import Article, ArticleMinhash, MinhashBand, NearDuplicate

dedup = lazy_import("corpus.dedup")  # datasketch, numpy and scipy: only when fingerprints are made or compared

FINGERPRINT_BATCH = 200


def fingerprint_bytes(body: str) -> bytes:
    """The stored form of a body's signature (computed where the article is cleaned)."""
    return dedup.signature_to_bytes(dedup.signature(body))


def record(session: Session, article_id: int, signature: bytes, threshold: float | None = None
           ) -> NearDuplicate | None:
    """Store an article's fingerprint and link it to the cluster of the most similar
    other article at or above `threshold` (the database's duplicate_threshold setting if
    None), if any. Returns the link made."""
    sig = dedup.signature_from_bytes(signature)
    keys = sorted(set(dedup.band_keys(sig)))
    if threshold is None:
        threshold = settings.read(session, settings.DUPLICATE_THRESHOLD)
    link = _link(session, article_id, sig, keys, threshold)
    session.execute(insert(ArticleMinhash), [{"article_id": article_id, "scheme": dedup.SCHEME, "signature": signature}])
    if keys:  # one executemany, not an ORM object per band
        session.execute(insert(MinhashBand), [{"band_key": key, "article_id": article_id} for key in keys])
    return link


def relink(session: Session, threshold: float) -> int:
    """Link every fingerprinted article again at `threshold`, each to the most similar
    article before it, in the order they were added (their fingerprints are kept).
    Returns how many links there are."""
    session.execute(delete(NearDuplicate))
    for article_id in session.scalars(select(ArticleMinhash.article_id).where(ArticleMinhash.scheme == dedup.SCHEME)
                                      .order_by(ArticleMinhash.article_id)).all():
        sig = dedup.signature_from_bytes(session.get(ArticleMinhash, article_id).signature)
        _link(session, article_id, sig, sorted(set(dedup.band_keys(sig))), threshold, earlier_only=True)
        session.flush()
    return session.scalar(select(func.count()).select_from(NearDuplicate))


def _link(session: Session, article_id: int, sig, keys: list[int], threshold: float, *,
          earlier_only: bool = False) -> NearDuplicate | None:
    """Link the article to the cluster of its best match among the articles sharing a
    band key with it (only those added before it, with `earlier_only`)."""
    if not keys:
        return None
    others = ArticleMinhash.article_id < article_id if earlier_only else ArticleMinhash.article_id != article_id
    candidates = session.execute(
        select(ArticleMinhash.article_id, ArticleMinhash.signature).join(Article, Article.id == ArticleMinhash.article_id)
        .where(  # the join: an article deleted with SQL and foreign keys off may leave its fingerprint
            ArticleMinhash.article_id.in_(select(MinhashBand.article_id).where(MinhashBand.band_key.in_(keys))),
            others,
            ArticleMinhash.scheme == dedup.SCHEME,
        )
    ).all()
    scored = [(dedup.similarity(sig, dedup.signature_from_bytes(data)), other) for other, data in candidates]
    best = _best_match(session, article_id, scored, threshold)
    if best is None or _is_root(session, article_id):
        return None
    root = session.scalar(select(NearDuplicate.duplicate_of).where(NearDuplicate.article_id == best[1]))
    link = NearDuplicate(article_id=article_id, duplicate_of=root or best[1], similarity=round(best[0], 4))
    session.add(link)
    return link


def _best_match(session: Session, article_id: int, scored: list[tuple[float, int]], threshold: float
                ) -> tuple[float, int] | None:
    """The (similarity, id) of the most similar candidate at or above `threshold`. For a
    candidate of the article's own outlet, and one of another outlet just below it
    (dedup.DILUTED_FLOOR or more), the similarity is that left without the outlets'
    standard text."""
    near = [pair for pair in scored if pair[0] >= min(threshold, dedup.DILUTED_FLOOR)]
    if not near:
        return None
    outlet_of = dict(session.execute(select(Article.id, Article.outlet_id)
                                     .where(Article.id.in_([article_id, *(other for _, other in near)]))).all())
    outlet = outlet_of.get(article_id)
    standard: dict[int, dict] = {}  # outlet id -> its outlet_shingles, read once per article stored

    def outlet_text(outlet_id: int) -> dict:
        if outlet_id not in standard:
            standard[outlet_id] = dedup.outlet_shingles(dict(session.execute(
                select(Article.id, Article.body).where(Article.outlet_id == outlet_id, Article.id != article_id)
                .order_by(Article.id.desc()).limit(dedup.STANDARD_TEXT_REFERENCES)).all()))
        return standard[outlet_id]

    best = None
    for score, other in sorted(near, key=lambda pair: (-pair[0], pair[1])):
        if best is not None and score <= best[0] and score < threshold:
            break  # an estimate this low is not checked once a match is found
        other_outlet = outlet_of.get(other)
        same = outlet is not None and other_outlet == outlet
        if same or (score < threshold and outlet is not None and other_outlet is not None):
            bodies = dict(session.execute(select(Article.id, Article.body)
                                          .where(Article.id.in_([article_id, other]))).all())
            outlets = [outlet_text(outlet)] if same else [outlet_text(outlet), outlet_text(other_outlet)]
            score = dedup.similarity_beyond(bodies[article_id], bodies[other], outlets, {article_id, other}, score)
        elif score < threshold:
            continue
        if score >= threshold and (best is None or score > best[0]):
            best = (score, other)
    return best


def _is_root(session: Session, article_id: int) -> bool:
    """Whether other articles are linked to this one (then it stays their cluster's first)."""
    return session.scalar(select(NearDuplicate.article_id).where(NearDuplicate.duplicate_of == article_id).limit(1)) is not None


def forget(session: Session, article_id: int) -> None:
    """Drop an article's fingerprint and its own link (before it is fingerprinted again)."""
    for model in (MinhashBand, ArticleMinhash):
        session.execute(delete(model).where(model.article_id == article_id))
    session.execute(delete(NearDuplicate).where(NearDuplicate.article_id == article_id))


def detach(session: Session, article_ids: list[int]) -> None:
    """Before articles are deleted: a cluster whose first article goes keeps its other
    members, linked to the earliest of them with their similarity to it (the deleted
    articles' own links and fingerprints go with them, by cascade)."""
    gone = set(article_ids)
    members: dict[int, list[int]] = {}
    for article_id, root in session.execute(select(NearDuplicate.article_id, NearDuplicate.duplicate_of)
                                            .where(NearDuplicate.duplicate_of.in_(gone))):
        if article_id not in gone:
            members.setdefault(root, []).append(article_id)
    for new_root, *others in (sorted(ids) for ids in members.values()):
        session.execute(delete(NearDuplicate).where(NearDuplicate.article_id == new_root))
        signatures = {article_id: dedup.signature_from_bytes(data) for article_id, data in session.execute(
            select(ArticleMinhash.article_id, ArticleMinhash.signature)
            .where(ArticleMinhash.article_id.in_([new_root, *others])))}
        for article_id in others:
            similarity = (dedup.similarity(signatures[new_root], signatures[article_id])
                          if new_root in signatures and article_id in signatures else 0.0)
            session.execute(update(NearDuplicate).where(NearDuplicate.article_id == article_id)
                            .values(duplicate_of=new_root, similarity=round(similarity, 4)))


def missing_count(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(Article).where(Article.id.not_in(select(ArticleMinhash.article_id)))
    )


def fingerprint_missing(session: Session) -> int:
    """Fingerprint articles stored before near-duplicate detection existed (or under an
    older scheme), oldest first, in batches of one transaction each. Returns how many."""
    done = 0
    while True:
        with session.begin():
            stale = select(ArticleMinhash.article_id).where(ArticleMinhash.scheme == dedup.SCHEME)
            batch = session.execute(
                select(Article.id, Article.body).where(Article.id.not_in(stale)).order_by(Article.id)
                .limit(FINGERPRINT_BATCH)
            ).all()
            for article_id, body in batch:
                forget(session, article_id)
                record(session, article_id, fingerprint_bytes(body))
            session.flush()
        done += len(batch)
        if len(batch) < FINGERPRINT_BATCH:
            return done
