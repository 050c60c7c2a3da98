"""When two written figures are the same number (ranking.same_number)."""

from decimal import Decimal

import pytest

from similarity import ranking
from similarity.claimants import NameIndex


@pytest.mark.parametrize(("short", "exact"), [
    ("49.4", "49.42"),   # TASS's 49.4 % is the election commission's 49.42 %
    ("41.1", "41.15"),   # cut at its last digit
    ("87.3", "87.28"),   # rounded at its last digit
])
def test_a_decimal_written_shorter_stands_for_the_one_it_rounds_or_cuts_to(short, exact):
    assert ranking.same_number(Decimal(short), Decimal(exact))
    assert ranking.same_number(Decimal(exact), Decimal(short))


@pytest.mark.parametrize(("short", "exact"), [
    ("3", "3.25"),      # a rate of 3 % is not one of 3.25 %: too few digits to stand for it
    ("0.7", "0.72"),    # nor 0.7 for 0.72
    ("3.5", "3.52"),
    ("49.4", "49.52"),  # neither rounds nor cuts to it
    ("49.4", "49.3"),
])
def test_but_not_with_fewer_than_three_digits_or_another_value(short, exact):
    assert not ranking.same_number(Decimal(short), Decimal(exact))


def test_a_russian_name_of_several_words_is_found_in_any_case():
    names = NameIndex([(1, "Центральная избирательная комиссия Республики Корея"),
                       (2, "Министерство обороны России")])
    assert names.find("по данным Центральной избирательной комиссии Республики Корея") == {1}
    assert names.find("как сообщили в Министерстве обороны России") == {2}
    assert names.find("Центральная избирательная комиссия Республики Корея сообщила") == {1}
    # Only whole words: a longer word with the same beginning is another word.
    assert names.find("Министерства обороны Российской Федерации") == set()
    assert names.find("комиссия по выборам") == set()
