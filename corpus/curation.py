"""People's decisions: editing and deleting articles, tagging, rejecting quotes and
assigning them to speakers, renaming and merging speakers, renaming and deleting tags.

Each function does one action inside the caller's transaction and records it in the
history (corpus.history) with the values before and after, so `undo` can reverse it when
nothing changed those values since. A decision is stored where later work respects it:
`articles.edited_fields`, `quotes.status` and `quotes.speaker_assigned`,
`speakers.name_locked` and speaker aliases are what adding and reprocessing read
(corpus.ingest) so that they never undo a person's work.

Rows an action changes are locked first (FOR UPDATE on PostgreSQL, in id order; SQLite
writers already take turns), so two people curating the same article at once are applied
one after the other, each seeing the other's result.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Iterable

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from . import clusters, history, ingest, speakers as speaker_rows
from .errors import CorpusError, NotFoundError, without_control_characters
from .lazy import lazy_import
from .models import (EDITABLE_FIELDS, Article, ArticleTag, Document, History, NearDuplicate, Outlet, Quote,
                     Speaker, Tag)

fetch = lazy_import("corpus.fetch")  # urllib3 and lxml: not at startup

# Actions the history cannot reverse, and why.
NOT_UNDOABLE = {
    "delete": "a delete cannot be undone (its stored document is gone): add the file again",
    "speaker-merge": "a speaker merge cannot be undone: rename the speaker, or assign the quotes to another",
    "undo": "an undo cannot be undone: do the action again",
}


class CurationError(CorpusError):
    """A curation action refused as asked (unknown id, nothing to change): a one-line reason."""


class ConflictError(CurationError):
    """Another process changed the same rows at the same moment; nothing was changed."""


# --- articles ----------------------------------------------------------------------------------

def existing_article_ids(session: Session, wanted: Iterable[int], *, lock: bool = False) -> list[int]:
    """The ids, in order, all of which must exist; with `lock`, their rows are locked
    against other writers until the transaction ends."""
    wanted = sorted(set(wanted))
    stmt = select(Article.id).where(Article.id.in_(wanted)).order_by(Article.id)
    found = list(session.scalars(stmt.with_for_update() if lock else stmt)) if wanted else []
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise NotFoundError(f"no article with id {', '.join(map(str, missing))}")
    return found


def lock_articles(session: Session, wanted: Iterable[int]) -> list[Article]:
    """The articles, locked against other writers, in id order; an unknown id is an error."""
    ids = existing_article_ids(session, wanted, lock=True)
    return list(session.scalars(select(Article).where(Article.id.in_(ids)).order_by(Article.id))) if ids else []


def edit_value(field: str, value) -> str | None:
    """A user's value for an article field in the form the history keeps: "" clears it;
    a date becomes ISO 8601 UTC, a URL its normalised form."""
    if field not in EDITABLE_FIELDS:
        raise CurationError(f"cannot edit {field!r}: use one of {', '.join(EDITABLE_FIELDS)}")
    if isinstance(value, datetime):
        return ingest.to_utc(value).isoformat()
    value = without_control_characters(" ".join(str(value).split()), field)
    if not value:
        return None
    if field == "published_at":
        try:
            return ingest.parse_datetime(value).isoformat()
        except ValueError as exc:
            raise CurationError(str(exc)) from None
    if field == "url":
        if not ingest.is_url(value):
            raise CurationError(f"not a web address: {value!r} (use http:// or https://)")
        return fetch.normalize_url(value)
    limit = {"language": 16, "outlet": 200}.get(field)
    if limit and len(value) > limit:
        raise CurationError(f"{field} is at most {limit} characters")
    return value


def field_value(article: Article, field: str) -> str | None:
    """An article field in the form the history keeps."""
    if field == "outlet":
        return article.outlet.name if article.outlet else None
    if field == "published_at":
        return article.published_at.isoformat() if article.published_at else None
    return getattr(article, field)


def _set_field(session: Session, article: Article, field: str, value: str | None) -> None:
    if field == "outlet":
        article.outlet = _outlet_named(session, value) if value else None
    elif field == "published_at":
        article.published_at = datetime.fromisoformat(value) if value else None
    else:
        setattr(article, field, value)


def _outlet_named(session: Session, name: str) -> Outlet:
    """The outlet a person means by `name` (its name in any case, or its domain), else a new one."""
    for condition in (Outlet.name == name, func.lower(Outlet.name) == name.lower(), Outlet.domain == name.lower()):
        outlet = session.scalars(select(Outlet).where(condition).order_by(Outlet.id).limit(1)).first()
        if outlet is not None:
            return outlet
    return ingest.outlet_row(session, name, None)


def edit_articles(session: Session, article_ids: Iterable[int], changes: dict[str, str | None], *,
                  note: str | None = None, only_different: bool = False) -> History | None:
    """Set fields of articles (values as edit_value gives them; None clears). Every field set
    is marked edited, so reprocessing keeps it. With `only_different` (adding a document
    already present with metadata), fields already at the value are left unmarked.
    Returns the history entry, or None when nothing changed."""
    articles = lock_articles(session, article_ids)
    if not changes:
        raise CurationError("nothing to edit: give at least one field")
    if changes.get("url") and len(articles) > 1:
        raise CurationError("a URL belongs to one article: edit one article at a time")
    if changes.get("url"):
        owner = session.scalar(select(Article.id).where(Article.url == changes["url"], Article.id != articles[0].id))
        if owner is not None:
            raise CurationError(f"article {owner} already has the URL {changes['url']}")
    before: dict[str, dict] = {}
    after: dict[str, dict] = {}
    edited_before: dict[str, list] = {}
    for article in articles:
        edited = list(article.edited_fields or [])
        old, new = {}, {}
        for field, value in changes.items():
            current = field_value(article, field)
            if current == value and (only_different or field in edited):
                continue
            old[field], new[field] = current, value
            _set_field(session, article, field, value)
        if new:
            before[str(article.id)], after[str(article.id)] = old, new
            edited_before[str(article.id)] = edited
            article.edited_fields = sorted(set(edited) | set(new))
    if not after:
        return None
    return history.record(session, "edit", {"articles": map(int, after)}, note=note,
                          before={"articles": before, "edited_fields": edited_before}, after={"articles": after})


def delete_articles(session: Session, article_ids: Iterable[int], *, note: str | None = None) -> tuple[History, dict]:
    """Delete articles with their quotes, tags, near-duplicate links and fingerprints, and
    their stored documents unless another article still uses one. Returns the history
    entry and what was removed."""
    articles = lock_articles(session, article_ids)
    if not articles:
        raise CurationError("no articles to delete")
    ids = [article.id for article in articles]
    counted = {
        "quotes": session.scalar(select(func.count()).where(Quote.article_id.in_(ids))),
        "tags": session.scalar(select(func.count()).where(ArticleTag.article_id.in_(ids))),
        "near_duplicates": session.scalar(select(func.count()).select_from(NearDuplicate).where(
            NearDuplicate.article_id.in_(ids) | NearDuplicate.duplicate_of.in_(ids))),
    }
    removed = [{
        "id": article.id, "title": article.title, "source": article.source, "url": article.url,
        "outlet": field_value(article, "outlet"), "published_at": field_value(article, "published_at"),
        "sha256": article.document.sha256, "tags": [tag.name for tag in article.tags],
        "edited_fields": article.edited_fields or [],
    } for article in articles]
    document_ids = {article.document_id for article in articles}
    tag_ids = {tag.id for article in articles for tag in article.tags}
    clusters.detach(session, ids)
    session.expunge_all()  # the rows go below, through the database's cascades
    session.execute(delete(Article).where(Article.id.in_(ids)))
    still_used = select(Article.document_id).where(Article.document_id.in_(document_ids))
    counted["documents"] = session.execute(
        delete(Document).where(Document.id.in_(document_ids), Document.id.not_in(still_used))).rowcount
    # As with untag: a tag left on no article goes.
    session.execute(delete(Tag).where(Tag.id.in_(tag_ids), Tag.id.not_in(select(ArticleTag.tag_id))))
    entry = history.record(session, "delete", {"articles": ids}, note=note,
                           before={"articles": removed, **counted}, after=None)
    return entry, {"articles": removed, **counted}


def apply_stated(session: Session, request: ingest.AddRequest, present: ingest.AddResult) -> ingest.AddResult:
    """A document already in the corpus, added again: the tags and the metadata stated
    this time are applied to its article, as a person's edit (kept by reprocessing,
    recorded in the history). Status "updated" when a field changed, "tagged" when only
    tags were added, else "present"."""
    stated = request.metadata
    fields = {"title": stated.title, "outlet": stated.outlet, "published_at": stated.published,
              "url": None if request.fetch_url else stated.url}  # a fetched page's URL is not stated
    note = f"corpus add {request.source}"
    try:
        with session.begin():
            changes = {field: edit_value(field, value) for field, value in fields.items() if value}
            edited = changes and edit_articles(session, [present.article_id], changes, note=note, only_different=True)
            tagged = [tag for tag in stated.tags if tag_articles(session, tag, [present.article_id], note=note)[0]]
    except CorpusError as exc:
        return replace(present, status="failed", message=str(exc))
    if not edited and not tagged:
        return present
    fields_changed = edited.after["articles"][str(present.article_id)] if edited else {}
    changed = [*(f"{field} {value!r}" for field, value in fields_changed.items()), *(f"tag {tag!r}" for tag in tagged)]
    return replace(present, status="updated" if edited else "tagged", message=", ".join(changed))


# --- tags --------------------------------------------------------------------------------------

def tag_named(session: Session, name: str) -> Tag | None:
    without_control_characters(str(name), "a tag name")
    return session.scalar(select(Tag).where(Tag.name_key == ingest.tag_key(name)))


def _existing_tag(session: Session, name: str) -> Tag:
    tag = tag_named(session, name)
    if tag is None:
        raise NotFoundError(f"no tag named {' '.join(str(name).split())!r}")
    return tag


def _tagged(session: Session, tag_id: int, article_ids: Iterable[int] | None = None) -> list[int]:
    stmt = select(ArticleTag.article_id).where(ArticleTag.tag_id == tag_id).order_by(ArticleTag.article_id)
    if article_ids is not None:
        stmt = stmt.where(ArticleTag.article_id.in_(list(article_ids)))
    return list(session.scalars(stmt))


def _attach(session: Session, tag_id: int, article_ids: Iterable[int]) -> list[int]:
    """Put a tag on those of the articles that exist and lack it; returns them."""
    wanted = set(session.scalars(select(Article.id).where(Article.id.in_(list(article_ids)))))
    new = sorted(wanted - set(_tagged(session, tag_id, wanted)))
    if new:
        session.execute(insert(ArticleTag), [{"article_id": i, "tag_id": tag_id} for i in new])
    return new


def _detach(session: Session, tag_id: int, article_ids: Iterable[int]) -> list[int]:
    had = _tagged(session, tag_id, article_ids)
    if had:
        session.execute(delete(ArticleTag).where(ArticleTag.tag_id == tag_id, ArticleTag.article_id.in_(had)))
    return had


def _tag_left_on_nothing(session: Session, tag: Tag) -> bool:
    """Delete a tag no article carries any more; returns whether it was."""
    if _tagged(session, tag.id):
        return False
    session.delete(tag)
    session.flush()
    return True


def tag_articles(session: Session, name: str, article_ids: Iterable[int], *,
                 note: str | None = None) -> tuple[int, History | None]:
    """Tag articles (matched by tag_key: the existing spelling is kept); returns how many
    were newly tagged, and the history entry (None when all had it)."""
    names = ingest.normalise_tags([without_control_characters(str(name), "a tag name")])
    if not names:
        raise CurationError("a tag needs a name")
    article_ids = existing_article_ids(session, article_ids, lock=True)
    created = tag_named(session, names[0]) is None
    [tag] = ingest.tag_rows(session, names)
    session.flush()
    new = _attach(session, tag.id, article_ids)
    if not new:
        return 0, None
    entry = history.record(session, "tag", {"articles": new, "tags": [tag.id]}, note=note, before=None,
                           after={"tag": tag.name, "tag_id": tag.id, "articles": new, "created": created})
    return len(new), entry


def untag_articles(session: Session, name: str, article_ids: Iterable[int], *,
                   note: str | None = None) -> tuple[int, History | None]:
    """Remove a tag from articles; a tag left on no article is deleted. Returns how many
    had it, and the history entry (None when none had it)."""
    tag = _existing_tag(session, name)
    article_ids = existing_article_ids(session, article_ids, lock=True)
    removed = _detach(session, tag.id, article_ids)
    if not removed:
        return 0, None
    before = {"tag": tag.name, "tag_id": tag.id, "articles": removed}
    deleted = _tag_left_on_nothing(session, tag)
    entry = history.record(session, "untag", {"articles": removed, "tags": [before["tag_id"]]}, note=note,
                           before=before, after={"tag_deleted": deleted})
    return len(removed), entry


def rename_tag(session: Session, old: str, new: str, *, note: str | None = None) -> History:
    """Rename a tag; when NEW is already a tag, OLD is merged into it (its articles get NEW)."""
    tag = _existing_tag(session, old)
    names = ingest.normalise_tags([without_control_characters(str(new), "a tag name")])
    if not names:
        raise CurationError("a tag needs a name")
    new = names[0]
    if new == tag.name:
        raise CurationError(f"the tag is already named {new!r}")
    articles = _tagged(session, tag.id)
    before = {"tag_id": tag.id, "name": tag.name, "articles": articles}
    target = tag_named(session, new)
    if target is None or target.id == tag.id:
        tag.name, tag.name_key = new, ingest.tag_key(new)
        after = {"tag_id": tag.id, "name": new, "merged": False}
        rows = {"tags": [tag.id], "articles": articles}
    else:
        added = _attach(session, target.id, articles)
        session.delete(tag)
        after = {"tag_id": target.id, "name": target.name, "merged": True, "articles_added": added}
        rows = {"tags": [tag.id, target.id], "articles": articles}
    session.flush()
    return history.record(session, "tag-rename", rows, note=note, before=before, after=after)


def delete_tag(session: Session, name: str, *, note: str | None = None) -> History:
    """Delete a tag from every article that has it."""
    tag = _existing_tag(session, name)
    articles = _tagged(session, tag.id)
    before = {"tag_id": tag.id, "name": tag.name, "articles": articles}
    session.delete(tag)
    session.flush()
    return history.record(session, "tag-delete", {"tags": [before["tag_id"]], "articles": articles},
                          note=note, before=before, after=None)


def _restore_tag(session: Session, tag_id: int, name: str) -> Tag:
    """The tag as it was (same id where free), or the tag now holding its name."""
    tag = tag_named(session, name)
    if tag is None:
        tag = Tag(id=tag_id if session.get(Tag, tag_id) is None else None, name=name, name_key=ingest.tag_key(name))
        session.add(tag)
        session.flush()
    return tag


# --- quotes ------------------------------------------------------------------------------------

def lock_quotes(session: Session, quote_ids: Iterable[int]) -> list[Quote]:
    """The quotes, their articles locked against other writers (reprocessing rewrites an
    article's quotes); an unknown id (or one of a deleted article) is an error."""
    wanted = sorted(set(quote_ids))
    if not wanted:
        raise CurationError("give at least one quote id")
    existing_article_ids(session, session.scalars(select(Quote.article_id).where(Quote.id.in_(wanted))), lock=True)
    found = session.scalars(select(Quote).where(Quote.id.in_(wanted)).order_by(Quote.id).with_for_update()).all()
    missing = sorted(set(wanted) - {quote.id for quote in found})
    if missing:
        raise NotFoundError(f"no quote with id {', '.join(map(str, missing))}")
    return list(found)


def _quote_rows(quotes: list[Quote], speaker_ids: Iterable[int | None] = ()) -> dict:
    return {"quotes": [q.id for q in quotes], "articles": {q.article_id for q in quotes},
            "speakers": {i for i in [*(q.speaker_id for q in quotes), *speaker_ids] if i is not None}}


def set_quote_status(session: Session, quote_ids: Iterable[int], status: str, *,
                     note: str | None = None) -> History:
    """Reject quotes (hidden from listings, exports and counts) or restore them."""
    quotes = lock_quotes(session, quote_ids)
    changing = [quote for quote in quotes if quote.status != status]
    if not changing:
        word = "rejected" if status == "rejected" else "not rejected"
        raise CurationError(f"quote {', '.join(str(q.id) for q in quotes)} {'is' if len(quotes) == 1 else 'are'} "
                            f"already {word}")
    before = {"quotes": {str(q.id): q.status for q in changing}}
    for quote in changing:
        quote.status = status
    action = "quote-reject" if status == "rejected" else "quote-restore"
    return history.record(session, action, _quote_rows(changing), note=note, before=before,
                          after={"quotes": {str(q.id): status for q in changing}})


def speaker_for(session: Session, speaker: int | str) -> tuple[Speaker, bool]:
    """The speaker a person names: an id (which must exist), or a name, matched like an
    article's spelling; a name no speaker has makes a new speaker with that exact name.
    Returns (speaker, whether it was created)."""
    if isinstance(speaker, int) or (isinstance(speaker, str) and speaker.strip().isdigit()):
        found = session.get(Speaker, int(speaker))
        if found is None:
            raise NotFoundError(f"no speaker with id {int(speaker)}")
        return found, False
    name = without_control_characters(" ".join(str(speaker).split()), "a speaker's name")
    try:
        found = speaker_rows.find_speaker(session, name)
    except speaker_rows.SpeakerError as exc:
        raise CurationError(str(exc)) from None
    if found is not None:
        return found, False
    created = Speaker(name=name, name_locked=True)
    session.add(created)
    speaker_rows.add_alias(created, name)
    session.flush()
    return created, True


def assign_quotes(session: Session, quote_ids: Iterable[int], speaker: int | str, *,
                  note: str | None = None) -> History:
    """Give quotes the speaker a person says is right; no reprocess changes it again."""
    quotes = lock_quotes(session, quote_ids)
    target, created = speaker_for(session, speaker)
    changing = [q for q in quotes if q.speaker_id != target.id or not q.speaker_assigned]
    if not changing:
        raise CurationError(f"quote {', '.join(str(q.id) for q in quotes)} already assigned to speaker {target.id}")
    rows = _quote_rows(changing, [target.id])
    before = {"quotes": {str(q.id): {"speaker_id": q.speaker_id, "speaker_assigned": q.speaker_assigned}
                         for q in changing}}
    for quote in changing:
        quote.speaker, quote.speaker_assigned = target, True
    after = {"quotes": {str(q.id): {"speaker_id": target.id, "speaker_assigned": True} for q in changing},
             "speaker": {"id": target.id, "name": target.name, "created": created}}
    return history.record(session, "quote-assign", rows, note=note, before=before, after=after)


# --- speakers ----------------------------------------------------------------------------------

def _locked_speaker(session: Session, speaker_id: int) -> Speaker:
    speaker = session.get(Speaker, speaker_id, with_for_update=True)
    if speaker is None:
        raise NotFoundError(f"no speaker with id {speaker_id}")
    return speaker


def rename_speaker(session: Session, speaker_id: int, name: str, *, note: str | None = None) -> History:
    """Give a speaker the name a person chose; the old name stays an alias, and no later
    add or reprocess replaces the new one."""
    without_control_characters(str(name), "a speaker's name")
    speaker = _locked_speaker(session, speaker_id)
    before = {"name": speaker.name, "name_locked": speaker.name_locked}
    speaker_rows.rename_speaker(session, speaker_id, name)
    if speaker.name == before["name"] and before["name_locked"]:
        raise CurationError(f"speaker {speaker_id} is already named {speaker.name!r}")
    return history.record(session, "speaker-rename", {"speakers": [speaker_id]}, note=note, before=before,
                          after={"id": speaker_id, "name": speaker.name, "name_locked": True})


def merge_speakers(session: Session, keep_id: int, other_ids: Iterable[int], *, note: str | None = None) -> History:
    """Fold speakers into one (their quotes and names move to it; its name stays)."""
    other_ids = list(dict.fromkeys(other_ids))
    for speaker_id in sorted({keep_id, *other_ids}):
        _locked_speaker(session, speaker_id)
    merged = [{"id": s.id, "name": s.name, "aliases": [a.alias for a in s.aliases],
               "quotes": sorted(q.id for q in s.quotes)}
              for s in (session.get(Speaker, i) for i in other_ids)]
    keep = speaker_rows.merge_speakers(session, keep_id, other_ids)
    keep.name_locked = True  # the person kept this speaker's name over the others'
    return history.record(session, "speaker-merge", {"speakers": [keep_id, *other_ids]}, note=note,
                          before={"merged": merged}, after={"id": keep.id, "name": keep.name})


# --- undo --------------------------------------------------------------------------------------

def undo(session: Session, history_id: int, *, note: str | None = None) -> History:
    """Reverse one recorded action, when what it changed has not changed since; recorded
    as an "undo" entry."""
    entry = session.get(History, history_id, with_for_update=True)
    if entry is None:
        raise NotFoundError(f"no history entry {history_id}")
    if entry.action in NOT_UNDOABLE:
        raise CurationError(f"#{history_id}: {NOT_UNDOABLE[entry.action]}")
    done = history.undone_by(session, history_id)
    if done is not None:
        raise CurationError(f"#{history_id} was already undone (by #{done})")
    _UNDO[entry.action](session, entry)
    rows = {table: [r.row_id for r in entry.rows if r.table_name == table] for table in history.TABLES}
    return history.record(session, "undo", rows, note=note, undo_of=history_id,
                          before={"history_id": history_id, "action": entry.action, "state": entry.after},
                          after={"history_id": history_id, "action": entry.action, "state": entry.before})


def _changed_since(what: str, history_id: int) -> CurationError:
    return CurationError(f"cannot undo #{history_id}: {what} changed since; undo the later change first")


def _undo_edit(session: Session, entry: History) -> None:
    after = entry.after["articles"]
    for article in lock_articles(session, map(int, after)):
        for field, value in after[str(article.id)].items():
            if field_value(article, field) != value:
                raise _changed_since(f"article {article.id}'s {field}", entry.id)
        for field, value in entry.before["articles"][str(article.id)].items():
            _set_field(session, article, field, value)
        article.edited_fields = entry.before["edited_fields"][str(article.id)] or None


def _undo_tag(session: Session, entry: History) -> None:
    tag = session.get(Tag, entry.after["tag_id"])
    if tag is not None:
        _detach(session, tag.id, entry.after["articles"])
        if entry.after["created"]:
            _tag_left_on_nothing(session, tag)


def _undo_untag(session: Session, entry: History) -> None:
    tag = _restore_tag(session, entry.before["tag_id"], entry.before["tag"])
    _attach(session, tag.id, entry.before["articles"])


def _undo_tag_rename(session: Session, entry: History) -> None:
    before, after = entry.before, entry.after
    if not after["merged"]:
        tag = session.get(Tag, after["tag_id"])
        if tag is None or tag.name != after["name"]:
            raise _changed_since(f"tag {after['name']!r}", entry.id)
        holder = tag_named(session, before["name"])
        if holder is not None and holder.id != tag.id:
            raise CurationError(f"cannot undo #{entry.id}: a tag {holder.name!r} exists again; rename or delete it first")
        tag.name, tag.name_key = before["name"], ingest.tag_key(before["name"])
        return
    if tag_named(session, before["name"]) is not None:
        raise CurationError(f"cannot undo #{entry.id}: a tag {before['name']!r} exists again; rename or delete it first")
    restored = _restore_tag(session, before["tag_id"], before["name"])
    _attach(session, restored.id, before["articles"])
    target = session.get(Tag, after["tag_id"])
    if target is not None:
        _detach(session, target.id, after["articles_added"])
        _tag_left_on_nothing(session, target)


def _undo_tag_delete(session: Session, entry: History) -> None:
    tag = _restore_tag(session, entry.before["tag_id"], entry.before["name"])
    _attach(session, tag.id, entry.before["articles"])


def _undo_status(session: Session, entry: History) -> None:
    after = entry.after["quotes"]
    for quote in lock_quotes(session, map(int, after)):
        if quote.status != after[str(quote.id)]:
            raise _changed_since(f"quote {quote.id}'s status", entry.id)
        quote.status = entry.before["quotes"][str(quote.id)]


def _undo_assign(session: Session, entry: History) -> None:
    after = entry.after["quotes"]
    for quote in lock_quotes(session, map(int, after)):
        if quote.speaker_id != after[str(quote.id)]["speaker_id"]:
            raise _changed_since(f"quote {quote.id}'s speaker", entry.id)
        state = entry.before["quotes"][str(quote.id)]
        if state["speaker_id"] is not None and session.get(Speaker, state["speaker_id"]) is None:
            raise CurationError(f"cannot undo #{entry.id}: speaker {state['speaker_id']} no longer exists (merged)")
        quote.speaker_id, quote.speaker_assigned = state["speaker_id"], state["speaker_assigned"]


def _undo_speaker_rename(session: Session, entry: History) -> None:
    speaker = session.get(Speaker, entry.after["id"], with_for_update=True)
    if speaker is None:
        raise CurationError(f"cannot undo #{entry.id}: speaker {entry.after['id']} no longer exists (merged)")
    if speaker.name != entry.after["name"]:
        raise _changed_since(f"speaker {speaker.id}'s name", entry.id)
    speaker.name, speaker.name_locked = entry.before["name"], entry.before["name_locked"]


_UNDO = {
    "edit": _undo_edit,
    "tag": _undo_tag,
    "untag": _undo_untag,
    "tag-rename": _undo_tag_rename,
    "tag-delete": _undo_tag_delete,
    "quote-reject": _undo_status,
    "quote-restore": _undo_status,
    "quote-assign": _undo_assign,
    "speaker-rename": _undo_speaker_rename,
}
