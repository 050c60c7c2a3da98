"""Ukrainian: one module (importer/languages/uk.py) and one lexicon file (data/uk.toml)."""

from decimal import Decimal

import pytest

from importer import extract
from importer.aliases import AliasIndex
from importer.figures import parse_figures
from importer.language import detect

HUR, UKRINFORM, MOD = 1, 2, 3


@pytest.fixture(scope="module")
def index():
    return AliasIndex([
        (HUR, "Головне управління розвідки", "intelligence", "Головне управління розвідки"),
        (HUR, "Головне управління розвідки", "intelligence", "ГУР"),
        (UKRINFORM, "Укрінформ", "news_outlet", "Укрінформ"),
        (MOD, "Міністерство оборони України", "military", "Міністерство оборони України"),
    ])


def roles(claim):
    return [(a.role, a.source.id or a.source.name) for a in claim.attributions]


@pytest.mark.parametrize("text", [
    "Міністерство оборони заявило, що загинули 1200 солдатів.",
    "Речник розвідки повідомив, що в Курській області перебувають тисячі військових КНДР.",
    "За даними Генштабу ЗСУ, за добу окупанти втратили 1350 осіб.",
])
def test_short_ukrainian_text_is_detected_by_its_letters(text):
    assert detect(text) == "uk"


def test_russian_text_is_not_taken_for_ukrainian():
    assert detect("Министерство обороны заявило, что погибли 1200 солдат.") == "ru"


def test_an_inflected_alias_is_found_through_ukrainian_lemmas(index):
    text = "Речник Головного управління розвідки заявив, що загинули 200 солдатів."
    claim = extract(text, "uk", index=index).claims[0]
    assert roles(claim) == [("claimant", HUR)]


def test_according_to_and_the_relaying_agency(index):
    text = ("За даними ГУР, в Курській області загинули понад 1,2 тис. північнокорейських "
            "військових, повідомляє Укрінформ.")
    claim = extract(text, "uk", index=index).claims[0]
    assert roles(claim) == [("claimant", HUR), ("conduit", UKRINFORM)]
    q = claim.quantity
    assert (q.qualifier, q.lower) == ("at_least", Decimal("1200"))


def test_a_pronoun_in_the_next_sentence_is_the_last_speaker(index):
    text = ("Речник Міністерства оборони України Дмитро Лазуткін заявив, що від 10 до 13 тисяч "
            "солдатів КНДР перебувають у Курській області. Він також додав, що десятки "
            "поранених евакуйовані.")
    first, second = extract(text, "uk", index=index).claims
    assert first.claimants and second.claimants
    assert second.claimants[0].source == first.claimants[0].source
    assert second.claimants[0].inferred


def test_denial_keeps_its_stance(index):
    claim = extract("Міністерство оборони України спростувало ці повідомлення.", "uk",
                    index=index).claims[0]
    assert claim.claimants[0].stance == "denies"
    assert claim.claimants[0].source.id == MOD


@pytest.mark.parametrize(("said", "expected"), [
    ("від 10 до 13 тисяч солдатів", ("range", None, Decimal("10000"), Decimal("13000"))),
    ("понад 1,2 тис. солдатів", ("at_least", None, Decimal("1200"), None)),
    ("близько 600 військових", ("approximately", Decimal("600"), None, None)),
    ("десятки поранених", ("at_least", None, Decimal("10"), None)),
    ("тисячі загиблих", ("at_least", None, Decimal("1000"), None)),
])
def test_ukrainian_figures(said, expected):
    (q,) = parse_figures(said, "uk")
    assert (q.qualifier, q.value, q.lower, q.upper) == expected


def test_dates_and_years_are_not_figures():
    assert parse_figures("30 листопада 2024 року делегація прибула", "uk") == []
