"""What a text says (similarity/textfacts.py) and a stored claim's facts (ranking.facts_for_claims).

Both run for every candidate of every similar-claims request, so they were made
cheaper (one compiled pattern per word list; plain rows instead of model
instances): these tests hold them to what they said before.
"""

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from similarity import numerals, ranking, textfacts

from .factories import AttributionFactory, ClaimFactory, QuantityFactory, SourceFactory

DATA = Path(__file__).parent / "data"


def _texts() -> list[str]:
    texts = [i["text"] for i in
             json.loads((DATA / "similarity" / "labelled.json").read_text("utf-8"))["items"]]
    for lang in ("az", "ru", "ko", "en"):
        texts += [p["text"] for p in
                  json.loads((DATA / "real" / f"{lang}.json").read_text("utf-8"))["passages"]]
    return texts


def _has(folded: str, stem: str) -> bool:
    """The stem-by-stem test the compiled patterns replace."""
    if re.match(r"[\uac00-\ud7af]", stem):
        return stem in folded
    return re.search(r"(?<!\w)" + re.escape(stem), folded) is not None


def test_compiled_word_lists_agree_with_stem_by_stem_matching_on_real_text():
    texts = _texts()
    assert len(texts) > 150
    for text in texts:
        folded = textfacts._fold(text)
        for kind, stems in textfacts.EVENTS.items():
            assert textfacts._EVENT_STEMS[kind].found_in(folded) == any(
                _has(folded, s) for s in stems), (kind, text)
        assert textfacts._DENIAL_STEMS.found_in(folded) == any(
            _has(folded, s) for s in textfacts.DENIAL), text


@pytest.mark.parametrize(("text", "events", "denies"), [
    ("About 600 North Korean soldiers were killed.", {"killed"}, False),
    ("Около 600 северокорейских военных погибли.", {"killed"}, False),
    ("북한군 600명이 사망했다.", {"killed"}, False),
    ("600 Şimali Koreya əsgəri həlak olub.", {"killed"}, False),
    ("3,000 killed or wounded.", {"casualties"}, False),
    ("Песков опроверг сообщения о гибели военных.", {"killed"}, True),
    ("국방부는 파병 보도를 부인했다.", {"deployed"}, True),
    ("The central bank raised its key rate.", set(), False),
    ("A resentful man.", set(), False),  # "sent" only at a word start
])
def test_events_and_denial_in_four_languages(text, events, denies):
    assert textfacts.events(text) == events
    assert textfacts.denies(text) == denies


@pytest.mark.django_db
def test_facts_from_rows_equal_facts_from_the_claim_and_its_figure():
    nis = SourceFactory(name="NIS")
    peskov = SourceFactory(name="Peskov")
    plain = ClaimFactory(text="About 600 soldiers were killed.", language="en",
                         made_on=date(2025, 4, 30), about_start=None, about_end=None)
    approx = ClaimFactory(text="Some 3,000 killed or wounded.", language="en",
                          made_on=date(2025, 1, 13), about_start=date(2025, 1, 1),
                          about_end=date(2025, 1, 10))
    QuantityFactory(claim=approx, value=3000, qualifier="approximately",
                    counted="North Korean soldiers killed or wounded", unit="")
    floor = ClaimFactory(text="At least 100 killed.", language="en", made_on=None,
                         about_start=None, about_end=None)
    QuantityFactory(claim=floor, value=None, lower=100, qualifier="at_least",
                    counted="soldiers killed")
    AttributionFactory(claim=approx, source=nis, role="claimant", stance="asserts")
    AttributionFactory(claim=plain, source=peskov, role="claimant", stance="denies")
    facts = ranking.facts_for_claims([plain.pk, approx.pk, floor.pk])
    assert facts[plain.pk].figures == {Decimal(600)} and facts[plain.pk].counted == ""
    assert facts[plain.pk].denies and facts[plain.pk].claimants == {peskov.pk}
    assert facts[plain.pk].period == (date(2025, 4, 30), date(2025, 4, 30))
    assert facts[approx.pk].counted == "north korean soldiers killed or wounded"
    assert facts[approx.pk].ranges == ((Decimal(2700), Decimal(3300)),)
    assert facts[approx.pk].period == (date(2025, 1, 1), date(2025, 1, 10))
    assert facts[approx.pk].claimants == {nis.pk} and not facts[approx.pk].denies
    assert facts[floor.pk].figures == {Decimal(100)} and facts[floor.pk].ranges == ()
    assert facts[floor.pk].period is None
    for claim in (plain, approx, floor):
        claim.refresh_from_db()
        try:
            quantity = claim.quantity
        except type(claim).quantity.RelatedObjectDoesNotExist:
            quantity = None
        expected = ranking.stored_facts(
            id=claim.pk, text=claim.text, summary_en=claim.summary_en,
            language=claim.language, published=claim.published, quantity=quantity,
            claimants=facts[claim.pk].claimants, denies=facts[claim.pk].denies,
            period=facts[claim.pk].period)
        assert facts[claim.pk] == expected


@pytest.mark.parametrize(("text", "pairs"), [
    ("About 300 killed, 2,700 wounded, over 3,000 casualties.",
     {(300, "killed"), (2700, "wounded"), (3000, "casualties")}),
    ("Killed 300 and wounded 2,700.", {(300, "killed"), (2700, "wounded")}),
    ("Nine deaths and 3,000 killed or wounded.", {(9, "killed"), (3000, "casualties")}),
    ("Roughly 2,000 soldiers deployed to Russia have been killed.", {(2000, "killed")}),
    ("Около 11 тысяч военных направлены в Курск, погибли 300 человек.",
     {(11000, "deployed"), (300, "killed")}),
    ("사망자 600명을 포함, 총 4,700명의 사상자가 나왔다.", {(600, "killed"), (4700, "casualties")}),
    ("북한군 600명이 사망했다.", {(600, "killed")}),
    ("600 Şimali Koreya əsgəri həlak olub, 2 min nəfər yaralanıb.",
     {(600, "killed"), (2000, "wounded")}),
    ("Some 3,000 arrived.", {(3000, "")}),
])
def test_each_figure_is_paired_with_what_it_counts(text, pairs):
    assert {(int(v) if v == int(v) else v, kind)
            for v, kind in textfacts.figure_events(text)} == pairs


def test_a_same_number_counting_something_else_is_not_the_same_figure():
    query = ranking.facts_for_text("About 300 killed, 2,700 wounded, over 3,000 casualties.")
    killed = ranking.facts_for_text("300 North Korean soldiers were killed.")
    wounded = ranking.facts_for_text("Some 300 soldiers were wounded.")
    sent = ranking.stored_facts(id=1, text="Pyongyang sent troops.", quantity=SimpleNamespace(
        value=Decimal(3000), lower=None, upper=None, qualifier="approximately",
        counted="North Korean soldiers sent to Russia", unit=""))
    unknown = ranking.facts_for_text("The figure was 300.")
    same = ranking.compare(query, killed, 0.9)
    assert "same figure" in same.agreements
    other = ranking.compare(killed, wounded, 0.9)
    assert "same figure" not in other.agreements
    assert "same number, counting something else" in other.differences
    assert other.assessment == "related"  # not a conflict: another count, not another figure
    assert "same figure" not in ranking.compare(query, sent, 0.9).agreements
    assert "same figure" in ranking.compare(query, unknown, 0.9).agreements  # unknown agrees
    assert other.score < same.score


@pytest.mark.parametrize(("text", "expected"), [
    ("북한군 4천700명이 다쳤다", {4700}),
    ("2천700명", {2700}),
    ("1만2000명", {12000}),
    ("1만 2천 300명", {12300}),
    ("1만 1천명", {11000}),
    ("3천명", {3000}),
    ("12 тисяч військових", {12000}),
    ("1,5 мільйона", {1500000}),
])
def test_korean_groups_and_ukrainian_multipliers_read_as_one_figure(text, expected):
    assert {int(v) for v in numerals.numbers(text)} == expected


def test_ukrainian_figures_are_paired_with_their_events():
    pairs = textfacts.figure_events("Загинули 300 військових, ще 2700 поранені")
    assert pairs == {(Decimal(300), "killed"), (Decimal(2700), "wounded")}
    assert textfacts.events("Втрати армії сягнули 3000") == {"casualties"}
    assert textfacts.events("Росія спростовує загибель") == {"killed"}


@pytest.mark.parametrize(("text", "main"), [
    # One figure: that one.
    ("Some 3,000 arrived.", {(3000, "")}),
    # The first figure tied to an event, not the ones after it.
    ("About 300 killed, 2,700 wounded, over 3,000 casualties.", {(300, "killed")}),
    # A part named after "including" / "в том числе" / "o cümlədən", or before "포함".
    ("Including 40 children, 500 people were killed.", {(500, "killed")}),
    ("Погибли 500 человек, в том числе 40 детей.", {(500, "killed")}),
    ("사망자 600명을 포함, 총 4,700명의 사상자가 나왔다.", {(4700, "casualties")}),
    # Beside a count of the dead, a count of those sent says who, not what.
    ("Of the 12,000 troops sent to Kursk, 300 have been killed.", {(300, "killed")}),
    # Korean: of several figures counting the same thing, the last (the main clause).
    ("발표한 사망자는 300명이지만 현재는 사망자를 900명으로 추산한다.", {(900, "killed")}),
    # A percentage is a figure with its own kind; a bare ordinal beside it is not main.
    ("제9대 선거 투표율이 65.2%로 집계됐다.", {(Decimal("65.2"), "percent")}),
    # The event word past a phrase set off by commas still counts the figure.
    ("По меньшей мере 100 военных, прибывших из-за границы, погибли, еще 900 ранены.",
     {(100, "killed")}),
])
def test_the_main_figure_of_a_text(text, main):
    assert {(int(v) if v == int(v) else v, kind)
            for v, kind in textfacts.main_figure_events(text)} == main


@pytest.mark.parametrize(("a", "b", "same"), [
    (70000, 70100, True),      # "70 тысяч" and 70,100
    (41900, 41909, True),      # "41,9 min" and 41,909
    (50000, 50021, True),      # "over 50,000" and 50,021
    (70000, 71266, False),     # a later toll, not the same one rounded
    (41900, 41206, False),
    (Decimal("9.52"), Decimal("9.5"), False),  # only whole round figures stand for others
    (600, 600, True),
    # Within 1 %, but a round figure stands only for what rounds or cuts to it.
    (38300000000, 38356000000, True),    # "38.3 billion" and 38,356 million
    (38300000000, 38609000000, False),   # "38.3 billion" is not 38,609 million
    (70000, 69950, True),
])
def test_a_round_figure_stands_for_the_figures_within_one_percent(a, b, same):
    assert ranking.same_number(Decimal(a), Decimal(b)) is same
    assert ranking.same_number(Decimal(b), Decimal(a)) is same


def test_a_figure_the_text_is_not_about_does_not_make_it_the_same_claim():
    query = ranking.facts_for_text(
        "The agency showed 350 dead, reported 600 dead in April and now estimates "
        "that 2,000 have been killed.")
    assert query.main_figure_events == {(Decimal(350), "killed")}  # English: the first
    korean = ranking.facts_for_text(
        "북한이 공개한 전사자는 350명 정도지만 4월 보고한 전사자는 600명이었으며 현재는 "
        "2000여명으로 사망자를 추산하고 있다")
    april = ranking.stored_facts(id=1, text="About 600 killed.", quantity=SimpleNamespace(
        value=Decimal(600), lower=None, upper=None, qualifier="approximately",
        counted="soldiers killed", unit=""))
    now = ranking.stored_facts(id=2, text="About 2,000 killed.", quantity=SimpleNamespace(
        value=Decimal(2000), lower=None, upper=None, qualifier="approximately",
        counted="soldiers killed", unit=""))
    secondary = ranking.compare(korean, april, 0.90)
    assert "same figure, but not the one the text is about" in secondary.differences
    assert "same figure" not in secondary.agreements
    main = ranking.compare(korean, now, 0.85)
    assert "same figure" in main.agreements and main.score > secondary.score


def test_a_claim_with_a_figure_is_never_likely_the_same_as_one_without():
    with_figure = ranking.facts_for_text("300 soldiers were killed near Kursk.")
    without = ranking.facts_for_text("Soldiers were killed near Kursk.")
    comparison = ranking.compare(with_figure, without, 0.95)
    assert "only one states a figure" in comparison.differences
    assert comparison.assessment == "related"


@pytest.mark.parametrize(("text", "expected"), [
    # Thousands separators with a decimal part after them: one figure, not 7,687 and 5.
    ("a maximum altitude of 7,687.5 kilometers", {Decimal("7687.5")}),
    ("на максимальную высоту 7 687,5 км", {Decimal("7687.5")}),
    ("пролетела 1 001,2 километра", {Decimal("1001.2")}),
    ("1.000,5 manat", {Decimal("1000.5")}),
    # Korean groups keep the decimal part of the last group.
    ("최대정점고도 7천687.5㎞로 상승해 1천1.2㎞ 거리를", {Decimal("7687.5"), Decimal("1001.2")}),
    # One group after a comma, then a word of a decimal-comma language: a decimal comma.
    ("доходы составили 87,113 млн манатов", {Decimal("87113000")}),
    ("87,113 million dollars", {Decimal("87113000000")}),
    # A small number before "%" or a unit is a share or a measure, not a day of the month.
    ("uçot dərəcəsi 7 faizə endirilib", {Decimal(7)}),
    ("flew for 12 minutes", {Decimal(12)}),
])
def test_decimal_parts_decimal_commas_and_small_shares(text, expected):
    assert numerals.numbers(text) == expected


def test_a_figure_with_a_unit_is_tied_to_that_measure():
    pairs = textfacts.figure_events(
        "The missile reached an altitude of 7,687.5 km and flew 1,001.2 km in 5,156 seconds.")
    assert pairs == {(Decimal("7687.5"), "km"), (Decimal("1001.2"), "km"),
                     (Decimal(5156), "seconds")}
    assert textfacts.figure_events("Ракета летела 86 минут.") == {(Decimal(86), "minutes")}
    assert textfacts.figure_events("300분의 1") == {(Decimal(300), "")}  # a fraction, not minutes


@pytest.mark.parametrize(("text", "main"), [
    # The earlier value of a change is not what the text reports.
    ("The central bank raised its key rate to 21%, up from 19%.", {(21, "percent")}),
    ("Inflation slowed to 9.52% from 11.9%.", {(Decimal("9.52"), "percent")}),
    ("Russia's central bank raised its rate from 19% to 21%.", {(21, "percent")}),
    ("ЦБ повысил ставку с 7,50% до 7,75%.", {(Decimal("7.75"), "percent")}),
    ("Uçot dərəcəsi 7,25 faizdən 7 faizə endirilib.", {(7, "percent")}),
    ("기준금리를 3.5%에서 3.25%로 인하했다.", {(Decimal("3.25"), "percent")}),
    # A change in percentage points is not the level.
    ("Ставку повысили на 2 процентных пункта, до 21% годовых.", {(21, "percent")}),
    ("uçot dərəcəsi 0,25 faiz bəndi azaldılaraq 7 faiz olub", {(7, "percent")}),
    # "с" is also "with": a share stated with it stays the main figure.
    ("Алиев лидирует с 92,12% голосов.", {(Decimal("92.12"), "percent")}),
    # A measured flight: the first figure of each measure.
    ("The missile flew for about 86 minutes and to an altitude of 7,000 km.",
     {(86, "minutes"), (7000, "km")}),
    ("ракета находилась в полете 86 минут и поднялась на высоту более 7 тыс. км.",
     {(86, "minutes"), (7000, "km")}),
    ("최대 정점 고도 7687.5km까지 상승해 1001.2km를 86분간 비행했다.",
     {(Decimal("7687.5"), "km"), (86, "minutes")}),
])
def test_the_main_figure_of_a_change_and_of_a_measured_flight(text, main):
    assert {(int(v) if v == int(v) else v, kind)
            for v, kind in textfacts.main_figure_events(text)} == main


@pytest.mark.parametrize(("text", "main"), [
    ("Since the October 7 attack that killed about 1,200 people, Israel's war has killed "
     "over 70,000 Palestinians.", {(70000, "killed")}),
    ("После нападения ХАМАС, в результате которого погибли 1200 человек, в Газе погибли "
     "более 70 тысяч палестинцев.", {(70000, "killed")}),
    # "said that" is not a relative clause: its figure is the report.
    ("The ministry said that 70,000 people were killed, and 1,200 in Israel.",
     {(70000, "killed")}),
])
def test_a_figure_in_a_relative_clause_is_not_the_main_one(text, main):
    assert {(int(v), kind) for v, kind in textfacts.main_figure_events(text)} == main


@pytest.mark.parametrize(("text", "main"), [
    ("Zelensky said 55,000 soldiers were killed. Earlier, in February 2025, he spoke of "
     "46,000 killed.",
     {(55000, "killed")}),
    ("Ранее Зеленский сообщал о 46 тысячах погибших. Теперь он называет 55 тысяч погибших.",
     {(55000, "killed")}),
    ("앞서 젤렌스키는 4만6000명이 사망했다고 말했다. 이번에는 5만5000명이 전사했다고 밝혔다.",
     {(55000, "killed")}),
    # A text telling only what was said earlier is about that.
    ("Earlier, Zelensky said 46,000 soldiers were killed.", {(46000, "killed")}),
])
def test_a_figure_said_earlier_is_background_to_the_one_reported_now(text, main):
    assert {(int(v), kind) for v, kind in textfacts.main_figure_events(text)} == main


@pytest.mark.parametrize(("text", "expected"), [
    # A figure written in two groups, the larger multiplier first, is one figure.
    ("büdcənin gəlirlərinin 38 milyard 356 milyon manat", {Decimal(38356000000)}),
    ("доходы ожидаются в размере 38 млрд 609 млн манатов", {Decimal(38609000000)}),
    ("расходы - 41 млрд 703,6 млн манатов", {Decimal("41703600000")}),
    ("1 million 200 thousand", {Decimal(1200000)}),
    # Not a smaller group after a larger one, or not next to it: two figures.
    ("2 min nəfər, 300 nəfər", {Decimal(2000), Decimal(300)}),
    ("11 тысяч военных", {Decimal(11000)}),
])
def test_a_figure_in_two_groups_is_one_figure(text, expected):
    assert numerals.numbers(text) == expected


@pytest.mark.parametrize(("text", "main"), [
    # A change by a share is not what the text reports.
    ("Gəlirlər 38 milyard 356 milyon manat (5,4% çox) olacaq.", {(38356000000, "")}),
    ("доходы прогнозируются в размере 38 609 млн манатов, что на 0,7% больше прогноза",
     {(38609000000, "")}),
    ("Exports reached 12 billion dollars, 3% more than a year earlier.", {(12000000000, "")}),
])
def test_a_change_by_a_share_is_not_the_main_figure(text, main):
    assert {(int(v), kind) for v, kind in textfacts.main_figure_events(text)} == main


def _slow_fold(text: str) -> str:
    """sources.text.fold as it was: combining marks dropped one character at a time."""
    import unicodedata

    from sources.text import _PUNCT, _SPACE
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCT))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", unicodedata.normalize("NFC", stripped).casefold()).strip()


def test_fold_drops_every_combining_mark_as_the_per_character_test_did():
    import sys
    import unicodedata

    from sources import text as source_text
    marks = {cp for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))}
    assert marks == set(source_text._COMBINING)  # none beyond the planes the table reads
    odd = "Şəki ÇÖL Ǆ ﬁ e\u0301\u0327 a\U0001e94a b\u0345 " + "".join(map(chr, sorted(marks)))
    texts = [*_texts(), odd]
    for text in texts:
        assert source_text.fold(text) == _slow_fold(text), text


def test_figures_and_numbers_read_the_same_spans_once():
    """numbers() and the figures' pairing share one reading of the text (_text_spans):
    the same figures as reading it twice, on real text in every language."""
    for text in _texts():
        summed = numerals._korean_sum(text)
        assert numerals.numbers(text) == frozenset(v for v, _, _ in numerals._spans(summed))
    numerals.text_spans.cache_clear()
    text = "북한군 1만 1천명 중 300명이 사망하고 2,700 wounded, 11 тысяч"
    numerals.numbers(text)
    textfacts.figure_events(text)
    assert numerals.text_spans.cache_info().misses == 1


def test_a_recorded_figure_spares_reading_the_texts_figures():
    """A claim with its figure recorded is compared on that figure only: its text's figures
    are not read (most of the cost of a candidate's facts), and its facts are those of the
    text with the recorded figure in place of the text's."""
    text = "Около 600 северокорейских военных погибли, 2 700 ранены, 11 тысяч направлены."
    quantity = SimpleNamespace(value=Decimal("3000"), lower=None, upper=None,
                               qualifier="exact", counted="casualties", unit="")
    numerals.text_spans.cache_clear()
    facts = ranking.stored_facts(id=1, text=text, language="ru", quantity=quantity)
    assert numerals.text_spans.cache_info().misses == 0
    assert facts.figures == {Decimal("3000")}
    assert facts.figure_events == facts.main_figure_events == {(Decimal("3000"), "casualties")}
    assert facts.events == textfacts.events(text)
    assert facts.trigrams == textfacts.trigrams(text)
    bare = ranking.stored_facts(id=1, text=text, language="ru")
    assert bare.figure_events == textfacts.figure_events(text)
    assert numerals.text_spans.cache_info().misses == 1


@pytest.mark.django_db
def test_candidates_are_read_with_their_ids_as_one_array_in_two_statements():
    """A limit=250 request reads 1,000 candidates: their ids go as one array parameter, not
    a placeholder each (which psycopg rewrites on every call); missing ids are no rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    source = SourceFactory(name="NIS")
    claims = [ClaimFactory(text=f"About {600 + i} soldiers were killed.", language="en")
              for i in range(3)]
    AttributionFactory(claim=claims[0], source=source, role="claimant", stance="asserts")
    top = max(c.pk for c in claims)
    ids = {c.pk for c in claims} | set(range(top + 1, top + 1000))
    with CaptureQueriesContext(connection) as queries:
        facts = ranking.facts_for_claims(ids)
    assert set(facts) == {c.pk for c in claims}
    assert facts[claims[0].pk].claimants == {source.pk}
    assert facts[claims[2].pk].figures == {Decimal(602)}
    assert len(queries) == 2
    assert all("unnest(" in q["sql"] for q in queries.captured_queries)
