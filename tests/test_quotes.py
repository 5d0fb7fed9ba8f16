"""corpus.quotes: quotation spans, kind, cue and speaker on short articles, the seed gold
targets, and offsets that hold for any input."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.quotes import ExtractedQuote, extract_quotes

GOLD = Path(__file__).parent / "fixtures" / "quotes" / "seeds_gold.json"


def quotes_of(body: str) -> list[ExtractedQuote]:
    quotes = extract_quotes(body)
    for quote in quotes:
        assert body[quote.start:quote.end] == quote.text
    return quotes


def only_quote(body: str) -> ExtractedQuote:
    quotes = quotes_of(body)
    assert len(quotes) == 1, quotes
    return quotes[0]


# --- attribution patterns ------------------------------------------------------------------

def test_name_after_quote_and_cue():
    quote = only_quote("“We will rebuild every school that was destroyed,” Maria Lopez said.")
    assert quote.text == "We will rebuild every school that was destroyed,"
    assert (quote.speaker, quote.cue, quote.kind) == ("Maria Lopez", "said", "direct")
    assert quote.speaker_kind == "person"


def test_cue_before_name_with_role_after_quote():
    quote = only_quote("“Prices will keep rising through the winter,” said Bank of England "
                       "governor Andrew Bailey.")
    assert (quote.speaker, quote.speaker_role, quote.cue) == (
        "Andrew Bailey", "Bank of England governor", "said")


def test_name_before_cue_and_colon():
    quote = only_quote("Health Secretary Wes Streeting told MPs: \"The NHS is broken but it "
                       "is not beaten.\"")
    assert quote.text == "The NHS is broken but it is not beaten."
    assert (quote.speaker, quote.speaker_role, quote.cue, quote.kind) == (
        "Wes Streeting", "Health Secretary", "told", "direct")


def test_according_to_organisation():
    body = "The plan “would cut emissions by half within a decade”, according to the " \
           "Environment Agency."
    quote = only_quote(body)
    assert quote.text == "would cut emissions by half within a decade"
    assert (quote.speaker, quote.speaker_kind, quote.cue, quote.kind) == (
        "Environment Agency", "organisation", "according to", "partial")


def test_apposition_gives_name_and_role():
    quote = only_quote("“We are not going to back down on this issue,” Jane Smith, a "
                       "spokeswoman for the union, said.")
    assert (quote.speaker, quote.speaker_role) == ("Jane Smith", "spokeswoman for the union")
    quote = only_quote("The chancellor, Rachel Reeves, said: “We will not raise taxes on "
                       "working people.”")
    assert (quote.speaker, quote.speaker_role) == ("Rachel Reeves", "chancellor")


def test_pronoun_is_the_last_person_named_as_speaking():
    body = ("Foreign minister Anna Berg said talks would resume. Her deputy Lars Holm "
            "attended.\n\n"
            "“There is no alternative to a negotiated settlement,” she added.")
    quote = only_quote(body)
    assert (quote.speaker, quote.cue) == ("Anna Berg", "added")


def test_pronoun_gender_skips_a_speaker_of_the_other_gender():
    body = ("Ms Berg said the talks would resume. Mr Holm said he would attend.\n\n"
            "“There is no alternative to a negotiated settlement,” she added.\n\n"
            "Anna Berg and Lars Holm left together.")
    quote = only_quote(body)
    assert quote.speaker == "Anna Berg"


def test_pronoun_without_a_speaker_is_the_person_the_article_is_about():
    body = ("Angela Merkel spoke in Berlin on Tuesday.\n\n"
            "“We must remain united in the face of this threat,” she said.")
    assert only_quote(body).speaker == "Angela Merkel"


def test_pronoun_after_a_sentence_about_someone_is_that_person():
    body = ("Union leader Sharon Graham said the offer was poor. Company chief Clemence Cheng "
            "warned of disruption. Mr Harper said talks should resume.\n\n"
            "Ms Graham rejected that. “Ministers cannot wash their hands of this,” she said.")
    assert only_quote(body).speaker == "Sharon Graham"


def test_short_form_resolves_to_the_fullest_name_in_the_article():
    body = ("“Europe needs to stand together on defence spending,” Mr Scholz told "
            "reporters.\n\nGerman chancellor Olaf Scholz arrived late in Brussels.")
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_role, quote.cue) == (
        "Olaf Scholz", "German chancellor", "told")


def test_short_form_with_a_surname_particle_resolves_to_the_fullest_name():
    body = ("“There will be no military solution to this conflict,” said Staffan de Mistura, "
            "the UN special envoy.\n\nMr de Mistura added that the talks were “the last real "
            "chance for a ceasefire this year”.")
    assert [q.speaker for q in extract_quotes(body)] == ["Staffan de Mistura"] * 2


def test_same_surname_different_people_stay_apart():
    body = ("Ed Miliband said: “This is a good day for the country and for us.”\n\n"
            "David Miliband disagreed. “This is a terrible day for the party,” he said.")
    assert [q.speaker for q in quotes_of(body)] == ["Ed Miliband", "David Miliband"]


def test_organisation_it_said_is_the_organisation_named_before():
    body = ("The fire broke out overnight, the state news agency Tanjug said.\n\n"
            "“Firefighters brought the blaze under control by dawn,” it said.")
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_kind, quote.speaker_role) == (
        "Tanjug", "organisation", "state news agency")


def test_the_company_said_is_the_company_named_before():
    body = ("Apple declined to comment. “We do not discuss unreleased products with anyone,” "
            "the company said in a statement.")
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_kind) == ("Apple", "organisation")


def test_role_only_description_is_the_person_with_that_role():
    body = ("Kenyan President William Ruto met the delegation on Monday.\n\n"
            "The Kenyan leader later said the talks had been “frank and useful for both of "
            "our countries”.")
    quote = only_quote(body)
    assert (quote.speaker, quote.kind) == ("William Ruto", "partial")


def test_outlet_reporting_an_author_credits_the_author():
    body = ("Prime Minister Mark Carney spoke in Ottawa.\n\n"
            "The Canadian leader said the deal was “a historic step forward for the country,” "
            "Reuters reported.")
    quote = only_quote(body)
    assert quote.speaker == "Mark Carney"


def test_outlet_alone_is_the_speaker():
    quote = only_quote("“Three people were injured in the blast near the station,” AFP reported.")
    assert (quote.speaker, quote.speaker_kind, quote.cue) == ("AFP", "organisation", "reported")


def test_participle_cue_credits_the_main_subject_not_the_reported_subject():
    body = ("But the Kremlin put a positive spin on the figures, saying Smith "
            "“grew faster than at any time in the past decade”.")
    quote = only_quote(body)
    assert (quote.speaker, quote.cue, quote.kind) == ("Kremlin", "saying", "partial")


def test_unnamed_organisation_reference_is_no_speaker():
    quote = only_quote("“Exports grew faster than at any time in the decade,” the ministry said.")
    assert (quote.speaker, quote.cue) == (None, "said")


def test_aside_between_name_and_cue():
    quote = only_quote("“I have never seen anything like it in my life,” Tom Hale, 45, said.")
    assert (quote.speaker, quote.cue) == ("Tom Hale", "said")
    body = ("Kate Lee, the chief executive of the charity, said the figures were “a damning "
            "indictment of government policy”.")
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_role) == ("Kate Lee", "chief executive of the charity")


def test_relative_clause_speaker():
    body = "Ann Lee agreed with Tom Hale, who said the plan was “a disaster for the country”."
    assert only_quote(body).speaker == "Tom Hale"


def test_name_of_organisation_is_the_person_with_an_affiliation():
    quote = only_quote("“We don’t know yet what caused the crash,” Chief Inspector Dave Brown "
                       "of Kent Police said.")
    assert (quote.speaker, quote.speaker_role) == ("Dave Brown", "Chief Inspector, Kent Police")


def test_spokesperson_for_an_organisation_speaks_for_it():
    quote = only_quote("“We do not comment on these matters at all,” a spokesperson for the "
                       "Home Office said.")
    assert (quote.speaker, quote.speaker_kind) == ("Home Office", "organisation")


def test_spokesperson_for_the_company_is_the_company_named_before():
    body = ("Hutchison Ports, which owns the port, said it was disappointed. “We have made a "
            "fair offer and remain open to talks,” a spokesperson for the company said.")
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_kind) == ("Hutchison Ports", "organisation")


def test_organisation_name_with_of_or_for():
    body = ("The Office for National Statistics said inflation “remained stubbornly high in "
            "the third quarter”.")
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_kind) == ("Office for National Statistics",
                                                   "organisation")


def test_unnamed_source_is_a_description_not_the_person_named_before():
    body = ("Tom Hale spoke first.\n\n“We expect a decision within the next two weeks,” a "
            "government source told the BBC.")
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_kind, quote.cue) == ("government source", "description", "told")


def test_spokesman_is_not_the_person_named_before():
    body = ("President Ada Quist arrived on Monday. “We will look into it as soon as "
            "possible,” the spokesman said.")
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_kind) == ("spokesman", "description")


@pytest.mark.parametrize("body, speaker", [
    ("“The gap is too wide for her to overtake him,” said a Nevada Democrat.", "Nevada Democrat"),
    ("“It is his to lose at this point,” added another New Hampshire Republican.",
     "New Hampshire Republican"),
    ("“If he wins both states, the energy will be substantial,” said one well-connected Democrat "
     "familiar with the campaign, who requested anonymity.",
     "well-connected Democrat familiar with the campaign"),
    ("Another source familiar with Cruz’s thinking said, “He will try to be more friendly.”",
     "source familiar with Cruz’s thinking"),
    ("A White House official who spoke anonymously said Wednesday, “There are discussions "
     "between the two teams.”", "White House official"),
    ("“Will he be the next attorney general?” a Democratic staffer in the room wondered.",
     "Democratic staffer in the room"),
])
def test_unnamed_sources_with_what_describes_them(body, speaker):
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_kind) == (speaker, "description")


def test_relative_clause_without_comma_is_the_named_speaker():
    body = ("“We are going to see a variety of tactics,” said Elizabeth Arnold, 32, a former "
            "staff member for the campaign in Philadelphia who said she planned to demonstrate.")
    assert only_quote(body).speaker == "Elizabeth Arnold"


def test_office_alone_is_the_subject_of_a_sentence_after_an_introduction():
    body = ("One month after announcing his support for Donald Trump, Marco Rubio still "
            "believes that the nominee is unfit. “I stand by everything I said during the "
            "campaign,” the Florida senator told reporters.")
    assert only_quote(body).speaker == "Marco Rubio"


def test_headline_line_with_a_full_stop_names_no_one():
    body = ("Woman Reveals Stunning Thing Trump Did To Her After Her Dad Died.\n\n"
            "Betsy Sharp knows Donald Trump well.\n\n"
            "“He saved our family farm when nobody else would,” she said of Trump.\n\n"
            "“We will never forget what he did for us,” Trump said.")
    assert [q.speaker for q in quotes_of(body)] == ["Betsy Sharp", "Donald Trump"]


def test_a_capitalised_word_opening_a_sentence_is_no_given_name():
    body = ("Donald Trump spoke in Ohio. Maybe Trump is right about the polls, and maybe "
            "not.\n\n“We are going to win this state by a lot,” Trump said.")
    assert only_quote(body).speaker == "Donald Trump"


@pytest.mark.parametrize("body, speaker", [
    # the cue closing a sentence, after a comma, attributes a partial quotation before it
    ("Hillary Clinton won Ohio in 2008.\n\nClinton “drew quite well from white, working-class "
     "Democrats” in the 2008 primary, said Ohio State University professor Paul Beck.", "Paul Beck"),
    ("Bernie Sanders won New Hampshire.\n\n\"Let me take this opportunity to thank the "
     "volunteers who worked so hard\" for the victory, Sanders said.", "Bernie Sanders"),
    # cues of two words, cues beyond say and tell
    ("“You know, it happens all the time, right?” Trump went on, as if he did not hear her.", "Trump"),
    ("“They are all here because of the free stuff,” Bennett shot back with a laugh.", "Bennett"),
    ("“Go back to Univision, go back to your station,” Trump barked.", "Trump"),
    ("“I would say this to all of them,” Trump answered.", "Trump"),
    ("Sen. Marco Rubio said that once the Senate goes on recess, “I intend to do as much as I "
     "can.”", "Marco Rubio"),
    # a cue opening a sentence before its speaker
    ("Roger Stone spoke on the radio.\n\nStated Stone:\n\n“I think that the stakes are so high "
     "for the country.”", "Roger Stone"),
    ("James Comey testified.\n\nSaid Comey, “The thought that an error on our part is connected "
     "to this is painful.”", "James Comey"),
    # "states" is a noun; a participle after a cue is that cue's speaker's
    ("Ted Cruz said that states can pass such laws because “men should not be going to the "
     "bathroom with little girls.”", "Ted Cruz"),
    ("Ryan and Trump will meet next week, Spicer said, adding, \"They need to sit down and have a "
     "good talk.\"", "Spicer"),
    # long asides between the speaker and the cue
    ("\"Nothing we could do now in Iraq would make a difference,\" Fred Kagan, director of the "
     "Critical Threats Project at the hawkish American Enterprise Institute, said.", "Fred Kagan"),
    ("\"Both Donald Trump and Ted Cruz scare me,\" Harry Bond, 30, of Raleigh, N.C., who was among "
     "those polled, said in an interview.", "Harry Bond"),
    # a quotation ending in a full stop that opens its sentence keeps the cue after it
    ("Donald Trump spoke about Russia.\n\n“Russia, if you are listening, I hope you are able to "
     "find the emails.” Trump said.", "Donald Trump"),
    ("Clinton said: “We will win this state very easily.” Trump said he disagreed.", "Clinton"),
    # a capitalised grammar word can be a surname
    ("Fox News contributor George Will reignited his feud.\n\n“The eruption of war is a reminder "
     "of the stakes for us all,” Will wrote.", "George Will"),
    # a participle opening a sentence is no name; a weekday between subject and cue
    ("Reached by POLITICO, Bennett denied the notion, saying he was “taking a day off from the "
     "campaign.”", "Bennett"),
    ("Reince Priebus later Thursday told Fox News: “Both men are meeting up next week to talk.”",
     "Reince Priebus"),
    # a quotation continues the speaker of the quotation before, not a later cue beside it
    ("“They are not terminable at will,” Trump spokesperson Ron Lieberman told the Journal, after "
     "de Blasio stated an interest in ending the deals. “These contracts are fully binding.”",
     "Ron Lieberman"),
])
def test_speaker_of_harder_attributions(body, speaker):
    assert quotes_of(body)[-1].speaker == speaker


def test_a_naming_verb_without_a_quotation_is_no_cue():
    body = ("“You have two billionaires who started a super PAC against me,” Clinton said, "
            "referencing a super PAC called Future45. “So they clearly think I am going to win.”")
    assert [q.speaker for q in quotes_of(body)] == ["Clinton", "Clinton"]


@pytest.mark.parametrize("body, speaker", [
    ("“Although there was probable cause, the evidence cannot prove the crime,” according to a "
     "court document filed by the state attorney.", "court document"),
    ("The ad claims “Jeb is the conservative you can trust.”", "ad"),
    ("“We are shocked, Ahmed was a friend to us,” one P&G Amiens employee told French television.",
     "P&G Amiens employee"),
])
def test_documents_and_unnamed_people_are_descriptions(body, speaker):
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_kind) == (speaker, "description")


def test_outlet_quoting_an_author_as_saying():
    quote = only_quote("“We will not surrender any territory to anyone,” Reuters quoted Ana "
                       "Ruiz as saying.")
    assert quote.speaker == "Ana Ruiz"
    body = ("The newspaper quoted the minister, Ana Ruiz, as saying the deal was “dead in the "
            "water for now”.")
    assert (only_quote(body).speaker, only_quote(body).speaker_role) == ("Ana Ruiz", "minister")


def test_acronym_organisation_and_it():
    body = ("“There is no evidence that the vaccine causes autism,” the WHO said.\n\n"
            "“The claims are false and dangerous for public health,” it added.")
    first, second = quotes_of(body)
    assert first.speaker == second.speaker == "WHO"
    assert second.speaker_kind == "organisation"


def test_next_sentence_quote_keeps_the_paragraph_speaker():
    body = ("“Our relations are at their best level in history,” Mr Ruiz said. “We will "
            "continue to deepen cooperation in every field.”\n\nAna Ruiz flew home.")
    first, second = quotes_of(body)
    assert first.speaker == second.speaker == "Ana Ruiz"
    assert second.cue is None


# --- direct and partial ------------------------------------------------------------------

@pytest.mark.parametrize("body, kind", [
    ("“We are ready to talk to anyone,” the minister, Ana Ruiz, said.", "direct"),
    ("Ana Ruiz said: “We are ready to talk to anyone.”", "direct"),
    ("Ana Ruiz added, “We are ready to talk to anyone.”", "direct"),
    ("Ana Ruiz said the government was “ready to talk to anyone”.", "partial"),
    ("Officials “expressed strong concerns about the attack”, Ana Ruiz said.", "partial"),
])
def test_direct_or_partial(body, kind):
    quote = only_quote(body)
    assert (quote.kind, quote.speaker) == (kind, "Ana Ruiz")


# --- runs over paragraphs ----------------------------------------------------------------

def test_run_over_paragraphs_without_closing_mark_shares_the_speaker():
    body = ("Councillor Pat Doyle was asked about the cuts on Monday.\n\n"
            "“We have to make difficult choices about where the money goes.\n\n"
            "“Nobody wants to close libraries, but the budget is what it is,” Ms Doyle said.")
    first, second = quotes_of(body)
    assert first.text == "We have to make difficult choices about where the money goes."
    assert second.text == "Nobody wants to close libraries, but the budget is what it is,"
    assert first.speaker == second.speaker == "Pat Doyle"
    assert first.kind == second.kind == "direct"
    assert first.cue is None and second.cue == "said"


def test_paragraph_opening_a_new_quotation_continues_the_previous_speaker():
    body = ("Tom Reyes said: “We are not finished with this campaign yet.”\n\n"
            "“Our volunteers will be out on every street next weekend.”\n\n"
            "Polls close at ten.")
    first, second = quotes_of(body)
    assert first.speaker == second.speaker == "Tom Reyes"


def test_paragraph_opening_quote_after_a_cue_in_the_previous_paragraph():
    body = ("Mayor Lina Ortiz told the BBC the city would recover within a year.\n\n"
            "“We will rebuild everything that was lost in the flood.”")
    quote = only_quote(body)
    assert (quote.speaker, quote.cue, quote.kind) == ("Lina Ortiz", None, "direct")


def test_unattributed_quote_two_paragraphs_on_has_no_speaker():
    body = ("Mayor Lina Ortiz told the BBC the city would recover.\n\n"
            "The river burst its banks on Sunday night.\n\n"
            "“Everything we owned has gone under the water.”")
    assert only_quote(body).speaker is None


def test_closing_mark_used_to_reopen_a_paragraph():
    body = ("He said: “That would be a mistake for all of us in the region.\n\n"
            "”One of the challenges we have is the lack of trust.”")
    body = "President Ada Quist spoke first.\n\n" + body
    first, second = quotes_of(body)
    assert second.text == "One of the challenges we have is the lack of trust."
    assert first.speaker == second.speaker == "Ada Quist"


# --- marks -------------------------------------------------------------------------------

def test_quotes_under_four_words_are_not_quotes():
    body = ("Mr Lavrov acknowledged Saudi Arabia had “concerns” about a “terrorist "
            "caliphate”, and called it a ‘very serious threat’, officials said.")
    assert quotes_of(body) == []


def test_titles_of_works_are_not_quotes():
    body = "The film “Once Upon a Time in Hollywood” won, the critic Ann Lee said."
    assert quotes_of(body) == []


def test_apostrophes_are_not_quote_marks():
    body = ("It’s the government’s view that Russia’s actions don’t help the Saudis’ "
            "cause, the ministers' statement said. 'Tis the season, rock ’n’ roll.")
    assert quotes_of(body) == []


def test_nested_single_quotes_belong_to_the_outer_quote():
    quote = only_quote("Ana Ruiz said: “I don’t think the term ‘opposition’ can be used for "
                       "armed men.”")
    assert quote.text == "I don’t think the term ‘opposition’ can be used for armed men."


def test_single_quotes_as_primary_marks():
    quote = only_quote("‘We will get this done by the end of January,’ Boris Johnson said.")
    assert quote.text == "We will get this done by the end of January,"
    assert quote.speaker == "Boris Johnson"


@pytest.mark.parametrize("body, text", [
    ('He said "we will never give in to these threats" and left.',
     "we will never give in to these threats"),
    ("« Nous sommes en guerre contre le virus », a-t-il dit.",
     "Nous sommes en guerre contre le virus"),
    ("Er sagte: „Wir schaffen das schon irgendwie“.", "Wir schaffen das schon irgendwie"),
])
def test_every_kind_of_quotation_mark(body, text):
    assert only_quote(body).text == text


def test_unclosed_quote_runs_to_the_end_of_its_paragraph_only():
    body = "Sam Hill said \"this is never closed and goes on\n\nNext paragraph has no quotes."
    quote = only_quote(body)
    assert quote.text == "this is never closed and goes on"


@pytest.mark.parametrize("body", [
    "", "\"", "“”“”‘’", "\"\"\"\"", "” “ ’ ‘ » «", "a\"b\"c", "'''", "\n\n\n", "“\n\n”",
    "He said: “", "“ a b c d", "a b c d ”", "“a ‘b c d e’ f”", "‘a “b c d e” f’",
])
def test_odd_marks_never_crash(body):
    quotes_of(body)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("ab C.,:;\n\"“”‘’'«»„-–()")
                                + ["said", " he ", " it ", "Mr ", "Ann Lee", " word", "\n\n",
                                   " the ", " of ", " for ", " who ", "al-", "’s", "WHO",
                                   " according to ", ", saying", " quoted ", " as ",
                                   " Reuters reported", "The Syrian President "]))
       .map("".join))
def test_any_text_gives_valid_offsets(body):
    for quote in extract_quotes(body):
        assert 0 <= quote.start <= quote.end <= len(body)
        assert body[quote.start:quote.end] == quote.text
        assert quote.kind in ("direct", "partial")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_unicode_gives_valid_offsets(body):
    for quote in extract_quotes(body):
        assert body[quote.start:quote.end] == quote.text


# --- the seed gold -----------------------------------------------------------------------
# The matching rules of /work/shared/eval/score.py: a predicted quote matches a gold one
# when their word-bag F1 is at least 0.6, one to one; a speaker is right when its name
# without titles equals, contains or is contained in a gold name, or shares the surname
# and the first name's first four letters.

SCORER_TITLES = {"mr", "mrs", "ms", "dr", "sir", "president", "minister", "the", "prime",
                 "foreign", "defence", "defense", "secretary", "general", "major", "king",
                 "sheikh"}


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.findall(r"\w+", text.replace("\u2019", "'").replace("\u2018", "'"))


def _token_f1(predicted: str, gold: str) -> float:
    p, g = Counter(_words(predicted)), Counter(_words(gold))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _scorer_key(name: str) -> list[str]:
    return [t for t in _words(name.replace("-", " ")) if t not in SCORER_TITLES]


def _gold_names(gold_quote: dict) -> list[str]:
    def flat(value):
        if isinstance(value, str):
            return [value]
        return [n for item in value for n in flat(item)] if isinstance(value, list) else []
    return [gold_quote["speaker"]] + flat(gold_quote.get("speaker_also"))


def _speaker_right(predicted: str | None, golds: list[str]) -> bool:
    if not predicted:
        return False
    pk = _scorer_key(predicted)
    for gold in golds:
        gk = _scorer_key(gold)
        if not gk or not pk:
            continue
        if pk == gk or set(gk) <= set(pk) or set(pk) <= set(gk):
            return True
        if len(gk) >= 2 and len(pk) >= 2 and gk[-1] == pk[-1] and gk[0][:4] == pk[0][:4]:
            return True
    return False


def seed_scores() -> dict[str, float]:
    gold_docs = json.loads(GOLD.read_text(encoding="utf-8"))
    matched = predicted_count = gold_count = speaker_right = speaker_count = kind_right = 0
    for doc in gold_docs:
        predicted = extract_quotes(doc["body"])
        predicted_count += len(predicted)
        gold_count += len(doc["quotes"])
        used: set[int] = set()
        for gold_quote in doc["quotes"]:
            scores = [(_token_f1(q.text, gold_quote["text"]), i)
                      for i, q in enumerate(predicted) if i not in used]
            best, index = max(scores, default=(0.0, None))
            if index is None or best < 0.6:
                continue
            used.add(index)
            matched += 1
            kind_right += predicted[index].kind == gold_quote["kind"]
            if gold_quote.get("speaker"):
                speaker_count += 1
                speaker_right += _speaker_right(predicted[index].speaker, _gold_names(gold_quote))
    return {
        "precision": matched / predicted_count,
        "recall": matched / gold_count,
        "speaker_accuracy": speaker_right / speaker_count,
        "kind_accuracy": kind_right / matched,
    }


def test_seed_gold_targets():
    scores = seed_scores()
    assert scores["precision"] >= 0.95, scores
    assert scores["recall"] >= 0.95, scores
    assert scores["speaker_accuracy"] >= 0.95, scores
    assert scores["kind_accuracy"] >= 0.9, scores


def test_seed_quote_texts_are_the_gold_spans():
    """Every gold quotation is found with exactly the gold text."""
    for doc in json.loads(GOLD.read_text(encoding="utf-8")):
        texts = [q.text for q in extract_quotes(doc["body"])]
        for gold_quote in doc["quotes"]:
            assert gold_quote["text"] in texts, (doc["file"], gold_quote["text"])


@pytest.mark.parametrize("sentence, name, role", [
    ("“We will win this state,” Republican Donald Trump said.", "Donald Trump", "Republican"),
    ("“We will win this state,” said Vermont Sen. Bernie Sanders.", "Bernie Sanders", "Vermont Sen."),
    ("“We will win this state,” said Democratic pollster Peter Fenn.", "Peter Fenn", "Democratic pollster"),
    ("Texas delegate Bill Eastland said “we will win this state.”", "Bill Eastland", "Texas delegate"),
    ("“We will win this state,” Harry M. Reid (D-Nev.) said in a statement.", "Harry M. Reid", None),
    ("“We will win this state,” said Senate Majority Whip John Cornyn.", "John Cornyn", "Senate Majority Whip"),
    ("“We will win this state,” said RNC Chief of Staff Katie Walsh.", "Katie Walsh", "RNC Chief of Staff"),
    ("Actor Clint Howard said “we will win this state.”", "Clint Howard", "Actor"),
    ("“We will win this state,” said Texas-based Matt Mackowiak.", "Matt Mackowiak", "Texas-based"),
    ("“We will win this state,” said South Korean-born Monte Haines.", "Monte Haines", "South Korean-born"),
])
def test_name_is_the_name_alone_and_the_rest_is_role(sentence, name, role):
    quote = only_quote(sentence)
    assert (quote.speaker, quote.speaker_role) == (name, role)


@pytest.mark.parametrize("sentence, speaker", [
    ("“Would it be negotiable about the 11 million?” Hannity pressed.", "Hannity"),
    ("Hoover estimated that “somewhere between 23 and 28 people are opposed.”", "Hoover"),
    ("Trump jokingly said, “I hate to say it, I’m becoming mainstream.”", "Trump"),
    ("Sanders is telling supporters that “when you win, it’s beautiful.”", "Sanders"),
    ("“Hillary doesn't even care anymore,” wrote one Sanders supporter.", "Sanders supporter"),
    ("Massie used to back Rand Paul, but now said Trump had “the opportunity to bring us together.”", "Massie"),
    ("Sanders himself acknowledged “it will be very hard for us to win” if he loses the pledged delegates.",
     "Sanders"),
    ("Carson said he saw no need to change, telling reporters that “we tell the truth, we deal with the"
     " issues” and that he had seen continued support.", "Carson"),
    ("Republican presidential front-runner Donald Trump is questioning whether Obama would have gone"
     " “if it were held in a mosque.”", "Donald Trump"),
])
def test_cues_beyond_say_and_subjects_without_a_cue(sentence, speaker):
    assert only_quote(sentence).speaker == speaker


def test_a_headline_is_never_read_as_an_attribution():
    body = "Ted Cruz Hints Trump Is Not Ready For “The Job Of A Lifetime”\n\nThe race went on."
    assert [q.speaker for q in extract_quotes(body)] in ([], [None])


def test_a_sentence_opening_gerund_is_not_part_of_the_name():
    body = ("Telling Jeb Bush to wait, the crowd cheered. “We will not wait for anyone,” Bush said.\n\n"
            "Nobody was telling anyone anything.")
    assert only_quote(body).speaker == "Jeb Bush"


def test_a_surname_takes_the_full_name_only_a_quotation_gives():
    body = ("“Patrick Murphy owes Floridians an explanation,” the ad says.\n\n"
            "“Who is the real con man here?” said Murphy, on a call with reporters.")
    assert [q.speaker for q in extract_quotes(body)][-1] == "Patrick Murphy"


def test_a_surname_shared_by_two_people_in_quotations_stays_a_surname():
    body = ("“Patrick Murphy and Chris Murphy both voted for it,” the ad says.\n\n"
            "“Who is the real con man here?” said Murphy, on a call with reporters.")
    assert [q.speaker for q in extract_quotes(body)][-1] == "Murphy"


def test_a_name_and_a_colon_label_the_quotation_after_them():
    body = ("Jeb Bush and Hillary Clinton reject the term.\n\n"
            "Clinton: “Our goal is not to contain ISIS, but to defeat it.” Bush: “The mission is to destroy ISIS.”\n\n"
            "Update: “the campaign did not answer our questions.”")
    assert [q.speaker for q in extract_quotes(body)] == ["Hillary Clinton", "Jeb Bush", None]


def test_a_dash_and_a_name_under_a_quotation_sign_it():
    body = ("Hillary Clinton spoke in Iowa.\n\n“I went to Wall Street before the crash, and I warned them.”\n\n"
            "- Clinton.\n\nShe tends to overstate it.")
    assert [q.speaker for q in extract_quotes(body)] == ["Hillary Clinton"]


def test_a_quotation_alone_after_a_sentence_about_someone_who_spoke_is_theirs():
    body = ("“We need a strong leader,” said John Bolton.\n\n"
            "Bolton distanced himself from the movement. “I’m going to support him, and support him enthusiastically.”\n\n"
            "The vote was close.\n\n“Nobody here wants the new law at all.”")
    assert [q.speaker for q in extract_quotes(body)] == ["John Bolton", "John Bolton", None]


def test_a_person_named_before_a_colon_in_a_sentence_without_a_cue_is_the_speaker():
    body = ("The surge doesn’t surprise Republican pollster Daron Shaw: “Lesser-known candidates do well early.”\n\n"
            "Jeb Bush broke it down for the Dutch newspaper NRC Handelsblad: “What Trump did was so insensitive.”")
    assert [q.speaker for q in extract_quotes(body)][0] == "Daron Shaw"
    assert [q.speaker for q in extract_quotes(body)][1] != "NRC Handelsblad"


def test_a_single_name_after_the_is_an_organisation_and_contractions_name_no_one():
    body = ("The professor was headed to Cairo, the Guardian reported. “We had called him just before he boarded.”\n\n"
            "I’m told “the economy is on an unsustainable path,” the website explains.")
    quotes = extract_quotes(body)
    assert (quotes[0].speaker, quotes[0].speaker_kind) == ("Guardian", "organisation")
    assert all(q.speaker != "I’m" for q in quotes)


@pytest.mark.parametrize("body, speaker", [
    ("“Is the great state of Alabama proud to cast its votes?” US Senator Jeff Sessions said as he began.",
     "Jeff Sessions"),
    ("“How are you today, and are you voting?” Miller, a retired worker from a nuclear plant, said"
     " pleasantly into the phone.", "Miller"),
    ("“Is this the end of the road for us?” the host asked.", "host"),
])
def test_a_question_closed_before_its_speaker_and_cue_is_theirs(body, speaker):
    assert only_quote(body).speaker == speaker


def test_words_after_a_question_that_are_no_cue_start_a_new_sentence():
    body = "“Is this the end of the road for us?” Nobody knows. He said nothing."
    assert only_quote(body).speaker is None


@pytest.mark.parametrize("sentence, speaker, kind, role", [
    ("“We had three brief conversations with him on Thursday,” Fox News said in a statement.",
     "Fox News", "organisation", None),
    ("“We are covering the race every single day,” said NBC News reporter Katy Tur.",
     "Katy Tur", "person", "NBC News reporter"),
    ("A maximum term “would also help address any false perception,” Assistant U.S. Attorney Maya D. Song wrote.",
     "Maya D. Song", "person", "Assistant U.S. Attorney"),
    ("“We are covering the race every single day,” said a U.S. official.",
     "U.S. official", "description", "U.S. official"),
])
def test_news_organisations_and_dotted_abbreviations_in_speakers(sentence, speaker, kind, role):
    quote = only_quote(sentence)
    assert (quote.speaker, quote.speaker_kind, quote.speaker_role) == (speaker, kind, role)


def test_a_subject_with_descriptors_before_a_name_is_that_person_for_a_later_pronoun():
    body = ("Hillary Clinton won in Iowa.\n\nOn Monday night, Clinton campaign manager Robby Mook released a memo."
            "\n\nHe writes Clinton has “built a nearly insurmountable lead among both delegates and voters.”")
    assert only_quote(body).speaker == "Robby Mook"


def test_an_infinitive_is_no_cue_but_the_verb_before_it_is():
    body = ("O'Malley, who signed gun laws as governor, interjected to say: “They have both been inconsistent.”\n\n"
            "Nance said she would like Trump to further explain his stance because “he is the most pro-life of the two.”")
    assert [q.speaker for q in extract_quotes(body)] == ["O'Malley", "Nance"]


@pytest.mark.parametrize("sentence, name, role", [
    ("“I stayed very tough today, especially the mental part,” said Swede Daniel Chopra.", "Daniel Chopra", "Swede"),
    ("Fifth-seeded Israeli Shahar Peer said: “I stayed very tough today, especially the mental part.”",
     "Shahar Peer", "Fifth-seeded Israeli"),
    ("“We have two separate collisions here tonight,” said Ontario Provincial Police Const. Dave Woodford.",
     "Dave Woodford", "Ontario Provincial Police Const."),
])
def test_nationalities_and_sentence_opening_descriptors_are_role_not_name(sentence, name, role):
    quote = only_quote(sentence)
    assert (quote.speaker, quote.speaker_role) == (name, role)


def test_the_nationality_alone_is_the_person_last_named_and_an_airline_keeps_its_name():
    body = ("Nadal beat Marcos Baghdatis. Nadal said he felt sad for his good friend. “His defeat takes"
            " something out of the tournament,” the Spaniard said.\n\n"
            "“The fares are going up again next month,” said American Airlines.")
    assert [q.speaker for q in extract_quotes(body)] == ["Nadal", "American Airlines"]


@pytest.mark.parametrize("opener", ["Apparently", "Using", "Celebrities", "Sometimes"])
def test_a_sentence_opening_word_is_not_glued_to_the_name_after_it(opener):
    body = (f"{opener} Ted Cruz spoke to the crowd on Monday.\n\n"
            "“We have to be a lot tougher than this,” Cruz said.")
    assert only_quote(body).speaker == "Ted Cruz"


def test_bin_is_part_of_the_name():
    assert only_quote("“The group is assisting the Americans in Iraq,” bin Laden said.").speaker == "bin Laden"


def test_an_organisation_named_by_its_last_word_is_the_one_the_article_named_in_full():
    body = ("The Washington Post reported the story first.\n\n"
            "“There has been a constant drip of declarations,” the Post reported.")
    assert only_quote(body).speaker == "Washington Post"


def test_a_role_and_name_apposition_after_an_introductory_clause():
    body = ("Speaking at a press conference on Tuesday, the police chief, Mauricio Freire, said:"
            " “The two suspects did not commit this crime for themselves.”")
    quote = only_quote(body)
    assert (quote.speaker, quote.speaker_role) == ("Mauricio Freire", "police chief")


def test_it_after_a_document_speaking_is_the_document():
    body = ("Emergency crews were on the scene. “With regard to consequences, I strongly urge you,” the letter"
            " continued. “Drunk driving is the leading cause of criminal death in Canada,” it said.")
    assert [q.speaker for q in extract_quotes(body)] == ["letter", "letter"]


@pytest.mark.parametrize("dateline", ["WASHINGTON, Dec. 8 (UPI) —", "NEW YORK —", "(CNN) --"])
def test_a_dateline_is_never_the_subject(dateline):
    body = f"{dateline} Mayor Bill de Blasio rallied supporters, saying: “We have to be ready to stop him.”"
    assert only_quote(body).speaker == "Bill de Blasio"


def test_what_a_name_owns_is_the_subject_a_speech_noun_is_the_owners_words():
    body = ("In response to the proposal, Hillary Clinton’s right-hand woman rallied supporters, saying:"
            " “We have to be ready to stop him.”\n\n"
            "Marco Rubio was asked about the tax credit. Rubio’s answer was that “the most important institution"
            " in society is the family.”")
    assert [q.speaker for q in extract_quotes(body)] == ["Hillary Clinton’s right-hand woman", "Marco Rubio"]


def test_a_cue_word_after_a_possessive_is_a_noun():
    body = "Hillary Clinton spoke. Trump's remarks drew a response: “we have to be ready to stop him.”"
    assert only_quote(body).cue is None


@pytest.mark.parametrize("body", [
    "“We will not back down from this fight,” Mitch McConnell and John Cornyn said in a statement.",
    "“We will not back down from this fight,” Senators Mitch McConnell and John Cornyn said.",
    "Mitch McConnell and Sen. John Cornyn said: “We will not back down from this fight.”",
])
def test_coordinated_speakers_give_the_quotation_to_the_first_named(body):
    quote = only_quote(body)
    assert quote.speaker == "Mitch McConnell"


def test_a_month_opening_a_sentence_is_no_organisation():
    body = ("The State Department released the emails. Sept. 30 was the deadline for the rest.\n\n"
            "The department said it will “be adding this missing data in January 2016.”")
    assert only_quote(body).speaker == "State Department"


def test_a_campaign_or_administration_named_after_someone_is_an_organisation():
    quotes = extract_quotes("“We will not back down from this fight,” the Clinton campaign said.\n\n"
                            "“We will not back down from this fight,” a Clinton campaign aide said.")
    assert [(q.speaker, q.speaker_kind) for q in quotes] == [
        ("Clinton campaign", "organisation"), ("Clinton campaign aide", "description")]
