"""The article's who-is-who: the people and organisations it names, the roles it gives
them, and what a pronoun or a role alone ("he", "the senator") refers to at each point.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus.lexicon import (ABBREVIATED_OFFICES, CONNECTORS, DEMONYMS, DESCRIPTION_OPENERS, DETERMINERS,
                            DOCUMENT_HEADS, LEADER_HEADS, PRONOUN_GENDERS, ROLE_WORDS, SINGLE_HOLDER_HEADS)
from corpus.names import given_names_compatible, name_tokens, surname_of
from corpus.quotes.phrases import WORD, Phrase, bare


@dataclass
class Entity:
    """A person or organisation the article names, as the pass comes to know it."""
    name: str
    kind: str | None
    role: str | None = None
    gender: str | None = None  # "m"/"f" from "Mr"/"Ms", "spokeswoman", or "he"/"she"


@dataclass(frozen=True)
class Cued:
    """Where a cue named a speaker."""
    paragraph: int
    offset: int
    entity: Entity


@dataclass
class WhoIsWho:
    """What the article says about who is who, built before and during the pass."""
    full_names: dict[str, list[str]] = field(default_factory=dict)  # surname -> names
    quoted_names: dict[str, list[str]] = field(default_factory=dict)  # the same, said in quotations
    roles: dict[str, str] = field(default_factory=dict)  # name -> role stated with it
    organisations: dict[str, list[str]] = field(default_factory=dict)  # last word -> names
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: dict[int, list[Entity]] = field(default_factory=dict)  # people and unknowns, by sentence
    last_mentioned: Entity | None = None
    people: list[Entity] = field(default_factory=list)  # named as speaking or as subject
    last_organisation: Entity | None = None
    last_cue: Cued | None = None  # the last cue naming someone
    last_subject: Cued | None = None  # the last person a sentence was about who had spoken
    speakers: set[str] = field(default_factory=set)  # names a cue has given so far

    def learn(self, phrase: Phrase) -> None:
        """Record a full personal name and the role printed with it, or an organisation's
        name of several words by its last ("Washington Post" for a later "the Post")."""
        if phrase.kind == "organisation" and phrase.name and " " in phrase.name:
            names = self.organisations.setdefault(phrase.name.rsplit(None, 1)[-1].lower(), [])
            if phrase.name not in names:
                names.append(phrase.name)
            return
        if phrase.kind not in ("person", None) or not phrase.name:
            return
        tokens = name_tokens(phrase.name)
        surname = surname_of(tokens)
        if len(tokens) >= 2 and surname:
            names = self.full_names.setdefault(surname, [])
            if phrase.name not in names:
                names.append(phrase.name)
        if phrase.role:
            self.roles.setdefault(self.fullest(phrase.name), phrase.role)

    def learn_quoted(self, name: str) -> None:
        """Record a full name that only a quotation may give ("“Patrick Murphy owes
        Floridians an explanation”" in an article that otherwise writes "Murphy")."""
        tokens = name_tokens(name)
        surname = surname_of(tokens)
        if len(tokens) >= 2 and surname:
            names = self.quoted_names.setdefault(surname, [])
            if name not in names:
                names.append(name)

    def fullest(self, name: str) -> str:
        """The fullest form of a person's name in the article ("Mr Lavrov" -> "Sergei
        Lavrov"); the name itself when no fuller compatible form is known."""
        tokens = name_tokens(name)
        surname = surname_of(tokens)
        candidates = self.full_names.get(surname or "", [])
        if not candidates and len(tokens) == 1:
            quoted = self.quoted_names.get(surname or "", [])
            if len({name_tokens(c)[0] for c in quoted}) == 1:
                candidates = quoted  # one person of that surname, named only inside quotations
        if len(tokens) >= 2:  # "Sergey Lavrov" or "de Mistura" (the end of "Staffan de Mistura")
            candidates = [c for c in candidates
                          if given_names_compatible(tokens[0], name_tokens(c)[0])
                          or name_tokens(c)[-len(tokens):] == tokens]
        if not candidates:
            return name
        recent = [e.name for e in reversed(self.people) if e.name in candidates]
        if recent and len({name_tokens(c)[0] for c in candidates}) > 1:
            return recent[0]  # "Bush" in an article with Jeb and George W. Bush: the last who spoke
        return max(candidates, key=lambda c: len(name_tokens(c)))

    def entity(self, name: str, kind: str | None, role: str | None = None,
               gender: str | None = None) -> Entity:
        if kind == "organisation" and not name.isupper() and self.fullest(name) != name:
            kind = None  # "the Trump we all knew" in an article about Donald Trump
        elif kind == "organisation" and " " not in name \
                and len(named := self.organisations.get(name.lower(), [])) == 1:
            name = named[0]  # "the Post" in an article that names the Washington Post
        if kind != "organisation":
            full = self.fullest(name)
            if full != name or len(name_tokens(name)) >= 2:
                kind = "person"
            name = full
        entity = self.entities.get(name)
        if entity is None:
            entity = Entity(name, kind, role or self.roles.get(name))
            self.entities[name] = entity
        if entity.kind is None and kind:
            entity.kind = kind
        if role and not entity.role:
            entity.role = role
        entity.gender = entity.gender or gender
        return entity

    def unnamed(self, phrase: Phrase) -> Entity:
        """A speaker the article describes without naming ("a senior US official", "one
        Sanders supporter"): a speaker of its own, named by the description, that a later
        "the official" can refer to."""
        words = phrase.tokens
        while words and words[0].low in DESCRIPTION_OPENERS:
            words = words[1:]
        text = phrase.text[words[0].start - phrase.tokens[0].start:] if words else phrase.text
        entity = self.entities.get(text)
        if entity is None or entity.kind != "description":
            entity = Entity(text, "description", text, phrase.gender)
            self.entities[text] = entity
            self.roles[text] = text
        return entity

    def remember(self, entity: Entity) -> None:
        """Note who speaks or who a sentence is about, for a later "he"/"she" (people and
        the people described) or "it" (anything else: an organisation, a document such as
        "the letter")."""
        if entity.kind not in ("person", "description") or entity.kind == "description" \
                and bare(entity.name.rsplit(None, 1)[-1]).lower() in DOCUMENT_HEADS:
            self.last_organisation = entity
            return
        if entity in self.people:
            self.people.remove(entity)
        self.people.append(entity)

    def pronoun(self, pronoun: str) -> Entity | None:
        """What "he"/"she"/"it" refers to: the last person named as speaking or as a
        sentence's subject whose known gender fits, else the last person named."""
        if pronoun == "it":
            return self.last_organisation
        gender = PRONOUN_GENDERS[pronoun]
        fits = [e for e in (*reversed(self.people), self.last_mentioned)
                if e is not None and e.gender in (None, gender)]
        if not fits:
            return None
        fits[0].gender = gender
        return fits[0]

    def describe(self, phrase: Phrase, sentence: int) -> Entity | None:
        """The person a role alone refers to: the one the article gives that role, else,
        for an office ("the Florida senator"), the most salient person of the last few
        sentences whose known role does not conflict with it (the first named in the
        nearest sentence: mostly its subject)."""
        words = role_words(phrase.text)
        holders = {id(entity): entity for entity in (
            self.entities.get(name) or self.entity(name, "person")
            for name, role in self.roles.items() if role_fits(words, role_words(role)))}
        if len(holders) == 1:
            return next(iter(holders.values()))
        nationality = words[-1].lower() in DEMONYMS
        if not phrase.definite or (words[-1].lower() not in SINGLE_HOLDER_HEADS and not nationality) \
                or any(t.possessive or t.low in CONNECTORS for t in phrase.tokens):
            return None
        for previous in range(sentence - 1, max(-1, sentence - 7), -1):
            for entity in self.mentions.get(previous, ()):
                # "the Spaniard" can be "Nadal", a surname alone, once he has spoken
                if (entity.kind == "person" or nationality and entity.kind is None
                        and entity.name in self.speakers) and (
                        not entity.role or not role_conflicts(words, role_words(entity.role))):
                    return entity
        return None


def role_words(role: str) -> list[str]:
    """The words of a role, offices written out ("Sen." -> "senator")."""
    return [ABBREVIATED_OFFICES.get(w.lower(), bare(w)) for w in WORD.findall(role)
            if w.lower() not in DETERMINERS]


def _places(words: list[str]) -> set[str]:
    """The capitalised modifiers of a role, mostly nationalities ("Syrian", "Pentagon")."""
    return {w.lower() for w in words[:-1] if w[0].isupper() and w.lower() not in ROLE_WORDS}


def role_conflicts(description: list[str], role: list[str]) -> bool:
    """Whether a role-only description cannot be someone with the stated role: another
    office ("the senator" is not the governor), or another country ("the Syrian
    President" is not the Russian president). A person has one office but many other
    descriptions ("the Florida senator" can be the "Republican presidential candidate")."""
    described = {w.lower() for w in description}
    stated = {w.lower() for w in role}
    head, stated_head = description[-1].lower(), role[-1].lower()
    if head in SINGLE_HOLDER_HEADS and stated_head in SINGLE_HOLDER_HEADS and not (
            head == stated_head or (head == "leader" and LEADER_HEADS & stated)
            or (stated_head == "leader" and LEADER_HEADS & described)):
        return True
    places, stated_places = _places(description), _places(role)
    return bool(places and stated_places and not places & stated_places)


def role_fits(description: list[str], role: list[str]) -> bool:
    """Whether a role-only description ("the Russian leader") fits a stated role
    ("Russian president"): same modifiers, and the same office or a leader for a leader."""
    if not description or not role:
        return False
    description, role = [w.lower() for w in description], [w.lower() for w in role]
    head, modifiers = description[-1], description[:-1]
    if not set(modifiers) <= set(role):
        return False
    if head == role[-1]:
        return True
    return head == "leader" and bool(LEADER_HEADS & set(role))
