"""Alias resolution: one automaton over every alias; inflections, scripts, staleness."""

import pytest

from importer import extract
from importer.aliases import AliasIndex, alias_index
from importer.lexicon import lexicon
from sources.registry import add_alias, create_source

ROWS = [
    (1, "Government of South Korea", "government", a)
    for a in ("Rəsmi Seul", "Seul", "Seoul", "Сеул", "한국 정부")
] + [
    (2, "Korean Central News Agency", "state_media", a)
    for a in ("KCNA", "조선중앙통신", "ЦТАК", "Центральное телеграфное агентство Кореи")
] + [
    (3, "Ministry of Defence of Russia", "military", a)
    for a in ("Минобороны России", "Министерство обороны России", "Rusiya Müdafiə Nazirliyi")
] + [
    (4, "National Intelligence Service (South Korea)", "intelligence", a)
    for a in ("국정원", "국가정보원", "NIS")
] + [(5, "Vladimir Putin", "official", a) for a in ("Putin", "V.Putin", "Путин", "푸틴")]


@pytest.fixture(scope="module")
def index():
    return AliasIndex(ROWS)


def names(index, text, language):
    return [(text[m.start:m.end], index.name(m.source_id))
            for m in index.find(text, lexicon(language))]


@pytest.mark.parametrize(("language", "text", "surface", "source"), [
    ("az", "Rəsmi Seulun məlumatına görə", "Rəsmi Seulun", "Government of South Korea"),
    ("az", "KCNA-nın yaydığı xəbər", "KCNA-nın", "Korean Central News Agency"),
    ("az", "KCNA’nın yaydığı xəbər", "KCNA’nın", "Korean Central News Agency"),
    ("az", "V.Putinin məktubu", "V.Putinin", "Vladimir Putin"),
    ("az", "RƏSMİ SEUL bildirib", "RƏSMİ SEUL", "Government of South Korea"),
    ("az", "Rusiya Müdafiə Nazirliyinin məlumatı", "Rusiya Müdafiə Nazirliyinin",
     "Ministry of Defence of Russia"),
    ("ru", "по данным Минобороны России", "Минобороны России", "Ministry of Defence of Russia"),
    ("ru", "сообщили в министерстве обороны России", "министерстве обороны России",
     "Ministry of Defence of Russia"),
    ("ru", "как сообщает Центрального телеграфного агентства Кореи",
     "Центрального телеграфного агентства Кореи", "Korean Central News Agency"),
    ("ru", "заявил Путину", "Путину", "Vladimir Putin"),
    ("ko", "국정원은 밝혔다", "국정원은", "National Intelligence Service (South Korea)"),
    ("ko", "국가정보원에 따르면", "국가정보원에", "National Intelligence Service (South Korea)"),
    ("ko", "조선중앙통신이 보도했다", "조선중앙통신이", "Korean Central News Agency"),
    ("en", "Seoul's estimate", "Seoul's", "Government of South Korea"),
])
def test_inflected_and_differently_cased_mentions_resolve(index, language, text, surface,
                                                          source):
    assert (surface, source) in names(index, text, language)


@pytest.mark.parametrize(("language", "text"), [
    ("az", "Seulskiy rayonu"),           # no Azerbaijani case ending
    ("ko", "국정원장은 밝혔다"),              # "NIS director": another noun, not a particle
    ("en", "Putinism is a word"),
    ("en", "KCNAX said"),
])
def test_a_name_inside_another_word_is_not_a_mention(index, language, text):
    assert names(index, text, language) == []


def test_the_longest_alias_wins(index):
    found = names(index, "Rəsmi Seul bildirib", "az")
    assert found == [("Rəsmi Seul", "Government of South Korea")]


def test_the_same_source_is_found_in_every_script(index):
    for language, text in [("az", "Seul"), ("ru", "Сеул"), ("en", "Seoul"), ("ko", "한국 정부")]:
        assert names(index, text, language)[0][1] == "Government of South Korea"


@pytest.mark.django_db
def test_the_automaton_is_rebuilt_when_sources_change():
    create_source("Yonhap", kind="news_outlet", aliases=["연합뉴스"])
    first = alias_index()
    assert alias_index() is first  # nothing changed: the same automaton
    text = "Ренхап сообщает, что Пхеньян провёл испытания."
    assert all(c.attributions[0].source.id is None for c in extract(text, "ru").claims)
    yonhap = create_source("Ренхап", kind="news_outlet")
    add_alias(yonhap, "Рёнхап")
    second = alias_index()
    assert second is not first
    claims = extract(text, "ru").claims
    assert claims[0].attributions[0].source.name == "Ренхап"


@pytest.mark.django_db
def test_unknown_sources_are_proposed_with_a_guessed_kind():
    result = extract("Ukraynanın Baş Kəşfiyyat İdarəsinin məlumatına görə, 500 əsgər həlak "
                     "olub.", "az")
    source = result.claims[0].attributions[0].source
    assert source.id is None
    assert source.name == "Ukraynanın Baş Kəşfiyyat İdarəsi"
    assert source.kind == "intelligence"
