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

