"""How a harm is worded, across languages (issue 11, batch fresh-c's dev errors): an
Azerbaijani count with a case ending and a participle ("10 nəfərin öldüyü"), "lost their
lives", and Korean "다쳤다" (were hurt) beside "숨지고" (died).

Our own sentences: unit tests of each rule, not the measure (bench/matching.py is).
"""

from decimal import Decimal

import pytest

from similarity import textfacts


@pytest.mark.parametrize("text", [
    "Qəza nəticəsində 10 nəfərin öldüyü bildirilir.",
    "Qəzada 10 nəfərin həlak olduğu bildirilir.",
    "Qəza nəticəsində 10 nəfər ölüb.",
])
def test_an_azerbaijani_count_with_a_case_ending_is_a_count_of_the_dead(text):
    # "nəfərin" (genitive) is still people, so 10 is a count, not the 10th of a month; and
    # "öldüyü" (that … died) is a death as "ölüb" is.
    assert textfacts.main_figure_events(text) == {(Decimal(10), "killed")}


def test_an_azerbaijani_participle_of_becoming_is_not_a_death():
    # "olduğu" (that … was/became) folds to "oldugu", never to the stem of "öldüyü".
    assert "killed" not in textfacts.events("Bu, 10 nəfər üçün mümkün olduğu bildirilir.")


@pytest.mark.parametrize("text", [
    "During the operation, 192 servicemen lost their lives and 511 were wounded.",
    "In the attack 192 people lost their lives, 511 were wounded.",
])
def test_lost_their_lives_is_a_death(text):
    assert textfacts.main_figure_events(text) == {(Decimal(192), "killed")}


@pytest.mark.parametrize("text", [
    "이번 지진으로 2205명이 숨지고 3640명이 다쳤다고 밝혔다.",
    "지진으로 2,205명이 숨지고 3,640명이 다친 것으로 집계됐다.",
])
def test_korean_were_hurt_is_a_count_of_the_wounded_and_the_dead_stay_the_main_figure(text):
    assert (Decimal(3640), "wounded") in textfacts.figure_events(text)
    assert textfacts.main_figure_events(text) == {(Decimal(2205), "killed")}
