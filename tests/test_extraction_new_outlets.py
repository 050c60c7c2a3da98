"""Rules for Azerbaijani and English found on dev copy from outlets new to the corpus
(tests/data/real, ninth round), each checked on a sentence of our own."""

from decimal import Decimal

import pytest

from importer import extract
from importer.aliases import AliasIndex
from importer.figures import parse_figures


@pytest.fixture(scope="module")
def index():
    return AliasIndex([(1, "Reuters", "news_outlet", "Reuters")])


def test_a_second_head_title_points_back_to_the_head_named_first(index):
    # "vilayət rəhbəri" (the region's head) after "… Vilayət Administrasiyasının sədri X":
    # one head title for another, the same person.
    text = ("Zərbə nəticəsində üç nəfər ölüb.\nBu barədə Poltava Vilayət Dövlət "
            "Administrasiyasının sədri Dmitro Lunin sosial şəbəkədə bildirib.\n“Yaralıların "
            "sayı 9-a çatıb”, – vilayət rəhbəri qeyd edib.")
    claims = extract(text, "az", index=index).claims
    last = next(c for c in claims if "9-a" in c.text)
    speaker = next(a for a in last.attributions if a.role == "claimant")
    assert "sədri Dmitro" in speaker.source.name


def test_a_head_title_alone_does_not_point_to_another_office(index):
    # "vilayət rəhbəri" does not become a minister named before: the place word must be
    # in how the earlier person was named.
    text = ("Səhiyyə naziri Teymur Musayev bildirib ki, 5 nəfər xəstəxanaya yerləşdirilib. "
            "“Yaralıların sayı 9-a çatıb”, – vilayət rəhbəri qeyd edib.")
    claims = extract(text, "az", index=index).claims
    last = next(c for c in claims if "9-a" in c.text)
    speaker = next(a for a in last.attributions if a.role == "claimant")
    assert "Musayev" not in speaker.source.name


def test_the_step_a_rate_moved_by_is_not_the_figure(index):
    text = ("Mərkəzi Bankın sədri bildirib ki, uçot dərəcəsi 0.25 faiz bəndi artırılaraq "
            "8 faizə qaldırılıb.")
    claims = extract(text, "az", index=index).claims
    q = claims[0].quantity
    assert (q.qualifier, q.value) == ("exact", Decimal("8"))


@pytest.mark.parametrize("said", [
    "About 226,700 people had been relocated as of Tuesday, the agency said.",
    "The governor's office said 3,075 residents were still living in shelters as of Monday.",
])
def test_relocated_and_sheltered_people_are_displaced(index, said):
    q = extract(said, "en", index=index).claims[0].quantity
    assert q.counted_kind == "displaced"


def test_these_words_point_back_to_the_quotation_before(index):
    # "“…”. AZƏRTAC xəbər verir ki, bu sözləri X söyləyib": the quotation is X's.
    text = ("“Keçən il ticarət dövriyyəmiz altı milyard dollardan çox olub”.\n"
            "Reuters xəbər verir ki, bu sözləri İqtisadiyyat naziri Mikayıl Cabbarov bəyanatında "
            "söyləyib.")
    claims = extract(text, "az", index=index).claims
    quoted = next(c for c in claims if "milyard" in c.text)
    assert "bu sözləri" not in quoted.text
    assert any(a.role == "claimant" and "Cabbarov" in a.source.name
               for a in quoted.attributions)


def test_a_sentence_glued_after_its_reporting_verb_ends_there(index):
    # "…, state officials said.Emergency crews …": the page lost the space.
    text = ("At least nine people have died in flooding, state officials said.Emergency crews "
            "have plucked more than 20,000 people to safety, the governor told reporters.")
    claims = extract(text, "en", index=index).claims
    rescued = next(c for c in claims if "20,000" in c.text)
    assert "officials said" not in rescued.text
    assert [a.source.name for a in rescued.attributions if a.role == "claimant"] == \
        ["governor"]


def test_a_unit_inside_the_qualifier_after_the_figure_is_kept():
    # "altı milyard dollardan çox": "-dan çox" (more than) took the currency in with it.
    q = parse_figures("Ticarət dövriyyəmiz altı milyard dollardan çox olub.", "az")[0]
    assert (q.qualifier, q.lower, q.unit) == ("at_least", Decimal("6000000000"), "USD")


@pytest.mark.parametrize("said, name", [
    ("Over 300 aftershocks have rocked the region, according to the Philippine Institute of "
     "Volcanology and Seismology.", "Philippine Institute of Volcanology and Seismology"),
    ("The fighting has killed more than 2,000 people, the Armed Conflict Location and Event "
     "Data Project said.", "Armed Conflict Location and Event Data Project"),
])
def test_and_inside_one_name_does_not_split_it(index, said, name):
    claim = extract(said, "en", index=index).claims[0]
    assert [a.source.name for a in claim.attributions] == [name]


def test_two_bodies_joined_by_and_stay_two(index):
    said = "About 300 soldiers were killed, the Defence Ministry and the General Staff said."
    claim = extract(said, "en", index=index).claims[0]
    assert len([a for a in claim.attributions if a.role == "claimant"]) == 2



def test_dozens_said_by_their_fate_are_a_figure(index):
    said = ("At least 51 people were killed and dozens wounded in air strikes on a market, "
            "the ministry said.")
    figures = [(c.quantity.qualifier, c.quantity.lower, c.quantity.counted_kind)
               for c in extract(said, "en", index=index).claims]
    assert figures == [("at_least", Decimal("51"), "killed"),
                       ("at_least", Decimal("12"), "wounded")]
