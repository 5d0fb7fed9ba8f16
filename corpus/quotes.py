"""Quotation extraction and in-article speaker attribution.

Runs on every article as it is added, so it is regex and one left-to-right pass over the
body, no NLP models. The steps:

1. pair quotation marks per paragraph (apostrophes and nested marks are not quote marks;
   an unclosed mark runs to the end of its paragraph, the newspaper convention for a
   quotation that continues in the next paragraph);
2. mask the quoted words, so cue verbs and names inside a quotation are not read as
   attribution, and split paragraphs into sentences;
3. find speech cues ("said", "added", "according to", ", saying") and their subjects:
   a name with its role, a role alone ("the Syrian President"), a pronoun, an organisation;
4. resolve each subject to the fullest name the article gives, in text order so that
   "he"/"it" mean the last person/organisation named as speaking;
5. give every quotation the cue that attributes it (after the quotation first, then
   before it), and quotations with none the speaker they continue: of their run over
   paragraphs, of the previous quotation, or of the last cue close before them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from corpus.speakers import (OFFICE_MODIFIERS, OFFICE_WORDS, given_names_compatible,
                             name_tokens, surname_of)

MIN_QUOTE_WORDS = 4
MAX_ASIDE_TOKENS = 12  # longest "Name, aside, said" aside read


@dataclass(frozen=True)
class ExtractedQuote:
    text: str  # the span inside the quotation marks
    start: int  # body[start:end] == text
    end: int
    kind: str  # "direct" | "partial"
    cue: str | None  # cue verb/phrase as written
    speaker: str | None  # fullest name the article gives
    speaker_role: str | None  # role as the article states it
    speaker_kind: str | None  # "person" | "organisation" | None
    speaker_aliases: tuple[str, ...] = ()  # other spellings of the speaker in the article ("Mr Lavrov")


# --- lexicons ---------------------------------------------------------------------------

CUE_VERBS = frozenset("""
    said says say added adds told tells stated states explained explains noted notes
    insisted insists argued argues warned warns claimed claims declared declares announced
    announces asked asks replied replies responded responds wrote writes continued
    continues concluded concludes stressed stresses acknowledged acknowledges admitted
    admits suggested suggests outlined outlines recalled recalls urged urges cautioned
    cautions conceded concedes confirmed confirms denied denies commented comments
    observed observes remarked remarks reported reports tweeted tweets posted predicted
    predicts promised promises vowed vows pledged pledges maintained maintains contended
    contends countered counters complained complains lamented laments agreed agrees
    emphasised emphasized emphasises emphasizes underlined underlines reiterated
    disagreed disagrees objected objects retorted retorts
    reiterates assured assures boasted boasts quipped quips mused muses shouted yelled
    whispered testified testifies alleged alleges charged charges cited quoted
""".split())
PARTICIPLE_CUES = frozenset("""
    saying adding telling noting warning arguing insisting stressing explaining writing
    declaring claiming stating describing asking urging announcing suggesting emphasising
    emphasizing recalling acknowledging admitting conceding reiterating promising vowing
""".split())
# Cues that name who printed the words, not who said them ("…," AP reported).
REPORTING_CUES = frozenset({"reported", "reports"})
# "Reuters quoted him as saying": the phrase after the cue is the author.
QUOTING_CUES = frozenset({"quoted", "cited", "quotes", "cites"})
# Words that may stand between a subject and its cue verb ("Putin also said").
CUE_MODIFIERS = frozenset("""
    also later then again reportedly previously earlier further once recently has had
    have was were is are would will had just repeatedly publicly privately separately
    subsequently quickly simply flatly bluntly angrily
""".split())
PRONOUNS = {"he": "person", "she": "person", "it": "organisation"}
PRONOUN_GENDERS = {"he": "m", "she": "f"}
GENDERED_WORDS = {
    **dict.fromkeys("mr sir lord king prince emir sultan spokesman chairman congressman "
                    "father son brother husband".split(), "m"),
    **dict.fromkeys("ms mrs miss dame lady queen princess spokeswoman chairwoman "
                    "congresswoman mother daughter sister wife".split(), "f"),
}
DETERMINERS = frozenset({"the", "a", "an"})
COORDINATORS = frozenset({"and", "but", "or", "yet", "then", "also"})
CONNECTORS = frozenset({"of", "for"})
NAME_PARTICLES = frozenset("""
    al el bin ibn ben bint abu abd de da di du del della van von der den la le dos das
""".split())
NAME_PREFIX = re.compile(r"^(?:al|el|ul|ad|as|ash|ar|an|at|az|abd|abu)[-\u2019'][A-Z]")
HONORIFICS = frozenset("""
    mr mrs ms miss mx dr sir dame lord lady prof rev sheikh shaikh
    mr. mrs. ms. dr. prof. rev.
""".split())
# Offices and the words that build them; the last such word in a phrase ends the role.
ROLE_WORDS = frozenset("""
    president vice minister prime foreign defence defense interior finance home justice
    health trade energy economy education culture state secretary general major colonel
    lieutenant captain admiral sergeant commander chief head leader king queen prince
    princess crown emir sultan sheikh ayatollah imam pope cardinal bishop archbishop
    senator governor mayor chancellor premier deputy ambassador envoy spokesman
    spokeswoman spokesperson official adviser advisor aide director chairman chairwoman
    chair ceo executive officer judge prosecutor attorney lawyer analyst economist
    professor researcher editor correspondent founder coach manager representative
    congressman congresswoman lawmaker mp mep commissioner negotiator monarch premier
    military army navy police intelligence security news press state-run state-owned
    regional national federal senior top assistant acting former councillor cllr
    alderman superintendent inspector detective constable sheriff trooper marshal
    principal headteacher dean rector provost curator conductor surgeon doctor nurse
    pastor rabbi priest vicar cleric mufti chief-executive co-founder
""".split()) | HONORIFICS
# Heads naming the holder of one office (a description like "the Syrian President").
PERSON_HEADS = frozenset("""
    president minister secretary general colonel lieutenant captain admiral commander
    chief head leader king queen prince princess emir sultan sheikh ayatollah imam pope
    senator governor mayor chancellor premier ambassador envoy spokesman spokeswoman
    spokesperson official adviser advisor aide director chairman chairwoman ceo
    executive officer judge prosecutor monarch commissioner negotiator
""".split())
SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative"})
# Offices with one holder in a story, so "the President" is someone named before.
SINGLE_HOLDER_HEADS = frozenset("""
    president king queen prince princess emir sultan ayatollah pope chancellor premier
    leader minister secretary governor mayor senator ambassador envoy general commander
    chief ceo chairman chairwoman director monarch
""".split())
# Office holders a bare "leader" can stand for.
LEADER_HEADS = frozenset({"president", "king", "queen", "chancellor", "premier", "leader",
                          "emir", "monarch", "sultan", "prime"})
ORG_HEADS = frozenset("""
    ministry agency office government department army military police council committee
    commission parliament assembly court company group party union bank fund organisation
    organization authority service embassy coalition alliance press network newspaper
    paper channel tv television radio broadcaster kremlin pentagon palace foundation
    institute university corporation corp inc ltd association federation league board
    bureau cabinet administration regime presidency secretariat movement front brigade
    command headquarters observatory watchdog website outlet daily times post ports
    airlines airways motors holdings partners systems technologies industries foods
    pharmaceuticals media labs petroleum telecom communications studios entertainment
    insurance logistics group
""".split())
ORG_NAMES = frozenset({"white house", "downing street", "elysee", "élysée", "whitehall",
                       "state department", "foreign office", "number 10", "quai d'orsay"})
GROUP_HEADS = frozenset("""
    officials sources residents witnesses analysts diplomats experts activists observers
    people critics officers lawmakers members leaders ministers spokesmen authorities
    militants rebels protesters doctors researchers scientists investigators prosecutors
    police troops soldiers fighters staff aides advisers advisors others many some both
    counterparts colleagues campaigners citizens voters users families relatives
""".split())
# Capitalised at a sentence start without being (part of) a name.
FUNCTION_WORDS = frozenset("""
    the a an but and or so yet nor in on at after before since while during meanwhile
    however although though if when whenever as with without for from by to of under
    over among amid both this that these those there here it he she they we i you his
    her its their our my your then also even still speaking hinting asked furthermore
    moreover nevertheless nonetheless separately earlier later last next according
    despite following unlike like about until upon once where what which who why how not
    no all some many most several other such each every another instead indeed now today
    yesterday tomorrow because whether neither either just only more less between
    against into through across around near beyond within toward towards via per than
    thousands hundreds dozens millions billions scores tens
""".split())
TITLE_SMALL_WORDS = frozenset("a an the of in on at to for and or but nor with by from as".split())
ABBREVIATIONS = frozenset("""
    mr mrs ms dr st jr sr prof gen col lt sgt capt gov sen rep rev no vs etc inc ltd co
    corp jan feb mar apr jun jul aug sep sept oct nov dec mt ft fig approx dept est
""".split())

# --- quotation marks ---------------------------------------------------------------------

DOUBLE_MARKS = "\"\u201c\u201d\u00ab\u00bb\u201e\u201f"
SINGLE_MARKS = "'\u2018\u2019\u2039\u203a\u201a\u201b"
QUOTE_MARKS = DOUBLE_MARKS + SINGLE_MARKS
OPENING_GLYPHS = "\u201c\u201e\u00ab\u2018\u2039\u201a\u201b\u201f"
CLOSING_GLYPHS = "\u201d\u00bb\u2019\u203a"
OPENS_AFTER = "([{<\u2014\u2013-/"
CLOSES_BEFORE = ".,;:!?)]}>\u2014\u2013-/\u2026"
OPEN, CLOSE = "open", "close"

_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_TOKEN = re.compile(
    r"(?P<q>\x00+)"
    r"|(?P<w>(?:Mr|Mrs|Ms|Dr|Prof|Rev|Gen|Sen|Gov|Rep|Col|Lt|Capt|Sgt|St)\.(?=\s)"
    r"|[^\W_]+(?:['\u2019\-.][^\W_]+)*)"
    r"|(?P<p>[^\w\s])"
)
_SENTENCE_END = re.compile(
    r"[.!?\u2026]+[\"\u201d\u2019\u00bb)\]]*(?=\s+[\"\u201c\u2018\u00ab\u201e\u201d(\[]?[A-Z0-9\x00])"
)
_PARAGRAPH = re.compile(r"[^\n]+")
_WORD_BEFORE_STOP = re.compile(r"[^\W_]+$")
_ELISION = re.compile(r"(?:tis|twas|em|n|til|cause|bout|round|\d\ds?)\b", re.IGNORECASE)
_QUOTE_MARK = re.compile(f"[{re.escape(QUOTE_MARKS)}]")


def _mark_role(par: str, i: int) -> str | None:
    """Whether the mark at par[i] opens or closes a quotation, from the characters around
    it first (writers and converters often use the wrong glyph), from the glyph second."""
    mark = par[i]
    before = par[i - 1] if i > 0 else " "
    after = par[i + 1] if i + 1 < len(par) else " "
    if mark in SINGLE_MARKS and (before.isalnum() and after.isalnum()
                                 or (not before.isalnum() and _ELISION.match(par, i + 1))):
        return None  # an apostrophe: don't, Russia's, 'tis, rock 'n' roll, the '90s
    opens = before.isspace() or before in OPENS_AFTER or before in QUOTE_MARKS
    closes = after.isspace() or after in CLOSES_BEFORE or after in QUOTE_MARKS
    if opens and not closes:
        return OPEN
    if closes and not opens:
        return CLOSE
    if mark in OPENING_GLYPHS:
        return OPEN
    if mark in CLOSING_GLYPHS:
        return CLOSE
    return None


def _quoted_spans(par: str) -> list[tuple[int, int, bool]]:
    """(open mark index, end index, closed) of each outermost quotation in a paragraph.
    Marks of the other family inside a quotation are nested and belong to it."""
    marks = [(m.start(), m.group() in DOUBLE_MARKS, _mark_role(par, m.start()))
             for m in _QUOTE_MARK.finditer(par)]
    last_single_close = max((i for i, double, role in marks if not double and role == CLOSE),
                            default=-1)
    spans = []
    outer: tuple[int, bool] | None = None
    for i, double, role in marks:
        if outer is None:
            # A single mark only opens a quotation it also closes (or that opens the
            # paragraph): otherwise it is an elision such as '90s.
            if role == OPEN and (double or i < last_single_close or not par[:i].strip()):
                outer = (i, double)
            continue
        if double != outer[1]:
            continue
        if role == CLOSE or (role is None and double):
            spans.append((outer[0], i, True))
            outer = None
        elif role == OPEN and double:
            # A second opening mark: the first quotation lost its closing mark.
            spans.append((outer[0], i, False))
            outer = (i, double)
    if outer is not None:
        spans.append((outer[0], len(par), False))
    return spans


# --- tokens and phrases ------------------------------------------------------------------

def _bare(text: str) -> str:
    """A word without its possessive ending."""
    for ending in ("\u2019s", "'s"):
        if text.endswith(ending):
            return text[: -len(ending)]
    if text.endswith(("s\u2019", "s'")):
        return text[:-1]
    return text


class _Token:
    """A word, punctuation mark or masked quotation, with what the parser asks of it."""
    __slots__ = ("text", "start", "end", "kind", "low", "key", "possessive", "is_name",
                 "is_phrase")

    def __init__(self, text: str, start: int, end: int, kind: str) -> None:
        self.text, self.start, self.end, self.kind = text, start, end, kind
        (self.low, self.key, self.possessive, self.is_name,
         self.is_phrase) = _token_features(text, kind)


@lru_cache(maxsize=65536)
def _token_features(text: str, kind: str) -> tuple[str, str, bool, bool, bool]:
    """(lower case, key without possessive or abbreviation dot, possessive, can be part of
    a name, can be part of a speaker phrase)."""
    bare = _bare(text)
    key = bare.lower().rstrip(".")
    is_name = kind == "w" and (bool(NAME_PREFIX.match(text)) or (text[0].isupper() and (
        key not in FUNCTION_WORDS or (len(text) > 1 and text.isupper()))))  # WHO, UN
    is_phrase = kind == "w" and (is_name or key in ROLE_WORDS or key in ORG_HEADS
                                 or key in GROUP_HEADS or key in NAME_PARTICLES)
    return text.lower(), key, bare != text, is_name, is_phrase


@dataclass
class _Phrase:
    """A noun phrase that can be a speaker, split into role and name."""
    tokens: list[_Token]
    text: str
    name: str | None
    role: str | None
    kind: str | None  # person, organisation, group, description, reference, pronoun
    pronoun: str | None = None
    first: int = 0  # token span in the sentence, determiner included
    last: int = 0
    definite: bool = False  # "the Syrian President", not "a spokesperson"
    gender: str | None = None  # from "Mr", "Ms", "spokeswoman"


def _phrase_text(tokens: list[_Token], body: str) -> str:
    return body[tokens[0].start: tokens[-1].end] if tokens else ""


def _names_organisation(tokens: list[_Token], i: int) -> bool:
    """Whether tokens[i] is the capitalised last word of an organisation's name ("State
    Department", "Associated Press"), so part of the name rather than a role."""
    return (i == len(tokens) - 1 and i > 0 and tokens[i].text[0].isupper()
            and tokens[i].key in ORG_HEADS and tokens[i - 1].is_name
            and tokens[i - 1].key not in ROLE_WORDS)


def _interpret(tokens: list[_Token], body: str) -> _Phrase | None:
    """Split a phrase into role and name and say what it denotes."""
    phrase = _interpret_words(tokens, body)
    if phrase is not None:
        phrase.definite = tokens[0].low == "the"
        phrase.gender = next((GENDERED_WORDS[t.key] for t in tokens if t.key in GENDERED_WORDS),
                             None)
    return phrase


def _interpret_words(tokens: list[_Token], body: str) -> _Phrase | None:
    while tokens and (tokens[0].low in DETERMINERS or tokens[0].low in CONNECTORS):
        tokens = tokens[1:]
    while tokens and (tokens[-1].low in CONNECTORS or tokens[-1].low in NAME_PARTICLES):
        tokens = tokens[:-1]
    if not tokens:
        return None
    if len(tokens) == 1:
        only = tokens[0]
        if only.low in PRONOUNS:
            return _Phrase(tokens, only.text, None, None, "pronoun", only.low)
        if only.is_name and only.key not in ROLE_WORDS and only.key not in ORG_HEADS:
            # The common case, a single capitalised word: "Lavrov", "Moscow", "AFP".
            name = _bare(only.text)
            acronym = name.isupper() and 2 <= len(name) <= 8
            return _Phrase(tokens, only.text, name, None, "organisation" if acronym else None)
    text = _phrase_text(tokens, body)
    head = tokens[-1].key
    role_end = max((i for i, t in enumerate(tokens)
                    if (t.key in ROLE_WORDS or t.key in ORG_HEADS)
                    and not _names_organisation(tokens, i)),
                   default=-1)
    role_tokens = tokens[: role_end + 1]
    name_part = tokens[role_end + 1:]
    role = _phrase_text(role_tokens, body) or None
    honorific = bool(role_tokens) and all(t.key in HONORIFICS for t in role_tokens)
    if honorific:
        role = None
    connector = next((i for i, t in enumerate(tokens) if t.low in CONNECTORS), None)
    if connector and tokens[connector - 1].key in ORG_HEADS and all(
            t.is_name and t.key not in PERSON_HEADS for t in tokens[connector + 1:]):
        # "Office for National Statistics", "Ministry of Defence": one proper name.
        return _Phrase(tokens, text, text, None, "organisation")
    if connector and tokens[connector - 1].text.islower():
        # "a spokesperson for Assad", "the army of President Assad": what stands before
        # "of"/"for" is the speaker. A capitalised office or name goes on through it
        # ("Secretary of State John Kerry", "Bank of England governor Andrew Bailey").
        return _headed_by(tokens, text, tokens[connector - 1].key, tokens[connector + 1:], body)
    affiliation = next((i for i, t in enumerate(name_part) if t.low in CONNECTORS and i), None)
    if affiliation is not None:
        # "Jane Doe of Oxford University": the name, then where she is from.
        where = _phrase_text(name_part[affiliation + 1:], body)
        role = f"{role}, {where}" if role else where
        name_part = name_part[:affiliation]
    if role_tokens and name_part and name_part[0].low in CONNECTORS:
        # "the King of Saudi Arabia"
        return _headed_by(tokens, text, role_tokens[-1].key, name_part[1:], body)
    if head in GROUP_HEADS and not name_part:
        return _Phrase(tokens, text, None, text, "group")
    if not name_part:
        if len(tokens) == 1 and head in ORG_HEADS and tokens[0].text.islower():
            # "the company said": an organisation the article named before.
            return _Phrase(tokens, text, None, None, "reference")
        if head in ORG_HEADS or text.lower() in ORG_NAMES:
            return _Phrase(tokens, text, text, None, "organisation")
        if head in PERSON_HEADS:
            return _Phrase(tokens, text, None, text, "description")
        return None
    if not all(t.is_name or t.low in NAME_PARTICLES for t in name_part):
        return None
    name = _bare(_phrase_text(name_part, body))
    name_low = name.lower()
    role_head = role_tokens[-1].key if role_tokens else ""
    acronym = name.isupper() and 2 <= len(name) <= 8 and " " not in name
    if (acronym or name_low in ORG_NAMES or name_part[-1].key in ORG_HEADS
            or role_head in ORG_HEADS):
        return _Phrase(tokens, text, name, role, "organisation")
    if honorific or role_head in PERSON_HEADS or len(name_part) > 1:
        return _Phrase(tokens, text, name, role, "person")
    return _Phrase(tokens, text, name, role, None)


def _span_before(tokens: list[_Token], end: int) -> int:
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


def _spanned(phrase: _Phrase | None, first: int, last: int) -> _Phrase | None:
    if phrase is not None:
        phrase.first, phrase.last = first, last
    return phrase


def _headed_by(tokens: list[_Token], text: str, head: str, complement: list[_Token],
               body: str) -> _Phrase | None:
    """A phrase whose speaker is its head word with a complement ("the King of Saudi
    Arabia", "the Bank of England", "a group of residents"). A spokesperson speaks for
    an organisation: "a spokesperson for the Home Office" is the Home Office."""
    if head in SPOKESPEOPLE and complement:
        principal = _interpret(complement, body)
        if principal is not None and principal.kind in ("organisation", "reference"):
            return _Phrase(tokens, text, principal.name, text, principal.kind)
    if head in GROUP_HEADS:
        return _Phrase(tokens, text, None, text, "group")
    if head in ORG_HEADS:
        return _Phrase(tokens, text, text, None, "organisation")
    if head in PERSON_HEADS:
        return _Phrase(tokens, text, None, text, "description")
    return None


def _phrase_before(tokens: list[_Token], end: int, body: str) -> _Phrase | None:
    """The speaker phrase ending just before tokens[end], skipping words such as "also"
    ("Putin also said") and reading an apposition ("Jane Smith, a spokeswoman, said")."""
    i = end
    while i > 0 and tokens[i - 1].low in CUE_MODIFIERS:
        i -= 1
    if i > 0 and tokens[i - 1].low in PRONOUNS:
        return _spanned(_interpret([tokens[i - 1]], body), i - 1, i)
    if i > 0 and tokens[i - 1].text == ",":
        return _aside_before(tokens, i - 1, body)
    if i > 2 and tokens[i - 1].low == "who" and tokens[i - 2].text == ",":
        i -= 2  # "Jones, who said"
    j = _span_before(tokens, i)
    return _spanned(_interpret(tokens[j:i], body), j, i) if j < i else None


def _aside_before(tokens: list[_Token], comma: int, body: str) -> _Phrase | None:
    """The speaker of "Jane Smith, a spokeswoman for the union, said", "Smith, 45,
    said", "Jones, who heads the union, said": the phrase before the aside, with the
    aside as its role when it is one."""
    opening = next((k for k in range(comma - 1, max(-1, comma - MAX_ASIDE_TOKENS), -1)
                    if tokens[k].text == ","), None)
    if opening is None or opening == 0:
        return None
    outer = _span_before(tokens, opening)
    if outer == opening:
        return None
    named = _interpret(tokens[outer:opening], body)
    aside_start = _span_before(tokens, comma)
    if aside_start == opening + 1:
        phrase = _apposition(named, _interpret(tokens[aside_start:comma], body))
    elif named is not None and named.name and not named.role \
            and tokens[opening + 1].low in DETERMINERS:
        phrase = named
        phrase.role = _phrase_text(tokens[opening + 2:comma], body)
    else:
        phrase = named
    return _spanned(phrase, outer, comma + 1)


def _apposition(first: _Phrase | None, second: _Phrase | None) -> _Phrase | None:
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
    return _Phrase(named.tokens, named.text, named.name, named.role or other.role, kind,
                   gender=named.gender or other.gender)


def _phrase_after(tokens: list[_Token], begin: int, body: str) -> _Phrase | None:
    """The speaker phrase starting at tokens[begin]."""
    if begin >= len(tokens):
        return None
    if tokens[begin].low in PRONOUNS:
        return _spanned(_interpret([tokens[begin]], body), begin, begin + 1)
    j = begin
    if tokens[j].low in DETERMINERS:
        j += 1
    while j < len(tokens):
        token = tokens[j]
        if token.is_phrase:
            j += 1
        elif (token.low in CONNECTORS and j + 1 < len(tokens) and tokens[j + 1].is_phrase
              and j > begin):
            j += 1
        else:
            break
        if token.possessive and not (j < len(tokens) and tokens[j].is_phrase):
            break
    return _spanned(_interpret(tokens[begin:j], body), begin, j) if j > begin else None


def _phrase_after_aside(tokens: list[_Token], begin: int, body: str) -> _Phrase | None:
    """The speaker phrase at tokens[begin] with an apposition after it ("the minister,
    Ana Ruiz, as saying"; "…," said the minister, Ana Ruiz.)."""
    phrase = _phrase_after(tokens, begin, body)
    if phrase is None or phrase.last + 1 >= len(tokens) or tokens[phrase.last].text != ",":
        return phrase
    second = _phrase_after(tokens, phrase.last + 1, body)
    if second is None or (second.last < len(tokens) and tokens[second.last].text not in ",."):
        return phrase
    both = _apposition(phrase, second)
    if both is None:
        return phrase
    closing = second.last < len(tokens) and tokens[second.last].text == ","
    return _spanned(both, begin, second.last + closing)


def _role_after(tokens: list[_Token], begin: int, body: str) -> str | None:
    """The role in an apposition after a name ("…," said Jane Smith, a spokeswoman for
    the union.): the words up to the next comma."""
    if begin + 1 >= len(tokens) or tokens[begin].text != "," or \
            tokens[begin + 1].low not in DETERMINERS:
        return None
    end = next((k for k in range(begin + 2, len(tokens)) if tokens[k].kind != "w"),
               len(tokens))
    return _phrase_text(tokens[begin + 2:end], body) or None


def _main_subject(tokens: list[_Token], body: str) -> _Phrase | None:
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
        return _phrase_after(tokens, i, body)
    return None


# --- the article's names -----------------------------------------------------------------

@dataclass
class _Entity:
    name: str
    kind: str | None
    role: str | None = None
    gender: str | None = None  # "m"/"f" from "Mr"/"Ms", "spokeswoman", or "he"/"she"


@dataclass
class _Article:
    """What the article says about who is who, built before and during the pass."""
    full_names: dict[str, list[str]] = field(default_factory=dict)  # surname -> names
    roles: dict[str, str] = field(default_factory=dict)  # name -> role stated with it
    entities: dict[str, _Entity] = field(default_factory=dict)
    mentions: dict[int, list[_Entity]] = field(default_factory=dict)  # by sentence
    last_mentioned: _Entity | None = None
    people: list[_Entity] = field(default_factory=list)  # named as speaking or as subject
    last_organisation: _Entity | None = None
    last_cue: _Cued | None = None  # the last cue naming someone

    def learn(self, phrase: _Phrase) -> None:
        """Record a full personal name and the role printed with it."""
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

    def fullest(self, name: str) -> str:
        """The fullest form of a person's name in the article ("Mr Lavrov" -> "Sergei
        Lavrov"); the name itself when no fuller compatible form is known."""
        tokens = name_tokens(name)
        surname = surname_of(tokens)
        candidates = self.full_names.get(surname or "", [])
        if len(tokens) >= 2:  # "Sergey Lavrov" or "de Mistura" (the end of "Staffan de Mistura")
            candidates = [c for c in candidates
                          if given_names_compatible(tokens[0], name_tokens(c)[0])
                          or name_tokens(c)[-len(tokens):] == tokens]
        if not candidates:
            return name
        return max(candidates, key=lambda c: len(name_tokens(c)))

    def entity(self, name: str, kind: str | None, role: str | None = None,
               gender: str | None = None) -> _Entity:
        if kind != "organisation":
            full = self.fullest(name)
            if full != name or len(name_tokens(name)) >= 2:
                kind = "person"
            name = full
        entity = self.entities.get(name)
        if entity is None:
            entity = _Entity(name, kind, role or self.roles.get(name))
            self.entities[name] = entity
        if entity.kind is None and kind:
            entity.kind = kind
        if role and not entity.role:
            entity.role = role
        entity.gender = entity.gender or gender
        return entity

    def remember(self, entity: _Entity) -> None:
        """Note who speaks or who a sentence is about, for a later "he"/"she" (people) or
        "it" (anything else)."""
        if entity.kind != "person":
            self.last_organisation = entity
            return
        if entity in self.people:
            self.people.remove(entity)
        self.people.append(entity)

    def pronoun(self, pronoun: str) -> _Entity | None:
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

    def describe(self, phrase: _Phrase, sentence: int) -> _Entity | None:
        """The person a role alone refers to: the one the article gives that role, else
        the most salient person of the last few sentences whose known role does not
        conflict with it (the first named in the nearest sentence)."""
        words = _role_words(phrase.text)
        holders = {id(entity): entity for entity in (
            self.entities.get(name) or self.entity(name, "person")
            for name, role in self.roles.items() if _role_fits(words, _role_words(role)))}
        if len(holders) == 1:
            return next(iter(holders.values()))
        if not phrase.definite or words[-1].lower() not in SINGLE_HOLDER_HEADS \
                or any(t.possessive or t.low in CONNECTORS for t in phrase.tokens):
            return None
        for previous in range(sentence - 1, max(-1, sentence - 7), -1):
            for entity in self.mentions.get(previous, ()):
                if entity.kind == "person" and (
                        not entity.role or not _role_conflicts(words, _role_words(entity.role))):
                    return entity
        return None


def _role_words(role: str) -> list[str]:
    return [_bare(w) for w in _WORD.findall(role) if w.lower() not in DETERMINERS]


def _places(words: list[str]) -> set[str]:
    """The capitalised modifiers of a role, mostly nationalities ("Syrian", "Pentagon")."""
    return {w.lower() for w in words[:-1] if w[0].isupper() and w.lower() not in ROLE_WORDS}


def _role_conflicts(description: list[str], role: list[str]) -> bool:
    """Whether a role-only description cannot be someone with the stated role: another
    office, or another country ("the Syrian President" is not the Russian president)."""
    described = {w.lower() for w in description}
    stated = {w.lower() for w in role}
    head, stated_head = description[-1].lower(), role[-1].lower()
    if not (head == stated_head or (head == "leader" and LEADER_HEADS & stated)
            or (stated_head == "leader" and LEADER_HEADS & described)):
        return True
    places, stated_places = _places(description), _places(role)
    return bool(places and stated_places and not places & stated_places)


def _role_fits(description: list[str], role: list[str]) -> bool:
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


# --- the pass ----------------------------------------------------------------------------

@dataclass
class _Cue:
    """A speech cue and who it names: one per cue word in a sentence."""
    word: str  # as written
    index: int  # token index of the cue word
    phrase: _Phrase | None
    needs_main_subject: bool  # ", saying", "and said": the sentence's subject speaks
    region_start: int  # first token of the cue and its subject
    entity: _Entity | None = None
    resolved: bool = False


@dataclass(frozen=True)
class _Cued:
    """Where a cue named a speaker."""
    paragraph: int
    offset: int
    entity: _Entity


@dataclass
class _Quote:
    start: int
    end: int
    open_mark: int
    close_mark: int | None  # None when the quotation runs to the paragraph's end
    paragraph: int
    opens_paragraph: bool
    kind: str = "direct"
    cue: str | None = None
    entity: _Entity | None = None
    role: str | None = None
    attributed: bool = False
    # The last cue naming someone before the quotation, in its paragraph or the one before.
    last_cue: _Cued | None = None


def _find_cues(tokens: list[_Token], body: str) -> list[_Cue]:
    """Every speech cue in a sentence with the phrase it names, in text order."""
    cues = []
    for i, token in enumerate(tokens):
        low = token.low
        if low == "according" and i + 1 < len(tokens) and tokens[i + 1].low == "to":
            phrase = _phrase_after(tokens, i + 2, body)
            cues.append(_Cue("according to", i, phrase, False, i))
        elif low in QUOTING_CUES and (quoted := _phrase_after_aside(tokens, i + 1, body)) \
                and quoted.last < len(tokens) and tokens[quoted.last].low == "as":
            reporter = _phrase_before(tokens, i, body)
            cues.append(_Cue(token.text, i, quoted, False, reporter.first if reporter else i))
        elif low in CUE_VERBS:
            previous = i - 1
            while previous >= 0 and tokens[previous].text == ",":
                previous -= 1
            if previous >= 0 and (tokens[previous].kind == "q"
                                  or tokens[previous].text in QUOTE_MARKS):
                # "…," said X: the subject follows the cue.
                phrase = _phrase_after_aside(tokens, i + 1, body)
                if phrase is not None:
                    if not phrase.role and phrase.name:
                        phrase.role = _role_after(tokens, phrase.last, body)
                    cues.append(_Cue(token.text, i, phrase, False, i))
                    continue
            phrase = _phrase_before(tokens, i, body)
            if phrase is not None:
                cues.append(_Cue(token.text, i, phrase, False, phrase.first))
                continue
            unnamed = i
            while unnamed > 0 and tokens[unnamed - 1].kind == "w":
                unnamed -= 1
            if unnamed < i and tokens[i - 1].low not in COORDINATORS:
                # "a government source told the BBC": a speaker the article does not name.
                cues.append(_Cue(token.text, i, None, False, unnamed, resolved=True))
            else:
                cues.append(_Cue(token.text, i, None, True, i))
        elif low in PARTICIPLE_CUES and i > 0 and tokens[i - 1].text == ",":
            cues.append(_Cue(token.text, i, None, True, i))
    return cues


def _sentences(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    begin = start
    for match in _SENTENCE_END.finditer(masked, start, end):
        word = _WORD_BEFORE_STOP.search(masked, max(begin, match.start() - 24), match.start())
        if word and (word.group().lower() in ABBREVIATIONS
                     or (len(word.group()) == 1 and word.group().isupper())):
            continue  # "Mr. Lavrov", "John F. Kennedy"
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, end))
    return [(a, b) for a, b in spans if masked[a:b].strip()]


def _mask(body: str, ranges: list[tuple[int, int]]) -> str:
    """The body with the given ranges blanked out, same length."""
    pieces, done = [], 0
    for start, end in ranges:
        pieces += [body[done:start], "\x00" * (end - start)]
        done = end
    pieces.append(body[done:])
    return "".join(pieces)


def _is_title(text: str) -> bool:
    """Whether a quoted span reads as the title of a work or a slogan ("Once Upon a Time
    in Hollywood"), which names something rather than reporting speech."""
    words = [w for w in _WORD.findall(text) if w.lower() not in TITLE_SMALL_WORDS]
    return bool(words) and all(w[0].isupper() or w[0].isdigit() for w in words) \
        and not text.rstrip().endswith((".", ",", "?", "!"))


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def extract_quotes(body: str) -> list[ExtractedQuote]:
    """Quotations of MIN_QUOTE_WORDS or more words in `body`, with kind, cue and speaker."""
    if not isinstance(body, str) or not body:
        return []
    quotes: list[_Quote] = []
    masked_ranges = []
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(body)]
    for number, (p_start, p_end) in enumerate(paragraphs):
        par = body[p_start:p_end]
        for open_mark, end_mark, closed in _quoted_spans(par):
            inner_start, inner_end = open_mark + 1, end_mark
            while inner_start < inner_end and par[inner_start].isspace():
                inner_start += 1
            while inner_end > inner_start and par[inner_end - 1].isspace():
                inner_end -= 1
            inner = par[inner_start:inner_end]
            if _word_count(inner) < MIN_QUOTE_WORDS or _is_title(inner):
                continue
            quotes.append(_Quote(
                start=p_start + inner_start, end=p_start + inner_end,
                open_mark=p_start + open_mark,
                close_mark=p_start + end_mark if closed else None,
                paragraph=number, opens_paragraph=not par[:open_mark].strip()))
            # The closing full stop stays visible: it ends the sentence.
            last = inner_end - 1 if par[inner_end - 1] in ".!?\u2026" else inner_end
            masked_ranges.append((p_start + inner_start, p_start + last))
    if not quotes:
        return []
    masked = _mask(body, masked_ranges)

    article = _Article()
    sentences = []  # (paragraph number, tokens, the names' phrases)
    for number, (p_start, p_end) in enumerate(paragraphs):
        for s_start, s_end in _sentences(masked, p_start, p_end):
            tokens = [_Token(m.group(), m.start(), m.end(), m.lastgroup)
                      for m in _TOKEN.finditer(masked, s_start, s_end)]
            phrases = [phrase for i, token in enumerate(tokens)
                       if token.is_name and (i == 0 or not tokens[i - 1].is_phrase)
                       and (phrase := _phrase_after(tokens, i, body)) is not None]
            for phrase in phrases:
                article.learn(phrase)
            sentences.append((number, tokens, phrases))

    quote_at = {q.open_mark: q for q in quotes}
    for number, (paragraph, tokens, phrases) in enumerate(sentences):
        _attribute_sentence(article, number, paragraph, tokens, phrases, quote_at, body)
    _inherit_speakers(quotes)
    forms: dict[str, tuple[str, ...]] = {}
    for q in quotes:
        if q.entity and q.entity.kind != "organisation" and q.entity.name not in forms:
            forms[q.entity.name] = name_forms(body, q.entity.name)
    return [
        ExtractedQuote(
            text=body[q.start:q.end], start=q.start, end=q.end, kind=q.kind, cue=q.cue,
            speaker=q.entity.name if q.entity else None,
            speaker_role=(q.role or q.entity.role) if q.entity else None,
            speaker_kind=q.entity.kind if q.entity else None,
            speaker_aliases=forms.get(q.entity.name, ()) if q.entity else ())
        for q in quotes
    ]


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


def _attribute_sentence(article: _Article, number: int, paragraph: int, tokens: list[_Token],
                        phrases: list[_Phrase], quote_at: dict[int, _Quote], body: str) -> None:
    """Resolve the sentence's cues in text order and give its quotations their speaker."""
    subject = _main_subject(tokens, body)
    subject_entity = _subject_entity(article, subject, number)
    _record_mentions(article, number, phrases, subject_entity)

    quotes_here = [(i, quote_at[t.start]) for i, t in enumerate(tokens)
                   if t.kind == "p" and t.start in quote_at]
    cues = _find_cues(tokens, body)
    for cue in cues:
        _resolve_cue(article, cue, subject, subject_entity, number)

    for open_index, quote in quotes_here:
        close_index = next((i for i, t in enumerate(tokens)
                            if quote.close_mark is not None and t.start == quote.close_mark),
                           len(tokens))
        after = next((c for c in cues if c.region_start > close_index and all(
            tokens[k].kind == "p" for k in range(close_index + 1, c.region_start))), None)
        before = [c for c in cues if c.index < open_index and c.resolved]
        chosen = after if after is not None and after.resolved else (before[-1] if before else None)
        if chosen is not None and chosen.word.lower() in REPORTING_CUES and chosen is after:
            author = before[-1] if before else None
            if author is not None and author.entity is not None:
                chosen = author
            elif subject is not None and subject.kind != "pronoun":
                entity = subject_entity or _phrase_entity(article, subject)
                if entity is not None and entity is not after.entity:
                    quote.cue, quote.entity, quote.attributed = after.word, entity, True
                    quote.role = subject.role
        if chosen is not None and not quote.attributed:
            quote.cue = chosen.word
            quote.entity = chosen.entity
            quote.role = chosen.phrase.role if chosen.phrase else None
            quote.attributed = True
        quote.kind = _quote_kind(tokens, open_index)
    for open_index, quote in quotes_here:
        earlier = [c for c in cues if c.index < open_index and c.entity is not None]
        if earlier:
            quote.last_cue = _Cued(paragraph, tokens[earlier[-1].index].start, earlier[-1].entity)
        elif article.last_cue is not None and article.last_cue.paragraph >= paragraph - 1:
            quote.last_cue = article.last_cue
    named = [c for c in cues if c.entity is not None]
    if named:
        article.last_cue = _Cued(paragraph, tokens[named[-1].index].start, named[-1].entity)


def _record_mentions(article: _Article, number: int, phrases: list[_Phrase],
                     subject_entity: _Entity | None) -> None:
    """Note which people the sentence names, in order, for role-only descriptions."""
    named = article.mentions.setdefault(number, [])
    if subject_entity is not None and subject_entity.kind == "person":
        named.append(subject_entity)
    for phrase in phrases:
        if phrase.name and phrase.kind in ("person", None):
            entity = article.entity(phrase.name, phrase.kind, gender=phrase.gender)
            if entity.kind == "person":
                named.append(entity)
    if named:
        article.last_mentioned = named[-1]


def _subject_entity(article: _Article, subject: _Phrase | None, number: int) -> _Entity | None:
    """Who the sentence is about. A named or described subject becomes what a later "he"
    or "it" refers to, unless a cue names someone after it."""
    if subject is None:
        return None
    if subject.kind == "description":
        entity = article.describe(subject, number)
        if entity is not None and not entity.role:
            entity.role = subject.role
    else:
        entity = _phrase_entity(article, subject)
    if entity is not None and subject.kind != "pronoun":
        article.remember(entity)
    return entity


def _phrase_entity(article: _Article, phrase: _Phrase) -> _Entity | None:
    if phrase.kind == "pronoun":
        if phrase.pronoun == "it":
            return article.last_organisation
        return article.pronoun(phrase.pronoun)
    if phrase.kind == "reference":
        # "the company said" after "Apple declined to comment": Apple is an organisation.
        if article.last_organisation is not None and article.last_organisation.kind is None:
            article.last_organisation.kind = "organisation"
        return article.last_organisation
    if phrase.kind in ("group", "description") or not phrase.name:
        return None
    return article.entity(phrase.name, phrase.kind, phrase.role, phrase.gender)


def _resolve_cue(article: _Article, cue: _Cue, subject: _Phrase | None,
                 subject_entity: _Entity | None, number: int) -> None:
    phrase = cue.phrase
    if cue.needs_main_subject:
        phrase = subject
        cue.phrase = subject
    if phrase is None:
        return
    if phrase is subject:
        entity = subject_entity
    elif phrase.kind == "description":
        entity = article.describe(phrase, number)
    else:
        entity = _phrase_entity(article, phrase)
    cue.resolved = True
    cue.entity = entity
    if entity is not None:
        article.remember(entity)


def _quote_kind(tokens: list[_Token], open_index: int) -> str:
    """Direct when the quotation is the utterance itself: it starts its sentence or
    follows a cue and a colon/comma; partial when it is embedded in reported speech."""
    prefix = [t for t in tokens[:open_index] if t.text not in QUOTE_MARKS]
    words = [t for t in prefix if t.kind == "w"]
    if not words:
        return "direct"
    last = prefix[-1]
    if last.text == ":":
        return "direct"
    if last.text == "," and len(prefix) >= 2 and (
            prefix[-2].low in CUE_VERBS or prefix[-2].low in PARTICIPLE_CUES):
        return "direct"
    return "partial"


def _inherit_speakers(quotes: list[_Quote]) -> None:
    """Quotations without a cue of their own: a run over paragraphs shares the speaker of
    its attributed member; otherwise the quotation continues whoever was named last, the
    speaker of the previous quotation (when it is in this or the previous paragraph) or
    of the last cue (in this paragraph, or the previous one for a quotation opening its
    paragraph: "Smith told the BBC the city would recover.\n\n“We will rebuild.”")."""
    runs: list[list[_Quote]] = []
    for quote in quotes:
        if runs and runs[-1][-1].close_mark is None and quote.opens_paragraph \
                and quote.paragraph == runs[-1][-1].paragraph + 1:
            runs[-1].append(quote)
        else:
            runs.append([quote])
    previous: _Quote | None = None
    for run in runs:
        attributed = next((q for q in run if q.attributed and q.entity is not None), None)
        for quote in run:
            if not quote.attributed:
                if attributed is not None:
                    quote.entity, quote.role = attributed.entity, attributed.role
                else:
                    _continue_speaker(quote, previous)
                quote.attributed = quote.entity is not None
            previous = quote


def _continue_speaker(quote: _Quote, previous: _Quote | None) -> None:
    reach = quote.paragraph - 1 if quote.opens_paragraph else quote.paragraph
    cue = quote.last_cue if quote.last_cue and quote.last_cue.paragraph >= reach else None
    if previous is not None and previous.paragraph >= reach and previous.entity is not None \
            and (cue is None or previous.start > cue.offset):
        quote.entity, quote.role = previous.entity, previous.role
    elif cue is not None:
        quote.entity = cue.entity
