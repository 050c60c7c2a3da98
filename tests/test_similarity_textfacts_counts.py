"""A text's figures, sixth round (issue 11): how counts, money and tallies are read.

Our own sentences: unit tests of each rule, not the measure (bench/matching.py is).
"""

from decimal import Decimal

import pytest

from similarity import numerals, textfacts


@pytest.mark.parametrize(("text", "figure"), [
    ("a $1.3 trillion climate finance agreement", Decimal("1.3e12")),
    ("мобилизовать 1,3 трлн долларов ежегодно", Decimal("1.3e12")),
    ("ildə 1,3 trilyon dollar", Decimal("1.3e12")),
])
def test_a_trillion_is_a_multiplier(text, figure):
    assert numerals.numbers(text) == {figure}


@pytest.mark.parametrize(("text", "figures"), [
    ("매년 3천억 달러 규모로", {Decimal("3e11")}),
    ("연간 1조3천억 달러다.", {Decimal("1.3e12")}),
    ("연간 1조 3000억 달러 이상을", {Decimal("1.3e12")}),
    ("연간 3,000억 달러로", {Decimal("3e11")}),
    ("약 1822조 원", {Decimal("1822e12")}),
    ("조선 2천명", {Decimal("2000")}),  # 조 in a word is not a number
])
def test_korean_money_in_jo_and_eok_groups(text, figures):
    assert numerals.numbers(text) == figures


@pytest.mark.parametrize("text", [
    "В результате трагедии выжили 29 человек из 67 находившихся на борту.",
    "Crash: 29 people survived.",
    "Qəza nəticəsində 29 nəfər sağ qalıb.",
])
def test_a_small_number_of_people_is_a_count_not_a_day(text):
    assert Decimal(29) in numerals.numbers(text)


def test_a_small_number_before_a_month_is_still_a_day():
    assert Decimal(29) not in numerals.numbers("Самолёт разбился 29 декабря у Актау.")


@pytest.mark.parametrize(("text", "figure"), [
    ("Thirty-eight people died when an Azerbaijani aircraft crashed.", Decimal(38)),
    ("Some twenty-one passengers were rescued.", Decimal(21)),
])
def test_tens_and_units_joined_by_a_hyphen_are_one_figure(text, figure):
    assert numerals.numbers(text) == {figure}


@pytest.mark.parametrize(("text", "expected"), [
    ("Qəza nəticəsində 38 nəfər həlak olub, 29 nəfər sağ qalıb.",
     {(Decimal(38), "killed"), (Decimal(29), "survived")}),
    ("38 people were killed, 29 people survived.",
     {(Decimal(38), "killed"), (Decimal(29), "survived")}),
    ("В катастрофе погибли 38 человек, выжили 29 человек.",
     {(Decimal(38), "killed"), (Decimal(29), "survived")}),
])
def test_survivors_are_a_count_of_their_own(text, expected):
    assert textfacts.figure_events(text) == expected
    assert textfacts.main_figure_events(text) == {(Decimal(38), "killed")}


def test_korean_a_figures_verb_comes_after_it():
    text = "이 사고로 탑승객 67명 중 38명이 사망하고 29명이 생존한 것으로 확인됐다."
    assert (Decimal(29), "survived") in textfacts.figure_events(text)
    assert textfacts.main_figure_events(text) == {(Decimal(38), "killed")}


def test_korean_pohham_marks_only_the_figure_just_before_it():
    text = "부총리는 38명이 숨졌고 어린이 3명을 포함해 생존자 29명이 입원했다고 밝혔다."
    assert textfacts.main_figure_events(text) == {(Decimal(38), "killed")}


@pytest.mark.parametrize(("text", "main"), [
    ("ЦИК России обработал все 100% бюллетеней: в стране 87,28% избирателей проголосовали "
     "за Путина", Decimal("87.28")),
    ("Which were released after counting 24% of the votes, Putin secured 87.97%.",
     Decimal("87.97")),
    ("With 93 percent of the vote counted, Aliyev had secured 92.05 percent.",
     Decimal("92.05")),
    ("개표가 95.08% 실시된 가운데 푸틴 대통령은 87.32%의 득표율을 기록하고 있다.",
     Decimal("87.32")),
    ("99% 이상의 선거구에서 나온 결과에 따르면 조지아 드림당이 54.08%의 득표율을 얻었다.",
     Decimal("54.08")),
])
def test_the_share_of_ballots_counted_is_not_the_result(text, main):
    assert textfacts.main_figure_events(text) == {(main, "percent")}


@pytest.mark.parametrize(("text", "main"), [
    ("국제사회가 연간 1조 3000억 달러(약 1822조 원) 이상을 투자하기로 합의했다.",
     Decimal("1.3e12")),
    ("Revenues will amount to 38.3 billion manat ($22.5 billion), expenditures 41.4 billion "
     "manat.", Decimal("38.3e9")),
])
def test_a_figure_in_brackets_after_another_is_its_conversion(text, main):
    assert {value for value, _ in textfacts.main_figure_events(text)} == {main}


@pytest.mark.parametrize(("text", "figures"), [
    ("Lee Jae-myung secured 49-point-42 percent of all votes cast.",
     {(Decimal("49.42"), "percent")}),
    ("Kim attained 41-point-15 percent of the votes, and Lee Jun-seok got eight-point-34 "
     "percent.", {(Decimal("41.15"), "percent"), (Decimal("8.34"), "percent")}),
])
def test_decimals_read_out_with_point_are_one_figure(text, figures):
    assert textfacts.figure_events(text) == figures


@pytest.mark.parametrize(("text", "main"), [
    ("합계출산율은 0.72명으로 역대 최저치를 기록했으며, 여성의 평균 출산 연령은 33.6세, "
     "출생아 부의 평균 연령은 36.1세였습니다.", Decimal("0.72")),
    ("The survivor, a 40-year-old British national, was one of 242 people aboard.",
     Decimal(242)),
])
def test_an_age_is_never_the_main_figure(text, main):
    assert {value for value, _ in textfacts.main_figure_events(text)} == {main}
