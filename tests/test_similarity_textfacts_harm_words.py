"""How a harm is worded, across languages (issue 11, batch fresh-c's dev errors): an
Azerbaijani count with a case ending and a participle ("10 nəfərin öldüyü"), "lost their
lives", and Korean "다쳤다" (were hurt) beside "숨지고" (died).

Our own sentences: unit tests of each rule, not the measure (bench/matching.py is).
"""

from decimal import Decimal

import pytest

from similarity import ranking, textfacts


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


@pytest.mark.parametrize(("text", "under_way"), [
    ("After processing of more than 98 percent of the ballots, Erdogan won 52.1 percent.", True),
    ("После обработки 99,08% бюллетеней Эрдоган набирает 52,07% голосов.", True),
    ("투표함 99%가 개표된 상황에서 에르도안 대통령이 52.08%를 득표했다.", False),
    ("ЦИК обработал все 100% бюллетеней: Эрдоган набрал 52,18%.", False),
    ("Erdoğan has won 52,14% of the votes.", False),
])
def test_a_result_of_a_count_still_under_way_is_told_apart(text, under_way):
    assert textfacts.interim(text) is under_way


def test_a_snapshot_of_a_count_never_stands_for_a_figure_it_rounds_to():
    final = ranking.facts_for_text("Erdoğan has won 52.14% of the votes, the council said.")
    snapshot = ranking.facts_for_text(
        "After processing of more than 98 percent of the ballots, Erdogan won 52.1 percent.")
    rounded = ranking.facts_for_text("Erdogan won 52.1 percent of the votes.")
    assert ranking._figures_agree(final, rounded, main=True)  # the rounding rule, as before
    assert not ranking._figures_agree(final, snapshot, main=True)
    assert ranking._figures_agree(snapshot, ranking.facts_for_text(
        "With 98 percent of the ballots counted, Erdogan had 52.1 percent."), main=True)


@pytest.mark.parametrize("text", [
    "Onun sözlərinə görə, Ərdoğan 52,14, Kamal Kılıçdaroğlu isə 47,86% səs qazanıb.",
    "Эрдоган получил 52,14 и Кылычдароглу 47,86% голосов.",
])
def test_a_percent_sign_written_once_for_two_shares_marks_both(text):
    # The first share is the text's main figure, as when each has its sign.
    assert textfacts.main_figure_events(text) == {(Decimal("52.14"), "percent")}


@pytest.mark.parametrize("text", [
    "Inflation was 3.5 in May. Then 4.2% in June.",  # another sentence
    "Погибли 12 человек, ранены 2,8 тысячи и 4,5% домов.",  # a whole number, no sign
    "The index rose 3.51 and the rate 4.2% over the year.",  # written to other places
])
def test_a_percent_sign_is_not_lent_across_a_sentence_a_whole_number_or_other_places(text):
    assert all(kind != "percent" or value in (Decimal("4.2"), Decimal("4.5"))
               for value, kind in textfacts.figure_events(text))
