"""Tokens, sentences and the noun phrases that can be speakers, split into role and name.

A sentence is read as tokens (words, punctuation, masked quotations); a speaker phrase is a
run of capitalised words, role words and organisation heads ("the Syrian President",
"Foreign Minister Sergei Lavrov", "a spokesperson for the Home Office"), read before or
after a cue, with an apposition where there is one ("Jane Smith, a spokeswoman, said").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corpus.lexicon import (ABBREVIATIONS, CLAUSE_OPENERS, CONNECTORS, CUE_MODIFIERS, CUE_VERBS, DEMONYMS,
                            DOCUMENT_HEADS, DESCRIPTION_OPENERS, DETERMINERS, FUNCTION_WORDS, PARTICIPLE_CUES,
                            GENDERED_WORDS, GROUP_HEADS, HONORIFICS, NAME_PARTICLES, NAME_PREFIX,
                            NOUN_PHRASE_OPENERS, ORG_HEADS, ORG_NAMES, ORGANISATION_SUFFIXES, PERSON_HEADS, PHRASAL_CUES,
                            POSTMODIFYING_ADJECTIVES, POSTMODIFYING_PARTICIPLES,
                            POSTMODIFYING_PREPOSITIONS, PRONOUNS, ROLE_WORDS, SPEECH_NOUNS, SPOKESPEOPLE,
                            VERB_FOLLOWERS)

# Head nouns of what can be quoted: people, organisations, documents.
SPEAKER_HEADS = PERSON_HEADS | ORG_HEADS | ORGANISATION_SUFFIXES | DOCUMENT_HEADS
MAX_ASIDE_TOKENS = 24  # longest "Name, aside, said" aside read

WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
TOKEN = re.compile(
    r"(?P<q>\x00+)"
    r"|(?P<w>(?:Mr|Mrs|Ms|Dr|Prof|Rev|Gen|Sen|Gov|Rep|Col|Lt|Capt|Sgt|St|Const|Supt|Insp|Det|Cpl|Pvt|Adm"
    r"|Brig|Cmdr|Atty)\.(?=\s)"
    r"|(?:[A-Z]\.){2,}(?:-[^\W_]+)*"  # "U.S. Attorney", "a U.S. official", "D.C.-based"
    r"|[A-Z]\.(?=[ \t]+[A-Z])"  # an initial: "J. Gerald Hebert", "Harry M. Reid"
    r"|[^\W_]+(?:['\u2018\u2019\-.&][^\W_]+)*)"  # "P&G", "AT&T", "MANAGER‘S"
    r"|(?P<p>[^\w\s])"
)
_SENTENCE_END = re.compile(
    r"[.!?\u2026]+[\"\u201d\u2019\u00bb)\]]*(?=\s+[\"\u201c\u2018\u00ab\u201e\u201d(\[]?[A-Z0-9\x00])"
)
_WORD_BEFORE_STOP = re.compile(r"[^\W_]+$")


# After a quotation that ends in "?" or "!": the words of a speaker phrase, then its cue
# ("Hannity pressed", "US Senator Jeff Sessions said", "the host asked", "Miller, a retired
# worker from a nuclear plant, said"). A word ending in a full stop other than an
# abbreviation ("Gov.", "U.S.") ends the sentence, and so does other punctuation.
_WORD_AFTER_QUOTATION = re.compile(r"\s+([\w\u2019'()-]+|[A-Z][\w.]{0,3}\.)(,?)")
MAX_WORDS_BEFORE_CUE = 7  # "former Texas Gov. Rick Perry" and a determiner
MAX_ASIDE_WORDS = 14


def _cue_follows(masked: str, position: int, end: int) -> bool:
    """Whether the words after masked[position] are a speaker phrase and its cue, the
    subject of the quotation just closed."""
    words = aside = 0
    in_aside = False
    while (word := _WORD_AFTER_QUOTATION.match(masked, position, end)) is not None:
        position = word.end()
        if word.group(1) in _CUES_AFTER_QUOTATION and not in_aside:
            return True
        if in_aside:
            aside += 1
            if aside > MAX_ASIDE_WORDS:
                return False
        else:
            words += 1
            if words > MAX_WORDS_BEFORE_CUE:
                return False
        if word.group(2):  # a comma opens the one aside read, or closes it
            if aside and not in_aside:
                return False
            in_aside = not in_aside
    return False


_CUES_AFTER_QUOTATION = CUE_VERBS | {cue.split()[0] for cue in PHRASAL_CUES}


def _opens_sentence(masked: str, begin: int, stop: int) -> bool:
    """Whether the quotation ending at masked[stop] (its closing full stop) is all its
    sentence so far: "“We will win.” Trump said." is one sentence, "He said “we will
    win.” Trump said later" two."""
    k = stop
    while k > begin and masked[k - 1] == "\x00":
        k -= 1
    return k < stop and not masked[begin:k - 1].strip()


def sentences(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    begin = start
    for match in _SENTENCE_END.finditer(masked, start, end):
        word = _WORD_BEFORE_STOP.search(masked, max(begin, match.start() - 24), match.start())
        if word and (word.group().lower() in ABBREVIATIONS
                     or (len(word.group()) == 1 and word.group().isupper())):
            continue  # "Mr. Lavrov", "John F. Kennedy"
        if match.group()[-1] in "\"\u201d\u2019\u00bb" and (
                match.group()[0] in "?!" or _opens_sentence(masked, begin, match.start())):
            if _cue_follows(masked, match.end(), end):
                continue  # "“Is it over?” Hannity pressed.": the cue belongs to the quotation
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, end))
    return [(a, b) for a, b in spans if masked[a:b].strip()]


def bare(text: str) -> str:
    """A word without its possessive ending."""
    for ending in ("\u2019s", "'s"):
        if text.endswith(ending):
            return text[: -len(ending)]
    if text.endswith(("s\u2019", "s'")):
        return text[:-1]
    return text


class Token:
    """A word, punctuation mark or masked quotation, with what the parser asks of it."""
    __slots__ = ("text", "start", "end", "kind", "low", "key", "possessive", "is_name",
                 "is_phrase", "is_descriptor")

    def __init__(self, text: str, start: int, end: int, kind: str) -> None:
        self.text, self.start, self.end, self.kind = text, start, end, kind
        (self.low, self.key, self.possessive, self.is_name, self.is_phrase,
         self.is_descriptor) = token_features(text, kind)


_DESCRIPTOR = re.compile(r"[a-z]+(?:-[a-z0-9]+)*|[0-9]+(?:-[a-z]+)+|(?:1[89]|20)[0-9][0-9]")  # "well-connected", "55-year-old", "2008"


@lru_cache(maxsize=65536)
def token_features(text: str, kind: str) -> tuple[str, str, bool, bool, bool, bool]:
    """(lower case, key without possessive or abbreviation dot, possessive, can be part of
    a name, can be part of a speaker phrase, can be a lower-case word of a description
    such as "campaign" in "a Clinton campaign aide")."""
    stem = bare(text)
    key = stem.lower().rstrip(".")
    is_name = kind == "w" and (bool(NAME_PREFIX.match(text)) or (text[0].isupper() and (
        key not in FUNCTION_WORDS or (len(text) > 1 and text.isupper()))))  # WHO, UN
    is_phrase = kind == "w" and (is_name or key in ROLE_WORDS or key in ORG_HEADS
                                 or key in GROUP_HEADS or key in NAME_PARTICLES)
    is_descriptor = (kind == "w" and _DESCRIPTOR.fullmatch(text) is not None
                     and (len(text) > 2 or key in DOCUMENT_HEADS)  # "the ad claims"
                     and key not in FUNCTION_WORDS and key not in CUE_VERBS and key not in PARTICIPLE_CUES
                     and key not in CUE_MODIFIERS and key not in CONNECTORS and key not in CLAUSE_OPENERS
                     and key not in DESCRIPTION_OPENERS and key not in POSTMODIFYING_ADJECTIVES
                     and key not in NAME_PARTICLES
                     and not key.endswith("ly"))
    return text.lower(), key, stem != text, is_name, is_phrase, is_descriptor


@dataclass
class Phrase:
    """A noun phrase that can be a speaker, split into role and name."""
    tokens: list[Token]
    text: str
    name: str | None
    role: str | None
    kind: str | None  # person, organisation, group, description, reference, pronoun
    pronoun: str | None = None
    first: int = 0  # token span in the sentence, determiner included
    last: int = 0
    definite: bool = False  # "the Syrian President", not "a spokesperson"
    gender: str | None = None  # from "Mr", "Ms", "spokeswoman"


def phrase_text(tokens: list[Token], body: str) -> str:
    return body[tokens[0].start: tokens[-1].end] if tokens else ""


# A capitalised word that says where someone is from or who is behind them ("Texas-based",
# "South Korean-born", "Los Angeles-area"): part of the role, never of the name.
_ORIGIN_DESCRIPTOR = re.compile(r"[^\W_][\w.]*-(?:based|born|bred|raised|area|educated|trained|backed|owned|funded)")


def _names_organisation(tokens: list[Token], i: int) -> bool:
    """Whether tokens[i] is the capitalised last word of an organisation's name ("State
    Department", "Associated Press"), so part of the name rather than a role."""
    return (i == len(tokens) - 1 and i > 0 and tokens[i].text[0].isupper()
            and tokens[i].key in ORG_HEADS and tokens[i - 1].is_name
            and tokens[i - 1].key not in ROLE_WORDS)


def interpret(tokens: list[Token], body: str) -> Phrase | None:
    """Split a phrase into role and name and say what it denotes."""
    phrase = _interpret_words(tokens, body)
    if phrase is not None:
        phrase.definite = tokens[0].low == "the"
        phrase.gender = next((GENDERED_WORDS[t.key] for t in tokens if t.key in GENDERED_WORDS),
                             None)
    return phrase


def _interpret_words(tokens: list[Token], body: str) -> Phrase | None:
    definite = bool(tokens) and tokens[0].low == "the"
    while tokens and (tokens[0].low in DETERMINERS or tokens[0].low in CONNECTORS):
        tokens = tokens[1:]
    while tokens and (tokens[-1].low in CONNECTORS or tokens[-1].low in NAME_PARTICLES):
        tokens = tokens[:-1]
    if not tokens:
        return None
    if len(tokens) == 1:
        only = tokens[0]
        if only.low in PRONOUNS:
            return Phrase(tokens, only.text, None, None, "pronoun", only.low)
        if only.key in GROUP_HEADS:
            return Phrase(tokens, only.text, None, only.text, "group")  # "Voters said"
        if only.key in DEMONYMS and definite:
            return Phrase(tokens, only.text, None, only.text, "description")  # "the Spaniard said", not "Cuban said"
        if only.is_name and only.key not in ROLE_WORDS and only.key not in ORG_HEADS:
            # The common case, a single capitalised word: "Lavrov", "Moscow", "AFP".
            # "the Guardian", "the Pentagon": no person's name takes "the".
            name = bare(only.text)
            acronym = name.isupper() and 2 <= len(name) <= 8
            return Phrase(tokens, only.text, name, None, "organisation" if acronym or definite else None)
    text = phrase_text(tokens, body)
    head = tokens[-1].key
    role_end = max((i for i, t in enumerate(tokens)
                    if (t.key in ROLE_WORDS or t.key in ORG_HEADS or t.is_descriptor
                        or _ORIGIN_DESCRIPTOR.fullmatch(t.text)
                        or t.key.endswith("s") and t.key[:-1] in PERSON_HEADS  # "Senators Mitch McConnell and"
                        and i + 1 < len(tokens) and tokens[i + 1].is_name)
                    and not _names_organisation(tokens, i)),
                   default=-1)
    while role_end + 2 < len(tokens) and tokens[role_end + 1].key in DEMONYMS \
            and not any(t.key in ORG_HEADS for t in tokens[role_end + 2:]):
        role_end += 1  # "American Bobby Fischer", not "American Airlines"
    role_tokens = tokens[: role_end + 1]
    name_part = tokens[role_end + 1:]
    role = phrase_text(role_tokens, body) or None
    honorific = bool(role_tokens) and all(t.key in HONORIFICS for t in role_tokens)
    if honorific:
        role = None
    connector = next((i for i, t in enumerate(tokens) if t.low in CONNECTORS), None)
    if connector and tokens[connector - 1].key in ORG_HEADS and all(
            t.is_name and t.key not in PERSON_HEADS for t in tokens[connector + 1:]):
        # "Office for National Statistics", "Ministry of Defence": one proper name.
        return Phrase(tokens, text, text, None, "organisation")
    if connector and tokens[connector - 1].text.islower():
        # "a spokesperson for Assad", "the army of President Assad": what stands before
        # "of"/"for" is the speaker. A capitalised office or name goes on through it
        # ("Secretary of State John Kerry", "Bank of England governor Andrew Bailey").
        return _headed_by(tokens, text, tokens[connector - 1].key, tokens[connector + 1:], body)
    affiliation = next((i for i, t in enumerate(name_part) if t.low in CONNECTORS and i), None)
    if affiliation is not None:
        # "Jane Doe of Oxford University": the name, then where she is from.
        where = phrase_text(name_part[affiliation + 1:], body)
        role = f"{role}, {where}" if role else where
        name_part = name_part[:affiliation]
    if role_tokens and name_part and name_part[0].low in CONNECTORS:
        # "the King of Saudi Arabia"
        return _headed_by(tokens, text, role_tokens[-1].key, name_part[1:], body)
    if head in GROUP_HEADS and not name_part:
        return Phrase(tokens, text, None, text, "group")
    if not name_part:
        if len(tokens) == 1 and head in ORG_HEADS and tokens[0].text.islower():
            # "the company said": an organisation the article named before.
            return Phrase(tokens, text, None, None, "reference")
        if head in ORG_HEADS or text.lower() in ORG_NAMES:
            return Phrase(tokens, text, text, None, "organisation")
        if head in ORGANISATION_SUFFIXES and len(tokens) == 2 and tokens[0].is_name and not tokens[0].possessive:
            return Phrase(tokens, text, text, None, "organisation")  # "the Clinton campaign said"
        if head in PERSON_HEADS or head in DOCUMENT_HEADS or tokens[-1].is_descriptor:
            return Phrase(tokens, text, None, text, "description")
        return None
    if not all(t.is_name or t.low in NAME_PARTICLES for t in name_part):
        return None
    owner = max((n for n, t in enumerate(name_part[:-1]) if t.possessive), default=None)
    if owner is not None:
        # "The Post's Dana Milbank", "CIA's Benghazi": the name is after the owner.
        role_tokens, name_part = tokens[: len(role_tokens) + owner + 1], name_part[owner + 1:]
        role = phrase_text(role_tokens, body)
    name = bare(phrase_text(name_part, body))
    name_low = name.lower()
    role_head = role_tokens[-1].key if role_tokens else ""
    acronym = name.isupper() and 2 <= len(name) <= 8 and " " not in name
    if (acronym or name_low in ORG_NAMES or name_part[-1].key in ORG_HEADS
            or role_head in ORG_HEADS and not (len(name_part) > 1 and any(t.key in PERSON_HEADS for t in role_tokens))):
        # "the Punjab Police", not "Inspector General of Punjab Police Nasim Ahmed"
        return Phrase(tokens, text, name, role, "organisation")
    if honorific or role_head in PERSON_HEADS or len(name_part) > 1:
        return Phrase(tokens, text, name, role, "person")
    return Phrase(tokens, text, name, role, None)


def _span_before(tokens: list[Token], end: int) -> int:
    """Start of the phrase words ending just before tokens[end] (end when there are none)."""
    j = end
    while j > 0:
        token = tokens[j - 1]
        if token.is_phrase:
            j -= 1
        elif j < end and j >= 2 and (
                (token.low in CONNECTORS and tokens[j - 2].is_phrase)
                or (token.low in DETERMINERS and tokens[j - 2].low in CONNECTORS)):
            j -= 1
        else:
            break
    if j < end and j > 0 and tokens[j - 1].low in DETERMINERS:
        j -= 1
    return j


def _spanned(phrase: Phrase | None, first: int, last: int) -> Phrase | None:
    if phrase is not None:
        phrase.first, phrase.last = first, last
    return phrase


def _headed_by(tokens: list[Token], text: str, head: str, complement: list[Token],
               body: str) -> Phrase | None:
    """A phrase whose speaker is its head word with a complement ("the King of Saudi
    Arabia", "the Bank of England", "a group of residents"). A spokesperson speaks for
    an organisation: "a spokesperson for the Home Office" is the Home Office."""
    if head in SPOKESPEOPLE and complement:
        principal = interpret(complement, body)
        if principal is not None and principal.kind in ("organisation", "reference"):
            return Phrase(tokens, text, principal.name, text, principal.kind)
    if head in GROUP_HEADS:
        return Phrase(tokens, text, None, text, "group")
    if head in ORG_HEADS:
        return Phrase(tokens, text, text, None, "organisation")
    if head in PERSON_HEADS:
        return Phrase(tokens, text, None, text, "description")
    return None


def modifies_cue(token: Token) -> bool:
    """A word that can stand between a subject and its cue: "also", "went on to", an
    adverb ("jokingly")."""
    return (token.low in CUE_MODIFIERS and not token.is_name) or (token.kind == "w" and token.text.islower()
                                           and len(token.text) > 4 and token.low.endswith("ly"))


def phrase_before(tokens: list[Token], end: int, body: str) -> Phrase | None:
    """The speaker phrase ending just before tokens[end], skipping words such as "also"
    ("Putin also said") and reading an apposition ("Jane Smith, a spokeswoman, said")."""
    i = end
    while i > 0 and modifies_cue(tokens[i - 1]):
        i -= 1
    if i > 1 and tokens[i - 1].text == ")":  # "Harry Reid (D-Nev.) said"
        opening = next((k for k in range(i - 2, max(-1, i - 10), -1) if tokens[k].text == "("), None)
        if opening is not None:
            i = opening
    if i > 0 and tokens[i - 1].low in PRONOUNS:
        return _spanned(interpret([tokens[i - 1]], body), i - 1, i)
    if i > 0 and tokens[i - 1].text == ",":
        return _aside_before(tokens, i - 1, body)
    if i > 2 and tokens[i - 1].low == "who" and tokens[i - 2].text == ",":
        i -= 2  # "Jones, who said"
    j = _descriptor_span_before(tokens, _span_before(tokens, i), i)
    described = _described_before(tokens, i, body)
    if described is not None and described.first < j:
        return described
    if j >= i:
        return None
    phrase = interpret(tokens[j:i], body)
    if phrase is not None and phrase.name and phrase.kind in ("person", None) and j > 1 \
            and tokens[j - 1].low == "and" and tokens[j - 2].is_name:
        # "Mitch McConnell and John Cornyn said": the first named speaks for both.
        k = _descriptor_span_before(tokens, _span_before(tokens, j - 1), j - 1)
        first = interpret(tokens[k:j - 1], body) if k < j - 1 else None
        if first is not None and first.name and first.kind in ("person", None):
            return _spanned(first, k, i)
    return _spanned(phrase, j, i)


MAX_POSTMODIFIER_TOKENS = 12  # "an official who spoke on condition of anonymity to discuss the talks"


def _described_before(tokens: list[Token], end: int, body: str) -> Phrase | None:
    """An unnamed speaker with what follows its description, ending at tokens[end]: "one
    Democrat familiar with the campaign said", "a staffer in the room wondered", "an
    official who spoke anonymously said" (the relative clause is left out of the text)."""
    for k in range(end - 1, max(-1, end - MAX_POSTMODIFIER_TOKENS - 1), -1):
        token = tokens[k]
        if token.kind != "w" or token.low in CLAUSE_OPENERS:
            return None
        relative = token.low == "who" and k < end - 1  # "... in Philadelphia who said": not this
        if not relative and _postmodifier_end(tokens, k) != end:
            continue
        start = _descriptor_span_before(tokens, _span_before(tokens, k), k)
        if start < k and tokens[start].low in DESCRIPTION_OPENERS:
            head = interpret(tokens[start:k], body)
            if head is not None and head.kind in ("description", "group"):
                return _spanned(head if relative else _postmodified(head, tokens[k:end], body),
                                start, end)
    return None


def _postmodified(phrase: Phrase, postmodifier: list[Token], body: str, owner: Token | None = None) -> Phrase:
    """A description with the words that follow its head ("source familiar with the talks"),
    or with its owner before it ("Hillary Clinton’s right-hand woman")."""
    phrase.text = phrase.role = body[(owner or phrase.tokens[0]).start: postmodifier[-1].end]
    return phrase


MAX_DESCRIPTION_TOKENS = 7  # "a senior Clinton campaign aide", "Texas delegate Bill Eastland"


def _descriptor_span_before(tokens: list[Token], start: int, end: int) -> int:
    """Start of a subject with lower-case descriptor words ("Democratic pollster Peter
    Fenn", "a Clinton campaign spokesman", "one Sanders supporter") that ends at tokens[end],
    given the start of its plain phrase words; the plain start where the words before
    are not bounded like a subject (a determiner, a clause opener, punctuation)."""
    if start < end and tokens[start].low in DESCRIPTION_OPENERS:
        return start
    k = start
    while k > 0 and end - k < MAX_DESCRIPTION_TOKENS and (tokens[k - 1].is_phrase
                                                         or tokens[k - 1].is_descriptor):
        k -= 1
    if k == start or not any(t.is_descriptor for t in tokens[k:start]):
        if start > 0 and start < end and tokens[start - 1].low in DESCRIPTION_OPENERS - DETERMINERS:
            return start - 1  # "one Clinton aide", "another Sanders supporter"
        return start
    if k > 0 and tokens[k - 1].low in DESCRIPTION_OPENERS:
        return k - 1
    if k == 0 or tokens[k - 1].kind != "w" or tokens[k - 1].low in CLAUSE_OPENERS:
        return k
    return start


def _aside_before(tokens: list[Token], comma: int, body: str) -> Phrase | None:
    """The speaker of "Jane Smith, a spokeswoman for the union, said", "Smith, 45,
    said", "Harry Bond, 30, of Raleigh, N.C., who was polled, said": the phrase before
    the aside, where a clause begins (the sentence, a quotation or a conjunction before
    it; a full name after an introductory phrase), with the aside as its role when it is
    one."""
    for opening in range(comma - 1, max(0, comma - MAX_ASIDE_TOKENS), -1):
        if tokens[opening].text != ",":
            continue
        outer = _descriptor_span_before(tokens, _span_before(tokens, opening), opening)
        if outer == opening:
            continue
        if outer == 0 or (tokens[outer - 1].text != "," and (
                tokens[outer - 1].kind != "w" or tokens[outer - 1].low in CLAUSE_OPENERS)):
            break
        if tokens[outer - 1].text == "," and (
                named := interpret(tokens[outer:opening], body)) is not None and (
                named.kind == "person" and named.name and " " in named.name
                or named.kind == "description" and tokens[outer].low in DETERMINERS
                and (aside := interpret(tokens[opening + 1:comma], body)) is not None
                and aside.name and aside.kind in ("person", None)):
            # "In a request for records, Chris Herren, chief of ..., noted"; "Speaking
            # at a press conference, the police chief, Mauricio Freire, said"
            break
    else:
        return None
    named = interpret(tokens[outer:opening], body)
    aside_start = _span_before(tokens, comma)
    if aside_start == opening + 1:
        phrase = _apposition(named, interpret(tokens[aside_start:comma], body))
    elif named is not None and named.name and not named.role \
            and tokens[opening + 1].low in DETERMINERS:
        phrase = named
        end = next((k for k in range(opening + 2, comma) if tokens[k].text == ","), comma)
        phrase.role = phrase_text(tokens[opening + 2:end], body)
    else:
        phrase = named
    return _spanned(phrase, outer, comma + 1)


def _apposition(first: Phrase | None, second: Phrase | None) -> Phrase | None:
    """One speaker from two phrases naming it: the name of one, the role of the other
    ("The chancellor, Rachel Reeves", "Jane Smith, a spokeswoman for the union")."""
    if first is None or second is None:
        return None
    names = [p for p in (first, second) if p.name and p.kind in ("person", None)]
    if len(names) != 1:
        return None
    named = names[0]
    other = second if named is first else first
    if not other.role:
        return None
    kind = named.kind or ("person" if other.kind == "description" else None)
    return Phrase(named.tokens, named.text, named.name, named.role or other.role, kind,
                   gender=named.gender or other.gender)


def phrase_after(tokens: list[Token], begin: int, body: str,
                 descriptors: bool = False) -> Phrase | None:
    """The speaker phrase starting at tokens[begin]; with `descriptors`, lower-case words
    that describe the speaker too ("said pollster Frank Luntz", "wrote one Sanders
    supporter")."""
    if begin >= len(tokens):
        return None
    if tokens[begin].low in PRONOUNS:
        return _spanned(interpret([tokens[begin]], body), begin, begin + 1)
    j = begin
    if tokens[j].low in (DESCRIPTION_OPENERS if descriptors else DETERMINERS):
        j += 1
    while j < len(tokens):
        token = tokens[j]
        if descriptors and token.is_descriptor and j > begin and tokens[j - 1].key in SPEAKER_HEADS \
                and tokens[j - 1].text.islower() and not tokens[j - 1].possessive \
                and token.key not in SPEAKER_HEADS and token.key not in ROLE_WORDS:
            break  # "the Florida senator sought": the head ends a description ("court document" goes on)
        if token.is_phrase or (descriptors and token.is_descriptor and j - begin < MAX_DESCRIPTION_TOKENS):
            j += 1
        elif (token.low in CONNECTORS and j + 1 < len(tokens) and tokens[j + 1].is_phrase
              and j > begin):
            j += 1
        else:
            break
        if token.possessive and not (j < len(tokens) and tokens[j].is_phrase):
            break
    if descriptors:
        # A description ends in its head noun, not in the verb after it: a lower-case word
        # followed by an object or "to" is a verb ("the Florida senator sought to calm",
        # "the Sanders campaign projects that").
        while j > begin + 1 and j < len(tokens) and tokens[j - 1].is_descriptor \
                and tokens[j - 1].key not in PERSON_HEADS and tokens[j].low in VERB_FOLLOWERS:
            j -= 1
    if j == begin or (j == begin + 1 and tokens[begin].low in DESCRIPTION_OPENERS):
        return None
    phrase = interpret(tokens[begin:j], body)
    if descriptors and phrase is not None and phrase.kind in ("description", "group") \
            and (end := _postmodifier_end(tokens, j)) > j:
        # "said one Democrat familiar with the campaign, who asked not to be named"
        return _spanned(_postmodified(phrase, tokens[j:end], body), begin, end)
    return _spanned(phrase, begin, j)


def _noun_phrase_end(tokens: list[Token], k: int) -> int:
    """End of the noun phrase at tokens[k] in a description's post-modifier: "the Clinton
    campaign's organization", "Trump Tower", "the room", "condition of anonymity"."""
    if k < len(tokens) and tokens[k].low in NOUN_PHRASE_OPENERS:
        k += 1
    start, named = k, False
    while k < len(tokens) and k - start < MAX_DESCRIPTION_TOKENS:
        token = tokens[k]
        if token.is_phrase and not (token.low in CONNECTORS):
            named = True
        elif token.is_descriptor and not named:
            pass
        elif token.low in CONNECTORS and k > start and k + 1 < len(tokens) \
                and (tokens[k + 1].is_phrase or tokens[k + 1].is_descriptor):
            named = False
        else:
            break
        if token.possessive:
            named = False  # what follows "Cruz’s" is the head: "Cruz’s thinking"
        k += 1
    return k if k > start else start - (start > 0 and tokens[start - 1].low in NOUN_PHRASE_OPENERS)


def _postmodifier_end(tokens: list[Token], j: int) -> int:
    """End of what follows a description's head and belongs to it ("familiar with the
    talks", "in the room", "speaking on condition of anonymity"); j where nothing does."""
    if j >= len(tokens):
        return j
    word = tokens[j].low
    k = j + 1
    if word in POSTMODIFYING_ADJECTIVES or word in POSTMODIFYING_PARTICIPLES:
        if k < len(tokens) and tokens[k].low in POSTMODIFYING_PREPOSITIONS:
            k += 1
    elif word not in POSTMODIFYING_PREPOSITIONS:
        return j
    end = _noun_phrase_end(tokens, k)
    return end if end > k else j


def phrase_after_aside(tokens: list[Token], begin: int, body: str) -> Phrase | None:
    """The speaker phrase at tokens[begin] with an apposition after it ("the minister,
    Ana Ruiz, as saying"; "…," said the minister, Ana Ruiz.)."""
    phrase = phrase_after(tokens, begin, body, descriptors=True)
    if phrase is None or phrase.last + 1 >= len(tokens) or tokens[phrase.last].text != ",":
        return phrase
    second = phrase_after(tokens, phrase.last + 1, body, descriptors=True)
    if second is None or (second.last < len(tokens) and tokens[second.last].text not in ",."):
        return phrase
    both = _apposition(phrase, second)
    if both is None:
        return phrase
    closing = second.last < len(tokens) and tokens[second.last].text == ","
    return _spanned(both, begin, second.last + closing)


def role_after(tokens: list[Token], begin: int, body: str) -> str | None:
    """The role in an apposition after a name ("…," said Jane Smith, a spokeswoman for
    the union.): the words up to the next comma."""
    if begin + 1 >= len(tokens) or tokens[begin].text != "," or \
            tokens[begin + 1].low not in DETERMINERS:
        return None
    end = next((k for k in range(begin + 2, len(tokens)) if tokens[k].kind != "w"),
               len(tokens))
    return phrase_text(tokens[begin + 2:end], body) or None


def _can_speak(head: Token) -> bool:
    """Whether a description's head word names something that can be quoted: a person,
    a group, an organisation or a document ("One month after", "The scene" cannot)."""
    return head.key in SPEAKER_HEADS or head.key in GROUP_HEADS


def main_subject(tokens: list[Token], body: str) -> Phrase | None:
    """The subject of a sentence's main clause: the first phrase after any opening
    conjunction and introductory clauses ("Speaking after the talks, Lavrov ...")."""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind != "w" or token.low in {"but", "and", "yet", "so", "or", "however",
                                               "meanwhile", "still", "also", "then"}:
            i += 1
            continue
        if token.low in FUNCTION_WORDS - DETERMINERS - PRONOUNS.keys() or token.low.endswith("ing"):
            comma = next((k for k in range(i, len(tokens)) if tokens[k].text == ","), None)
            if comma is None:
                return None
            i = comma + 1
            continue
        # "A Clinton campaign official later said": a description reads its lower-case
        # words; a name after them only when they are a role ("The movie shows Bob" is
        # no one called Bob).
        phrase = phrase_after(tokens, i, body, descriptors=token.low in DESCRIPTION_OPENERS)
        if phrase is not None and (not phrase.name or phrase.last < len(tokens)
                                   and tokens[phrase.last].is_descriptor) \
                and token.low not in DESCRIPTION_OPENERS \
                and (described := phrase_after(tokens, i, body, descriptors=True)) is not None \
                and described.name and described.kind == "person" and described.last > phrase.last:
            # "Republican presidential front-runner Donald Trump is ...", "Clinton campaign
            # manager Robby Mook released ...": the person the descriptors lead to.
            phrase = described
        elif phrase is not None and phrase.name and phrase.kind != "organisation" and any(
                t.is_descriptor and t.key not in ROLE_WORDS and t.key not in ORG_HEADS
                and t.key not in ORGANISATION_SUFFIXES for t in phrase.tokens):
            phrase = phrase_after(tokens, i, body)
        if phrase is not None and phrase.tokens[-1].possessive and phrase.last < len(tokens) \
                and tokens[phrase.last].text.islower():
            # "Hillary Clinton’s right-hand woman rallied", "Trump’s remarks drew": what
            # the name owns is the subject, a speaker only when it is a person.
            owned = phrase_after(tokens, phrase.last, body, descriptors=True)
            if owned is None and tokens[phrase.last].key in SPEECH_NOUNS:
                return phrase  # "The Florida senator’s answer was that “…”"
            if owned is None or owned.kind != "description" or not _can_speak(owned.tokens[-1]):
                return None
            owned.first = phrase.first
            return _postmodified(owned, owned.tokens, body, owner=phrase.tokens[0])
        if phrase is not None and (phrase.kind != "description" or _can_speak(phrase.tokens[-1])):
            return phrase
        # "One month after the vote, Rubio said": an introductory phrase, then the subject.
        comma = next((k for k in range(i, len(tokens)) if tokens[k].text == ","), None)
        if comma is None:
            return None
        i = comma + 1
    return None
