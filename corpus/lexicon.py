"""The words quotation finding, speaker attribution and name handling read: speech cues,
pronouns, honorifics, offices and roles, organisations, grammar words.

Defined once here (trafilatura keeps its word lists apart from its logic the same way),
so tuning a list never touches control flow and no module keeps a drifting copy. Pure
data: it imports nothing from corpus, so names, quotes and cleaning can all use it.
Every word is lower case and without a trailing full stop ("Sen." is looked up as "sen").
"""
from __future__ import annotations

import re

# --- names and the titles before them ---------------------------------------------------

# Courtesy titles: "Mr Lavrov" is Lavrov, and a name made only of them is no name.
HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame lord lady prof rev sheikh shaikh".split())
# Honorifics and offices that prefix a name without being part of it ("Mr Lavrov",
# "Foreign Minister Sergei Lavrov"), and the words that build such offices. A leading
# run of these is dropped only when it ends in an office, so "Defence Ministry" keeps
# its "defence".
OFFICE_WORDS = frozenset("""
    mr mrs ms miss mx dr sir dame lord lady prof professor rev reverend sheikh shaikh
    president minister secretary general gen major maj colonel col lieutenant lt captain
    capt sergeant sgt admiral king queen prince princess emir sultan ayatollah imam pope
    cardinal bishop archbishop senator sen governor gov mayor chancellor premier
    ambassador judge rep representative congressman congresswoman spokesman spokeswoman
    const supt insp det cpl pvt adm brig cmdr atty
""".split())
OFFICE_MODIFIERS = frozenset("""
    the vice prime foreign defence defense interior finance home justice health deputy
    crown acting former state attorney chief
""".split())
# Name particles that attach to the next token ("al-Assad" and "Assad" are one surname).
ARTICLE_PREFIXES = ("al-", "el-", "ul-", "ad-", "as-", "ash-", "ar-", "an-", "at-", "az-")
# Patronymic links: the token after them is a father's name, not a family name.
PATRONYMIC_LINKS = frozenset({"bin", "ibn", "ben", "bint"})

# --- speech cues, pronouns, roles -------------------------------------------------------

def _inflect(verbs: str) -> dict[str, frozenset[str]]:
    """Forms of each speech verb: "base" or "base:past" (irregular or doubled past). Gives
    base, third person, past and -ing forms; "wrote"-style pasts also stand for the
    participle the sentence needs ("has written" is rare in attribution)."""
    forms: dict[str, set[str]] = {"base": set(), "third": set(), "past": set(), "ing": set()}
    for entry in verbs.split():
        base, _, past = entry.partition(":")
        if base.endswith(("s", "sh", "ch", "x", "z", "o")):
            third = base + "es"
        elif base.endswith("y") and base[-2] not in "aeiou":
            third = base[:-1] + "ies"
        else:
            third = base + "s"
        if not past:
            if base.endswith("e"):
                past = base + "d"
            elif base.endswith("y") and base[-2] not in "aeiou":
                past = base[:-1] + "ied"
            else:
                past = base + "ed"
        if past.endswith("ed") and len(past) == len(base) + 3 and past[-3] == base[-1]:
            ing = base + base[-1] + "ing"  # admit, admitted, admitting
        elif base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
            ing = base[:-1] + "ing"
        else:
            ing = base + "ing"
        for kind, form in (("base", base), ("third", third), ("past", past), ("ing", ing)):
            forms[kind].add(form)
    return {kind: frozenset(words) for kind, words in forms.items()}


# Verbs that attribute words to their subject, in news: speech, writing, and the verbs
# that report a characterisation ("Trump called the plan 'a disaster'").
SPEECH_VERBS = _inflect("""
    say:said tell:told add state explain note insist argue warn claim declare announce ask
    reply respond write:wrote continue conclude stress acknowledge admit:admitted suggest
    outline recall urge caution concede confirm deny comment observe remark report tweet
    post predict promise vow pledge maintain contend counter complain lament agree
    emphasise emphasize underline reiterate disagree object retort assure boast
    quip:quipped muse shout yell whisper testify allege charge cite quote assert press
    call describe accuse thank praise blast slam criticize criticise mock joke interject
    tout defend dismiss wonder exclaim scoff snap:snapped sigh recount reveal proclaim
    demand characterize characterise label:labeled dub:dubbed term liken decry denounce
    condemn applaud hail laud welcome taunt tease ridicule lash chide scold rebuke fume
    rail recommend affirm brag:bragged grumble sneer plead:pleaded speculate reason
    surmise concur:concurred marvel rave gush query demur protest elaborate clarify
    summarize summarise lecture preach mutter murmur cry:cried text email:emailed message
    remind inform opine posit vouch profess attest relate recollect reminisce insinuate
    imply advise admonish beg:begged implore challenge answer bark retaliate riff:riffed
    snipe chant react interrupt remember refer:referred
""")
# Finite forms read as cues. Some third-person forms are mostly nouns ("a call", "the
# praises", "his texts"): those are left out.
CUE_VERBS = SPEECH_VERBS["past"] | SPEECH_VERBS["third"] - frozenset("""
    calls posts presses thanks texts emails messages labels terms welcomes protests cries
    reasons demands challenges praises hails queries rails snaps sighs lashes states
    answers barks chants remembers reacts interrupts refers comments
""".split()) | frozenset("say tell add write ask explain".split())
# Verbs that report a characterisation only with the quoted words ("Trump called the plan
# “a disaster”"): without a quotation after them they name ("a PAC called Future45").
CHARACTERISING_CUES = frozenset(form for verbs in _inflect("""
    call describe dub:dubbed label:labeled term liken characterize characterise refer:referred
""").values() for form in verbs)
# Cues of two words: the verb and its particle ("Trump shot back", "as Smith put it").
PHRASAL_CUES = frozenset(f"{verb} {particle}" for verbs, particle in (
    ("go goes went", "on"), ("shoot shoots shot fire fires fired hit hits", "back"),
    ("point points pointed", "out"), ("put puts", "it"), ("chime chimes chimed", "in"),
    ("weigh weighs weighed", "in")) for verb in verbs.split())
# "issued a statement", "released the following statement": a cue with its object.
STATEMENT_VERBS = frozenset("issue issues issued release releases released put puts".split())
STATEMENT_NOUNS = frozenset({"statement", "statements"})
# ", saying", ", calling it": the sentence's subject speaks.
PARTICIPLE_CUES = SPEECH_VERBS["ing"] - frozenset({"reporting"})
# "is telling", "were saying": a participle after these is a finite cue.
PROGRESSIVE_AUXILIARIES = frozenset("is are was were been be".split())
# Cues that name who printed the words, not who said them ("…," AP reported).
REPORTING_CUES = frozenset({"reported", "reports"})
# "Reuters quoted him as saying": the phrase after the cue is the author.
QUOTING_CUES = frozenset({"quoted", "cited", "quotes", "cites"})
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Words that may stand between a subject and its cue verb ("Putin also said").
CUE_MODIFIERS = frozenset("""
    also later then again reportedly previously earlier further once recently has had
    have was were is are would will had just repeatedly publicly privately separately
    subsequently quickly simply flatly bluntly angrily did does do to on went goes go
    going back out today yesterday tonight never often always even still quickly now
    this last week weekend night morning afternoon evening himself herself themselves further
""".split()) | WEEKDAYS
PRONOUNS = {"he": "person", "she": "person", "it": "organisation"}
PRONOUN_GENDERS = {"he": "m", "she": "f"}
GENDERED_WORDS = {
    **dict.fromkeys("mr sir lord king prince emir sultan spokesman chairman congressman "
                    "father son brother husband".split(), "m"),
    **dict.fromkeys("ms mrs miss dame lady queen princess spokeswoman chairwoman "
                    "congresswoman mother daughter sister wife".split(), "f"),
}
DETERMINERS = frozenset({"the", "a", "an"})
# Words that open a description of someone unnamed ("one Sanders supporter", "another
# voter"), besides the determiners.
DESCRIPTION_OPENERS = DETERMINERS | frozenset(
    "one another two three four five six seven eight nine ten several some many".split())
# What may follow an unnamed source's description and belong to it: "a source familiar
# with the talks", "an aide close to the president", "an official speaking on condition
# of anonymity", "a staffer in the room".
POSTMODIFYING_ADJECTIVES = frozenset("""
    familiar close knowledgeable briefed involved loyal opposed sympathetic allied
    aligned affiliated connected
""".split())
POSTMODIFYING_PARTICIPLES = frozenset({"speaking", "working", "traveling", "travelling"})
POSTMODIFYING_PREPOSITIONS = frozenset("in at inside within from with on to about by for".split())
NOUN_PHRASE_OPENERS = frozenset("the a an his her their its this that".split())
# Words that follow a verb rather than a noun ("sought to", "projects that", "urged the"):
# a description read forwards stops before the lower-case word they follow.
VERB_FOLLOWERS = frozenset("""
    to that the a an his her their its him them it us me this these those as out up back
    off down over all any each every some no many several both few more most
""".split())
# Prepositions after a participle that opens a sentence ("Reached by phone, Smith said").
PARTICIPLE_PREPOSITIONS = frozenset("by on in with to from at after for about".split())
# Words that end a run of descriptor words read backwards from a cue: what stands before
# a subject ("..., and a campaign aide said").
CLAUSE_OPENERS = frozenset("and but or yet so while as when because that since although though where".split())
COORDINATORS = frozenset({"and", "but", "or", "yet", "then", "also"})
CONNECTORS = frozenset({"of", "for"})
NAME_PARTICLES = frozenset("""
    al el bin ibn ben bint abu abd de da di du del della van von der den la le dos das
""".split())
NAME_PREFIX = re.compile(r"^(?:al|el|ul|ad|as|ash|ar|an|at|az|abd|abu)[-\u2019'][A-Z]")
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
    principal headteacher rector provost curator conductor surgeon doctor nurse
    pastor rabbi priest vicar cleric mufti chief-executive co-founder speaker
    journalist billionaire candidate nominee hopeful businessman businesswoman activist
    strategist pollster commentator columnist host anchor moderator author historian
    scholar delegate ally rival challenger frontrunner front-runner contender incumbent
    gop republican republicans democrat democrats democratic independent libertarian
    conservative liberal progressive actor actress comedian filmmaker rapper
    musician novelist artist reporter photographer blogger assemblyman assemblywoman
    counsel whip recorder treasurer comptroller staff dj
""".split()) | OFFICE_WORDS
# Nationalities as a person is described by them ("American Bobby Fischer", "Swede Daniel
# Chopra", "the Spaniard said"): part of the role, never of the name.
DEMONYMS = frozenset("""
    afghan albanian algerian american angolan argentine argentinian armenian australian
    austrian azerbaijani bahraini bangladeshi belarusian belgian bolivian bosnian brazilian
    brit briton british bulgarian burmese cambodian cameroonian canadian chilean chinese
    colombian congolese croat croatian cuban cypriot czech dane danish dutch dutchman
    dutchwoman ecuadorian egyptian emirati englishman englishwoman eritrean estonian
    ethiopian european filipino finn finnish frenchman frenchwoman french georgian german
    ghanaian greek guatemalan haitian honduran hungarian icelander indian indonesian iranian
    iraqi irishman irishwoman irish israeli italian ivorian jamaican japanese jordanian
    kazakh kenyan kiwi korean kosovar kurd kurdish kuwaiti latvian lebanese liberian libyan
    lithuanian macedonian malaysian malian maltese mexican moldovan mongolian montenegrin
    moroccan mozambican namibian nepalese nigerian nigerien norwegian pakistani palestinian
    panamanian paraguayan peruvian pole polish portuguese qatari romanian russian rwandan
    saudi scot scotsman scotswoman scottish senegalese serb serbian singaporean slovak
    slovakian slovene slovenian somali spaniard spanish sudanese swede swedish swiss syrian
    taiwanese tajik tanzanian thai tunisian turk turkish ugandan ukrainian uruguayan uzbek
    venezuelan vietnamese welsh welshman yemeni zambian zimbabwean aussie
""".split())
# Heads naming the holder of one office (a description like "the Syrian President").
PERSON_HEADS = frozenset("""
    president minister secretary general colonel lieutenant captain admiral commander
    chief head leader king queen prince princess emir sultan sheikh ayatollah imam pope
    senator governor mayor chancellor premier ambassador envoy spokesman spokeswoman
    spokesperson official adviser advisor aide director chairman chairwoman ceo
    executive officer judge prosecutor monarch commissioner negotiator
""".split()) | frozenset("""
    source insider operative staffer strategist pollster consultant lobbyist analyst
    expert economist lawyer attorney candidate nominee delegate donor supporter voter
    member activist organizer organiser volunteer protester protestor demonstrator
    democrat republican lawmaker legislator diplomat agent investigator friend
    colleague relative neighbor neighbour resident witness veteran employee worker
    student teacher doctor nurse reporter journalist critic observer participant
    attendee person man woman neurosurgeon surgeon user reader viewer fan historian
    scholar writer author publisher producer director founder owner investor banker
    businessman businesswoman billionaire entrepreneur economist scientist
""".split())  # and the people an unnamed source is described as ("a Nevada Democrat")
# Documents quoted as speaking ("the ad claims", "a footnote in the report makes that clear").
DOCUMENT_HEADS = frozenset("""
    ad advert advertisement statement letter report memo document email tweet post
    editorial column article study poll survey complaint lawsuit filing order ruling
    opinion transcript video release website headline sign resolution footnote piece
    summary playbook paper book movie film bill platform petition publication newspaper
    magazine network
""".split())
# What someone says, as a noun: "the senator’s answer was that “…”" is the senator's.
SPEECH_NOUNS = frozenset("""
    answer answers response responses reply replies remark remarks comment comments words
    view views message argument arguments explanation claim claims assertion position
    testimony speech retort
""".split())
SPOKESPEOPLE = frozenset({"spokesman", "spokeswoman", "spokesperson", "representative"})
# Offices with one holder in a story, so "the President" is someone named before; two
# different ones are two different people ("the senator" is not the governor).
SINGLE_HOLDER_HEADS = frozenset("""
    president king queen prince princess emir sultan ayatollah pope chancellor premier
    leader minister secretary governor mayor senator ambassador envoy general commander
    chief ceo chairman chairwoman director monarch congressman congresswoman
    representative speaker
""".split())
# Offices written short before a name ("Sen. Marco Rubio").
ABBREVIATED_OFFICES = {"sen": "senator", "gov": "governor", "rep": "representative",
                       "gen": "general", "pres": "president", "col": "colonel",
                       "lt": "lieutenant", "capt": "captain"}
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
    insurance logistics group news
""".split())
# Lower-case words that make a name into an organisation ("the Clinton campaign").
ORGANISATION_SUFFIXES = frozenset("campaign administration government team".split())
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
    is are was were has have had does did do will would can could should
    thousands hundreds dozens millions billions scores tens maybe perhaps first second
    third finally alongside besides beside including regarding concerning throughout
    inside outside nobody everybody somebody anybody everyone someone anyone nothing
    everything something anything sometimes always often usually never already again
    soon shortly due apparently reportedly allegedly certainly clearly obviously surely
    fortunately unfortunately ironically interestingly importantly notably similarly
    likewise additionally ultimately eventually initially originally currently recently
    previously formerly increasingly generally typically especially particularly
    specifically essentially basically honestly frankly hopefully thankfully sadly
    luckily oddly curiously strangely naturally instead otherwise therefore thus hence
    overall altogether few much january february september october november december feb
    sept aug oct nov dec
""".split()) | WEEKDAYS | frozenset(  # contractions: "I’m", "We’re", "They’ve"
    f"{pronoun}{apostrophe}{ending}" for pronoun in ("i", "we", "you", "they", "he", "she", "it")
    for apostrophe in ("'", "\u2019") for ending in ("m", "re", "ve", "ll", "d"))
TITLE_SMALL_WORDS = frozenset("a an the of in on at to for and or but nor with by from as".split())
ABBREVIATIONS = frozenset("""
    mr mrs ms dr st jr sr prof gen col lt sgt capt gov sen rep rev no vs etc inc ltd co
    corp jan feb mar apr jun jul aug sep sept oct nov dec mt ft fig approx dept est const
    supt insp det cpl pvt adm maj brig cmdr atty
""".split())

