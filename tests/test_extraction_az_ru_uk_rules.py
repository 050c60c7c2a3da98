"""Rules for Azerbaijani, Russian and Ukrainian found on the real-news dev split, each
checked on a sentence of our own (tests/data/real stays the measure, not a unit test)."""

from decimal import Decimal

import pytest

from importer import extract
from importer.aliases import AliasIndex
from importer.figures import parse_figures

(MOD_RU, TASS, HAMAS, REPORT, MOH_GAZA, STATS_UA, NABIULLINA, RG, REUTERS,
 GENSTAB_UA) = range(1, 11)


@pytest.fixture(scope="module")
def index():
    rows = [
        (MOD_RU, "Ministry of Defence of Russia", "military", "Минобороны России"),
        (MOD_RU, "Ministry of Defence of Russia", "military", "Rusiya Müdafiə Nazirliyi"),
        (TASS, "TASS", "state_media", "ТАСС"),
        (TASS, "TASS", "state_media", "TASS"),
        (HAMAS, "Hamas", "other", "Хамас"),
        (REPORT, "Report", "news_outlet", "Report"),
        (MOH_GAZA, "Ministry of Health (Gaza)", "government", "Минздрав Газы"),
        (MOH_GAZA, "Ministry of Health (Gaza)", "government", "Qəzza Səhiyyə Nazirliyi"),
        (STATS_UA, "State Statistics Service of Ukraine", "government", "Держстат"),
        (NABIULLINA, "Elvira Nabiullina", "official", "Эльвира Набиуллина"),
        (RG, "Rossiyskaya Gazeta", "news_outlet", "Российская газета"),
        (REUTERS, "Reuters", "news_outlet", "Reuters"),
        (GENSTAB_UA, "General Staff of Ukraine", "military", "Ukrayna Baş Qərargahı"),
    ]
    return AliasIndex([(i, name, kind, alias) for i, name, kind, alias in rows])


def roles(claim):
    return [(a.role, a.source.id or a.source.name) for a in claim.attributions]


def figure(text, lang):
    q = parse_figures(text, lang)[0]
    return q.qualifier, q.value, q.lower, q.upper


# --- names in quotes next to their cue ------------------------------------------------

def test_a_quoted_name_before_its_verb_speaks(index):
    claims = extract("«Хамас» стверджує, що патруль обстріляв позиції.", "uk",
                     index=index).claims
    assert roles(claims[0]) == [("claimant", HAMAS)]


def test_a_quoted_outlet_before_its_formula_is_the_outlet(index):
    text = ("Qəzzada 300 nəfər ölüb.\n“Report” xəbər verir ki, bu barədə Qəzza Səhiyyə "
            "Nazirliyi məlumat yayıb.")
    claim = extract(text, "az", index=index).claims[0]
    assert sorted(roles(claim)) == [("claimant", MOH_GAZA), ("outlet", REPORT)]


def test_a_quoted_name_after_its_verb_relays(index):
    text = ("Инфляция замедлилась, заявила Эльвира Набиуллина. По ее словам, цены растут "
            "медленнее, передает «Российская газета».")
    claims = extract(text, "ru", index=index).claims
    assert roles(claims[-1]) == [("conduit", RG), ("claimant", NABIULLINA)]


# --- pronoun phrases and back references ----------------------------------------------

@pytest.mark.parametrize(("text", "lang"), [
    ("Заявила Эльвира Набиуллина, что цены растут. По ее словам, инфляция ускорилась.", "ru"),
    ("Заявила Эльвира Набиуллина, что цены растут. За її словами, інфляція прискорилася.",
     "uk"),
])
def test_by_his_words_is_the_last_speaker(index, text, lang):
    claims = extract(text, lang, index=index).claims
    assert [a.source.id for a in claims[-1].claimants] == [NABIULLINA]
    assert claims[-1].claimants[0].inferred


def test_such_data_points_back_to_the_sentence_before(index):
    text = ("Более 42 тыс. палестинцев погибли в секторе Газа. Такие данные приводит "
            "Минздрав Газы.")
    claims = extract(text, "ru", index=index).claims
    assert [c.text for c in claims] == ["Более 42 тыс. палестинцев погибли в секторе Газа"]
    assert roles(claims[0]) == [("claimant", MOH_GAZA)]


def test_the_imperfective_past_is_a_speech_verb(index):
    claims = extract("Минобороны России ранее сообщало, что военные разминируют территорию.",
                     "ru", index=index).claims
    assert roles(claims[0]) == [("claimant", MOD_RU)]


def test_an_interview_to_an_agency_makes_the_agency_the_conduit(index):
    text = "В интервью агентству Reuters депутат Пак Сун Вон заявил, что в области 10 900 солдат."
    claim = extract(text, "ru", index=index).claims[0]
    assert ("conduit", REUTERS) in roles(claim)
    assert [a.role for a in claim.attributions if a.source.id is None] == ["claimant"]


def test_the_data_of_a_body_after_its_verb_are_its_own(index):
    text = "Коммунистическая партия набрала 25,2%, следует из предварительных данных ЦИК."
    claim = extract(text, "ru", index=index).claims[0]
    assert [a.role for a in claim.attributions] == ["claimant"]
    assert claim.attributions[0].surface == "ЦИК"


def test_the_statistics_service_by_its_long_name(index):
    text = "У березні інфляція прискорилася до 4,5%, свідчать дані Держслужби статистики."
    claim = extract(text, "uk", index=index).claims[0]
    assert roles(claim) == [("claimant", STATS_UA)]


def test_onun_sozlerine_gore_is_the_last_speaker(index):
    text = ("Rusiya Müdafiə Nazirliyi 23 PUA vurulduğunu açıqlayıb. Onun sözlərinə görə, "
            "hücum dəf edilib.")
    claims = extract(text, "az", index=index).claims
    assert [a.source.id for a in claims[-1].claimants] == [MOD_RU]


def test_released_information_is_the_speakers_in_a_full_chain(index):
    text = ("Rusiya qoşunları 910 hərbçisini itirib.\nSozcu.az TASS-a istinadən xəbər "
            "verir ki, bu barədə Ukrayna Baş Qərargahı məlumat yayıb.")
    claim = extract(text, "az", index=index).claims[0]
    assert sorted(roles(claim)) == [("claimant", GENSTAB_UA), ("conduit", TASS),
                                    ("outlet", "Sozcu.az")]


# --- figures --------------------------------------------------------------------------

@pytest.mark.parametrize(("said", "lang", "expected"), [
    ("число погибших увеличилось до 21,1 тыс. человек", "ru",
     ("exact", Decimal("21100"), None, None)),
    ("число погибших превысило 70 тысяч человек", "ru", ("at_least", None, Decimal("70000"), None)),
    ("инфляция не превышает 5%", "ru", ("at_most", None, None, Decimal("5"))),
    ("до 210 военных", "ru", ("at_most", None, None, Decimal("210"))),
    ("інфляція прискорилася до 7,6%", "uk", ("exact", Decimal("7.6"), None, None)),
    ("призвело до прискорення річної інфляції до 12,9%", "uk",
     ("exact", Decimal("12.9"), None, None)),
    ("кількість загиблих перевищила 40 тисяч", "uk", ("at_least", None, Decimal("40000"), None)),
    ("ölənlərin sayı 41 mini ötüb", "az", ("at_least", None, Decimal("41000"), None)),
    ("inflyasiya avqustda 8% təşkil edib", "az", ("exact", Decimal("8"), None, None)),
])
def test_verbs_of_change_and_passing(said, lang, expected):
    assert figure(said, lang) == expected


def test_a_numbered_district_is_not_a_figure():
    assert parse_figures("ən yüksək fəallıq 51 saylı Qusar Seçki Dairəsindədir", "az") == []


@pytest.mark.parametrize(("text", "lang", "kind"), [
    ("По его словам, речь идет о гибели девяти солдат.", "ru", "killed"),
    ("ПВО перехватили 29 беспилотных летательных аппаратов.", "ru", "weapons"),
    ("Розвідка повідомляє про загибель майже двох тисяч військових, яких відправили.", "uk",
     "killed"),
    ("Понад 6000 військових втратили життя в боях.", "uk", "killed"),
    ("Близько 50 тисяч людей евакуювалися на південь.", "uk", "displaced"),
    ("Rusiya qüvvələri daha 910 hərbçisini itirib.", "az", "casualties"),
    ("Ukraynanın şərqində 230 mindən çox adam öz ev-eşiyini tərk edib.", "az", "displaced"),
])
def test_what_the_figure_counts(text, lang, kind):
    from importer.clauses import clauses
    from importer.languages import get

    figures = parse_figures(text, lang)
    clause = clauses(text, 0, len(text), figures, get(lang))[0]
    assert clause.quantity.counted_kind == kind


# --- the engine: conduits, back and forward references --------------------------------

def test_a_conduit_stays_with_the_same_claimants_further_claims(index):
    text = ("Суточные потери ВСУ составили более 1 535 военнослужащих. Об этом со ссылкой на "
            "Минобороны России сообщает ТАСС.\nОтмечается, что потери в зоне «Север» "
            "составили более 190 военных.")
    claims = extract(text, "ru", index=index).claims
    assert [sorted(roles(c)) for c in claims] == [[("claimant", MOD_RU), ("conduit", TASS)]] * 2
    assert claims[1].attributions[-1].inferred


def test_after_a_relay_points_back_the_speaker_is_still_the_one_before(index):
    text = ("Минздрав Газы заявил, что погибли 4358 человек.\nОб этом пишет газета X.\n"
            "Отмечается, что ранены 13 561 человек.")
    claims = extract(text, "ru", index=index).claims
    assert [a.source.id for a in claims[-1].claimants] == [MOH_GAZA]


def test_an_opening_formula_points_forward_to_the_next_sentence(index):
    text = ("İqtisadiyyat.az xəbər verir ki, bu barədə Qəzza Səhiyyə Nazirliyi məlumat yayıb.\n"
            "Qəzzada son 48 saatda 202 nəfər ölüb.")
    claims = extract(text, "az", index=index).claims
    assert [c.text for c in claims] == ["Qəzzada son 48 saatda 202 nəfər ölüb"]
    assert sorted(roles(claims[0])) == [("claimant", MOH_GAZA), ("outlet", "İqtisadiyyat.az")]


def test_a_back_reference_inside_a_sentence_with_content_is_that_sentence(index):
    text = "За ночь ПВО уничтожили 32 беспилотника, о чем также сообщило Минобороны России."
    claims = extract(text, "ru", index=index).claims
    assert len(claims) == 1 and roles(claims[0]) == [("claimant", MOD_RU)]


def test_the_datelines_own_sentences_are_not_what_the_source_said(index):
    text = ("КАИР, 31 октября. /ТАСС/. Свыше 43,2 тыс. палестинцев убиты. Такие данные "
            "опубликовал Минздрав Газы.")
    claims = extract(text, "ru", index=index).claims
    assert [c.text for c in claims] == ["Свыше 43,2 тыс. палестинцев убиты"]
    assert sorted(roles(claims[0])) == [("claimant", MOH_GAZA), ("outlet", TASS)]


def test_a_platform_after_the_verb_is_a_place_and_the_speaker_follows(index):
    text = ("Росія запустила 22 ракети.\nПро це повідомив у Telegram президент України "
            "Володимир Зеленський.")
    claims = extract(text, "uk", index=index).claims
    assert [c.text for c in claims] == ["Росія запустила 22 ракети"]
    assert [a.surface for a in claims[0].attributions] == [
        "президент України Володимир Зеленський"]


def test_a_state_news_agency_described_before_its_acronym(index):
    text = "Кім був присутній на полігоні. Про це повідомляє державне інформагентство ТАСС."
    claims = extract(text, "uk", index=index).claims
    assert roles(claims[0]) == [("claimant", TASS)]
