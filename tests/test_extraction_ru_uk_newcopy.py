"""Russian and Ukrainian rules found on dev copy from outlets new to the real-news corpus
(issue 10, eighth round), each checked on a sentence of our own."""

import pytest

from importer import extract
from importer.aliases import AliasIndex
from importer.figures import parse_figures

TASS, INTERFAX, PESKOV, RIA = range(1, 5)


@pytest.fixture(scope="module")
def index():
    rows = [
        (TASS, "TASS", "state_media", "ТАСС"),
        (INTERFAX, "Interfax", "news_outlet", "Интерфакс"),
        (PESKOV, "Dmitry Peskov", "official", "Дмитрий Песков"),
        (RIA, "RIA Novosti", "state_media", "РИА Новости"),
    ]
    return AliasIndex(rows)


def roles(claim):
    return sorted((a.role, a.source.id or a.source.name) for a in claim.attributions)


def figure(text, lang):
    q = parse_figures(text, lang)[0]
    return q.qualifier, q.value, q.lower, q.upper


# --- an agency in the dative next to the speech verb: the conduit ----------------------

def test_a_quoted_agency_told_then_the_speaker(index):
    text = ('Погибли 3 человека, сообщил "Интерфаксу" начальник пресс-службы ГУ МЧС '
            "Иван Петров.")
    claim = extract(text, "ru", index=index).claims[0]
    assert ("conduit", INTERFAX) in roles(claim)
    speakers = [a.surface for a in claim.attributions if a.role == "claimant"]
    assert speakers == ["начальник пресс-службы ГУ МЧС Иван Петров"]


def test_the_agency_before_the_verb_told_a_source(index):
    text = ("Задержаны 3 человека. Об этом ТАСС сообщил источник в правоохранительных "
            "органах.")
    claim = extract(text, "ru", index=index).claims[-1]
    got = roles(claim)
    assert ("conduit", TASS) in got
    assert any(role == "claimant" and str(who).startswith("источник") for role, who in got)


def test_a_speaker_who_is_no_outlet_still_speaks(index):
    claim = extract("Погибли 3 человека. Об этом Песков сообщил журналистам.", "ru",
                    index=index).claims[-1]
    assert [(a.role, a.surface) for a in claim.attributions] == [("claimant", "Песков")]


# --- figures ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang, text, lower, upper", [
    ("ru", "явка в среднем составила от 46% до 66%.", 46, 66),
    ("uk", "явка становила від 40% до 45%.", 40, 45),
])
def test_a_range_with_the_percent_sign_on_both_ends(lang, text, lower, upper):
    assert figure(text, lang) == ("range", None, lower, upper)


def test_from_one_percent_to_another_is_a_change_not_a_range():
    assert figure("явка выросла с 5% до 7%.", "ru")[0] == "exact"


@pytest.mark.parametrize("text, value", [
    ("шестерым осужденным назначены сроки.", 6),
    ("Пятеро из семерых подсудимых были оправданы.", 5),
    ("Один человек погиб при пожаре.", 1),
])
def test_collectives_and_one_person_are_figures(text, value):
    assert figure(text, "ru") == ("exact", value, None, None)


def test_one_that_counts_nobody_is_no_figure():
    assert parse_figures("Ни один человек не пострадал, это один из районов.", "ru") == []


def test_one_killed_and_five_injured_are_two_claims(index):
    text = ('Погиб один человек, пятеро получили ранения, сообщил "Интерфаксу" начальник '
            "пресс-службы ГУ МЧС Иван Петров.")
    claims = extract(text, "ru", index=index).claims
    assert [c.quantity.value for c in claims] == [1, 5]


def test_and_one_more_injured_is_its_own_claim(index):
    text = ("Один человек погиб, еще один пострадал при пожаре в жилом доме, сообщил "
            "департамент ГОЧС.")
    claims = extract(text, "ru", index=index).claims
    assert len(claims) == 2


@pytest.mark.parametrize("lang, text", [
    ("uk", "Суд виніс вирок щодо двох місцевих жителів."),
])
def test_a_word_ending_in_do_is_no_ceiling(lang, text):
    assert figure(text, lang) == ("exact", 2, None, None)


# --- "источник ТАСС": the unnamed person speaks, the outlet told carried it --------------

@pytest.mark.parametrize("text, speaker, outlet", [
    ("Пять человек погибли, сообщил источник ТАСС.", "источник ТАСС", TASS),
    ("По словам собеседника РИА Новости, погибли 5 человек.", "собеседника РИА Новости", RIA),
    ("Погиб 1 человек, сообщает источник РЕН ТВ.", "источник РЕН ТВ", "РЕН ТВ"),
])
def test_a_source_of_an_outlet_speaks_and_the_outlet_relays(index, text, speaker, outlet):
    claim = extract(text, "ru", index=index).claims[0]
    got = [(a.role, a.surface, a.source.id or a.source.name) for a in claim.attributions]
    assert got[0][:2] == ("claimant", speaker) and got[0][2] != TASS
    assert ("conduit", outlet) in [(r, s) for r, _, s in got]


def test_a_source_in_a_body_is_no_outlet(index):
    claim = extract("Пять человек погибли, сообщил источник в силовых структурах.", "ru",
                    index=index).claims[0]
    assert [a.role for a in claim.attributions] == ["claimant"]
