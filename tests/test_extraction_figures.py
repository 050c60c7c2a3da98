"""The figure parser: every qualifier in every language, stored as Quantity keeps it."""

from decimal import Decimal

import pytest

from claims.authoring import set_quantity
from claims.models import Quantity
from importer.figures import main_figure, parse_figures
from tests.factories import ClaimFactory

D = Decimal
CASES = [
    # language, text, qualifier, value, lower, upper
    ("en", "more than 10,000 soldiers", "at_least", None, D(10000), None),
    ("en", "at least 1.5 million people", "at_least", None, D(1500000), None),
    ("en", "5,000 or more civilians", "at_least", None, D(5000), None),
    ("en", "about 600 soldiers", "approximately", D(600), None, None),
    ("en", "roughly 4 percent", "approximately", D(4), None, None),
    ("en", "up to 300 prisoners", "at_most", None, None, D(300)),
    ("en", "fewer than 50 tanks", "at_most", None, None, D(50)),
    ("en", "between 175,000 and 200,000 people", "range", None, D(175000), D(200000)),
    ("en", "175,000-200,000 shells", "range", None, D(175000), D(200000)),
    ("en", "12,000 soldiers", "exact", D(12000), None, None),
    ("en", "thousands of soldiers", "at_least", None, D(1000), None),
    ("az", "10 mindən çox əsgər", "at_least", None, D(10000), None),
    ("az", "ən azı 3 min hərbçi", "at_least", None, D(3000), None),
    ("az", "15 faizdən çox", "at_least", None, D(15), None),
    ("az", "600-ə yaxın əsgər", "approximately", D(600), None, None),
    ("az", "təxminən 600 əsgər", "approximately", D(600), None, None),
    ("az", "500-dək dron", "at_most", None, None, D(500)),
    ("az", "300-dən az tank", "at_most", None, None, D(300)),
    ("az", "175 min ilə 200 min arasında insan", "range", None, D(175000), D(200000)),
    ("az", "175 mindən 200 minədək əsgər", "range", None, D(175000), D(200000)),
    ("az", "1,5 milyon dollar", "exact", D(1500000), None, None),
    ("az", "minlərlə hərbçi", "at_least", None, D(1000), None),
    ("ru", "свыше 10 тысяч военных", "at_least", None, D(10000), None),
    ("ru", "не менее 3 тыс. человек", "at_least", None, D(3000), None),
    ("ru", "около 600 солдат", "approximately", D(600), None, None),
    ("ru", "примерно на 1,5 процента", "approximately", D("1.5"), None, None),
    ("ru", "до 500 ракет", "at_most", None, None, D(500)),
    ("ru", "менее 50 танков", "at_most", None, None, D(50)),
    ("ru", "от 175 до 200 тысяч военных", "range", None, D(175000), D(200000)),
    ("ru", "между 175 000 и 200 000 военных", "range", None, D(175000), D(200000)),
    ("ru", "12 000 военнослужащих", "exact", D(12000), None, None),
    ("ru", "тысячи солдат", "at_least", None, D(1000), None),
    ("ko", "1만 명 이상", "at_least", None, D(10000), None),
    ("ko", "1만5000여 명", "at_least", None, D(15000), None),
    ("ko", "사상자가 3000명을 넘었다", "at_least", None, D(3000), None),
    ("ko", "최소 3000명", "at_least", None, D(3000), None),
    ("ko", "약 600명", "approximately", D(600), None, None),
    ("ko", "600명가량", "approximately", D(600), None, None),
    ("ko", "최대 300발", "at_most", None, None, D(300)),
    ("ko", "3천명 미만", "at_most", None, None, D(3000)),
    ("ko", "17만5000∼20만 명", "range", None, D(175000), D(200000)),
    ("ko", "북한군 1만2000명", "exact", D(12000), None, None),
    ("ko", "수천 명", "at_least", None, D(1000), None),
]


@pytest.mark.parametrize(("language", "text", "qualifier", "value", "lower", "upper"), CASES,
                         ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_a_figure_is_read_with_its_qualifier_and_bounds(language, text, qualifier, value,
                                                        lower, upper):
    figure = main_figure(parse_figures(text, language))
    assert figure is not None, text
    assert (figure.qualifier, figure.value, figure.lower, figure.upper) == (
        qualifier, value, lower, upper)
    assert figure.as_said and figure.as_said in text


def test_every_qualifier_is_covered_in_every_language():
    covered = {(c[0], c[2]) for c in CASES}
    for language in ("az", "ru", "ko", "en"):
        for qualifier in ("exact", "approximately", "at_least", "at_most", "range"):
            assert (language, qualifier) in covered, (language, qualifier)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "On August 15, 2025 the 80th anniversary was marked."),
    ("en", "The talks lasted 3 hours."),
    ("az", "avqustun 15-də 80-ci ildönümü 2024-cü ildə qeyd olunub."),
    ("az", "date 2025-08-15 məqalə"),
    ("ru", "15 августа 2025 года прошла встреча."),
    ("ko", "8월 15일 80주년 행사가 열렸다."),
])
def test_dates_years_ordinals_and_durations_are_not_figures(language, text):
    assert parse_figures(text, language) == []


def test_what_is_counted_is_the_words_after_the_figure():
    figure = main_figure(parse_figures("təxminən 600 Şimali Koreya əsgəri həlak olub", "az"))
    assert figure.counted == "Şimali Koreya əsgəri"
    figure = main_figure(parse_figures("more than 10,000 soldiers were sent", "en"))
    assert figure.counted == "soldiers"


def test_units_are_named():
    assert main_figure(parse_figures("8% more exports", "en")).unit == "%"
    assert main_figure(parse_figures("1,5 milyon dollar", "az")).unit == "USD"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [(c[0], c[1]) for c in CASES],
                         ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_every_parsed_figure_passes_the_database_checks(language, text):
    figure = main_figure(parse_figures(text, language))
    claim = ClaimFactory(language=language)
    set_quantity(claim, figure.model_fields())
    stored = Quantity.objects.get(claim=claim)
    assert stored.qualifier == figure.qualifier
