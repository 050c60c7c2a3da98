"""A text's figures, eighth round (issue 11, dev's earthquake tolls): a figure written in two
groups, a toll's victims, a Korean parallel list, and the same figure to its last digit.

Our own sentences: unit tests of each rule, not the measure (bench/matching.py is).
"""

from decimal import Decimal

import pytest

from similarity import numerals, ranking, textfacts


@pytest.mark.parametrize(("text", "figures"), [
    ("Zəlzələ qurbanlarının sayı 50 min 96 nəfərə çatıb.", {Decimal(50096)}),
    ("Həlak olanların sayı 45 min 968 nəfərdir.", {Decimal(45968)}),
    ("Ölkə üzrə 5 milyon 198 min 658 seçici var.", {Decimal(5198658)}),
    ("Потери составили 2 млн, 300 человек ранены.", {Decimal(2_000_000), Decimal(300)}),
    ("Потери составили 2 млн 2024 года.", {Decimal(2_000_000)}),  # a year stays a year
])
def test_a_bare_rest_after_a_multiplier_word_is_one_figure(text, figures):
    assert numerals.numbers(text) == figures


@pytest.mark.parametrize("text", [
    "Zəlzələ qurbanlarının sayı 50 min 96 nəfərə, yaralıların sayı 107 min 204 nəfərə çatıb.",
    "Число жертв землетрясения возросло до 50 096 человек, ранены 107 204.",
    "The number of victims has risen to 50,096, and 107,204 were injured.",
    "지진 희생자는 5만96명, 부상자는 10만7204명으로 늘었다.",
])
def test_a_tolls_victims_are_its_dead(text):
    assert textfacts.main_figure_events(text) == {(Decimal(50096), "killed")}


def test_a_korean_parallel_list_is_about_its_first_item():
    text = "김 후보는 41.15%(1439만 5639표), 이 후보는 8.34%(291만 7523표)를 기록했다."
    assert textfacts.main_figure_events(text) == {(Decimal("41.15"), "percent")}
    # A story told in order keeps the last figure of its kind (the main clause is last).
    told = ("공개한 전사자는 350명 정도지만 보고한 전사자는 600명이었으며 "
            "현재는 2000여명으로 추산한다.")
    assert textfacts.main_figure_events(told) == {(Decimal(600), "killed")}


def test_the_same_figure_to_its_last_digit_ranks_above_a_round_one_it_is_within():
    query = ranking.facts_for_text("The death toll from the earthquakes has risen to 50,096.")
    precise = ranking.facts_for_text("Earthquake: the number of people killed is now 50,096.")
    round_ = ranking.facts_for_text("The number of people killed has passed 50 thousand.")
    to_precise, to_round = ranking.compare(query, precise, 0.8), ranking.compare(query, round_, 0.8)
    assert "same figure" in to_round.agreements  # 50,096 is within 1 % of "50 thousand"
    assert "same figure to the last digit" in to_precise.agreements
    assert to_precise.score > to_round.score


def test_a_claim_agreeing_on_the_figure_ranks_above_a_closer_one_whose_figure_conflicts():
    query = ranking.facts_for_text("72 человека погибли в испанской Валенсии из-за наводнения.")
    agrees = ranking.facts_for_text("발렌시아 구조 당국은 최소 72명이 사망했다고 밝혔다.")
    conflicts = ranking.facts_for_text(
        "Не менее 92 человек погибли в результате наводнения, обрушившегося на Валенсию.")
    # e5's cosines of dev's pair (ru-414: ko-415 0.80, ru-419 0.96).
    to_agrees, to_conflicts = ranking.compare(query, agrees, 0.80), ranking.compare(
        query, conflicts, 0.96)
    assert to_agrees.assessment == "related"  # not "likely_same": attach.py is unchanged
    assert to_conflicts.assessment == "conflicting"
    assert to_agrees.score > to_conflicts.score
