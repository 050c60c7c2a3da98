"""What the words around a number say it is (issue 11, batch fresh-b's dev errors): a clock
time's minutes, a small count right after its verb, a whole the text counts a part of, and
Russian tens and units in two words.

Our own sentences: unit tests of each rule, not the measure (bench/matching.py is).
"""

from decimal import Decimal

import pytest

from similarity import numerals, ranking, textfacts


@pytest.mark.parametrize("text", [
    "소방당국에 따르면 이날 오후 6시 30분 기준 화재로 사망한 사람은 총 22명이다.",
    "지난 24일 오전 10시 31분 공장 2층에서 불이 나 근로자 22명이 숨졌다.",
])
def test_a_clock_times_minutes_are_not_a_measure(text):
    assert textfacts.main_figure_events(text) == {(Decimal(22), "killed")}


def test_minutes_that_are_a_duration_stay_a_measure():
    assert textfacts.main_figure_events("비행시간은 86분이었다.") == {(Decimal(86), "minutes")}


@pytest.mark.parametrize(("text", "figure"), [
    ("A fire swept through a factory on Monday, killing 22 mostly migrant workers.", 22),
    ("The blast killed at least 12 people overnight.", 12),
    ("При пожаре погибли 22 рабочих завода.", 22),
])
def test_a_small_number_right_after_its_verb_is_a_count_not_a_day(text, figure):
    assert textfacts.main_figure_events(text) == {(Decimal(figure), "killed")}


def test_a_small_number_after_a_verb_and_a_month_word_is_still_a_day():
    assert numerals.numbers("Five people were killed on 22 June.") == {Decimal(5)}


@pytest.mark.parametrize("text", [
    "Of the 300 members of parliament, 190 were present and all 190 voted in favour.",
    "The motion passed after 190 members of the 300-member Assembly voted for it.",
    "190 депутатов из 300 проголосовали за отмену.",
    "Из 300 депутатов 190 проголосовали за отмену.",
    "The 300-member Assembly passed the motion with 190 votes.",
    "재적 300명 중 190명이 찬성했다.",
])
def test_the_whole_a_part_is_counted_out_of_is_not_the_main_figure(text):
    assert {value for value, _ in textfacts.main_figure_events(text)} == {Decimal(190)}


def test_a_toll_of_n_is_still_the_main_figure():
    assert textfacts.main_figure_events("It left a total of 300 people dead.") == {
        (Decimal(300), "killed")}


@pytest.mark.parametrize(("text", "figure"), [
    ("Двадцать два человека погибли при пожаре.", Decimal(22)),
    ("погибли сорок шесть человек", Decimal(46)),
    ("около тридцати человек ранены", Decimal(30)),
])
def test_russian_tens_and_units_are_one_figure(text, figure):
    assert numerals.numbers(text) == {figure}


def test_a_russian_ordinal_ten_is_a_date_not_a_figure():
    assert numerals.numbers("Двадцатого июня погибли 5 человек.") == {Decimal(5)}


def test_a_spelled_out_russian_toll_matches_the_same_toll_in_digits():
    """The dev case: "Двадцать два человека погибли" against a claim of 22 killed."""
    text = ranking.facts_for_text("Двадцать два человека погибли при пожаре на заводе.", "ru")
    same = ranking.facts_for_text("A fire at the factory killed 22 workers.", "en")
    other = ranking.facts_for_text("A fire at the factory killed 2 workers.", "en")
    assert ranking.compare(text, same, 0.8).score > ranking.compare(text, other, 0.8).score


@pytest.mark.parametrize(("text", "figures"), [
    ("The blast killed 12 miners.", {Decimal(12)}),
    ("Three minors and 40 mines were found.", {Decimal(3), Decimal(40)}),
    ("Zəlzələ qurbanlarının sayı 50 min 96 nəfərə çatıb.", {Decimal(50096)}),
    ("Ərazidə 230 mindən çox mina var.", {Decimal(230000)}),
    ("8 mininin taleyi", {Decimal(8000)}),
])
def test_the_azerbaijani_thousand_is_min_with_its_endings_not_any_word_starting_min(text, figures):
    assert numerals.numbers(text) == figures
