"""Constructions the rules missed on dev passages they had never seen (issue 10: the rules
frozen at 0a9c1ef / 3cbe06d, run on the dev passages labelled after them, missed gold
claims outright). Each test is a sentence of our own with the construction, not a passage
of the corpus."""

import pytest

from importer import extract
from importer.aliases import AliasIndex

SHOIGU, EMERCOM = 1, 2


@pytest.fixture(scope="module")
def index():
    return AliasIndex([
        (SHOIGU, "Sergei Shoigu", "official", "Сергей Шойгу"),
        (EMERCOM, "Ministry of Emergency Situations of Russia", "government", "МЧС"),
    ])


def claimants(claim):
    return [a.surface for a in claim.attributions if a.role == "claimant"]


# --- a speaker's initials between the verb and the surname -------------------------------

@pytest.mark.parametrize("speaker", ["П.Сидоров", "П. Сидоров"])
def test_initials_before_the_surname_after_the_verb(index, speaker):
    text = f"«Очередь на участке растянулась почти на 300 метров», — сказал {speaker} на брифинге."
    claims = extract(text, "ru", index=index).claims
    assert len(claims) == 1
    assert claimants(claims[0]) == ["Сидоров"]


def test_initial_then_comma_and_a_participle(index):
    text = "«Цены выросли на 4 процента за месяц», — отметила Н. Кравцова, добавив подробности."
    claims = extract(text, "ru", index=index).claims
    assert [claimants(c) for c in claims] == [["Кравцова"]]


# --- "сообщили в пресс-службе X по региону": the body after в, a place after it ----------

def test_the_press_office_in_the_locative_with_a_tail(index):
    text = "На складе сгорели 40 тонн зерна, сообщили в пресс-службе МЧС по области."
    claims = extract(text, "ru", index=index).claims
    assert len(claims) == 1
    assert claimants(claims[0]) == ["пресс-службе МЧС"]


# --- "…, ещё два человека …": a toll in words after a clause, its own claim --------------

def test_russian_more_in_words_is_its_own_claim(index):
    text = "При пожаре погибла пенсионерка, ещё три человека отравились дымом, сообщили в МЧС."
    claims = extract(text, "ru", index=index).claims
    assert [c.text for c in claims] == ["При пожаре погибла пенсионерка",
                                        "ещё три человека отравились дымом, сообщили в МЧС"]
    assert all(claimants(c) == ["МЧС"] for c in claims)


def test_ukrainian_more_in_words_is_its_own_claim(index):
    text = ("Унаслідок удару загинув чоловік, ще троє людей отримали поранення, "
            "повідомив начальник ОВА Петро Іваненко.")
    claims = extract(text, "uk", index=index).claims
    assert len(claims) == 2
    assert claims[1].text.startswith("ще троє людей")
    assert claims[1].quantity is not None and claims[1].quantity.value == 3


# --- Azerbaijani: "X-dən bildiriblər ki" (the ablative body, an impersonal plural) --------

@pytest.mark.parametrize("told", ["", "Report-a "])
def test_az_ablative_body_with_a_plural_speech_verb(index, told):
    text = (f"Fövqəladə Hallar Nazirliyindən {told}bildiriblər ki, anbarda baş verən "
            "yanğında 5 nəfər xəsarət alıb.")
    claims = extract(text, "az", index=index).claims
    assert len(claims) == 1
    assert claimants(claims[0]) == ["Fövqəladə Hallar Nazirliyindən"]


# --- Azerbaijani: two finite clauses in a row, each its own claim -------------------------

@pytest.mark.parametrize("joint", [", ", " və "])
def test_az_two_finite_clauses_are_two_claims(index, joint):
    text = (f"Polisin məlumatına görə, qəzada sürücü yüngül xəsarət alıb{joint}maşının "
            "sərnişini xəstəxanaya aparılıb.")
    claims = extract(text, "az", index=index).claims
    assert [c.text.split()[-1] for c in claims] == ["alıb", "aparılıb"]
    assert all(claimants(c) == ["Polisin"] for c in claims)



# --- two figures with no clause break between them: two claims all the same --------------

def test_two_figures_without_a_break_are_two_claims(index):
    text = ("Election official Maria Lopez said 4,200 observers were sent to more than 310 "
            "polling stations.")
    claims = extract(text, "en", index=index).claims
    assert [c.quantity.value if c.quantity.value is not None else c.quantity.lower
            for c in claims] == [4200, 310]
    assert claims[1].text == "to more than 310 polling stations"
    assert all(claimants(c) == ["Election official Maria Lopez"] for c in claims)


def test_a_converted_figure_stays_with_its_figure(index):
    text = "The missile flew about 800 kilometres (500 miles), the ministry said."
    claims = extract(text, "en", index=index).claims
    assert len(claims) == 1


def test_russian_two_figures_without_a_break(index):
    text = "По данным МЧС, 120 спасателей работали на 14 участках."
    claims = extract(text, "ru", index=index).claims
    assert len(claims) == 2
    assert claims[1].text == "на 14 участках"
