"""Wire copy as it is written: several claims per sentence, sentences that point back,
datelines, descriptions of known sources, figures said in words and what they count.

Our own passages (unit tests); the measure is the real-news corpus (bench/extraction_real.py).
"""

from decimal import Decimal

import pytest

from importer import extract
from importer.aliases import AliasIndex
from importer.figures import parse_figures

SOURCES = {
    "Ministry of Health (Gaza)": ("government", ["Gaza Health Ministry", "Минздрав Газы",
                                                 "Qəzza Səhiyyə Nazirliyi", "가자지구 보건부"]),
    "Ministry of Health of Ukraine": ("government", ["Ukrainian Health Ministry"]),
    "Ministry of Defence of Russia": ("military", ["Russian Defence Ministry", "Минобороны России",
                                                   "Rusiya Müdafiə Nazirliyi"]),
    "Reuters": ("news_outlet", ["Reuters", "Рейтер"]),
    "TASS": ("state_media", ["TASS", "ТАСС"]),
    "Kim Jong Un": ("official", ["Kim Jong Un", "Ким Чен Ын", "Кім Чен Ин"]),
    "National Intelligence Service (South Korea)": ("intelligence", ["NIS", "국정원"]),
}


@pytest.fixture(scope="module")
def index():
    return AliasIndex([(i, name, kind, alias) for i, (name, (kind, aliases))
                       in enumerate(SOURCES.items(), 1) for alias in [name, *aliases]])


def attributions(claim):
    return sorted((a.source.name, a.role) for a in claim.attributions)


def test_each_figure_clause_is_its_own_claim_sharing_the_attributions(index):
    text = ("Some 1,500 troops were sent and about 200 have been killed, including 40 officers, "
            "the Russian Defence Ministry said.")
    claims = extract(text, "en", index=index).claims
    # The part ("including 40 officers") is a claim of its own inside the whole's span.
    assert [c.text for c in claims] == [
        "Some 1,500 troops were sent",
        "about 200 have been killed, including 40 officers, the Russian Defence Ministry said",
        "including 40 officers"]
    assert all(attributions(c) == [("Ministry of Defence of Russia", "claimant")]
               for c in claims)
    kinds = [(c.quantity.counted_kind, c.quantity.value) for c in claims]
    assert kinds == [("deployed", Decimal("1500")), ("killed", Decimal("200")),
                     ("killed", Decimal("40"))]


def test_figures_with_no_break_between_them_are_one_claim_each(index):
    # The guide: a claim has at most one figure (docs/extraction-guide.md §0, §3 "Lists");
    # with no break between them the second is cut off before its preposition.
    text = "Russia launched 23 drones with 2 missiles overnight, the Russian Defence Ministry said."
    claims = extract(text, "en", index=index).claims
    assert [c.quantity.value for c in claims] == [23, 2]
    assert claims[1].text.startswith("with 2 missiles")


def test_a_sentence_that_points_back_attributes_the_sentences_before(index):
    text = ("В секторе Газа погибли 195 человек. Об этом сообщило Минобороны России.")
    (claim,) = extract(text, "ru", index=index).claims
    assert claim.text == "В секторе Газа погибли 195 человек"
    assert attributions(claim) == [("Ministry of Defence of Russia", "claimant")]


def test_a_back_reference_after_attributed_claims_moves_them_down_the_chain(index):
    text = ("Ким Чен Ын заявил о гибели девяти солдат. "
            "Об этом сообщает Новая газета со ссылкой на Reuters.")
    (claim,) = extract(text, "ru", index=index).claims
    assert attributions(claim) == [("Kim Jong Un", "claimant"), ("Reuters", "conduit"),
                                   ("Новая газета", "outlet")]
    assert claim.quantity.value == 9


@pytest.mark.parametrize(("text", "outlet"), [
    ("KYIV (Reuters) – Ukraine's air force said 29 drones were shot down.", "Reuters"),
    ("BAKU, December 12. /TASS/. Aliyev said 3 soldiers were wounded.", "TASS"),
    ("[투데이코리아= 정현민 기자] 국정원은 북한군 300명이 사망했다고 밝혔다.", "투데이코리아"),
])
def test_the_dateline_outlet_is_on_every_claim(index, text, outlet):
    claims = extract(text, index=index).claims
    assert claims
    for claim in claims:
        assert (outlet, "outlet") in attributions(claim)


def test_a_parenthesis_in_the_text_is_not_a_dateline(index):
    text = "Russia launched 23 drones (Shahed) - the Russian Defence Ministry said."
    (claim,) = extract(text, "en", index=index).claims
    assert not any(a.role == "outlet" for a in claim.attributions)


def test_the_ministry_named_again_is_the_one_named_before(index):
    text = ("Rusiya Müdafiə Nazirliyi 23 PUA-nın məhv edildiyini açıqlayıb. "
            "Nazirliyin məlumatına görə, 13 PUA Belqorod üzərində vurulub.")
    claims = extract(text, "az", index=index).claims
    assert claims[-1].claimants[0].source.name == "Ministry of Defence of Russia"


@pytest.mark.parametrize(("language", "text"), [
    ("en", "At least 65 people were killed, the coastal enclave's health ministry in Gaza said."),
    ("ru", "В Газе погибли 195 человек, сообщил Минздрав анклава."),
])
def test_a_description_is_matched_to_the_registry_source(index, language, text):
    claim = extract(text, language, index=index).claims[0]
    assert claim.claimants[0].source.name == "Ministry of Health (Gaza)"


def test_a_title_before_a_known_name_is_that_person(index):
    text = "Лідер Північної Кореї Кім Чен Ин заявив, що загинули 9 солдатів."
    claim = extract(text, "uk", index=index).claims[0]
    assert claim.claimants[0].source.name == "Kim Jong Un"


def test_a_spokeswoman_of_a_known_ministry_is_the_spokeswoman(index):
    text = "About 300 people were killed, Russian Defence Ministry spokeswoman Anna Ivanova said."
    claim = extract(text, "en", index=index).claims[0]
    assert claim.claimants[0].source.id is None
    assert claim.claimants[0].source.name.endswith("Anna Ivanova")


def test_officials_are_nobody_in_particular(index):
    text = "About 300 people were killed, officials said."
    claim = extract(text, "en", index=index).claims[0]
    assert claim.claimants[0].source.id is None


@pytest.mark.parametrize(("language", "said", "value"), [
    ("en", "North Korea fired two missiles", 2),
    ("en", "three thousand troops were sent", 3000),
    ("ru", "речь идет о гибели девяти солдат", 9),
    ("uk", "загинули дев’ятеро військових", 9),
    ("uk", "майже двох тисяч військових", 2000),
    ("az", "iki qanadlı raket atıb", 2),
])
def test_numbers_said_in_words(language, said, value):
    (q,) = parse_figures(said, language)
    assert (q.value or q.lower) == value


@pytest.mark.parametrize("said", ["one of the soldiers said", "On iki gün"])
def test_words_that_are_not_figures(said):
    assert parse_figures(said, "en") == [] and parse_figures(said, "az") == []


@pytest.mark.parametrize(("language", "text", "kinds"), [
    ("en", "At least 65 people, including 16 minors, have been killed and 365 more wounded, "
           "the Gaza Health Ministry said.", ["killed", "killed", "wounded"]),
    ("ko", "국정원은 북한군 사망 300여 명, 부상 2700여 명이라고 밝혔다.", ["killed", "wounded"]),
    ("uk", "Генштаб повідомив, що загинули 1200 окупантів, а 300 були поранені.",
     ["killed", "wounded"]),
])
def test_what_is_counted_keeps_killed_and_wounded_apart(index, language, text, kinds):
    claims = extract(text, language, index=index).claims
    assert [c.quantity.counted_kind for c in claims] == kinds


def test_an_acronym_in_brackets_names_the_source_it_follows(index):
    text = ("Ukraine's military intelligence (HUR) said on Tuesday that at least 1,200 North "
            "Korean soldiers had been wounded in the Kursk region, Reuters reported.")
    (claim,) = extract(text, "en", index=index).claims
    assert attributions(claim) == [("Reuters", "conduit"),
                                   ("Ukraine's military intelligence", "claimant")]
    assert claim.claimants[0].source.kind == "intelligence"
    assert claim.quantity.counted_kind == "wounded"


def test_a_known_acronym_in_brackets_is_that_source(index):
    text = "The missile flew 1,000 km, the country's intelligence agency (NIS) said."
    (claim,) = extract(text, "en", index=index).claims
    assert attributions(claim) == [("National Intelligence Service (South Korea)", "claimant")]


def test_an_outlet_reporting_with_nobody_else_named_is_the_claimant(index):
    text = "About 300 soldiers were killed in the strike, Reuters reported."
    (claim,) = extract(text, "en", index=index).claims
    assert attributions(claim) == [("Reuters", "claimant")]


def test_an_outlet_pointing_back_with_nobody_else_named_is_the_claimant(index):
    # Guide §2: the outlet is the article's own dateline or byline; an agency that
    # reported it, named in the text, is the primary reporter (real-news dev: ru-028,
    # ru-051, uk-046 are labelled so).
    text = "Загинули 4358 людей. Про це пише Reuters."
    (claim,) = extract(text, "uk", index=index).claims
    assert attributions(claim) == [("Reuters", "claimant")]
