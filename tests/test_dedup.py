"""corpus.dedup: near-copies of a story are found, distinct stories are not."""
from __future__ import annotations

import random
import textwrap

import pytest

from corpus.dedup import (
    BANDS,
    NUM_PERM,
    ROWS,
    SCHEME,
    THRESHOLD,
    band_keys,
    signature,
    signature_from_bytes,
    signature_to_bytes,
    similarity,
)

HEADLINE = "Riverton council approves flood defence plan after months of delay"

PARAGRAPHS = [
    "Riverton's city council voted on Tuesday night to approve a £42m flood defence scheme for "
    "the town centre, ending almost a year of arguments over who should pay for it.",
    "The plan, which passed by 23 votes to 11, includes a new embankment along the east bank of "
    "the river, two pumping stations and a network of underground storage tanks beneath Market Square.",
    "Councillor Aisha Khan, who chairs the environment committee, said the vote was long overdue. "
    "\"Every winter we ask shopkeepers to sandbag their doors and hope for the best,\" she said. "
    "\"Tonight we finally stopped hoping.\"",
    "Opposition members argued that the scheme had been rushed through without a full assessment "
    "of its effect on homes downstream, where residents fear water will be pushed onto their land.",
    "The Environment Agency, which will pay just over half of the cost, said in a statement that "
    "the defences would protect about 1,400 homes and 300 businesses from a one-in-200-year flood.",
    "Work is expected to start in the spring and take three years. Parts of the riverside path "
    "will close during construction, and the council has promised a temporary footbridge.",
    "Local traders welcomed the decision. Tom Walsh, who has run a hardware shop on Bridge Street "
    "for 31 years, said his premises had flooded four times since 2007.",
    "\"The insurance alone nearly put me out of business,\" he said. \"If this works, it changes "
    "everything for the people who work down here.\"",
    "The council will hold public drop-in sessions at the library next month for residents who "
    "want to see detailed drawings of the embankment and the pumping stations.",
]

# Another outlet's own report of the same vote: same facts and one shared quote, written afresh.
RELATED_STORY = "\n\n".join([
    "Flood scheme for Riverton gets green light",
    "Councillors in Riverton have backed a flood protection project worth £42m after a heated "
    "debate that ran late into Tuesday evening.",
    "Supporters say the embankment and pumping stations will shield the town centre, which has "
    "been inundated repeatedly over the last two decades, most recently in the floods of 2020.",
    "\"Every winter we ask shopkeepers to sandbag their doors and hope for the best,\" Aisha Khan "
    "told the chamber.",
    "Critics, led by the Liberal group, wanted the decision postponed until a study of downstream "
    "villages was complete. Their amendment was defeated.",
    "Construction could begin as early as March, according to council officers, although a "
    "contractor has not yet been appointed and costs may rise.",
    "Residents can view the plans at the central library from next month.",
])

UNRELATED_STORY = "\n\n".join([
    "Late penalty earns Kingsport a draw in derby",
    "Kingsport salvaged a point in a scrappy derby against Stonebridge on Saturday, when substitute "
    "Mateo Silva converted a penalty four minutes into stoppage time.",
    "The visitors had led since the 38th minute through a header from their captain, and looked "
    "comfortable until their goalkeeper brought down Silva in the area.",
    "\"We showed character,\" said the Kingsport manager afterwards. \"It was not pretty, but the "
    "players never stopped running.\"",
    "The draw leaves both sides in the bottom half of the table with eight games remaining.",
])

CHROME_TOP = ["Skip to main content", "Subscribe: first month free", "Share this article"]
CHROME_BOTTOM = [
    "Sign up to our morning newsletter to get the day's top stories straight to your inbox.",
    "Copyright 2024 The Riverton Courier. All rights reserved.",
    "Additional reporting by Priya Sharma. Editing by Lars Nilsen.",
]


def story(headline: str = HEADLINE, paragraphs: list[str] = PARAGRAPHS) -> str:
    return "\n\n".join([headline, *paragraphs])


def light_edits(text: str) -> str:
    """A copy desk's pass: house style and a few words changed."""
    for old, new in (("said", "told reporters"), ("£42m", "£42 million"), ("Tuesday night", "Tuesday"),
                     ("almost a year", "nearly 12 months"), ("welcomed", "praised"),
                     ("expected", "due"), ("31 years", "three decades")):
        text = text.replace(old, new)
    return text


ORIGINAL = story()
NEAR_COPIES = {
    "shuffled paragraphs": story(paragraphs=random.Random(4).sample(PARAGRAPHS, len(PARAGRAPHS))),
    "changed headline": story("Flood defences approved for Riverton town centre"),
    "added paragraph": story(paragraphs=PARAGRAPHS[:5] + [
        "A similar scheme in nearby Ashford, completed in 2019, has so far kept the town dry through "
        "three major storms, according to the agency."] + PARAGRAPHS[5:]),
    "removed paragraph": story(paragraphs=PARAGRAPHS[:3] + PARAGRAPHS[4:]),
    "light word edits": light_edits(ORIGINAL),
    "other outlet's chrome": "\n".join(CHROME_TOP) + "\n\n" + ORIGINAL + "\n\n" + "\n".join(CHROME_BOTTOM),
    "re-wrapped lines": "\n\n".join(textwrap.fill(block, 60) for block in ORIGINAL.split("\n\n")),
    "recased and repunctuated": ORIGINAL.replace("\u00a3", "GBP ").upper().replace(",", " ,"),
}


@pytest.mark.parametrize("kind", sorted(NEAR_COPIES))
def test_near_copies_are_found(kind):
    original, copy = signature(ORIGINAL), signature(NEAR_COPIES[kind])
    assert similarity(original, copy) >= THRESHOLD
    assert set(band_keys(original)) & set(band_keys(copy))


def test_copy_with_all_edits_at_once_is_found():
    copy = light_edits(story("Flood defences approved for Riverton town centre", PARAGRAPHS[:3] + PARAGRAPHS[4:]))
    copy = "\n".join(CHROME_TOP) + "\n\n" + copy + "\n\n" + "\n".join(CHROME_BOTTOM)
    assert similarity(signature(ORIGINAL), signature(copy)) >= THRESHOLD


@pytest.mark.parametrize("other", [RELATED_STORY, UNRELATED_STORY], ids=["same event", "unrelated"])
def test_distinct_articles_are_not_near_copies(other):
    assert similarity(signature(ORIGINAL), signature(other)) < THRESHOLD


def test_identical_text_is_similarity_one():
    assert similarity(signature(ORIGINAL), signature(ORIGINAL)) == 1.0
    assert band_keys(signature(ORIGINAL)) == band_keys(signature(ORIGINAL))


def test_band_keys_are_int64_and_band_specific():
    keys = band_keys(signature(ORIGINAL))
    assert len(keys) == BANDS and BANDS * ROWS <= NUM_PERM
    assert all(-2**63 <= key < 2**63 for key in keys)
    assert len(set(keys)) == BANDS
    # Equal values in different bands must not share a key.
    same_values = signature_from_bytes(b"\x07\x00\x00\x00" * NUM_PERM)
    assert len(set(band_keys(same_values))) == BANDS


def test_storage_round_trip():
    sig = signature(ORIGINAL)
    data = signature_to_bytes(sig)
    assert len(data) == NUM_PERM * 4
    restored = signature_from_bytes(data)
    assert similarity(sig, restored) == 1.0
    assert band_keys(restored) == band_keys(sig)
    assert signature_to_bytes(restored) == data


def test_stored_bytes_of_the_wrong_size_are_refused():
    with pytest.raises(ValueError, match="512 bytes"):
        signature_from_bytes(b"\x00" * 100)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "!!! ... ---", "Breaking", "Two words"])
def test_empty_and_short_text(text):
    sig = signature(text)
    assert similarity(sig, signature(ORIGINAL)) < THRESHOLD
    round_tripped = signature_from_bytes(signature_to_bytes(sig))
    assert band_keys(round_tripped) == band_keys(sig)


def test_text_without_words_matches_nothing():
    empty = signature("")
    assert band_keys(empty) == []
    assert similarity(empty, signature("")) == 0.0
    assert similarity(empty, signature(ORIGINAL)) == 0.0


def test_short_texts_still_compare():
    assert similarity(signature("Breaking news"), signature("breaking NEWS!")) == 1.0
    assert similarity(signature("Breaking news"), signature("Weather today")) < THRESHOLD


CHINESE_STORY = "\n\n".join([
    "河城市议会批准防洪计划",
    "河城市议会周二晚间以二十三票对十一票通过了一项耗资四千二百万英镑的市中心防洪计划，结束了近一年的争论。",
    "该计划包括在河东岸修建新的堤坝、两座抽水站，以及在市场广场下方建设地下蓄水池网络。",
    "环境委员会主席表示，这次投票早就应该进行了。她说，每年冬天我们都要求店主用沙袋堵住店门。",
    "反对派议员认为，该计划在没有全面评估其对下游住宅影响的情况下被仓促通过。",
    "工程预计将于明年春天开工，为期三年。施工期间，部分河滨步道将关闭。",
])


def test_chinese_near_copy_is_found_and_other_chinese_story_is_not():
    copy = CHINESE_STORY.replace("周二晚间", "周二") + "\n\n当地商户对这一决定表示欢迎。"
    other = "\n\n".join([
        "国家队在友谊赛中战平对手",
        "国家队周六在主场与来访球队战成一比一平，替补前锋在补时阶段罚进点球。",
        "主教练赛后表示，球员们展现了顽强的斗志，但进攻端仍需改进。",
        "这场比赛吸引了超过四万名观众到场观战。",
    ])
    assert similarity(signature(CHINESE_STORY), signature(copy)) >= THRESHOLD
    assert similarity(signature(CHINESE_STORY), signature(other)) < 0.1


def test_signatures_do_not_change_between_processes_or_versions():
    """Stored signatures must stay comparable with new ones: this pins the hashing (hash
    function, seed, datasketch's permutations). If it fails, SCHEME must change too."""
    assert SCHEME.startswith("minhash-")
    assert signature_to_bytes(signature("The council voted on Tuesday night"))[:8].hex() == "edfdbe00669a13cb"
