"""Attribution: find the quotations in a body and give each its kind, cue and speaker.

One left-to-right pass over the sentences: each cue is resolved to a speaker in text
order (so "he" means the last person named as speaking), every quotation takes the cue
that attributes it (after the quotation first, then before it), and quotations with none
the speaker they continue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.lexicon import (CHARACTERISING_CUES, CLAUSE_OPENERS, COORDINATORS, CUE_VERBS, DESCRIPTION_OPENERS, DETERMINERS,
                            PARTICIPLE_CUES, PARTICIPLE_PREPOSITIONS, PHRASAL_CUES, PRONOUNS,
                            PROGRESSIVE_AUXILIARIES, QUOTING_CUES, REPORTING_CUES, ROLE_WORDS,
                            STATEMENT_NOUNS, STATEMENT_VERBS, TITLE_SMALL_WORDS, WEEKDAYS)
from corpus.names import name_forms, name_key, organisation_in
from corpus.quotes.entities import Cued, Entity, WhoIsWho
from corpus.quotes.marks import QUOTE_MARKS, quoted_spans
from corpus.quotes.phrases import (TOKEN, WORD, Phrase, Token, main_subject, modifies_cue, phrase_after,
                                   phrase_after_aside, phrase_before, phrase_text, role_after,
                                   sentences, token_features)

MIN_QUOTE_WORDS = 4
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class ExtractedQuote:
    text: str  # the span inside the quotation marks
    start: int  # body[start:end] == text
    end: int
    kind: str  # "direct" | "partial"
    cue: str | None  # cue verb/phrase as written
    speaker: str | None  # fullest name the article gives
    speaker_role: str | None  # role as the article states it
    speaker_kind: str | None  # "person" | "organisation" | "description" (unnamed source) | None
    speaker_aliases: tuple[str, ...] = ()  # other spellings of the speaker in the article ("Mr Lavrov")
    speaker_organisation: str | None = None  # the body the speaker is or speaks for


@dataclass
class Cue:
    """A speech cue and who it names: one per cue word in a sentence."""
    word: str  # as written
    index: int  # token index of the cue word
    phrase: Phrase | None
    needs_main_subject: bool  # ", saying", "and said": the sentence's subject speaks
    region_start: int  # first token of the cue and its subject
    entity: Entity | None = None
    resolved: bool = False


@dataclass
class Quote:
    start: int
    end: int
    open_mark: int
    close_mark: int | None  # None when the quotation runs to the paragraph's end
    paragraph: int
    opens_paragraph: bool
    kind: str = "direct"
    cue: str | None = None
    entity: Entity | None = None
    role: str | None = None
    attributed: bool = False
    # The last cue naming someone before the quotation, in its paragraph or the one before.
    last_cue: Cued | None = None
    # For a quotation that is a sentence of its own: the person the sentence before is about.
    subject_before: Cued | None = None


def _cue_at(tokens: list[Token], i: int, body: str) -> tuple[str, int] | None:
    """The speech cue starting at tokens[i] as written and how many tokens it spans ("said",
    "shot back", "issued a statement"), or None. A characterising verb is a cue only with
    a quotation after it: "called the plan “a disaster”", not "a PAC called Future45"."""
    token = tokens[i]
    if not token.text[0].islower() or (i and (tokens[i - 1].low in DETERMINERS or tokens[i - 1].possessive)):
        return None  # "the pledged delegates": an adjective; "Trump’s remarks": a noun
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if following is not None and f"{token.low} {following.low}" in PHRASAL_CUES and (
            following.low not in ("on", "it") or i + 2 == len(tokens) or tokens[i + 2].kind != "w"):
        return f"{token.text} {following.text}", 2  # "Trump went on,"; not "the Senate goes on recess"
    if token.low in STATEMENT_VERBS:
        noun = next((k for k in range(i + 1, min(i + 5, len(tokens)))
                     if tokens[k].low in STATEMENT_NOUNS), None)
        if noun is not None and all(t.kind == "w" for t in tokens[i + 1:noun]):
            return phrase_text(tokens[i:noun + 1], body), noun + 1 - i
    if token.low in CUE_VERBS and (token.low not in CHARACTERISING_CUES or _quotes_after(tokens, i)) \
            and not _infinitive(tokens, i):
        return token.text, 1
    return None


def _infinitive(tokens: list[Token], i: int) -> bool:
    """Whether the verb at tokens[i] is an infinitive that reports no speech ("she would
    like Trump to further explain", "interjected to say"), as opposed to one that goes on
    from speech ("went on to say")."""
    k = i - 1
    while k >= 0 and tokens[k].low != "to" and modifies_cue(tokens[k]):
        k -= 1  # "to further explain"
    return k >= 0 and tokens[k].low == "to" and not (k and tokens[k - 1].low == "on")


def _quotes_after(tokens: list[Token], i: int) -> bool:
    """Whether a quotation follows tokens[i] in its sentence, or the sentence ends in a
    colon that introduces one ("Cruz called them on it:")."""
    return any(t.kind == "q" for t in tokens[i + 1:]) or tokens[-1].text == ":"


def _ends_clause(tokens: list[Token], phrase: Phrase) -> bool:
    """Whether a subject read after its cue ends the clause (", said Paul Beck."), so the
    cue is inverted rather than followed by its object ("said Smith “…”")."""
    return phrase.last >= len(tokens) or tokens[phrase.last].text in ".,:;!?"


def _find_cues(tokens: list[Token], body: str) -> list[Cue]:
    """Every speech cue in a sentence with the phrase it names, in text order."""
    cues = []
    opening = next((k for k, t in enumerate(tokens) if t.kind != "p"), None)
    for i, token in enumerate(tokens):
        low = token.low
        if low == "according" and i + 1 < len(tokens) and tokens[i + 1].low == "to":
            phrase = phrase_after(tokens, i + 2, body, descriptors=True)
            cues.append(Cue("according to", i, phrase, False, i))
            continue
        if low in QUOTING_CUES and (quoted := phrase_after_aside(tokens, i + 1, body)) \
                and quoted.last < len(tokens) and tokens[quoted.last].low == "as":
            reporter = phrase_before(tokens, i, body)
            cues.append(Cue(token.text, i, quoted, False, reporter.first if reporter else i))
            continue
        if i == opening and low in CUE_VERBS and token.kind == "w" \
                and (phrase := phrase_after_aside(tokens, i + 1, body)) is not None \
                and phrase.name and phrase.last < len(tokens) and tokens[phrase.last].text in ",:":
            cues.append(Cue(token.text, i, phrase, False, i))  # "Said Comey, “…”", "Stated Stone:"
            continue
        cue = _cue_at(tokens, i, body)
        if cue is not None:
            word, span = cue
            previous = i - 1
            while previous >= 0 and tokens[previous].text == ",":
                previous -= 1
            if previous >= 0 and (tokens[previous].kind == "q" or tokens[previous].text in QUOTE_MARKS):
                # "…," said X: the subject follows the cue.
                phrase = phrase_after_aside(tokens, i + span, body)
                if phrase is not None:
                    if not phrase.role and phrase.name:
                        phrase.role = role_after(tokens, phrase.last, body)
                    cues.append(Cue(word, i, phrase, False, i))
                    continue
            phrase = phrase_before(tokens, i, body)
            if phrase is not None:
                cues.append(Cue(word, i, phrase, False, phrase.first))
                continue
            if i > 0 and tokens[i - 1].text == "," \
                    and (phrase := phrase_after_aside(tokens, i + span, body)) is not None \
                    and _ends_clause(tokens, phrase):
                # "… in the 2008 primary, said Paul Beck.": inverted after a clause.
                if not phrase.role and phrase.name:
                    phrase.role = role_after(tokens, phrase.last, body)
                cues.append(Cue(word, i, phrase, False, i))
                continue
            modified = i
            while modified > 0 and modifies_cue(tokens[modified - 1]):
                modified -= 1
            unnamed = modified
            while unnamed > 0 and tokens[unnamed - 1].kind == "w" \
                    and tokens[unnamed - 1].low not in CLAUSE_OPENERS:
                unnamed -= 1
            if modified > 0 and tokens[modified - 1].low in COORDINATORS:
                cues.append(Cue(word, i, None, True, i))  # "Massie ..., but now said"
            elif unnamed < modified:
                # "a government source told the BBC": a speaker the article does not name
                # (the words of its own clause only: not "... and that he'd seen continued").
                cues.append(Cue(word, i, None, False, unnamed, resolved=True))
            else:
                cues.append(Cue(word, i, None, True, i))
        elif low in PARTICIPLE_CUES and i > 0 and tokens[i - 1].text == "," and (
                low not in CHARACTERISING_CUES or _quotes_after(tokens, i)):
            cues.append(Cue(token.text, i, None, True, i))
        elif low in PARTICIPLE_CUES and i > 1 and tokens[i - 1].low in PROGRESSIVE_AUXILIARIES \
                and (phrase := phrase_before(tokens, i, body)) is not None:
            cues.append(Cue(token.text, i, phrase, False, phrase.first))  # "Sanders is telling"
    return cues


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
    words = [w for w in WORD.findall(text) if w.lower() not in TITLE_SMALL_WORDS]
    return bool(words) and all(w[0].isupper() or w[0].isdigit() for w in words) \
        and not text.rstrip().endswith((".", ",", "?", "!"))


def _promote_surnames(tokens: list[Token]) -> None:
    """A capitalised grammar word inside a sentence, next to a cue or ending a name, is a
    surname: "“…,” Will wrote.", "George Will reignited", "said From." (Al From)."""
    first = next((i for i, t in enumerate(tokens) if t.kind != "p"), None)
    for i, token in enumerate(tokens):
        if i == first or token.kind != "w" or token.is_name or not token.text[0].isupper() \
                or token.low in DETERMINERS or token.low in PRONOUNS or token.low in WEEKDAYS:
            continue
        before = tokens[i - 1].low if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if (after is not None and after.low in CUE_VERBS) or (
                before in CUE_VERBS and (after is None or after.kind == "p")) or (
                i and tokens[i - 1].is_name and tokens[i - 1].text[0].isupper()
                and not tokens[i - 1].possessive and (after is None or not after.text[0].isupper())):
            token.is_name = token.is_phrase = True


def _is_headline(tokens: list[Token], whole_paragraph: bool) -> bool:
    """Whether a sentence is a headline or title line: four or more words, every one
    capitalised but the small ones, and no closing full stop unless the line stands alone
    (a text dump's headline line often ends in one)."""
    words = [t for t in tokens if t.kind == "w" and t.low not in TITLE_SMALL_WORDS]
    return len(words) >= 4 and all(t.text[0].isupper() or t.text[0].isdigit() for t in words) \
        and (whole_paragraph or tokens[-1].text not in ".!?:")


_LOWER_WORD = re.compile(r"\b[a-z]+\b")
# A first name, an optional initial and a surname, as a quotation may spell someone out.
_FULL_NAME = re.compile(r"\b([A-Z][a-z]+)(?: [A-Z]\.)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?\b(?![ \t]+[A-Z])")


# Sentence adverbs by their endings ("Apparently", "Reportedly", "Initially"), which no
# name has; hyphenated descriptors ("Fifth-seeded", "Father-of-three", "Writer-director").
_ADVERB = re.compile(r"[a-z]{3,}(?:all|ent|ant|ous|ive|ed|ing|ful|ab|ib|ar)ly")
_DESCRIPTOR_OPENER = re.compile(r"[A-Z][a-z0-9]*(?:-[a-z0-9]+)+")
# A gerund or a plural noun before a full name, which no first name is: "Telling Jeb
# Bush to wait", "Using Ted Cruz as", "Celebrities Julianne Moore and ...".
_GERUND_OR_PLURAL = re.compile(r"[a-z]{2,}(?:ing|ies|ers|ists|ians|ents|ants|ors|als)")


def _demote_sentence_opener(tokens: list[Token], lower_words: set[str]) -> None:
    """A sentence's first word is capitalised whether or not it is a name: it is no name
    when it is a number ("Six Trump supporters"), a cue before its speaker ("Said Comey,"),
    a participle before a preposition ("Reached by", "Based on"), a gerund the article
    also writes in lower case ("Telling Jeb Bush ...") or another such word that no name
    follows ("Scenes from", "Due to"), a sentence adverb ("Apparently"), a hyphenated
    descriptor ("Fifth-seeded Shahar Peer") or a gerund or plural noun before a full name
    ("Using Ted Cruz")."""
    first = next((i for i, t in enumerate(tokens) if t.kind != "p"), None)
    if first is None or tokens[first].kind != "w" or not tokens[first].is_name \
            or tokens[first].text.isupper():
        return
    token = tokens[first]
    following = tokens[first + 1] if first + 1 < len(tokens) else None
    full_name_follows = following is not None and following.is_name and first + 2 < len(tokens) \
        and tokens[first + 2].is_name and tokens[first + 2].text[0].isupper()
    if token.low in DESCRIPTION_OPENERS or _ADVERB.fullmatch(token.low) \
            or _DESCRIPTOR_OPENER.fullmatch(token.text) \
            or (full_name_follows and _GERUND_OR_PLURAL.fullmatch(token.low)) \
            or (token.low in CUE_VERBS and following is not None and following.is_name) or (
            token.low.endswith(("ed", "ing")) and following is not None
            and following.low in PARTICIPLE_PREPOSITIONS) or (
            token.low in lower_words and token.key not in ROLE_WORDS
            and ((len(token.low) > 5 and token.low.endswith("ing")) or following is None
                 or not (following.is_name or following.low in CUE_VERBS))):
        _, _, _, token.is_name, token.is_phrase, token.is_descriptor = token_features(token.low, "w")


DASHES = "-\u2013\u2014"
MAX_DATELINE_DATE_TOKENS = 8  # ", Dec. 8" or ", Calif., Jan. 12"


def _dateline_end(tokens: list[Token]) -> int:
    """How many tokens a dateline opening a paragraph spans ("WASHINGTON, Dec. 8 (UPI) —",
    "NEW YORK —", "(CNN) --"): a place in capitals or an agency in brackets, then a dash.
    0 where there is none; a place is never a sentence's subject."""
    i = 0
    while i < len(tokens) and tokens[i].kind == "w" and len(tokens[i].text) > 1 and tokens[i].text.isupper():
        i += 1
    if i and i < len(tokens) and tokens[i].text == ",":
        i = next((k for k in range(i + 1, min(len(tokens), i + MAX_DATELINE_DATE_TOKENS))
                  if tokens[k].text in DASHES or tokens[k].text == "("), 0)
    if i < len(tokens) and tokens[i].text == "(":
        i = next((k + 1 for k in range(i + 1, min(len(tokens), i + 5)) if tokens[k].text == ")"), 0)
    if not i or i >= len(tokens) or tokens[i].text not in DASHES:
        return 0
    while i < len(tokens) and tokens[i].text in DASHES:
        i += 1
    return i


def _word_count(text: str) -> int:
    return len(WORD.findall(text))


def extract_quotes(body: str) -> list[ExtractedQuote]:
    """Quotations of MIN_QUOTE_WORDS or more words in `body`, with kind, cue and speaker."""
    if not isinstance(body, str) or not body:
        return []
    quotes: list[Quote] = []
    masked_ranges = []
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(body)]
    for number, (p_start, p_end) in enumerate(paragraphs):
        par = body[p_start:p_end]
        for open_mark, end_mark, closed in quoted_spans(par):
            inner_start, inner_end = open_mark + 1, end_mark
            while inner_start < inner_end and par[inner_start].isspace():
                inner_start += 1
            while inner_end > inner_start and par[inner_end - 1].isspace():
                inner_end -= 1
            inner = par[inner_start:inner_end]
            if _word_count(inner) < MIN_QUOTE_WORDS or _is_title(inner):
                continue
            quotes.append(Quote(
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

    article = WhoIsWho()
    lower_words = set(_LOWER_WORD.findall(body))
    for quote in quotes:
        for named in _FULL_NAME.finditer(body, quote.start, quote.end):
            first = named.group(1).lower()
            if first not in lower_words and first not in ROLE_WORDS and not first.endswith(("ing", "ed")):
                article.learn_quoted(named.group())
    read = []  # per sentence: (paragraph number, tokens, the names' phrases)
    for number, (p_start, p_end) in enumerate(paragraphs):
        spans = sentences(masked, p_start, p_end)
        for s_start, s_end in spans:
            tokens = [Token(m.group(), m.start(), m.end(), m.lastgroup)
                      for m in TOKEN.finditer(masked, s_start, s_end)]
            if s_start == p_start:
                tokens = tokens[_dateline_end(tokens):]
            _demote_sentence_opener(tokens, lower_words)
            _promote_surnames(tokens)
            if _is_headline(tokens, len(spans) == 1):
                # "Ted Cruz Hints Trump Is ...": capitals that name no one, and no attribution.
                tokens = [t for t in tokens if t.kind != "w"]
            phrases = [phrase for i, token in enumerate(tokens)
                       if token.is_name and (i == 0 or not tokens[i - 1].is_phrase or tokens[i - 1].text.islower())
                       and (phrase := phrase_after(tokens, i, body)) is not None]
            for phrase in phrases:
                article.learn(phrase)
            read.append((number, tokens, phrases))

    quote_at = {q.open_mark: q for q in quotes}
    for number, (paragraph, tokens, phrases) in enumerate(read):
        _attribute_sentence(article, number, paragraph, tokens, phrases, quote_at, body)
    _inherit_speakers(quotes)
    forms: dict[str, tuple[str, ...]] = {}
    for q in quotes:
        if q.entity and q.entity.kind in ("person", None) and q.entity.name not in forms:
            forms[q.entity.name] = name_forms(body, q.entity.name)
    return [_extracted(q, body, forms) for q in quotes]


def _extracted(quote: Quote, body: str, forms: dict[str, tuple[str, ...]]) -> ExtractedQuote:
    entity = quote.entity
    if entity is not None and not name_key(entity.name):
        entity = None  # "the lady said": a title alone names no one and cannot be looked up
    role = (quote.role or entity.role) if entity else None
    return ExtractedQuote(
        text=body[quote.start:quote.end], start=quote.start, end=quote.end, kind=quote.kind,
        cue=quote.cue, speaker=entity.name if entity else None, speaker_role=role,
        speaker_kind=entity.kind if entity else None,
        speaker_aliases=forms.get(entity.name, ()) if entity else (),
        speaker_organisation=(entity.name if entity.kind == "organisation" else organisation_in(role))
        if entity else None)


def _attribute_sentence(article: WhoIsWho, number: int, paragraph: int, tokens: list[Token],
                        phrases: list[Phrase], quote_at: dict[int, Quote], body: str) -> None:
    """Resolve the sentence's cues in text order and give its quotations their speaker."""
    subject = main_subject(tokens, body)
    subject_entity = _subject_entity(article, subject, number)
    _record_mentions(article, number, phrases, subject_entity)

    quotes_here = [(i, quote_at[t.start]) for i, t in enumerate(tokens)
                   if t.kind == "p" and t.start in quote_at]
    cues = _find_cues(tokens, body)
    for n, cue in enumerate(cues):
        if cue.needs_main_subject and n and cues[n - 1].entity is not None \
                and cues[n - 1].word.lower() not in CHARACTERISING_CUES:
            # "Spicer said, adding, “…”": the speaker of the cue before.
            cue.phrase, cue.entity, cue.resolved, cue.needs_main_subject = \
                cues[n - 1].phrase, cues[n - 1].entity, True, False
            continue
        _resolve_cue(article, cue, subject, subject_entity, number)

    attributing: Cue | None = None  # the cue that attributed the sentence's last quotation
    for open_index, quote in quotes_here:
        close_index = next((i for i, t in enumerate(tokens)
                            if quote.close_mark is not None and t.start == quote.close_mark),
                           len(tokens))
        after = next((c for c in cues if c.region_start > close_index and all(
            tokens[k].kind == "p" for k in range(close_index + 1, c.region_start))), None)
        before = [c for c in cues if c.index < open_index and c.resolved]
        chosen = after if after is not None and after.resolved else (before[-1] if before else None)
        if chosen is None:
            # "Clinton “drew well with them” in 2008, said Paul Beck.": the cue that closes
            # the sentence after a comma, with no other quotation before it.
            chosen = next((c for c in cues if c.region_start > close_index and c.resolved
                           and tokens[c.region_start - 1].text == ","
                           and all(t.kind != "q" for t in tokens[close_index + 1:c.region_start])),
                          None)
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
            attributing = chosen if chosen.entity is not None else attributing
        elif not cues and not quote.attributed and (label := _label_before(article, tokens, open_index, body)):
            # "Clinton: “Our goal is ...”": a name and a colon, as in a transcript.
            quote.entity, quote.role, quote.attributed = _phrase_entity(article, label), label.role, True
        elif not cues and not quote.attributed and _subject_speaks(tokens, subject, open_index):
            # No cue: the words are the subject's ("Trump called the plan “a disaster”",
            # "Hoover estimated that “somewhere between 23 and 28 people ...”").
            quote.entity = subject_entity or (article.unnamed(subject)
                                              if subject.kind in ("description", "group") else None)
            quote.role = subject.role
            quote.attributed = quote.entity is not None
        quote.kind = _quote_kind(tokens, open_index)
    for open_index, quote in quotes_here:
        earlier = [c for c in cues if c.index < open_index and c.entity is not None]
        if earlier:
            quote.last_cue = Cued(paragraph, tokens[earlier[-1].index].start, earlier[-1].entity)
        elif article.last_cue is not None and article.last_cue.paragraph >= paragraph - 1:
            quote.last_cue = article.last_cue
    # What a later quotation continues: the speaker of this sentence's quotation, not a cue
    # after it ("“…,” said Day, reports USA Today. “…”" is Day's).
    named = [c for c in cues if c.entity is not None]
    if attributing is not None or named:
        last = attributing or named[-1]
        article.last_cue = Cued(paragraph, tokens[last.index].start, last.entity)
    if not cues:
        for open_index, quote in quotes_here:
            if all(t.kind == "p" for t in tokens[:open_index]):
                quote.subject_before = article.last_subject
    if subject_entity is not None and subject_entity.kind == "person" and subject.kind != "pronoun" \
            and subject_entity.name in article.speakers:
        article.last_subject = Cued(paragraph, tokens[0].start, subject_entity)
    elif tokens and not quotes_here:
        _sign_quotations(article, tokens, paragraph, quote_at, body)


def _sign_quotations(article: WhoIsWho, tokens: list[Token], paragraph: int,
                     quote_at: dict[int, Quote], body: str) -> None:
    """A line that signs the quotation above it ("— Clinton."): the speaker of the
    previous paragraph's quotations that have none."""
    if tokens[0].text not in "-–—" or len(tokens) < 2:
        return
    phrase = phrase_after(tokens, 1, body)
    if phrase is None or not phrase.name or phrase.kind == "description" \
            or any(t.kind != "p" for t in tokens[phrase.last:]):
        return
    entity = _phrase_entity(article, phrase)
    for quote in quote_at.values():
        if quote.paragraph == paragraph - 1 and not quote.attributed and entity is not None:
            quote.entity, quote.role, quote.attributed = entity, phrase.role, True


def _label_before(article: WhoIsWho, tokens: list[Token], open_index: int, body: str) -> Phrase | None:
    """The speaker named just before a colon that introduces the quotation, in a
    sentence without a cue ("Clinton: “…”", "Pollsters agree - Carl Bialik: “…”", "doesn’t
    surprise pollster Daron Shaw: “…”"): a person or organisation, or a name the article
    has given in full ("Update: “…”" names no one), and not the object of a preposition
    ("... to the newspaper NRC Handelsblad: “…”")."""
    if open_index < 2 or tokens[open_index - 1].text != ":":
        return None
    phrase = phrase_before(tokens, open_index - 1, body)
    if phrase is None or phrase.last != open_index - 1 or not phrase.name or (
            phrase.first and tokens[phrase.first - 1].low in PARTICIPLE_PREPOSITIONS) or (
            phrase.kind not in ("person", "organisation") and article.fullest(phrase.name) == phrase.name):
        return None
    return phrase


def _subject_speaks(tokens: list[Token], subject: Phrase | None, open_index: int) -> bool:
    """Whether a quotation inside a sentence without a cue reads as its subject's words:
    the subject stands before it with a verb between ("Cruz is praising Bush as “…”")."""
    return subject is not None and subject.kind != "reference" and subject.last < open_index and any(
        t.kind == "w" and t.text.islower() for t in tokens[subject.last:open_index])


def _record_mentions(article: WhoIsWho, number: int, phrases: list[Phrase],
                     subject_entity: Entity | None) -> None:
    """Note which people the sentence names, in order, for role-only descriptions."""
    named = article.mentions.setdefault(number, [])
    if subject_entity is not None and subject_entity.kind in ("person", None):
        named.append(subject_entity)
    for phrase in phrases:
        if phrase.name and phrase.kind in ("person", None):
            named.append(article.entity(phrase.name, phrase.kind, gender=phrase.gender))
    people = [entity for entity in named if entity.kind == "person"]
    if people:
        article.last_mentioned = people[-1]


def _subject_entity(article: WhoIsWho, subject: Phrase | None, number: int) -> Entity | None:
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


def _phrase_entity(article: WhoIsWho, phrase: Phrase) -> Entity | None:
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


def _resolve_cue(article: WhoIsWho, cue: Cue, subject: Phrase | None,
                 subject_entity: Entity | None, number: int) -> None:
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
    if entity is None and phrase.kind in ("description", "group"):
        entity = article.unnamed(phrase)
    cue.resolved = True
    cue.entity = entity
    if entity is not None:
        article.remember(entity)
        article.speakers.add(entity.name)


def _quote_kind(tokens: list[Token], open_index: int) -> str:
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


def _inherit_speakers(quotes: list[Quote]) -> None:
    """Quotations without a cue of their own: a run over paragraphs shares the speaker of
    its attributed member; otherwise the quotation continues whoever was named last, the
    speaker of the previous quotation (when it is in this or the previous paragraph) or
    of the last cue (in this paragraph, or the previous one for a quotation opening its
    paragraph: "Smith told the BBC the city would recover.\n\n“We will rebuild.”")."""
    runs: list[list[Quote]] = []
    for quote in quotes:
        if runs and runs[-1][-1].close_mark is None and quote.opens_paragraph \
                and quote.paragraph == runs[-1][-1].paragraph + 1:
            runs[-1].append(quote)
        else:
            runs.append([quote])
    previous: Quote | None = None
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


def _continue_speaker(quote: Quote, previous: Quote | None) -> None:
    reach = quote.paragraph - 1 if quote.opens_paragraph else quote.paragraph
    cue = quote.last_cue if quote.last_cue and quote.last_cue.paragraph >= reach else None
    if previous is not None and previous.paragraph >= reach and previous.entity is not None \
            and (cue is None or previous.start > cue.offset):
        quote.entity, quote.role = previous.entity, previous.role
    elif cue is not None:
        quote.entity = cue.entity
    elif quote.subject_before is not None and quote.subject_before.paragraph >= reach \
            and (previous is None or previous.start < quote.subject_before.offset):
        # "Bolton distanced himself from the movement. “I’m going to support him.”"
        quote.entity = quote.subject_before.entity
