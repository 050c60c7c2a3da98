import pytest
from django.core.exceptions import ValidationError

from sources.models import Source
from sources.registry import add_alias, create_source, resolve
from sources.text import fold


@pytest.mark.parametrize(("a", "b"), [
    ("KCNA", "kcna"),
    ("Seul", "SEÜL"),
    ("Rəsmi Seul", "rəsmi  seul"),
    ("Korean Central News Agency", "korean central news agency "),
    ("Şimali Koreya", "simali koreya"),
    ("İstanbul", "istanbul"),
    ("Владимир Путин", "владимир путин"),
    ("Ким Чен Ын", "КИМ ЧЕН ЫН"),
    ("Pyongyang’s", "Pyongyang's"),
])
def test_fold_ignores_case_accents_and_spacing(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_hangul_syllables_whole():
    assert fold("조선중앙통신") == "조선중앙통신"
    assert fold("국정원") != fold("국정")


@pytest.mark.parametrize(("a", "b"), [("Seul", "Seoul"), ("KCNA", "KCTV"), ("Putin", "Putina")])
def test_fold_keeps_different_names_apart(a, b):
    assert fold(a) != fold(b)


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", [
    "KCNA", "kcna", "Korean Central News Agency", "조선중앙통신", "KCNA agentliyi",
    "kcna AGENTLİYİ",
])
def test_a_source_is_found_by_any_alias_in_any_case_or_script(spelling):
    kcna = create_source("Korean Central News Agency", kind="state_media",
                         aliases=["KCNA", "조선중앙통신", "KCNA agentliyi"])
    assert resolve(spelling) == kcna
    assert list(Source.objects.matching_alias(spelling)) == [kcna]


@pytest.mark.django_db
def test_an_alias_already_used_by_another_source_is_refused_by_name():
    create_source("Korean Central News Agency", aliases=["KCNA"])
    other = create_source("Korean Central Television")
    with pytest.raises(ValidationError) as caught:
        add_alias(other, "kcna")
    assert "alias" in caught.value.message_dict
    assert "Korean Central News Agency" in caught.value.message_dict["alias"][0]


@pytest.mark.django_db
def test_creating_a_source_with_a_taken_alias_saves_nothing():
    create_source("Korean Central News Agency", aliases=["KCNA"])
    with pytest.raises(ValidationError):
        create_source("Copycat", aliases=["Fine alias", "KCNA"])
    assert not Source.objects.filter(name="Copycat").exists()
    assert resolve("Fine alias") is None


@pytest.mark.django_db
def test_adding_an_alias_the_source_already_has_is_a_no_op():
    kcna = create_source("KCNA")
    assert add_alias(kcna, "kcna").source == kcna
    assert kcna.aliases.count() == 1
