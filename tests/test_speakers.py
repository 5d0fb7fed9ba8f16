"""corpus.names and corpus.speakers: name keys, same-person decisions, and the speaker rows."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from corpus.models import Article, Base, Document, Quote, Speaker, SpeakerAlias
from corpus.names import name_key, same_person
from corpus.quotes import extract_quotes
from corpus.speakers import SpeakerError, find_speaker, merge_speakers, rename_speaker, resolve_speaker

GOLD = Path(__file__).parent / "fixtures" / "quotes" / "seeds_gold.json"


# --- names -------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Sergei Lavrov", "Sergey Lavrov"),
    ("Bashar al-Assad", "Bashar Al-Assad"),
    ("Mr al-Assad", "Assad"),
    ("President Obama", "Obama"),
    ("François Hollande", "Francois Hollande"),
    ("Recep Tayyip Erdoğan", "recep tayyip erdogan"),
    ("Dr. Anthony Fauci", "Anthony Fauci"),
    ("Putin’s", "Putin"),
])
def test_name_key_folds_spelling_variants(a, b):
    assert name_key(a) == name_key(b) != ""


def test_name_key_strips_leading_titles_only():
    assert name_key("Mr Lavrov") == "lavrov"
    assert name_key("Prime Minister Theresa May") == name_key("Theresa May")
    assert name_key("Deputy Crown Prince Mohammed") == name_key("Mohammed")
    assert name_key("Martin Luther King") == "martin luther king"
    assert name_key("Mr") == ""


def test_name_key_keeps_the_words_that_tell_organisations_apart():
    assert name_key("Defence Ministry") != name_key("Foreign Ministry")
    assert name_key("the defence ministry") == name_key("Defence Ministry")


@pytest.mark.parametrize("name, aliases, holders, same", [
    ("Sergey Lavrov", ["Sergei Lavrov"], 1, True),
    ("Mr Lavrov", ["Sergei Lavrov"], 1, True),
    ("Lavrov", ["Sergei Lavrov"], 1, True),
    ("Sergei Lavrov", ["Lavrov"], 1, True),
    ("V. Putin", ["Vladimir Putin"], 1, True),
    ("Mohamed Salah", ["Mohammed Salah"], 1, True),
    ("Ed Miliband", ["David Miliband"], 1, False),
    # an initial is the first letter of a given name, not any given name
    ("Eric Trump", ["Donald Trump", "A Trump"], 1, False),
    ("D. Trump", ["Donald Trump"], 1, True),
    # one compatible spelling does not outweigh another that contradicts
    ("Jeffrey Goldberg", ["Jonah Goldberg", "J.J. Goldberg"], 1, False),
    ("Jonah Goldberg", ["Jonah Goldberg", "J.J. Goldberg"], 1, True),
    ("Miliband", ["David Miliband"], 2, False),
    ("Lavrov", ["Sergei Shoigu"], 1, False),
    ("", ["Sergei Lavrov"], 1, False),
    ("Mohammed bin Salman", ["King Salman"], 1, False),
    # a surname with its particle is a surname: joins the one holder only
    ("Mr de Mistura", ["Staffan de Mistura"], 1, True),
    ("von der Leyen", ["Ursula von der Leyen"], 1, True),
    ("de Mistura", ["Staffan de Mistura"], 2, False),
])
def test_same_person(name, aliases, holders, same):
    assert same_person(name, aliases, surname_holders=holders) is same


# --- database ----------------------------------------------------------------------------

@pytest.fixture
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def add_quote(session: Session, speaker: Speaker, text: str = "words of four or more") -> Quote:
    document = Document(sha256=text.ljust(64, "0")[:64] + "", content_type="text/plain",
                        size=1, data=b"x")
    article = Article(document=document, source="test", body=text, word_count=4,
                      content_hash=str(hash(text)).ljust(64, "0")[:64], extractor_version="t")
    quote = Quote(article=article, speaker=speaker, text=text, kind="direct",
                  start_offset=0, end_offset=len(text))
    session.add(quote)
    session.flush()
    return quote


def speaker_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Speaker))


def test_resolve_creates_then_reuses_across_spellings(session):
    lavrov = resolve_speaker(session, "Sergei Lavrov", kind="person", role="Russian foreign minister")
    assert resolve_speaker(session, "Sergey Lavrov") is lavrov
    assert resolve_speaker(session, "Mr Lavrov") is lavrov
    assert resolve_speaker(session, "Lavrov") is lavrov
    assert speaker_count(session) == 1
    assert lavrov.name == "Sergei Lavrov"
    assert lavrov.role == "Russian foreign minister"
    # One alias per key (the schema's unique constraint): the first spelling of each.
    assert sorted(a.alias for a in lavrov.aliases) == ["Mr Lavrov", "Sergei Lavrov"]


def test_resolve_finds_speakers_not_yet_flushed(session):
    """Adding an article resolves several speakers before anything is flushed."""
    lavrov = resolve_speaker(session, "Sergei Lavrov", kind="person")
    assert lavrov.id is None
    assert resolve_speaker(session, "Mr Lavrov") is lavrov
    assert resolve_speaker(session, "Sergey Lavrov") is lavrov
    session.flush()
    assert speaker_count(session) == 1


def test_resolve_keeps_people_sharing_a_surname_apart(session):
    ed = resolve_speaker(session, "Ed Miliband", kind="person")
    david = resolve_speaker(session, "David Miliband", kind="person")
    assert ed is not david
    assert resolve_speaker(session, "Ed Miliband") is ed
    # A bare surname with two known holders is ambiguous: it joins neither.
    bare = resolve_speaker(session, "Mr Miliband")
    assert bare not in (ed, david)


def test_bare_surname_first_then_full_name_upgrades_display_name(session):
    obama = resolve_speaker(session, "Obama", kind="person")
    assert resolve_speaker(session, "President Barack Obama", role="US president") is obama
    assert obama.name == "President Barack Obama"
    assert obama.role == "US president"


@pytest.mark.parametrize("shown, later", [
    ("Paul Ryan", "Paul D. Ryan"),
    ("Hillary Clinton", "Hillary Rodham Clinton"),
    ("Donald Trump", "Donald J. Trump"),
])
def test_a_full_display_name_stays_when_a_longer_spelling_comes(session, shown, later):
    speaker = resolve_speaker(session, shown, kind="person")
    assert resolve_speaker(session, later, kind="person") is speaker
    assert speaker.name == shown
    assert {alias.alias for alias in speaker.aliases} == {shown, later}


def test_role_given_later_replaces_role(session):
    cook = resolve_speaker(session, "Peter Cook")
    assert cook.role is None
    resolve_speaker(session, "Peter Cook", role="Pentagon spokesman")
    assert cook.role == "Pentagon spokesman"


def test_organisations_match_by_exact_name_only(session):
    ministry = resolve_speaker(session, "defence ministry", kind="organisation")
    other = resolve_speaker(session, "health ministry", kind="organisation")
    assert ministry is not other
    assert resolve_speaker(session, "Defence Ministry", kind="organisation") is ministry


def test_person_surname_does_not_join_an_organisation(session):
    resolve_speaker(session, "Ford", kind="organisation")
    harrison = resolve_speaker(session, "Harrison Ford", kind="person")
    assert harrison.kind == "person"
    assert speaker_count(session) == 2


def test_find_speaker_uses_alias_lookups(session):
    lavrov = resolve_speaker(session, "Sergei Lavrov", kind="person")
    assert find_speaker(session, "Sergey Lavrov") is lavrov
    assert find_speaker(session, "Sergei Shoigu") is None


@pytest.mark.parametrize("name", ["", "   ", "Mr", "...", None])
def test_resolve_rejects_names_without_a_name(session, name):
    with pytest.raises(SpeakerError):
        resolve_speaker(session, name)


def test_merge_moves_quotes_and_aliases_and_deletes_others(session):
    keep = resolve_speaker(session, "Sergei Lavrov", kind="person")
    other = resolve_speaker(session, "S. V. Lavrov-Kremlin", kind="person")
    quote = add_quote(session, other)  # flushes
    other_id = other.id
    merged = merge_speakers(session, keep.id, [other_id])
    assert merged is keep
    assert session.get(Speaker, other_id) is None
    assert quote.speaker_id == keep.id
    assert "S. V. Lavrov-Kremlin" in [a.alias for a in keep.aliases]
    assert session.scalar(select(func.count()).select_from(SpeakerAlias)
                          .where(SpeakerAlias.speaker_id == other_id)) == 0


def test_merge_errors(session):
    keep = resolve_speaker(session, "Ana Ruiz")
    session.flush()
    with pytest.raises(SpeakerError, match="itself"):
        merge_speakers(session, keep.id, [keep.id])
    with pytest.raises(SpeakerError, match="no speaker"):
        merge_speakers(session, keep.id, [keep.id + 100])
    with pytest.raises(SpeakerError, match="no speaker"):
        merge_speakers(session, keep.id + 100, [keep.id])
    with pytest.raises(SpeakerError):
        merge_speakers(session, keep.id, [])


def test_rename_keeps_the_old_name_as_alias(session):
    speaker = resolve_speaker(session, "Lavrov")
    session.flush()
    rename_speaker(session, speaker.id, "Sergei Viktorovich Lavrov")
    assert speaker.name == "Sergei Viktorovich Lavrov"
    assert {"Lavrov", "Sergei Viktorovich Lavrov"} <= {a.alias for a in speaker.aliases}
    assert resolve_speaker(session, "Lavrov") is speaker


def test_rename_errors(session):
    ana = resolve_speaker(session, "Ana Ruiz")
    tom = resolve_speaker(session, "Tom Reyes")
    session.flush()
    with pytest.raises(SpeakerError, match="no speaker"):
        rename_speaker(session, tom.id + 100, "Somebody Else")
    with pytest.raises(SpeakerError, match="merge"):
        rename_speaker(session, tom.id, "Ana Ruiz")
    with pytest.raises(SpeakerError):
        rename_speaker(session, ana.id, "  ")


def test_seed_speakers_quoted_in_two_articles_share_one_row(session):
    """Extraction then resolution over the seeds: Lavrov (Sergei/Sergey) and Putin are
    each one speaker, and the distinct people stay distinct."""
    ids_by_name: dict[str, set[int]] = {}
    for doc in json.loads(GOLD.read_text(encoding="utf-8")):
        for quote in extract_quotes(doc["body"]):
            if quote.speaker:
                speaker = resolve_speaker(session, quote.speaker, kind=quote.speaker_kind,
                                          role=quote.speaker_role)
                session.flush()
                ids_by_name.setdefault(name_key(quote.speaker), set()).add(speaker.id)
    lavrov = {i for key, ids in ids_by_name.items() if key.endswith("lavrov") for i in ids}
    putin = {i for key, ids in ids_by_name.items() if key.endswith("putin") for i in ids}
    assert len(lavrov) == 1 and len(putin) == 1 and lavrov != putin
    assert speaker_count(session) == len({i for ids in ids_by_name.values() for i in ids})
    assert speaker_count(session) >= 8


def test_two_writers_naming_a_new_person_at_once_create_one_speaker(db_url):
    """Writer B resolves a name while writer A has created that speaker and not yet
    committed: B waits for A (on SQLite its BEGIN IMMEDIATE does; on PostgreSQL the lock
    taken by lock_for_resolution does) and then finds A's row instead of adding another."""
    import threading
    import time

    from corpus.database import open_engine, session_factory
    from corpus.speakers import lock_for_resolution

    engine = open_engine(db_url)
    sessions = session_factory(engine)
    resolved_by_b = []

    def writer_b():
        with sessions() as session, session.begin():
            lock_for_resolution(session, ["Mr Okonkwo"])
            resolved_by_b.append(resolve_speaker(session, "Mr Okonkwo").name)

    with sessions() as session, session.begin():
        lock_for_resolution(session, ["Chidi Okonkwo"])
        resolve_speaker(session, "Chidi Okonkwo")
        session.flush()
        other = threading.Thread(target=writer_b)
        other.start()
        time.sleep(0.5)
        assert resolved_by_b == [], "writer B did not wait for writer A's transaction"
    other.join(timeout=60)
    assert resolved_by_b == ["Chidi Okonkwo"]
    with sessions() as session:
        assert session.scalar(select(func.count(Speaker.id))) == 1
    engine.dispose()
