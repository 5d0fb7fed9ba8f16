"""Person and organisation names as text: comparable keys, surnames, whether two spellings
can be one person, and the other ways an article writes a name.

Pure functions over strings, shared by the quote extractor (which names it finds in an
article) and `corpus.speakers` (which row a name belongs to); nothing here touches the
database.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from corpus.lexicon import (ARTICLE_PREFIXES, HONORIFICS, OFFICE_MODIFIERS, OFFICE_WORDS, ORG_HEADS,
                            ORG_NAMES, ORGANISATION_SUFFIXES, PATRONYMIC_LINKS)

_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """One name token in comparable form: casefolded, accents and the common
    transliteration variants folded (Sergey/Sergei, Mohammed/Mohamed), article
    prefix dropped (al-Assad -> assad)."""
    text = unicodedata.normalize("NFKD", token.replace("\u2019", "'").replace("\u2018", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("'", "")
    for prefix in ARTICLE_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            text = text[len(prefix):]
            break
    text = text.replace("-", "")
    text = text.replace("y", "i").replace("kh", "h").replace("ph", "f").replace("ou", "u")
    return re.sub(r"(.)\1+", r"\1", text)


@lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    """The folded tokens of a name, leading titles and possessive endings removed
    (titles only lead a name: "Martin Luther King" keeps its King)."""
    words = _WORD.findall((name or "").replace("\u2019", "'").replace("\u2018", "'"))
    words = [word[:-2] if word.lower().endswith("'s") else word for word in words]
    # "al Nusra" written apart is the same as "al-Nusra".
    words = [word for word in words if word.lower() not in {"al", "el"}]
    title_end = 0
    for i, word in enumerate(words):
        low = word.lower().rstrip(".")
        if low in OFFICE_WORDS:
            title_end = i + 1
        elif low not in OFFICE_MODIFIERS:
            break
    if title_end == len(words) and not all(w.lower().rstrip(".") in HONORIFICS for w in words):
        title_end -= 1  # "King", "General": a word that is all the name there is
    if title_end == 0 and words[:1] and words[0].lower() == "the":
        title_end = 1
    return tuple(token for token in map(fold_token, words[title_end:]) if token)


def name_key(name: str) -> str:
    """Normalised form used for matching and stored as `alias_key`."""
    return " ".join(name_tokens(name))


def surname_of(tokens: tuple[str, ...]) -> str | None:
    """The family-name token, or None where the name has none (a patronymic name such as
    "Mohammed bin Salman" is not indexed by its last token)."""
    if not tokens or any(token in PATRONYMIC_LINKS for token in tokens):
        return None
    return tokens[-1]


def _skeleton(token: str) -> str:
    """Consonant skeleton: transliterations of one name mostly differ in vowels only."""
    return re.sub(r"[aeiou]", "", token)


def given_names_compatible(first: str, other: str) -> bool:
    """Whether two folded first names can be the same person's ("sergei"/"sergey",
    "v"/"vladimir", "ed"/"edward"); "ed" and "david" cannot, nor can an initial and a
    name it does not begin ("a"/"eric")."""
    if first == other:
        return True
    shorter, longer = sorted((first, other), key=len)
    if longer.startswith(shorter):  # an initial or a short form: "v", "ed"
        return True
    return len(shorter) >= 4 and _skeleton(first) == _skeleton(other)


def replaces_display_name(candidate: str, current: str) -> bool:
    """Whether a spelling met in a new article should become a speaker's display name: a
    bare surname ("Obama") gives way to the first full name ending in it ("Barack Obama");
    a full name stays, so a middle initial ("Paul D. Ryan"), a maiden name or a word a
    bad parse glued on never replaces the name the corpus already shows."""
    shown, met = name_tokens(current), name_tokens(candidate)
    return len(shown) == 1 and len(met) > 1 and surname_of(met) == shown[0]


def same_person(name: str, aliases: list[str], surname_holders: int = 1) -> bool:
    """Whether `name` denotes the speaker known by `aliases`.

    A bare surname ("Lavrov", "Mr Lavrov") on either side joins only when
    `surname_holders` (how many known speakers have that surname) is exactly one, and a
    full name never joins a speaker known by a full name with an incompatible first name,
    whatever other names it is also known by: "Ed Miliband" and "David Miliband" stay
    apart, and "Jeffrey Goldberg" does not join the "Jonah Goldberg" also written "J.J.
    Goldberg"."""
    tokens = name_tokens(name)
    if not tokens:
        return False
    surname_only = contradicted = compatible = False
    for alias in aliases:
        known = name_tokens(alias)
        if not known:
            continue
        if known == tokens:
            return True
        if surname_of(tokens) is None or surname_of(tokens) != surname_of(known):
            continue
        shorter, longer = sorted((tokens, known), key=len)
        if len(shorter) == 1 or longer[-len(shorter):] == shorter:  # "Lavrov", "de Mistura"
            surname_only = True
        elif given_names_compatible(tokens[0], known[0]):
            compatible = True
        else:
            contradicted = True
    return not contradicted and (compatible or surname_only and surname_holders == 1)


def _opens_sentence(body: str, position: int) -> bool:
    before = body[:position].rstrip(" \t")
    return not before or before[-1] in "\n.!?:;“\"‘'"


_WORDS_BEFORE_NAME = re.compile(r"(?:[A-Z][\w’'.-]*[ \t]+){0,2}\Z")  # up to two capitalised words
_WORDS_BEFORE_NAME_REACH = 160  # characters before a surname that can hold them


def name_forms(body: str, name: str) -> tuple[str, ...]:
    """The other ways the body writes a person's name: the surname alone, with an
    honorific ("Mr Lavrov"), or with another spelling of the first name ("Sergey
    Lavrov"). Titles of office before the name are left out of the form."""
    tokens = name_tokens(name)
    surname = surname_of(tokens)
    words = name.split()
    if not surname or len(tokens) < 2 or not words:
        return ()
    written_surname = re.escape(words[-1].split("-")[-1])
    # The surname is found first and the capitalised words before it read from just
    # before: one pattern with the optional prefix first would be tried at every position.
    surname_pattern = re.compile(r"(?:\w+-)?" + written_surname + r"\b")
    found: dict[str, None] = {}
    namesakes = False  # another person with this surname makes the bare surname ambiguous
    for written in surname_pattern.finditer(body):
        prefix = _WORDS_BEFORE_NAME.search(body, max(0, written.start() - _WORDS_BEFORE_NAME_REACH), written.start())
        before = prefix.group().split()
        ends = [i for i, word in enumerate(before) if word.endswith(".") and word[:-1].lower() not in HONORIFICS]
        before = before[ends[-1] + 1:] if ends else before  # a sentence ended there
        while before and before[0].rstrip(".").lower() not in HONORIFICS \
                and before[0].rstrip(".").lower() in OFFICE_WORDS | OFFICE_MODIFIERS:
            before.pop(0)
        form = " ".join([*before, written.group()])
        form_tokens = name_tokens(form)
        if not form_tokens or surname_of(form_tokens) != surname:
            continue
        if len(form_tokens) > 1 and not given_names_compatible(form_tokens[0], tokens[0]):
            if _opens_sentence(body, prefix.start()):
                found.setdefault(written.group(), None)  # "Both Cameron and ...": a capital, not a name
            else:
                namesakes = True
        elif form != name:
            found.setdefault(form, None)
    if namesakes:
        return tuple(form for form in found if len(name_tokens(form)) > 1)
    return tuple(found)


_CAPITALISED_RUN = r"[A-Z][\w&.\u2019'-]*(?:\s+(?:(?:of|for|and|on|the|de)\s+)*[A-Z][\w&.\u2019'-]*)*"
_ORGANISATION_AFTER = re.compile(r"\b(?:of|for|at|with|from)\s+(?:the\s+)?(" + _CAPITALISED_RUN + ")")
_ORGANISATION_OWNING = re.compile(r"^(?:the\s+)?(" + _CAPITALISED_RUN + r")['\u2019]s?\s")
_ORGANISATION_RUN = re.compile(r"\b[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*(?:\s+(\w+))?")


def organisation_in(role: str | None) -> str | None:
    """The organisation a role names, so speakers can be grouped by it: "executive
    director of the Campaign Legal Center" -> "Campaign Legal Center", "HP's former
    spokesman" -> "HP", "State Department official" -> "State Department", "Clinton
    campaign manager" -> "Clinton campaign"; None when the role names none."""
    if not role:
        return None
    for pattern in (_ORGANISATION_AFTER, _ORGANISATION_OWNING):
        found = pattern.search(role)
        if found and name_tokens(found.group(1)):
            return found.group(1).rstrip(".,")
    for found in _ORGANISATION_RUN.finditer(role):
        run, after = found.group(), found.group(1)
        if after:
            run = run[: found.start(1) - found.start()].rstrip()
            if after in ORGANISATION_SUFFIXES:
                return f"{run} {after}"
        if run.rsplit(None, 1)[-1].lower() in ORG_HEADS or run.lower() in ORG_NAMES:
            return run
    return None
