"""What the recall work on the real-news dev split taught the engine, as unit tests on our
own passages: Korean broadcast endings, the reporting verb's subject after a reported
clause, a speaker left unsaid, several quotations in one sentence, titles before a known
person, bodies named before their country, short forms of ministries, statements owned by
a genitive, and a case ending that is not an alias.

The measure stays the real-news corpus (bench/extraction_real.py, dev split tuned on).
"""

from decimal import Decimal

import pytest

from importer import extract
from importer.aliases import AliasIndex
from importer.figures import parse_figures

SOURCES = {
    "Joint Chiefs of Staff (South Korea)": ("military", ["합동참모본부", "합참"]),
    "Government of North Korea": ("government", ["북한", "Pyongyang"]),
    "Ministry of Defence of Russia": ("military", ["러시아 국방부", "Минобороны России"]),
    "Ministry of Defence of Azerbaijan": ("military", ["Минобороны Азербайджана",
                                                       "Azərbaycan Müdafiə Nazirliyi"]),
    "Government of Azerbaijan": ("government", ["Азербайджан", "Azərbaycan"]),
    "Government of Ukraine": ("government", ["Україна", "Ukrayna"]),
    "Government of Armenia": ("government", ["Вірменія"]),
    "Volodymyr Zelensky": ("official", ["Володимир Зеленський", "Зеленський"]),
    "Nikol Pashinyan": ("official", ["Нікол Пашинян"]),
    "Ukrinform": ("news_outlet", ["Укрінформ"]),
    "Ministry of Health (Gaza)": ("government", ["Gaza health ministry"]),
    "United Nations": ("international_body", ["UN"]),
    "Statistics Korea": ("government", ["통계청"]),
}


@pytest.fixture(scope="module")
def index():
    return AliasIndex([(i, name, kind, alias) for i, (name, (kind, aliases))
                       in enumerate(SOURCES.items(), 1) for alias in [name, *aliases]])


def who(claim):
    return sorted((a.source.name, a.role) for a in claim.attributions)


def test_korean_broadcast_endings_are_cues_like_the_written_ones(index):
    text = "러시아 국방부는 드론 9대를 격추했다고 발표했습니다."
    (claim,) = extract(text, "ko", index=index).claims
    assert who(claim) == [("Ministry of Defence of Russia", "claimant")]
    assert claim.quantity.value == 9


def test_the_reporting_verbs_subject_follows_the_reported_clause(index):
    text = "북한이 발사한 미사일은 고도가 약 6천 1백 km까지 올라갔다고 합동참모본부가 밝혔습니다."
    (claim,) = extract(text, "ko", index=index).claims
    assert who(claim) == [("Joint Chiefs of Staff (South Korea)", "claimant")]
    assert claim.quantity.value == Decimal(6100) and claim.quantity.unit == "km"
    assert claim.quantity.counted_kind == "other"  # a distance counts nothing of the kinds


def test_a_korean_speech_verb_with_nobody_named_is_the_last_speakers(index):
    text = ("합참은 북한이 미사일 2발을 발사했다고 밝혔다. "
            "이어 “추가 발사 가능성에 대비해 감시와 경계를 강화하고 있다”고 덧붙였다.")
    _, second = extract(text, "ko", index=index).claims
    assert who(second) == [("Joint Chiefs of Staff (South Korea)", "claimant")]
    assert second.attributions[0].inferred
    assert second.text == "추가 발사 가능성에 대비해 감시와 경계를 강화하고 있다"


def test_each_quotation_of_a_sentence_is_its_own_claim(index):
    text = ("합참은 “북한군이 2월 첫 주부터 전선에 다시 투입됐다”면서 “일부 추가 파병이 "
            "있던 것으로 보이나 규모는 계속 파악 중”이라고 전했다.")
    claims = extract(text, "ko", index=index).claims
    assert [c.text for c in claims] == ["북한군이 2월 첫 주부터 전선에 다시 투입됐다",
                                        "일부 추가 파병이 있던 것으로 보이나 규모는 계속 파악 중"]
    assert all(who(c) == [("Joint Chiefs of Staff (South Korea)", "claimant")] for c in claims)
    # Each claim holds its own attribution rows: adding to one does not add to the other.
    assert claims[0].attributions is not claims[1].attributions


def test_the_publisher_of_a_document_is_its_source(index):
    text = "최근 통계청이 발표한 소비자물가 동향에 따르면 10월 소비자물가지수는 1.2% 올랐다."
    (claim,) = extract(text, "ko", index=index).claims
    assert who(claim) == [("Statistics Korea", "claimant")]


def test_an_ordinal_is_not_a_figure():
    text = "제20대 대통령선거의 전국 투표율이 20.3%로 집계됐다"
    (figure,) = parse_figures(text, "ko", 0, len(text))
    assert (figure.value, figure.unit) == (Decimal("20.3"), "%")


def test_a_title_with_its_country_then_the_person_is_the_person(index):
    text = ("Вночі було збито 300 дронів. Про це повідомив Президент України Володимир "
            "Зеленський у Телеграмі, передає Укрінформ.")
    (claim,) = extract(text, "uk", index=index).claims
    assert ("Volodymyr Zelensky", "claimant") in who(claim)
    speaker = next(a for a in claim.attributions if a.role == "claimant")
    assert speaker.surface == "Президент України Володимир Зеленський"
    text = ("Загинули щонайменше 49 людей. Про це заявив у парламенті прем'єр-міністр "
            "Вірменії Нікол Пашинян.")
    (claim,) = extract(text, "uk", index=index).claims
    assert who(claim) == [("Nikol Pashinyan", "claimant")]


@pytest.mark.parametrize("speaker", [
    "Министерство обороны Азербайджана",
    "пресс-служба министерства обороны Азербайджана",
])
def test_a_ministry_named_before_its_country_is_the_ministry_by_its_short_form(index,
                                                                             speaker):
    text = f"{speaker} сообщило, что уничтожены 3 танка."
    (claim,) = extract(text, "ru", index=index).claims
    assert who(claim) == [("Ministry of Defence of Azerbaijan", "claimant")]


def test_a_statement_owned_by_a_genitive_names_its_author(index):
    text = ("Erməni mediasında yayılan xəbər yalandır. Metbuat.az xəbər verir ki, bu barədə "
            "Azərbaycan Müdafiə Nazirliyinin məlumatında deyilir.")
    (claim,) = extract(text, "az", index=index).claims
    assert ("Ministry of Defence of Azerbaijan", "claimant") in who(claim)


def test_a_case_ending_after_a_hyphen_is_not_an_alias(index):
    text = "Bu barədə Unikal.org-un müxbiri bildirib ki, 12 nəfər saxlanılıb."
    names = {a.source.name for c in extract(text, "az", index=index).claims
             for a in c.attributions}
    assert "United Nations" not in names


def test_who_holds_a_body_does_not_hide_which_body_it_is(index):
    text = ("At least 8,525 Palestinians were killed, the health ministry in "
            "Hamas-controlled Gaza said on Tuesday.")
    (claim,) = extract(text, "en", index=index).claims
    assert who(claim) == [("Ministry of Health (Gaza)", "claimant")]
