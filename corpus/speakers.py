"""Speaker identity: one `speakers` row per person or organisation across the corpus.

Articles spell the same speaker many ways ("Sergei Lavrov", "Sergey Lavrov", "Mr Lavrov",
"Lavrov"). Every spelling is kept as a `speaker_aliases` row whose `alias_key` is
`name_key(alias)`, and lookups go through that indexed key, never through a scan of all
speakers.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from corpus import database
from corpus.errors import CorpusError
from corpus.models import Speaker, SpeakerAlias
from corpus.names import name_key, name_tokens, replaces_display_name, same_person, surname_of

SPEAKER_LOCKS = 1  # database.lock_names namespace for speaker resolution
DESCRIPTION = "description"  # speakers.kind of an unnamed source


class SpeakerError(CorpusError):
    """A speaker operation that cannot be done as asked (unknown id, merge into itself)."""


# --- database ----------------------------------------------------------------------------

def _speaker(session: Session, speaker_id: int) -> Speaker:
    speaker = session.get(Speaker, speaker_id)
    if speaker is None:
        raise SpeakerError(f"no speaker with id {speaker_id}")
    return speaker


def _key_or_error(name: str) -> str:
    key = name_key(name) if isinstance(name, str) else ""
    if not key:
        raise SpeakerError(f"not a speaker name: {name!r}")
    return key


def find_speaker(session: Session, name: str, *, kind: str | None = None) -> Speaker | None:
    """The existing speaker `name` denotes, or None.

    Looks up aliases by exact key, then (for anything not an organisation) by surname:
    "Sergey Lavrov" finds "Sergei Lavrov", "Mr Lavrov" finds him when he is the only
    known Lavrov. Speakers added to the session and not yet flushed count too, so the
    lookups need no flush (adding an article resolves several speakers in one session)."""
    return _lookup(session, name, kind)[0]


def _lookup(session: Session, name: str, kind: str | None) -> tuple[Speaker | None, bool]:
    """(speaker, whether one of its aliases has exactly this name's key)."""
    key = _key_or_error(name)
    pending = [obj for obj in session.new if isinstance(obj, SpeakerAlias)]
    with session.no_autoflush:
        exact = next((alias.speaker for alias in pending if alias.alias_key == key), None)
        if exact is not None:
            return exact, True
        exact = session.scalars(select(Speaker).join(Speaker.aliases)
                                .where(SpeakerAlias.alias_key == key)
                                .order_by(Speaker.id).limit(1)).first()
        if exact is not None:
            return exact, True
        surname = surname_of(name_tokens(name))
        if kind == "organisation" or surname is None:
            return None, False
        return _surname_match(session, name, surname, pending), False


def _surname_match(session: Session, name: str, surname: str,
                   pending: list[SpeakerAlias]) -> Speaker | None:
    """The one non-organisation speaker with this surname that `name` can be. A common
    surname has many holders: they are judged from plain rows, and only the one that
    matches is loaded as a Speaker."""
    aliases: dict[int | Speaker, list[str]] = {}  # stored speaker id, or a speaker not yet flushed
    kinds: dict[int | Speaker, str | None] = {}
    for speaker_id, kind, alias in session.execute(
            select(SpeakerAlias.speaker_id, Speaker.kind, SpeakerAlias.alias).join(Speaker.aliases)
            .where(SpeakerAlias.surname_key == surname)):
        aliases.setdefault(speaker_id, []).append(alias)
        kinds[speaker_id] = kind
    for alias in pending:
        if alias.alias_key.rsplit(" ", 1)[-1] == surname:
            key = alias.speaker.id if alias.speaker.id is not None else alias.speaker
            aliases.setdefault(key, []).append(alias.alias)
            kinds[key] = alias.speaker.kind
    holders = [(key, names) for key, names in aliases.items()
               if kinds[key] != "organisation" and any(surname_of(name_tokens(a)) == surname for a in names)]
    matches = [key for key, names in holders if same_person(name, names, surname_holders=len(holders))]
    if len(matches) != 1:
        return None
    return matches[0] if isinstance(matches[0], Speaker) else session.get(Speaker, matches[0])


def add_alias(speaker: Speaker, name: str) -> None:
    """Record a spelling of the speaker's name (once per normalised form)."""
    key = name_key(name)
    if key and all(alias.alias_key != key for alias in speaker.aliases):
        speaker.aliases.append(SpeakerAlias(alias=name, alias_key=key, surname_key=surname_of(name_tokens(name))))


def lock_for_resolution(session: Session, names: list[str]) -> None:
    """Make concurrent writers resolving these names take turns (per surname), so that
    a person new to the corpus, named by two articles added at once, gets one row."""
    database.lock_names(session, SPEAKER_LOCKS, {name_key(name).rsplit(" ", 1)[-1] for name in names} - {""})


def resolve_speaker(session: Session, name: str, *, kind: str | None = None,
                    role: str | None = None, organisation: str | None = None) -> Speaker:
    """The one speaker row for `name`, created when no existing speaker matches; the
    spelling is recorded as an alias, a full name replaces a bare-surname display name
    (`names.replaces_display_name`; never a name a person chose: `name_locked`) and a
    given role or organisation replaces the stored one. New rows are left for the
    session's next flush.

    A description ("senior US official", kind "description") names no one: it gets a
    row of its own on every call (callers reuse it within an article) and no alias, so
    no name lookup ever finds it or merges it with a person."""
    name = name.strip() if isinstance(name, str) else name
    if kind == DESCRIPTION:
        _key_or_error(name)
        speaker = Speaker(name=name, kind=kind, role=role, organisation=organisation)
        session.add(speaker)
        return speaker
    speaker, exact = _lookup(session, name, kind)
    with session.no_autoflush:
        if speaker is None:
            speaker = Speaker(name=name, kind=kind, role=role, organisation=organisation)
            session.add(speaker)
            add_alias(speaker, name)
            return speaker
        if not exact:
            add_alias(speaker, name)
        if not speaker.name_locked and replaces_display_name(name, speaker.name):
            speaker.name = name
        if role:
            speaker.role = role
        if organisation:
            speaker.organisation = organisation
        if kind and not speaker.kind:
            speaker.kind = kind
    return speaker


def merge_speakers(session: Session, keep_id: int, other_ids: list[int]) -> Speaker:
    """Fold `other_ids` into `keep_id`: their quotes and names move to it, they are
    deleted. Missing role and kind are taken from the merged speakers."""
    other_ids = list(dict.fromkeys(other_ids))
    if not other_ids:
        raise SpeakerError("no speakers to merge")
    if keep_id in other_ids:
        raise SpeakerError(f"cannot merge speaker {keep_id} into itself")
    keep = _speaker(session, keep_id)
    others = [_speaker(session, other_id) for other_id in other_ids]
    for other in others:
        for quote in list(other.quotes):
            quote.speaker = keep
        add_alias(keep, other.name)
        for alias in list(other.aliases):
            add_alias(keep, alias.alias)
        keep.role = keep.role or other.role
        keep.organisation = keep.organisation or other.organisation
        keep.kind = keep.kind or other.kind
        session.delete(other)
    session.flush()
    return keep


def rename_speaker(session: Session, speaker_id: int, name: str) -> Speaker:
    """Give a speaker the display name a person chose, kept from then on (`name_locked`);
    the old name stays an alias. A name that is already another speaker's is refused:
    that is a merge."""
    speaker = _speaker(session, speaker_id)
    name = name.strip() if isinstance(name, str) else name
    key = _key_or_error(name)
    owner = session.scalars(select(SpeakerAlias.speaker_id).where(
        SpeakerAlias.alias_key == key, SpeakerAlias.speaker_id != speaker_id)).first()
    if owner is not None:
        raise SpeakerError(f"{name!r} is already a name of speaker {owner}; merge them instead")
    add_alias(speaker, speaker.name)
    add_alias(speaker, name)
    speaker.name = name
    speaker.name_locked = True  # a person chose it: no article's spelling replaces it
    session.flush()
    return speaker
