"""A text's figures, tenth round (issue 11, batch fresh-a's dev clusters): a list of parts after
"including" / "o cümlədən" / "в том числе", and the whole before it.

Our own sentences: unit tests of each rule, not the measure (bench/matching.py is).
"""

from decimal import Decimal

import pytest

from similarity import ranking, textfacts


@pytest.mark.parametrize("text", [
    # The verb comes after the list: the whole counts what its parts count.
    "Hücum nəticəsində 613 nəfər, o cümlədən 106 qadın, 63 uşaq, 70 qoca qətlə yetirilib.",
    "The attack left 613 people, including 106 women, 63 children and 70 elderly, dead.",
    "В результате нападения 613 человек, в том числе 106 женщин, 63 ребенка, 70 стариков, "
    "погибли.",
])
def test_every_item_of_a_list_of_parts_is_a_part_and_the_whole_is_main(text):
    assert textfacts.main_figure_events(text) == {(Decimal(613), "killed")}


@pytest.mark.parametrize(("text", "main", "other"), [
    # No whole before the list: the figure after it is the whole, not the list's next item
    # (taken for one, it would be a part, and the wounded the main figure).
    ("Including 40 children, 500 people were killed, 300 wounded.",
     (Decimal(500), "killed"), (Decimal(300), "wounded")),
    # The list ends at a verb: the figure after it is a claim of its own.
    ("Погибли 500 человек, в том числе 40 детей, еще 200 ранены.",
     (Decimal(500), "killed"), (Decimal(200), "wounded")),
])
def test_a_list_of_parts_needs_a_whole_and_ends_at_a_verb(text, main, other):
    assert textfacts.main_figure_events(text) == {main}
    assert other in textfacts.figure_events(text)


def test_a_text_with_a_list_of_parts_is_the_same_figure_as_a_claim_of_the_whole():
    text = "Hücum nəticəsində 613 nəfər, o cümlədən 106 qadın, 63 uşaq, 70 qoca qətlə yetirilib."
    query = ranking.facts_for_text(text, "az")
    whole = ranking.facts_for_text("Xocalıda 613 nəfər öldürülüb.", "az")
    part = ranking.facts_for_text("Xocalıda 70 qoca öldürülüb.", "az")
    assert "same figure" in ranking.compare(query, whole, 0.80).agreements
    assert "same figure" not in ranking.compare(query, part, 0.80).agreements


def test_a_figure_before_said_that_is_the_setting_not_what_was_said():
    text = ("В начале декабря Зеленский, комментируя слова Трампа о потерях ВСУ в 400 тысяч, "
            "заявил, что «Украина потеряла 43 тысячи воинов, погибших на поле боя».")
    assert textfacts.main_figure_events(text) == {(Decimal(43000), "killed")}
    # With no figure after it, "said that" leaves the figure before it alone.
    alone = "Потери составили 400 тысяч, заявил министр, отметив, что данные предварительные."
    assert textfacts.main_figure_events(alone) == {(Decimal(400000), "casualties")}
    assert textfacts.main_figure_events(
        "The minister, who in February put it at 31,000, said that 43,000 soldiers died."
    ) == {(Decimal(43000), "killed")}


@pytest.mark.parametrize(("text", "main"), [
    # "Losses" is the frame, the participle or the instrumental says which.
    ("Украина потеряла 43 тысячи воинов, погибших на поле боя.", (Decimal(43000), "killed")),
    ("Войска потеряли чуть более 45 тысяч человек убитыми.", (Decimal(45000), "killed")),
    # Both named is the casualties; a new subject after the comma is not a participle.
    ("Zelensky: about 3,000 North Koreans killed or wounded.", (Decimal(3000), "casualties")),
    ("사고 관련 사망자는 151명, 부상자는 82명 발생했다.", (Decimal(151), "killed")),
])
def test_losses_specified_as_killed_count_the_killed(text, main):
    assert textfacts.main_figure_events(text) == {main}


def test_a_text_counts_what_its_main_figure_counts_not_every_event_it_names():
    """"43 тысячи погибли. 370 тысяч получили ранения" is about the killed: against a claim
    recording 43,000 killed, whose own words say only "lost", it is the same thing counted
    (every event word of both texts was compared: killed and wounded against losses)."""
    query = ranking.facts_for_text(
        "Зеленский сообщил, что погибли 43 тысячи украинских военных. 370 тысяч получили "
        "ранения.", "ru")
    stored = ranking.stored_facts(
        id=1, text="С начала войны Украина потеряла 43 тысячи воинов на поле боя.",
        language="ru", quantity=_quantity(43000, "Ukrainian soldiers killed"))
    result = ranking.compare(query, stored, 0.9)
    assert "different thing counted" not in result.differences
    assert "same figure" in result.agreements


def _quantity(value, counted):
    from types import SimpleNamespace
    return SimpleNamespace(qualifier="exact", value=Decimal(value), lower=None, upper=None,
                           counted=counted, unit="")
