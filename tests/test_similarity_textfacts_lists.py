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
